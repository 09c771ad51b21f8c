package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import lumen.sampler.constraint.TokenVocabulary;

/**
 * The vocabulary split once into nested "slices" of plain text tokens, as llguidance's token slicer
 * does: tokens made of 1–10, 1–30 or any number of characters that JSON strings take raw (every
 * Unicode scalar value except {@code "}, {@code \} and U+0000–U+001F), in whole UTF-8 characters.
 *
 * <p>When a parser state provably accepts <em>every</em> string of a slice's language (a search over
 * the slice's small automaton and the grammar's rule automata, see {@link #stateLevel}), all tokens of
 * that slice are allowed at once (a bitset OR) and only the trie of the remaining tokens is walked.
 * With Qwen3's vocabulary the trie outside the widest slice has 11,943 of 333,098 nodes, so a mask
 * inside a JSON string walks a few thousand nodes instead of nearly all of them. The result is exact:
 * the check is a proof over the whole slice language (where it fails the whole trie is walked), and
 * the other tokens are walked as before.
 */
final class TokenSlices {
    private static final Map<TokenVocabulary, TokenSlices> CACHE = new WeakHashMap<>();
    /** Characters per token bound of each slice level (cumulative), -1 for no bound; llguidance's defaults. */
    private static final int[] MAX_CHARS = {10, 30, -1};
    private static final Lang[] LANGS = new Lang[MAX_CHARS.length];

    static {
        CharSet raw = CharSet.ANY.minus(CharSet.of(0, 0x1F)).minus(CharSet.ofChars("\"\\"));
        for (int k = 0; k < MAX_CHARS.length; k++) {
            Expr one = Expr.chars(raw);
            LANGS[k] = Lang.of(Grammar.of(new Expr.Repeat(one, 1, MAX_CHARS[k])).compile());
        }
    }

    /** [levels] tokens of the slice (cumulative: level k holds the tokens of levels 0..k), as words. */
    final long[][] words;
    /** [levels] trie of the tokens outside the slice of that level. */
    final TokenTrie[] rest;

    private TokenSlices(long[][] words, TokenTrie[] rest) {
        this.words = words;
        this.rest = rest;
    }

