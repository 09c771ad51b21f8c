package lumen.sampler.constraint.grammar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.ConstraintException;

/**
 * A context-free grammar over bytes: named rules whose bodies are {@link Expr}s (regular expressions
 * that may call rules). Every constraint front end produces one; {@link #compile()} turns it into the
 * {@link ByteParser} that all masks are computed from.
 */
public final class Grammar {
    private final Map<String, Expr> rules;
    private final String start;
    private final List<String> specialTokens;

    public Grammar(Map<String, Expr> rules, String start) {
        this(rules, start, List.of());
    }

    /**
     * A grammar whose rules may name special tokens: {@code specialTokens.get(i)} is written in the rules as
     * {@link #specialToken(int)}'s bytes (see {@link Builder#special}).
     */
    public Grammar(Map<String, Expr> rules, String start, List<String> specialTokens) {
        this.rules = new LinkedHashMap<>(rules);
        this.start = start;
        this.specialTokens = List.copyOf(specialTokens);
        if (!this.rules.containsKey(start)) throw new ConstraintException("grammar: start rule '" + start + "' is not defined");
    }

    /** Bytes 0xF8-0xFF never occur in UTF-8; grammars use them only to stand for special tokens. */
    public static final int RESERVED_BYTES_FROM = 0xF8;
    private static final int SPECIAL_DIGITS = 7;

    /**
     * The byte string that stands for the grammar's {@code index}-th special token: 0xFF, then the index
     * in 7 base-8 digits written as bytes 0xF8-0xFF. No UTF-8 text contains these bytes, so text never
     * matches it, and the matcher allows the special token exactly where the parser accepts it.
     */
    public static byte[] specialToken(int index) {
        if (index < 0 || index >= 1 << (3 * SPECIAL_DIGITS)) throw new ConstraintException("grammar: special token index " + index + " out of range");
        byte[] b = new byte[1 + SPECIAL_DIGITS];
        b[0] = (byte) 0xFF;
        for (int d = 0; d < SPECIAL_DIGITS; d++) b[SPECIAL_DIGITS - d] = (byte) (RESERVED_BYTES_FROM + (index >>> (3 * d) & 7));
        return b;
    }

    /** The special tokens the rules name, by their text (e.g. {@code <|tool_call_begin|>}). */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** A grammar of one rule. */
    public static Grammar of(Expr body) {
        return new Grammar(Map.of("start", body), "start");
    }

    public Map<String, Expr> rules() {
        return java.util.Collections.unmodifiableMap(rules);
    }

    public String start() {
        return start;
    }

    /** Checks every reference and left recursion, builds one DFA per rule. */
    public ByteParser compile() {
        return new ByteParser(RuleDfa.compileAll(rules, start), specialTokens);
    }

    /** Accumulates rules and hands out fresh names; used by the front ends. */
    public static final class Builder {
        private final Map<String, Expr> rules = new LinkedHashMap<>();
        private final List<String> specials = new java.util.ArrayList<>();
        private int counter;

        /** The special token whose text is {@code name} (e.g. {@code <|tool_call_begin|>}), as one symbol of a rule. */
        public Expr special(String name) {
            int i = specials.indexOf(name);
            if (i < 0) {
                i = specials.size();
                specials.add(name);
            }
            return Expr.literal(specialToken(i));
        }

        public String fresh(String prefix) {
            String name;
            do name = prefix + "#" + counter++; while (rules.containsKey(name));
            return name;
        }

        public Builder put(String name, Expr body) {
            rules.put(name, body);
            return this;
        }

        public boolean has(String name) {
            return rules.containsKey(name);
        }

        /** Adds {@code body} under a fresh name and returns a reference to it. */
        public Expr rule(String prefix, Expr body) {
            String n = fresh(prefix);
            rules.put(n, body);
            return Expr.ref(n);
        }

        public Grammar build(String start) {
            return new Grammar(rules, start, specials);
        }
    }
}
