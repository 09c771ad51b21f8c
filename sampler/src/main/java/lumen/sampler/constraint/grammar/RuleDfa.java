package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lumen.sampler.constraint.ConstraintException;

/**
 * All rules of a grammar, each determinised into a DFA over bytes plus "call rule X" edges.
 * Global state ids: rule r's state s is {@code offset[r] + s}; state 0 of a rule is its start.
 */
final class RuleDfa {
    private static final boolean DEBUG = Boolean.getBoolean("lumen.debugDfa");
    /** Rules with more DFA states are left unminimised. */
    static final int MINIMISE_MAX_STATES = 400;
    /** Most DFA states in one grammar (protects against subset-construction blow-up). */
    static final int MAX_STATES = 60_000;
    /** Most NFA-state visits while determinising one grammar (bounds compile time to well under a second). */
    static final long MAX_WORK = 30_000_000L;

    final String[] ruleNames;
    final int startRule;
    final int[] offset;     // [rules + 1]
    final int[] ruleOf;     // [states]
    final int[] next;       // [states * 256], -1 none (global ids)
    final int[][] callRule; // [states][k]
    final int[][] callTo;   // [states][k] global ids
    final boolean[] accept; // [states]
    final boolean[] scans;  // [states] has a byte edge
    /** TokenSlices.singleReads results by (level, slice state, state); filled lazily under the parser's lock. */
    final Map<Long, Boolean> sliceMemo = new HashMap<>();

    private RuleDfa(String[] names, int startRule, List<Local> dfas) {
        this.ruleNames = names;
        this.startRule = startRule;
        offset = new int[dfas.size() + 1];
        for (int r = 0; r < dfas.size(); r++) offset[r + 1] = offset[r] + dfas.get(r).accept.size();
        int n = offset[dfas.size()];
        ruleOf = new int[n];
        next = new int[n * 256];
        callRule = new int[n][];
        callTo = new int[n][];
        accept = new boolean[n];
        scans = new boolean[n];
        for (int r = 0; r < dfas.size(); r++) {
            Local d = dfas.get(r);
            for (int s = 0; s < d.accept.size(); s++) {
                int g = offset[r] + s;
                ruleOf[g] = r;
                accept[g] = d.accept.get(s);
                int[] row = d.next.get(s);
                for (int b = 0; b < 256; b++) {
                    next[g * 256 + b] = row[b] < 0 ? -1 : offset[r] + row[b];
                    if (row[b] >= 0) scans[g] = true;
                }
                int[][] c = d.calls.get(s);
                callRule[g] = c[0];
                callTo[g] = new int[c[1].length];
                for (int k = 0; k < c[1].length; k++) callTo[g][k] = offset[r] + c[1][k];
            }
        }
    }

    int states() {
        return ruleOf.length;
    }