    static TokenSlices of(TokenVocabulary vocab) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(vocab, TokenSlices::build);
        }
    }

    static int levels() {
        return MAX_CHARS.length;
    }

    private static TokenSlices build(TokenVocabulary vocab) {
        int n = vocab.size();
        long[][] words = new long[LANGS.length][(n + 63) >>> 6];
        TokenTrie[] rest = new TokenTrie[LANGS.length];
        byte[][] tb = vocab.tokenBytes();
        for (int k = 0; k < LANGS.length; k++) {
            BitSet in = new BitSet(n);
            for (int id = 0; id < n; id++) {
                if (tb[id] == null || tb[id].length == 0 || vocab.special().get(id) || vocab.endOfGeneration().get(id)) continue;
                if (LANGS[k].matches(tb[id])) {
                    in.set(id);
                    words[k][id >>> 6] |= 1L << id;
                }
            }
            rest[k] = TokenTrie.build(vocab, id -> !in.get(id));
        }
        return new TokenSlices(words, rest);
    }

    /**
     * The highest slice level whose every string {@code parser} accepts from {@code state}, or -1 when
     * none is proven (then the whole trie is walked, which is exact too). Cached per parser state, see
     * {@link ByteParser#sliceLevel}. Caller holds the parser's lock.
     */
    static int level(ByteParser parser, int state) {
        return parser.sliceLevel(state);
    }

    /**
     * The highest level whose every string the parser reads from a state with these frames (rule-DFA
     * states), or -1 when none is proven. The proof follows one path per string: at each byte some frame
     * of the current set takes it by a byte edge, and the set after it is that frame's new state plus
     * the rule starts it calls ({@link #closeCalls}); returns are never taken. Such a path is a real path
     * of the parser, so the state after any string of the slice is not dead. The search is over (slice
     * state, rule-DFA state) pairs, memoised per grammar ({@link RuleDfa#sliceMemo}), so a string with
     * maxLength, a counted pattern or an object's key automaton is searched once, not at every position.
     */
    static int stateLevel(RuleDfa dfa, int[] frames) {
        for (int k = LANGS.length - 1; k >= 0; k--) {
            Search search = new Search(dfa, k);
            boolean ok = search.forAllBytes(0, frames);
            search.finish(ok);
            if (ok) return k;
        }
        return -1;
    }

    /** One proof search for one level. "Not proven" is always safe (the caller then walks more of the trie). */
    private static final class Search {
        /** Deeper paths are not followed (a long bounded string under the unbounded level): not proven. */
        private static final int MAX_DEPTH = 256;
        private final RuleDfa dfa;
        private final int k;
        private final Lang lang;
        // proven pairs of this search, in the order proven: a pair proven while others were in progress
        // rests on them (assumed proven, as for a loop), so when a pair fails, every pair proven since
        // it was entered is taken back; what remains when the search succeeds is kept. Failures never
        // rest on assumptions and are kept at once.
        private final Map<Long, Boolean> tentative = new java.util.HashMap<>();
        private final List<Long> provenLog = new ArrayList<>();
        private final java.util.Set<Long> inProgress = new java.util.HashSet<>();
        private int depth, work;

        Search(RuleDfa dfa, int k) {
            this.dfa = dfa;
            this.k = k;
            this.lang = LANGS[k];
        }

        /** Every byte the slice language allows at {@code q} is taken by some frame, and its continuation is proven. */
        boolean forAllBytes(int q, int[] frames) {
            int[] bytes = lang.bytes[q], to = lang.to[q];
            int prevB = -1;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i];
                // runs of bytes that move every frame alike (most of ASCII inside a string) are decided once
                if (prevB >= 0 && to[i] == to[i - 1] && sameMoves(dfa, frames, prevB, b)) continue;
                prevB = b;
                boolean found = false;
                for (int f : frames) {
                    int t = dfa.next[f * 256 + b];
                    if (t >= 0 && proven(to[i], t)) {
                        found = true;
                        break;
                    }
                }
                if (!found) return false;
            }
            return true;
        }

        private boolean proven(int q, int t) {
            long key = (long) k << 56 | (long) q << 32 | t;
            Boolean known = dfa.sliceMemo.get(key);
            if (known == null) known = tentative.get(key);
            if (known != null) return known;
            if (inProgress.contains(key)) return true;
            if (depth >= MAX_DEPTH || ++work > MAX_WORK) return false;
            int[] frames = closeCalls(dfa, new int[] {t}, 1);
            boolean scans = false;
            for (int f : frames) scans |= dfa.scans[f];
            boolean r = false;
            int mark = provenLog.size();
            if (scans) {
                inProgress.add(key);
                depth++;
                r = forAllBytes(q, frames);
                depth--;
                inProgress.remove(key);
            }
            if (r) {
                tentative.put(key, true);
                provenLog.add(key);
            } else {
                while (provenLog.size() > mark) tentative.remove(provenLog.removeLast());
                dfa.sliceMemo.put(key, false);
            }
            return r;
        }

        void finish(boolean ok) {
            if (ok) dfa.sliceMemo.putAll(tentative);
        }
    }

    /** Pairs one search may evaluate before giving up (bounds the cost of a check on a pathological automaton). */
    private static final int MAX_WORK = 5_000;

    private static boolean sameMoves(RuleDfa dfa, int[] set, int a, int b) {
        for (int g : set) if (dfa.next[g * 256 + a] != dfa.next[g * 256 + b]) return false;
        return true;
    }

    /** The rule-DFA states {@code from[0..n)} and every rule start they reach by calls, sorted and distinct. */
    private static int[] closeCalls(RuleDfa dfa, int[] from, int n) {
        int[] out = Arrays.copyOf(from, Math.max(n, 4));
        int size = n;
        for (int i = 0; i < size; i++) {
            for (int r : dfa.callRule[out[i]]) {
                int start = dfa.offset[r];
                boolean have = false;
                for (int j = 0; j < size && !have; j++) have = out[j] == start;
                if (have) continue;
                if (size == out.length) out = Arrays.copyOf(out, size * 2);
                out[size++] = start;
            }
        }
        out = Arrays.copyOf(out, size);
        Arrays.sort(out);
        int m = 0;
        for (int i = 0; i < size; i++) if (m == 0 || out[m - 1] != out[i]) out[m++] = out[i];
        return m == size ? out : Arrays.copyOf(out, m);
    }

    record FrameSet(int[] a) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FrameSet f && Arrays.equals(a, f.a);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(a);
        }
    }

    /** A slice language as a small DFA: per state the bytes with an edge and their targets. */
    private record Lang(int[][] bytes, int[][] to, boolean[] accept) {
        static Lang of(ByteParser p) {
            List<Integer> states = new ArrayList<>();
            Map<Integer, Integer> ids = new java.util.HashMap<>();
            states.add(p.initial());
            ids.put(p.initial(), 0);
            List<int[]> bytes = new ArrayList<>(), to = new ArrayList<>();
            List<Boolean> accept = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                int s = states.get(i);
                int[] bs = new int[256], ts = new int[256];
                int n = 0;
                for (int b = 0; b < 256; b++) {
                    int t = p.step(s, b);
                    if (t < 0) continue;
                    Integer id = ids.get(t);
                    if (id == null) {
                        id = states.size();
                        ids.put(t, id);
                        states.add(t);
                    }
                    bs[n] = b;
                    ts[n++] = id;
                }
                bytes.add(Arrays.copyOf(bs, n));
                to.add(Arrays.copyOf(ts, n));
                accept.add(p.isComplete(s));
            }
            boolean[] acc = new boolean[accept.size()];
            for (int i = 0; i < acc.length; i++) acc[i] = accept.get(i);
            return new Lang(bytes.toArray(int[][]::new), to.toArray(int[][]::new), acc);
        }

        boolean matches(byte[] s) {
            int q = 0;
            for (byte x : s) {
                int b = x & 0xFF, next = -1;
                int[] bs = bytes[q];
                int i = Arrays.binarySearch(bs, b);
                if (i >= 0) next = to[q][i];
                if (next < 0) return false;
                q = next;
            }
            return accept[q];
        }
    }
}
