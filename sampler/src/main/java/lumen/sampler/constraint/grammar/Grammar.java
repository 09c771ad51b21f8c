package lumen.sampler.constraint.grammar;

import java.util.LinkedHashMap;
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

    public Grammar(Map<String, Expr> rules, String start) {
        this.rules = new LinkedHashMap<>(rules);
        this.start = start;
        if (!this.rules.containsKey(start)) throw new ConstraintException("grammar: start rule '" + start + "' is not defined");
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
        return new ByteParser(RuleDfa.compileAll(rules, start));
    }

    /** Accumulates rules and hands out fresh names; used by the front ends. */
    public static final class Builder {
        private final Map<String, Expr> rules = new LinkedHashMap<>();
        private int counter;

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
            return new Grammar(rules, start);
        }
    }
}
