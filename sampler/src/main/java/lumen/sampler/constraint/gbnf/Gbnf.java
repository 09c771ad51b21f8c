package lumen.sampler.constraint.gbnf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.grammar.CharSet;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;

/**
 * Parses llama.cpp's GBNF ({@code grammars/README.md}): {@code name ::= alternatives}, string literals,
 * character classes ({@code [a-z]}, {@code [^"\\]}), {@code .}, groups, {@code * + ? {m} {m,} {m,n}},
 * {@code #} comments, and special tokens {@code <[id]>} / {@code <|name|>} (llama.cpp's token syntax, by id
 * or by the token's text), allowed only as those special tokens. The start rule is {@code root}. A rule
 * runs until the next {@code name ::=}.
 */
public final class Gbnf {
    private final String src;
    private int pos;
    private final List<String> specials = new ArrayList<>();

    private Gbnf(String src) {
        this.src = src;
    }

    public static Grammar parse(String text) {
        Gbnf p = new Gbnf(text);
        Map<String, Expr> rules = new LinkedHashMap<>();
        p.space();
        while (p.pos < text.length()) {
            int at = p.pos;
            String name = p.name();
            if (name.isEmpty()) throw p.error("expected a rule name");
            p.space();
            if (!text.startsWith("::=", p.pos)) throw p.error("expected '::=' after rule name '" + name + "'");
            p.pos += 3;
            p.space();
            Expr body = p.alternatives(false);
            if (rules.containsKey(name)) {
                p.pos = at;
                throw p.error("rule '" + name + "' is defined twice");
            }
            rules.put(name, body);
            p.space();
        }
        if (!rules.containsKey("root")) throw new ConstraintException("GBNF: no 'root' rule");
        return new Grammar(rules, "root", p.specials);
    }

    private ConstraintException error(String what) {
        return ConstraintException.at("GBNF", src, pos, what);
    }

    private void space() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (Character.isWhitespace(c)) pos++;
            else break;
        }
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    private String name() {
        int s = pos;
        while (pos < src.length() && isNameChar(src.charAt(pos))) pos++;
        return src.substring(s, pos);
    }

    /** True if the text at pos starts a new rule definition ({@code name ::=}). */
    private boolean atRuleStart() {
        int p = pos;
        while (p < src.length() && isNameChar(src.charAt(p))) p++;
        if (p == pos) return false;
        while (p < src.length() && Character.isWhitespace(src.charAt(p))) p++;
        return src.startsWith("::=", p);
    }

    private Expr alternatives(boolean nested) {
        List<Expr> alts = new ArrayList<>();
        alts.add(sequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            space();
            alts.add(sequence(nested));
        }
        return Expr.alt(alts);
    }

    private Expr sequence(boolean nested) {
        List<Expr> items = new ArrayList<>();
        while (true) {
            space();
            if (pos >= src.length()) break;
            char c = src.charAt(pos);
            if (c == '|' || c == ')') break;
            if (!nested && atRuleStart()) break;
            Expr atom = atom();
            items.add(repeat(atom));
        }
        return Expr.seq(items);
    }

    private Expr repeat(Expr atom) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '*') { pos++; atom = Expr.star(atom); }
            else if (c == '+') { pos++; atom = Expr.plus(atom); }
            else if (c == '?') { pos++; atom = Expr.opt(atom); }
            else if (c == '{') {
                pos++;
                space();
                int min = integer();
                int max = min;
                space();
                if (src.charAt(pos) == ',') {
                    pos++;
                    space();
                    max = pos < src.length() && Character.isDigit(src.charAt(pos)) ? integer() : -1;
                    space();
                }
                if (pos >= src.length() || src.charAt(pos) != '}') throw error("expected '}'");
                pos++;
                if (max >= 0 && max < min) throw error("repetition max < min");
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

    private Expr atom() {
        char c = src.charAt(pos);
        switch (c) {
            case '"' -> {
                pos++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (pos >= src.length()) throw error("unterminated string");
                    char d = src.charAt(pos);
                    if (d == '"') { pos++; break; }
                    sb.appendCodePoint(charOrEscape());
                }
                return Expr.literal(sb.toString());
            }
            case '[' -> {
                pos++;
                boolean negate = pos < src.length() && src.charAt(pos) == '^';
                if (negate) pos++;
                CharSet.Builder b = new CharSet.Builder();
                while (true) {
                    if (pos >= src.length()) throw error("unterminated character class");
                    if (src.charAt(pos) == ']') { pos++; break; }
                    int lo = charOrEscape();
                    int hi = lo;
                    if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                        pos++;
                        hi = charOrEscape();
                    }
                    if (hi < lo) throw error("character range out of order");
                    b.add(lo, hi);
                }
                CharSet s = b.build();
                return Expr.chars(negate ? s.negate() : s);
            }
            case '.' -> {
                pos++;
                return Expr.chars(CharSet.ANY);
            }
            case '<' -> {
                // a token (llama.cpp PR 17816, after llguidance): <[id]> or the token's text in angle brackets
                int end = pos + 1;
                while (end < src.length() && src.charAt(end) != '>' && src.charAt(end) != '<' && !Character.isWhitespace(src.charAt(end))) end++;
                if (end >= src.length() || src.charAt(end) != '>' || end == pos + 1) throw error("expected a token <name> or <[id]>");
                String name = src.substring(pos, end + 1);
                pos = end + 1;
                int i = specials.indexOf(name);
                if (i < 0) {
                    i = specials.size();
                    specials.add(name);
                }
                return Expr.literal(Grammar.specialToken(i));
            }
            case '!' -> throw error("negated tokens (!<...>) are not supported");
            case '(' -> {
                pos++;
                space();
                Expr e = alternatives(true);
                space();
                if (pos >= src.length() || src.charAt(pos) != ')') throw error("expected ')'");
                pos++;
                return e;
            }
            default -> {
                if (isNameChar(c)) return Expr.ref(name());
                throw error("unexpected '" + c + "'");
            }
        }
    }

    private int charOrEscape() {
        int c = src.codePointAt(pos);
        pos += Character.charCount(c);
        if (c != '\\') return c;
        if (pos >= src.length()) throw error("trailing backslash");
        char e = src.charAt(pos++);
        return switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '\\', '"', '[', ']', '-', '^' -> e;
            case 'x' -> hex(2);
            case 'u' -> hex(4);
            case 'U' -> hex(8);
            default -> throw error("unknown escape \\" + e);
        };
    }

    private int hex(int n) {
        if (pos + n > src.length()) throw error("expected " + n + " hex digits");
        try {
            int v = Integer.parseInt(src.substring(pos, pos + n), 16);
            pos += n;
            return v;
        } catch (NumberFormatException ex) {
            throw error("bad hex escape");
        }
    }
}
