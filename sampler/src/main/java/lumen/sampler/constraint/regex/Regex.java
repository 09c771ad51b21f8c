package lumen.sampler.constraint.regex;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.grammar.CharSet;
import lumen.sampler.constraint.grammar.Expr;

/**
 * Parses the regular subset of ECMAScript/PCRE regular expressions into an {@link Expr}: literals,
 * escapes ({@code \d \w \s \xHH \\uHHHH}), classes, {@code .}, groups (capturing, {@code (?:)}, named),
 * alternation, quantifiers ({@code * + ? {n} {n,} {n,m}}, lazy/possessive suffixes ignored) and
 * anchors {@code ^ $} at the ends of top-level alternatives. Look-around, back-references and
 * {@code \b} are not regular and are rejected with the column.
 */
public final class Regex {
    /** Lines end at these for {@code .} (ECMAScript line terminators). */
    private static final CharSet DOT = CharSet.ANY.minus(CharSet.ofChars("\n\r\u2028\u2029"));
    public static final CharSet DIGIT = CharSet.of('0', '9');
    public static final CharSet WORD = new CharSet.Builder().add('a', 'z').add('A', 'Z').add('0', '9').add('_', '_').build();
    public static final CharSet SPACE = CharSet.ofChars(" \t\n\r\f\u000B\u00A0\u2028\u2029\uFEFF");

    /** How the pattern is matched against the whole output. */
    public enum Mode {
        /** The whole output matches (anchors at the ends are allowed and change nothing). */
        FULL,
        /** The pattern may match anywhere inside (JSON Schema {@code pattern}): unanchored ends get {@code .*}. */
        SEARCH
    }

    private final String src;
    private final Function<CharSet, Expr> chars;
    private final boolean ignoreCase;
    private int pos;

    private Regex(String src, Function<CharSet, Expr> chars, boolean ignoreCase) {
        this.src = src;
        this.chars = chars;
        this.ignoreCase = ignoreCase;
    }

    /** Compiles {@code pattern}; each character set becomes {@code chars.apply(set)} (UTF-8 by default). */
    public static Expr compile(String pattern, Mode mode, Function<CharSet, Expr> chars, boolean ignoreCase) {
        Regex r = new Regex(pattern, chars, ignoreCase);
        List<Expr> branches = new ArrayList<>();
        while (true) {
            boolean start = r.eat('^');
            Expr body = r.sequence();
            boolean end = false;
            if (r.peek() == '$') {
                r.pos++;
                end = true;
            }
            if (mode == Mode.SEARCH) {
                Expr any = Expr.star(chars.apply(CharSet.ANY));
                List<Expr> items = new ArrayList<>();
                if (!start) items.add(any);
                items.add(body);
                if (!end) items.add(any);
                body = Expr.seq(items);
            }
            branches.add(body);
            if (r.pos >= pattern.length()) break;
            if (!r.eat('|')) throw r.error("unexpected '" + r.peekChar() + "'");
        }
        return Expr.alt(branches);
    }

    public static Expr compile(String pattern) {
        return compile(pattern, Mode.FULL, Expr::chars, false);
    }

    private ConstraintException error(String what) {
        return new ConstraintException("regex /" + src + "/ at column " + (pos + 1) + ": " + what);
    }

    private int peek() {
        return pos < src.length() ? src.charAt(pos) : -1;
    }

    private String peekChar() {
        return pos < src.length() ? String.valueOf(src.charAt(pos)) : "end";
    }

