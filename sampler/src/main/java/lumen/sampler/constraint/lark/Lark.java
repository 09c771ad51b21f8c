package lumen.sampler.constraint.lark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.grammar.CharSet;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.json.Json;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import lumen.sampler.constraint.regex.Regex;

/**
 * Parses Lark grammars as OpenAI custom tools and llguidance use them: rules {@code name: a b | c},
 * terminals {@code NAME: "lit" | /regex/i}, {@code "a".."z"}, groups, {@code [optional]},
 * {@code ? * +}, {@code item ~ n} and {@code item ~ n..m}, {@code %ignore}, {@code %import common.X},
 * llguidance's {@code %json {schema}}, {@code //} comments, {@code ?rule}/{@code !rule} and
 * {@code -> alias} (ignored), and llguidance's special tokens {@code <|name|>} / {@code <name>} (by the
 * token's text) and {@code <[id]>}, allowed only as those special tokens. The start rule is {@code start}.
 *
 * <p>Terminals are inlined as regular sub-grammars, so the accepted language is the concatenation
 * language of the terminals: Lark's longest-match lexing is not modelled (outputs a lexer would split
 * differently are still accepted).
 */
public final class Lark {
    private static final Map<String, String> COMMON = Map.ofEntries(
            Map.entry("DIGIT", "[0-9]"), Map.entry("HEXDIGIT", "[a-fA-F0-9]"), Map.entry("INT", "[0-9]+"),
            Map.entry("SIGNED_INT", "[+-]?[0-9]+"), Map.entry("DECIMAL", "[0-9]+\\.[0-9]*|\\.[0-9]+"),
            Map.entry("_EXP", "[eE][+-]?[0-9]+"), Map.entry("FLOAT", "[0-9]+[eE][+-]?[0-9]+|(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
            Map.entry("NUMBER", "[0-9]+(?:[eE][+-]?[0-9]+)?|(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
            Map.entry("SIGNED_FLOAT", "[+-]?(?:[0-9]+[eE][+-]?[0-9]+|(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"),
            Map.entry("SIGNED_NUMBER", "[+-]?(?:[0-9]+(?:[eE][+-]?[0-9]+)?|(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"),
            Map.entry("ESCAPED_STRING", "\"(?:[^\"\\\\\\n]|\\\\.)*\""), Map.entry("LCASE_LETTER", "[a-z]"),
            Map.entry("UCASE_LETTER", "[A-Z]"), Map.entry("LETTER", "[a-zA-Z]"), Map.entry("WORD", "[a-zA-Z]+"),
            Map.entry("CNAME", "[a-zA-Z_][a-zA-Z0-9_]*"), Map.entry("WS_INLINE", "[ \\t]+"), Map.entry("WS", "[ \\t\\f\\r\\n]+"),
            Map.entry("CR", "\\r"), Map.entry("LF", "\\n"), Map.entry("NEWLINE", "(?:\\r?\\n)+"));

    private final String src;
    private int pos;
    private final Grammar.Builder out = new Grammar.Builder();
    private final List<String> ignores = new ArrayList<>();
    private final Map<String, Boolean> isTerminal = new LinkedHashMap<>();
    private boolean inRule; // parsing a lowercase rule (terminals get %ignore in front)

    private Lark(String src) {
        this.src = src;
    }

    public static Grammar parse(String text) {
        Lark l = new Lark(text);
        l.hasIgnore = java.util.regex.Pattern.compile("(?m)^[ \\t]*%ignore\\b").matcher(text).find();
        return l.run();
    }

    private boolean hasIgnore;

    private Grammar run() {
        Map<String, Expr> bodies = new LinkedHashMap<>();
        space();
        while (pos < src.length()) {
            if (src.charAt(pos) == '%') {
                directive();
            } else {
                int at = pos;
                if (src.charAt(pos) == '?' || src.charAt(pos) == '!') pos++;
                String name = name();
                if (name.isEmpty()) throw error("expected a rule or terminal name");
                if (pos < src.length() && src.charAt(pos) == '.') { // priority
                    pos++;
                    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '-')) pos++;
                }
                inlineSpace();
                if (pos < src.length() && src.charAt(pos) == '{') throw error("templates (rule{params}) are not supported");
                if (pos >= src.length() || src.charAt(pos) != ':') throw error("expected ':' after '" + name + "'");
                pos++;
                boolean terminal = isUpper(name);
                inRule = !terminal;
                Expr body = alternatives(false);
                if (bodies.containsKey(name)) {
                    pos = at;
                    throw error("'" + name + "' is defined twice");
                }
                bodies.put(name, body);
                isTerminal.put(name, terminal);
            }
            space();
        }
        if (!bodies.containsKey("start")) throw new ConstraintException("Lark: no 'start' rule");
        for (var e : bodies.entrySet()) out.put(e.getKey(), e.getValue());
        Expr ign = ignoreExpr();
        out.put("%start", ign == Expr.EMPTY ? Expr.ref("start") : Expr.seq(ign, Expr.ref("start"), ign));
        return out.build("%start");
    }

