package lumen.chat.jinja.lex;

import java.util.ArrayList;
import java.util.List;

import lumen.chat.ChatTemplateException;
import lumen.chat.jinja.lex.Token.Kind;

/**
 * Splits a template into tokens the way Jinja2's lexer does with Hugging Face's settings
 * ({@code trim_blocks=True, lstrip_blocks=True}, trailing newline dropped): text between tags is a
 * DATA token, whitespace control ({@code {%- -%} {%+ +%}}) is applied here, comments vanish.
 */
public final class Lexer {
    private static final String[] OPS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "<", ">",
        "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}"};

    private final String src;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;
    private int[] lineStarts;

    private Lexer(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1); // keep_trailing_newline=False
        }
        this.src = s;
    }

    public static List<Token> tokenize(String source) {
        Lexer lx = new Lexer(source);
        lx.run();
        return lx.out;
    }

    private void run() {
        while (pos < src.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitData(src.substring(pos), pos);
                pos = src.length();
                break;
            }
            char kind = src.charAt(tag + 1);
            char sign = tag + 2 < src.length() ? src.charAt(tag + 2) : 0;
            String text = src.substring(pos, tag);
            if (sign == '-') {
                text = rstrip(text);
            } else if (sign != '+' && kind != '{') {
                int lpos = text.lastIndexOf('\n') + 1;
                if ((lpos > 0 || lineStarting) && lpos < text.length() && isBlank(text, lpos)) {
                    text = text.substring(0, lpos);
                }
            }
            emitData(text, pos);
            int start = tag + 2 + (sign == '-' || sign == '+' ? 1 : 0);
            if (kind == '#') {
                int end = src.indexOf("#}", start);
                if (end < 0) {
                    throw error(tag, "unterminated comment: found end of template, expected '#}'");
                }
                pos = closeTag(end, end + 2);
            } else if (kind == '%' && isRawStart(start)) {
                lexRaw(tag, start);
            } else {
                Token open = tok(kind == '{' ? Kind.VAR_BEGIN : Kind.BLOCK_BEGIN, src.substring(tag, start), tag);
                out.add(open);
                pos = start;
                lexInside(kind == '{' ? '}' : '%', tag);
            }
        }
        int[] lc = lineCol(src.length());
        out.add(new Token(Kind.EOF, "", lc[0], lc[1]));
    }

    /** Position after an end tag {@code end..after}, applying '-' (strip all) or trim_blocks (one newline). */
    private int closeTag(int end, int after) {
        char sign = src.charAt(end - 1);
        int p = after;
        if (sign == '-') {
            while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
                p++;
            }
        } else if (sign != '+' && p < src.length() && src.charAt(p) == '\n') {
            p++;
        }
        lineStarting = p > 0 && src.charAt(p - 1) == '\n';
        return p;
    }

    private boolean isRawStart(int p) {
        int q = skipWs(p);
        if (!src.startsWith("raw", q)) {
            return false;
        }
        q = skipWs(q + 3);
        return src.startsWith("%}", q) || src.startsWith("-%}", q) || src.startsWith("+%}", q);
    }

    private void lexRaw(int tag, int start) {
        int q = skipWs(skipWs(start) + 3);
        int bodyStart = closeTag(q + (src.charAt(q) == '%' ? 0 : 1), q + (src.charAt(q) == '%' ? 2 : 3));
        int p = bodyStart;
        while (true) {
            int e = src.indexOf("{%", p);
            if (e < 0) {
                throw error(tag, "unterminated raw block: expected '{% endraw %}'");
            }
            int s = e + 2 + (e + 2 < src.length() && (src.charAt(e + 2) == '-' || src.charAt(e + 2) == '+') ? 1 : 0);
            int n = skipWs(s);
            if (src.startsWith("endraw", n)) {
                String body = src.substring(bodyStart, e);
                if (src.charAt(e + 2) == '-') {
                    body = rstrip(body);
                }
                emitData(body, bodyStart);
                int c = skipWs(n + 6);
                int endLen = src.startsWith("%}", c) ? 2 : 3;
                pos = closeTag(c + endLen - 2, c + endLen);
                return;
            }
            p = e + 2;
        }
    }

    private int skipWs(int p) {
        while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
            p++;
        }
        return p;
    }

    private void lexInside(char endChar, int tagPos) {
        int depth = 0;
        Kind endKind = endChar == '}' ? Kind.VAR_END : Kind.BLOCK_END;
        while (true) {
            pos = skipWs(pos);
            if (pos >= src.length()) {
                throw error(tagPos, "unterminated tag: found end of template, expected '" + endChar + "}'");
            }
            char c = src.charAt(pos);
            if (depth == 0) {
                int endAt = -1;
                if ((c == '-' || c == '+') && src.startsWith(endChar + "}", pos + 1)) {
                    endAt = pos + 1;
                } else if (c == endChar && pos + 1 < src.length() && src.charAt(pos + 1) == '}') {
                    endAt = pos;
                }
                if (endAt >= 0) {
                    out.add(tok(endKind, src.substring(pos, endAt + 2), pos));
                    if (endKind == Kind.VAR_END) {
                        int p = endAt + 2;
                        if (c == '-') {
                            p = skipWs(p);
                        }
                        lineStarting = p > 0 && src.charAt(p - 1) == '\n';
                        pos = p;
                    } else {
                        pos = closeTag(endAt, endAt + 2);
                    }
                    return;
                }
            }
            int start = pos;
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(tok(Kind.NAME, src.substring(start, pos), start));
            } else if (Character.isDigit(c)) {
                lexNumber(start);
            } else if (c == '\'' || c == '"') {
                out.add(tok(Kind.STRING, lexString(c), start));
            } else {
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw error(pos, "unexpected character '" + c + "' in tag");
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    depth++;
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    if (depth == 0) {
                        throw error(pos, "unexpected '" + op + "'");
                    }
                    depth--;
                }
                pos += op.length();
                out.add(tok(Kind.OP, op, start));
            }
        }
    }

    private void lexNumber(int start) {
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < src.length() && (src.charAt(p) == '+' || src.charAt(p) == '-')) {
                p++;
            }
            if (p < src.length() && Character.isDigit(src.charAt(p))) {
                isFloat = true;
                pos = p;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            }
        }
        out.add(tok(isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos).replace("_", ""), start));
    }

    /** A quoted string with Python escapes (Jinja decodes literals with unicode-escape). */
    private String lexString(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw error(start, "unterminated string literal");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw error(start, "unterminated string literal");
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'a' -> sb.append('\u0007');
                case '0' -> sb.append('\0');
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                case '\n' -> { }
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                default -> sb.append('\\').append(e);
            }
        }
    }

    private int hex(int n) {
        if (pos + n > src.length()) {
            throw error(pos, "truncated \\x/\\u escape in string literal");
        }
        try {
            int v = Integer.parseInt(src.substring(pos, pos + n), 16);
            pos += n;
            return v;
        } catch (NumberFormatException e) {
            throw error(pos, "bad escape in string literal: found '" + src.substring(pos, pos + n) + "', expected hex digits");
        }
    }

    private int nextTagStart(int from) {
        int i = from;
        while (true) {
            i = src.indexOf('{', i);
            if (i < 0 || i + 1 >= src.length()) {
                return -1;
            }
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i++;
        }
    }

    private void emitData(String text, int at) {
        if (!text.isEmpty()) {
            out.add(tok(Kind.DATA, text, at));
        }
    }

    private Token tok(Kind k, String text, int at) {
        int[] lc = lineCol(at);
        return new Token(k, text, lc[0], lc[1]);
    }

    private int[] lineCol(int at) {
        if (lineStarts == null) {
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < src.length(); i++) {
                if (src.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        int idx = java.util.Arrays.binarySearch(lineStarts, at);
        int line = idx >= 0 ? idx : -idx - 2;
        return new int[] {line + 1, at - lineStarts[line] + 1};
    }

    private ChatTemplateException error(int at, String msg) {
        int[] lc = lineCol(at);
        return new ChatTemplateException("template " + lc[0] + ":" + lc[1] + ": " + msg);
    }

    private static String rstrip(String s) {
        int e = s.length();
        while (e > 0 && Character.isWhitespace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(0, e);
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