    private boolean eat(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Expr alternation() {
        List<Expr> alts = new ArrayList<>();
        alts.add(sequence());
        while (eat('|')) alts.add(sequence());
        return Expr.alt(alts);
    }

    private Expr sequence() {
        List<Expr> items = new ArrayList<>();
        while (pos < src.length()) {
            int c = peek();
            if (c == '|' || c == ')') break;
            if (c == '$') {
                if (pos + 1 == src.length() || src.charAt(pos + 1) == '|' ) break; // end anchor, handled by caller
                throw error("'$' is only supported at the end of the pattern");
            }
            if (c == '^') throw error("'^' is only supported at the start of the pattern");
            Expr atom = atom();
            items.add(quantified(atom));
        }
        return Expr.seq(items);
    }

    private Expr quantified(Expr atom) {
        while (true) {
            int c = peek();
            int min, max;
            if (c == '*') { pos++; min = 0; max = -1; }
            else if (c == '+') { pos++; min = 1; max = -1; }
            else if (c == '?') { pos++; min = 0; max = 1; }
            else if (c == '{' && isCounted()) {
                pos++;
                min = number();
                max = min;
                if (eat(',')) max = peek() == '}' ? -1 : number();
                if (!eat('}')) throw error("expected '}'");
                if (max >= 0 && max < min) throw error("repetition {" + min + "," + max + "} has max < min");
                if (Math.max(min, max) > 100_000) throw error("repetition count over 100000");
            } else return atom;
            if (peek() == '?' || peek() == '+') pos++; // lazy / possessive: same language
            atom = new Expr.Repeat(atom, min, max);
        }
    }

    private boolean isCounted() {
        int p = pos + 1, digits = 0;
        while (p < src.length() && Character.isDigit(src.charAt(p))) { p++; digits++; }
        if (digits == 0) return false;
        if (p < src.length() && src.charAt(p) == ',') {
            p++;
            while (p < src.length() && Character.isDigit(src.charAt(p))) p++;
        }
        return p < src.length() && src.charAt(p) == '}';
    }

    private int number() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (start == pos) throw error("expected a number");
        try {
            return Integer.parseInt(src.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("repetition count too large");
        }
    }

    private Expr set(CharSet s) {
        return chars.apply(ignoreCase ? s.caseInsensitive() : s);
    }

    private Expr atom() {
        int c = src.codePointAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                if (eat('?')) {
                    if (eat(':')) { /* non-capturing */ }
                    else if (peek() == '<' && pos + 1 < src.length() && src.charAt(pos + 1) != '=' && src.charAt(pos + 1) != '!') {
                        skipName();
                    } else if (peek() == 'P' && pos + 1 < src.length() && src.charAt(pos + 1) == '<') {
                        pos++;
                        skipName();
                    } else throw error("look-around and inline flags are not supported");
                }
                Expr e = alternation();
                if (!eat(')')) throw error("expected ')'");
                return e;
            }
            case '[' -> {
                return set(charClass());
            }
            case '.' -> {
                pos++;
                return set(DOT);
            }
            case '\\' -> {
                pos++;
                CharSet cls = escapeClass();
                if (cls != null) return set(cls);
                return set(CharSet.of(escapeChar()));
            }
            case '*', '+', '?' -> throw error("quantifier '" + (char) c + "' has nothing to repeat");
            default -> {
                pos += Character.charCount(c);
                return set(CharSet.of(c));
            }
        }
    }

    private void skipName() {
        pos++; // '<'
        while (pos < src.length() && src.charAt(pos) != '>') pos++;
        if (!eat('>')) throw error("unterminated group name");
    }

    /** After a backslash: a class escape, or null (position unchanged) for a single-character escape. */
    private CharSet escapeClass() {
        if (pos >= src.length()) throw error("trailing backslash");
        char e = src.charAt(pos);
        CharSet s = switch (e) {
            case 'd' -> DIGIT;
            case 'D' -> DIGIT.negate();
            case 'w' -> WORD;
            case 'W' -> WORD.negate();
            case 's' -> SPACE;
            case 'S' -> SPACE.negate();
            default -> null;
        };
        if (s != null) pos++;
        return s;
    }

    private int escapeChar() {
        char e = src.charAt(pos++);
        return switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case '0' -> 0;
            case 'x' -> hex(2);
            case 'u' -> {
                if (eat('{')) {
                    int start = pos;
                    while (pos < src.length() && src.charAt(pos) != '}') pos++;
                    int v = parseHex(src.substring(start, pos));
                    pos++;
                    yield v;
                }
                yield hex(4);
            }
            case 'b', 'B' -> throw error("word boundary \\" + e + " is not supported");
            case 'p', 'P' -> throw error("Unicode property \\" + e + " is not supported");
            default -> {
                if (Character.isDigit(e)) throw error("back-reference \\" + e + " is not supported");
                if (Character.isLetter(e)) throw error("unknown escape \\" + e);
                yield e;
            }
        };
    }

    private int hex(int n) {
        if (pos + n > src.length()) throw error("expected " + n + " hex digits");
        int v = parseHex(src.substring(pos, pos + n));
        pos += n;
        return v;
    }

    private int parseHex(String h) {
        try {
            return Integer.parseInt(h, 16);
        } catch (NumberFormatException ex) {
            throw error("bad hex escape '" + h + "'");
        }
    }

    private CharSet charClass() {
        pos++; // '['
        boolean negate = eat('^');
        CharSet.Builder b = new CharSet.Builder();
        boolean first = true;
        while (true) {
            if (pos >= src.length()) throw error("unterminated character class");
            int c = src.codePointAt(pos);
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            int lo;
            if (c == '\\') {
                pos++;
                CharSet cls = escapeClass();
                if (cls != null) {
                    b.addAll(cls);
                    continue;
                }
                lo = escapeCharInClass();
            } else {
                pos += Character.charCount(c);
                lo = c;
            }
            if (peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                pos++;
                int hi;
                int d = src.codePointAt(pos);
                if (d == '\\') {
                    pos++;
                    if (escapeClassAhead()) throw error("class escape cannot end a range");
                    hi = escapeCharInClass();
                } else {
                    pos += Character.charCount(d);
                    hi = d;
                }
                if (hi < lo) throw error("range out of order");
                b.add(lo, hi);
            } else {
                b.add(lo, lo);
            }
        }
        CharSet s = b.build();
        return negate ? s.negate() : s;
    }

    private boolean escapeClassAhead() {
        return pos < src.length() && "dDwWsS".indexOf(src.charAt(pos)) >= 0;
    }

    private int escapeCharInClass() {
        if (pos < src.length() && src.charAt(pos) == 'b') {
            pos++;
            return '\b';
        }
        return escapeChar();
    }
}