    private Expr ignoreExpr() {
        if (!hasIgnore) return Expr.EMPTY;
        if (!out.has("%ignore")) {
            List<Expr> alts = new ArrayList<>();
            for (String i : ignores) alts.add(Expr.ref(i));
            out.put("%ignore", Expr.star(Expr.alt(alts)));
        }
        return Expr.ref("%ignore");
    }

    private static boolean isUpper(String name) {
        String n = name.startsWith("_") ? name.substring(1) : name;
        return !n.isEmpty() && n.equals(n.toUpperCase()) && Character.isLetter(n.replace("_", "").isEmpty() ? 'a' : n.replace("_", "").charAt(0));
    }

    private void directive() {
        inRule = false;
        int at = pos;
        pos++;
        String d = name();
        inlineSpace();
        switch (d) {
            case "ignore" -> {
                int s = pos;
                Expr e = alternatives(false);
                if (e instanceof Expr.Ref r) ignores.add(r.rule());
                else {
                    String n = "%ignore" + ignores.size();
                    out.put(n, e);
                    ignores.add(n);
                }
                if (pos == s) throw error("%ignore needs a terminal");
            }
            case "import" -> {
                int s = pos;
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
                String line = src.substring(s, pos).replaceAll("//.*", "").trim();
                String alias = null;
                int arrow = line.indexOf("->");
                if (arrow >= 0) {
                    alias = line.substring(arrow + 2).trim();
                    line = line.substring(0, arrow).trim();
                }
                List<String> names = new ArrayList<>();
                String module;
                if (line.contains("(")) {
                    module = line.substring(0, line.indexOf('(')).trim();
                    for (String n : line.substring(line.indexOf('(') + 1, line.indexOf(')')).split(",")) names.add(n.trim());
                } else {
                    module = line.substring(0, line.lastIndexOf('.'));
                    names.add(line.substring(line.lastIndexOf('.') + 1));
                }
                if (!module.equals("common")) {
                    pos = at;
                    throw error("only '%import common.NAME' is supported, found module '" + module + "'");
                }
                for (String n : names) {
                    String re = COMMON.get(n);
                    if (re == null) {
                        pos = at;
                        throw error("unknown terminal common." + n);
                    }
                    String as = alias != null && names.size() == 1 ? alias : n;
                    out.put(as, Regex.compile(re));
                    isTerminal.put(as, true);
                }
            }
            case "declare" -> {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            }
            default -> {
                pos = at;
                throw error("directive %" + d + " is not supported");
            }
        }
    }

    private ConstraintException error(String what) {
        return ConstraintException.at("Lark", src, pos, what);
    }