    static RuleDfa compileAll(Map<String, Expr> rules, String start) {
        String[] names = rules.keySet().toArray(String[]::new);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) index.put(names[i], i);
        List<Local> dfas = new ArrayList<>();
        int total = 0;
        long[] work = {0};
        for (String name : names) {
            Nfa nfa = new Nfa(index, name);
            int begin = nfa.newState(), end = nfa.newState(); // the start is state 0
            nfa.build(rules.get(name), begin, end);
            Local d = minimise(nfa.determinise(end, MAX_STATES - total, name, work));
            total += d.accept.size();
            if (DEBUG) System.out.println("rule " + name + ": nfa " + nfa.eps.size() + " dfa " + d.accept.size());
            dfas.add(d);
        }
        RuleDfa g = new RuleDfa(names, index.get(start), dfas);
        g.checkLeftRecursion();
        return g;
    }

    /** Rejects rules that can call themselves before reading a byte (the parser's closure would not end). */
    private void checkLeftRecursion() {
        int nr = ruleNames.length;
        boolean[] nullable = new boolean[nr];
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int r = 0; r < nr; r++) {
                if (!nullable[r] && reachesAcceptWithoutBytes(r, nullable)) {
                    nullable[r] = true;
                    changed = true;
                }
            }
        }
        // left-call graph: r -> x if r can call x at a state reachable from its start without reading bytes
        List<List<Integer>> calls = new ArrayList<>();
        for (int r = 0; r < nr; r++) {
            List<Integer> out = new ArrayList<>();
            for (int s : statesWithoutBytes(r, nullable)) for (int x : callRule[s]) out.add(x);
            calls.add(out);
        }
        int[] color = new int[nr];
        for (int r = 0; r < nr; r++) if (color[r] == 0) dfsCycle(r, calls, color, new ArrayList<>());
    }

    private void dfsCycle(int r, List<List<Integer>> calls, int[] color, List<Integer> path) {
        color[r] = 1;
        path.add(r);
        for (int x : calls.get(r)) {
            if (color[x] == 1) {
                StringBuilder sb = new StringBuilder();
                for (int i = path.indexOf(x); i < path.size(); i++) sb.append(ruleNames[path.get(i)]).append(" -> ");
                throw new ConstraintException("grammar: left recursion is not supported: " + sb + ruleNames[x]
                        + " (rewrite it with repetition, e.g. a: b (op b)*)");
            }
            if (color[x] == 0) dfsCycle(x, calls, color, path);
        }
        path.removeLast();
        color[r] = 2;
    }

    private List<Integer> statesWithoutBytes(int r, boolean[] nullable) {
        List<Integer> seen = new ArrayList<>();
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        boolean[] mark = new boolean[offset[r + 1] - offset[r]];
        work.add(offset[r]);
        mark[0] = true;
        while (!work.isEmpty()) {
            int s = work.poll();
            seen.add(s);
            for (int k = 0; k < callRule[s].length; k++) {
                int t = callTo[s][k];
                if (nullable[callRule[s][k]] && !mark[t - offset[r]]) {
                    mark[t - offset[r]] = true;
                    work.add(t);
                }
            }
        }
        return seen;
    }

    private boolean reachesAcceptWithoutBytes(int r, boolean[] nullable) {
        for (int s : statesWithoutBytes(r, nullable)) if (accept[s]) return true;
        return false;
    }

    /**
     * Merges equivalent states (Moore's partition refinement; a call edge counts as a symbol), so that
     * e.g. "inside a string, before any character" and "after a character" are one parser state and
     * share one cached mask.
     */
    private static Local minimise(Local d) {
        int n = d.accept().size();
        if (n > MINIMISE_MAX_STATES) return d; // Moore's refinement is O(states * 256 * rounds): only small rules
        int[] cls = new int[n];
        for (int s = 0; s < n; s++) cls[s] = d.accept().get(s) ? 1 : 0;
        int classes = -1;
        while (true) {
            Map<IntArray, Integer> sig = new HashMap<>();
            int[] next = new int[n];
            for (int s = 0; s < n; s++) {
                int[] row = d.next().get(s);
                int[][] c = d.calls().get(s);
                int[] reps = d.reps();
                int nc = reps.length;
                int[] key = new int[1 + nc + 2 * c[0].length];
                key[0] = cls[s];
                for (int j = 0; j < nc; j++) key[1 + j] = row[reps[j]] < 0 ? -1 : cls[row[reps[j]]];
                for (int k = 0; k < c[0].length; k++) {
                    key[1 + nc + 2 * k] = c[0][k];
                    key[2 + nc + 2 * k] = cls[c[1][k]];
                }
                IntArray kl = new IntArray(key);
                Integer id = sig.get(kl);
                if (id == null) {
                    id = sig.size();
                    sig.put(kl, id);
                }
                next[s] = id;
            }
            cls = next;
            if (sig.size() == classes) break;
            classes = sig.size();
        }
        if (classes == n) return d;
        // renumber so that the start state's class is 0
        int[] renum = new int[classes];
        Arrays.fill(renum, -1);
        int k = 0;
        renum[cls[0]] = k++;
        for (int s = 0; s < n; s++) if (renum[cls[s]] < 0) renum[cls[s]] = k++;
        List<int[]> nx = new ArrayList<>();
        List<int[][]> calls = new ArrayList<>();
        List<Boolean> acc = new ArrayList<>();
        for (int c = 0; c < classes; c++) { nx.add(null); calls.add(null); acc.add(false); }
        for (int s = 0; s < n; s++) {
            int c = renum[cls[s]];
            if (nx.get(c) != null) continue;
            int[] row = d.next().get(s).clone();
            for (int b = 0; b < 256; b++) if (row[b] >= 0) row[b] = renum[cls[row[b]]];
            int[][] cs = d.calls().get(s);
            int[] to = cs[1].clone();
            for (int i = 0; i < to.length; i++) to[i] = renum[cls[to[i]]];
            nx.set(c, row);
            calls.set(c, new int[][] {cs[0], to});
            acc.set(c, d.accept().get(s));
        }
        return new Local(nx, calls, acc, d.reps());
    }

    /** An int[] with value equality, for hash keys. */
    private record IntArray(int[] a) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IntArray x && Arrays.equals(a, x.a);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(a);
        }
    }

    /** One rule's DFA with local state ids; {@code reps} holds one byte per byte class (bytes every state treats alike). */
    private record Local(List<int[]> next, List<int[][]> calls, List<Boolean> accept, int[] reps) {}

    /** Thompson NFA of one rule body. */
    private static final class Nfa {
        final Map<String, Integer> index;
        final String rule;
        final List<List<Integer>> eps = new ArrayList<>();
        final List<List<long[]>> byteSets = new ArrayList<>();
        final List<List<Integer>> byteTo = new ArrayList<>();
        final List<List<int[]>> calls = new ArrayList<>(); // {rule, to}

        Nfa(Map<String, Integer> index, String rule) {
            this.index = index;
            this.rule = rule;
        }

        int newState() {
            eps.add(new ArrayList<>());
            byteSets.add(new ArrayList<>());
            byteTo.add(new ArrayList<>());
            calls.add(new ArrayList<>());
            if (eps.size() > 4 * MAX_STATES) {
                throw new ConstraintException("grammar: rule '" + rule + "' is too large (over " + 4 * MAX_STATES + " automaton states)");
            }
            return eps.size() - 1;
        }

        /**
         * Adds the automaton of {@code e} between {@code from} and {@code to}. The last byte of every
         * alternative leads straight to the shared {@code to} (no end state per branch), so alternatives
         * that end alike meet in one automaton state and determinise to one state.
         */
        void build(Expr e, int from, int to) {
            switch (e) {
                case Expr.Bytes b -> {
                    if (!b.isEmpty()) {
                        byteSets.get(from).add(b.bits());
                        byteTo.get(from).add(to);
                    }
                }
                case Expr.Seq s -> {
                    List<Expr> items = s.items();
                    if (items.isEmpty()) {
                        eps.get(from).add(to);
                        return;
                    }
                    int cur = from;
                    for (int i = 0; i < items.size() - 1; i++) {
                        int mid = newState();
                        build(items.get(i), cur, mid);
                        cur = mid;
                    }
                    build(items.getLast(), cur, to);
                }
                case Expr.Alt a -> {
                    // branches only add edges out of from and into to (loops get fresh states), so they may share both
                    for (Expr item : a.items()) build(item, from, to);
                }
                case Expr.Repeat r -> {
                    int cur = from;
                    if (r.max() < 0) {
                        for (int i = 0; i < r.min(); i++) {
                            int mid = newState();
                            build(r.body(), cur, mid);
                            cur = mid;
                        }
                        int loop = newState();
                        eps.get(cur).add(loop);
                        build(r.body(), loop, loop);
                        eps.get(loop).add(to);
                        return;
                    }
                    if (r.max() == 0) {
                        eps.get(from).add(to);
                        return;
                    }
                    for (int i = 0; i < r.max(); i++) {
                        if (i >= r.min()) eps.get(cur).add(to);
                        if (i == r.max() - 1) {
                            build(r.body(), cur, to);
                        } else {
                            int mid = newState();
                            build(r.body(), cur, mid);
                            cur = mid;
                        }
                    }
                }
                case Expr.Ref ref -> {
                    Integer x = index.get(ref.rule());
                    if (x == null) throw new ConstraintException("grammar: rule '" + rule + "' refers to undefined rule '" + ref.rule() + "'");
                    calls.get(from).add(new int[] {x, to});
                }
            }
        }

        private int[] markArr = new int[0];
        private int markEpoch;
        private int[] stackArr = new int[0];

        private int[] closure(int[] seeds) {
            if (markArr.length < eps.size()) {
                markArr = new int[eps.size()];
                stackArr = new int[eps.size()];
                markEpoch = 0;
            }
            int ep = ++markEpoch;
            int sp = 0, n = 0;
            int[] outBuf = new int[Math.max(8, seeds.length * 2)];
            for (int s : seeds) if (markArr[s] != ep) { markArr[s] = ep; stackArr[sp++] = s; }
            work[0] += seeds.length;
            while (sp > 0) {
                int s = stackArr[--sp];
                if (++work[0] > MAX_WORK) throw new ConstraintException("grammar: rule '" + rule + "' is too large to compile (automaton construction over " + MAX_WORK + " steps)");
                if (n == outBuf.length) outBuf = Arrays.copyOf(outBuf, n * 2);
                outBuf[n++] = s;
                for (int t : eps.get(s)) if (markArr[t] != ep) { markArr[t] = ep; stackArr[sp++] = t; }
            }
            int[] r = Arrays.copyOf(outBuf, n);
            Arrays.sort(r);
            return r;
        }

        private long[] work = {0};

        Local determinise(int end, int budget, String name, long[] work) {
            this.work = work;
            Map<IntArray, Integer> ids = new HashMap<>();
            List<int[]> sets = new ArrayList<>();
            List<int[]> next = new ArrayList<>();
            List<int[][]> callsOut = new ArrayList<>();
            List<Boolean> accept = new ArrayList<>();
            int[] first = closure(new int[] {0});
            ids.put(new IntArray(first), 0);
            sets.add(first);
            // byte classes: bytes that every byte set of the rule contains or leaves out alike
            int[] classOf = new int[256];
            int classes = 1;
            int[] split = new int[512]; // (old class, in set) -> new class
            java.util.Set<IntArray> seenSets = new java.util.HashSet<>();
            for (List<long[]> stateSets : byteSets) {
                for (long[] bits : stateSets) {
                    if (!seenSets.add(new IntArray(new int[] {(int) bits[0], (int) (bits[0] >>> 32), (int) bits[1], (int) (bits[1] >>> 32),
                            (int) bits[2], (int) (bits[2] >>> 32), (int) bits[3], (int) (bits[3] >>> 32)}))) continue;
                    Arrays.fill(split, 0, 2 * classes, -1);
                    int fresh = 0;
                    for (int b = 0; b < 256; b++) {
                        int key = classOf[b] << 1 | (int) (bits[b >>> 6] >>> (b & 63) & 1);
                        if (split[key] < 0) split[key] = fresh++;
                        classOf[b] = split[key];
                    }
                    classes = fresh;
                }
            }
            int[] reps = new int[classes];
            Arrays.fill(reps, -1);
            int[][] members = new int[classes][];
            int[] memberCount = new int[classes];
            for (int b = 0; b < 256; b++) {
                if (reps[classOf[b]] < 0) reps[classOf[b]] = b;
                memberCount[classOf[b]]++;
            }
            for (int c = 0; c < classes; c++) members[c] = new int[memberCount[c]];
            Arrays.fill(memberCount, 0);
            for (int b = 0; b < 256; b++) members[classOf[b]][memberCount[classOf[b]]++] = b;
            int[][] perClass = new int[classes][];
            int[] perClassLen = new int[classes];
            for (int i = 0; i < sets.size(); i++) {
                if (sets.size() > budget) {
                    throw new ConstraintException("grammar: rule '" + name + "' needs more than " + MAX_STATES + " automaton states");
                }
                int[] set = sets.get(i);
                boolean acc = false;
                int[] row = new int[256];
                Arrays.fill(row, -1);
                Arrays.fill(perClassLen, 0);
                for (int s : set) {
                    List<long[]> bs = byteSets.get(s);
                    for (int k = 0; k < bs.size(); k++) {
                        long[] bits = bs.get(k);
                        int to = byteTo.get(s).get(k);
                        for (int c = 0; c < classes; c++) {
                            int b = reps[c];
                            if ((bits[b >>> 6] >>> (b & 63) & 1) == 0) continue;
                            if (perClass[c] == null) perClass[c] = new int[4];
                            if (perClassLen[c] == perClass[c].length) perClass[c] = Arrays.copyOf(perClass[c], perClassLen[c] * 2);
                            perClass[c][perClassLen[c]++] = to;
                        }
                    }
                }
                Map<IntArray, Integer> local = new HashMap<>();
                for (int c = 0; c < classes; c++) {
                    int n = perClassLen[c];
                    if (n == 0) continue;
                    int[] seeds = Arrays.copyOf(perClass[c], n);
                    Arrays.sort(seeds);
                    IntArray sk = new IntArray(seeds);
                    Integer id = local.get(sk);
                    if (id == null) {
                        id = intern(closure(seeds), ids, sets);
                        local.put(sk, id);
                    }
                    for (int b : members[c]) row[b] = id;
                }
                TreeMap<Integer, List<Integer>> byRule = new TreeMap<>();
                for (int s : set) {
                    if (s == end) acc = true;
                    for (int[] c : calls.get(s)) byRule.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c[1]);
                }
                int[] cr = new int[byRule.size()], ct = new int[byRule.size()];
                int k = 0;
                for (var e : byRule.entrySet()) {
                    cr[k] = e.getKey();
                    ct[k++] = intern(closure(e.getValue().stream().mapToInt(Integer::intValue).toArray()), ids, sets);
                }
                next.add(row);
                callsOut.add(new int[][] {cr, ct});
                accept.add(acc);
            }
            return new Local(next, callsOut, accept, reps);
        }

        private static int intern(int[] set, Map<IntArray, Integer> ids, List<int[]> sets) {
            IntArray k = new IntArray(set);
            Integer id = ids.get(k);
            if (id == null) {
                id = sets.size();
                ids.put(k, id);
                sets.add(set);
            }
            return id;
        }


    }
}