    private void space() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (Character.isWhitespace(c)) pos++;
            else break;
        }
    }

    /** Spaces and comments on the current line; a newline continues only if the next line starts with '|' or the item is nested. */
    private void inlineSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') pos++;
            else break;
        }
    }

    /** After a newline: does the definition continue (next non-blank line starts with '|')? */
    private boolean continuation() {
        int save = pos;
        space();
        if (pos < src.length() && src.charAt(pos) == '|') return true;
        pos = save;
        return false;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private String name() {
        int s = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
        return src.substring(s, pos);
    }

    private void skip(boolean nested) {
        if (nested) space();
        else {
            inlineSpace();
            if (pos < src.length() && src.charAt(pos) == '\n') continuation();
        }
    }

    private Expr alternatives(boolean nested) {
        List<Expr> alts = new ArrayList<>();
        skip(nested);
        alts.add(sequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            skip(nested);
            alts.add(sequence(nested));
        }
        return Expr.alt(alts);
    }

    private Expr sequence(boolean nested) {
        List<Expr> items = new ArrayList<>();
        while (true) {
            skip(nested);
            if (pos >= src.length()) break;
            char c = src.charAt(pos);
            if (c == '|' || c == ')' || c == ']' || c == '\n') break;
            if (c == '-' && src.startsWith("->", pos)) { // alias
                pos += 2;
                inlineSpace();
                name();
                continue;
            }
            items.add(repeat(atom()));
        }
        return Expr.seq(items);
    }

    private Expr repeat(Expr atom) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '*') { pos++; atom = Expr.star(atom); }
            else if (c == '+') { pos++; atom = Expr.plus(atom); }
            else if (c == '?') { pos++; atom = Expr.opt(atom); }
            else if (c == ' ' || c == '\t') {
                int save = pos;
                inlineSpace();
                if (pos < src.length() && src.charAt(pos) == '~') continue;
                pos = save;
                break;
            } else if (c == '~') {
                pos++;
                inlineSpace();
                int min = integer(), max = min;
                if (src.startsWith("..", pos)) {
                    pos += 2;
                    max = integer();
                }
                if (max < min) throw error("repetition max < min");
                atom = new Expr.Repeat(atom, min, max);
            } else break;
        }
        return atom;
    }

    private int integer() {
        int s = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (s == pos) throw error("expected a number");
        return Integer.parseInt(src.substring(s, pos));
    }

    private Expr terminalItem(Expr e) {
        if (!inRule || !hasIgnore) return e;
        return Expr.seq(Expr.ref("%ignore"), e);
    }

    private Expr atom() {
        char c = src.charAt(pos);
        switch (c) {
            case '"' -> {
                String s = string();
                boolean ci = pos < src.length() && src.charAt(pos) == 'i' && (pos + 1 >= src.length() || !isNameStart(src.charAt(pos + 1)));
                if (ci) pos++;
                if (src.startsWith("..", pos)) {
                    pos += 2;
                    if (pos >= src.length() || src.charAt(pos) != '"') throw error("expected a string after '..'");
                    String t = string();
                    if (s.codePointCount(0, s.length()) != 1 || t.codePointCount(0, t.length()) != 1) throw error("range ends must be single characters");
                    return terminalItem(Expr.chars(CharSet.of(s.codePointAt(0), t.codePointAt(0))));
                }
                if (ci) {
                    List<Expr> items = new ArrayList<>();
                    s.codePoints().forEach(cp -> items.add(Expr.chars(CharSet.of(cp).caseInsensitive())));
                    return terminalItem(Expr.seq(items));
                }
                return terminalItem(Expr.literal(s));
            }
            case '/' -> {
                pos++;
                StringBuilder re = new StringBuilder();
                while (true) {
                    if (pos >= src.length() || src.charAt(pos) == '\n') throw error("unterminated regex");
                    char d = src.charAt(pos++);
                    if (d == '/') break;
                    if (d == '\\' && pos < src.length() && src.charAt(pos) == '/') {
                        re.append('/');
                        pos++;
                        continue;
                    }
                    re.append(d);
                    if (d == '\\' && pos < src.length()) re.append(src.charAt(pos++));
                }
                boolean ci = false;
                while (pos < src.length() && "imslux".indexOf(src.charAt(pos)) >= 0) {
                    if (src.charAt(pos) == 'i') ci = true;
                    pos++;
                }
                return terminalItem(Regex.compile(re.toString(), Regex.Mode.FULL, Expr::chars, ci));
            }
            case '(' -> {
                pos++;
                Expr e = alternatives(true);
                space();
                if (pos >= src.length() || src.charAt(pos) != ')') throw error("expected ')'");
                pos++;
                return e;
            }
            case '[' -> {
                pos++;
                Expr e = alternatives(true);
                space();
                if (pos >= src.length() || src.charAt(pos) != ']') throw error("expected ']'");
                pos++;
                return Expr.opt(e);
            }
            case '%' -> {
                if (src.startsWith("%json", pos)) {
                    pos += 5;
                    space();
                    int s = pos, depth = 0;
                    boolean inStr = false;
                    do {
                        if (pos >= src.length()) throw error("unterminated %json schema");
                        char d = src.charAt(pos++);
                        if (inStr) {
                            if (d == '\\') pos++;
                            else if (d == '"') inStr = false;
                        } else if (d == '"') inStr = true;
                        else if (d == '{') depth++;
                        else if (d == '}') depth--;
                    } while (depth > 0);
                    Object schema = Json.parse(src.substring(s, pos), "Lark %json schema");
                    return terminalItem(JsonSchemaCompiler.into(out, schema, JsonSchemaCompiler.Options.lenientCompact()));
                }
                throw error("unexpected '%'");
            }
            case '<' -> {
                // llguidance's special tokens: <|name|>, <name> (the token's text) or <[id]>
                int end = pos + 1;
                while (end < src.length() && src.charAt(end) != '>' && src.charAt(end) != '<' && !Character.isWhitespace(src.charAt(end))) end++;
                if (end >= src.length() || src.charAt(end) != '>' || end == pos + 1) throw error("expected a special token <name> or <[id]>");
                String name = src.substring(pos, end + 1);
                pos = end + 1;
                return terminalItem(out.special(name));
            }
            default -> {
                if (!isNameStart(c)) throw error("unexpected '" + c + "'");
                String n = name();
                Expr ref = Expr.ref(n);
                return isUpper(n) ? terminalItem(ref) : ref;
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') throw error("unterminated string");
            char d = src.charAt(pos++);
            if (d == '"') return sb.toString();
            if (d != '\\') {
                sb.append(d);
                continue;
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'x' -> { sb.append((char) Integer.parseInt(src.substring(pos, pos + 2), 16)); pos += 2; }
                case 'u' -> { sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16)); pos += 4; }
                default -> sb.append('\\').append(e);
            }
        }
    }
}
