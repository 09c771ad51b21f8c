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
 * <p>When a parser state accepts <em>every</em> string of a slice's language (checked on the product of
 * the slice's small automaton with the parser, see {@link #level}), all tokens of that slice are allowed
 * at once (a bitset OR) and only the trie of the remaining tokens is walked. Inside a JSON string about
 * 97 % of a 150k vocabulary is plain text, so a mask that walked ~330k trie nodes walks a few thousand.
 * The result is exact: the check is a proof over the whole slice language, and the other tokens are
 * walked as before.
 */
final class TokenSlices {
    private static final Map<TokenVocabulary, TokenSlices> CACHE = new WeakHashMap<>();
    /** Characters per token bound of each slice level (cumulative), -1 for no bound; llguidance's defaults. */
    private static final int[] MAX_CHARS = {10, 30, -1};
    /** Extra pairs a frame-set check may explore (a key automaton's trie of property names) before giving up. */
    private static final int MAX_SET_PAIRS = 512;
    private static final Lang[] LANGS = new Lang[MAX_CHARS.length];

    static {
        CharSet raw = CharSet.ANY.minus(CharSet.of(0, 0x1F)).minus(CharSet.ofChars("\"\\"));
        for (int k = 0; k < MAX_CHARS.length; k++) {
            Expr one = Expr.chars(raw);
            LANGS[k] = Lang.of(Grammar.of(new Expr.Repeat(one, 1, MAX_CHARS[k])).compile(), MAX_CHARS[k] >= 0);
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

    /** The highest level whose every string the rule-DFA state {@code g} reads by its own byte edges, or -1. */
    static int frameLevel(RuleDfa dfa, int g) {
        for (int k = LANGS.length - 1; k >= 0; k--) {
            if (frameReadsAll(dfa, g, LANGS[k])) return k;
        }
        return -1;
    }

    private static boolean frameReadsAll(RuleDfa dfa, int g, Lang lang) {
        if (!dfa.scans[g]) return false;
        long[] seen = new long[64];
        int seenCount = 1;
        long[] queue = new long[64];
        int head = 0, tail = 0;
        queue[tail++] = pair(0, g);
        add(seen, pair(0, g));
        while (head < tail) {
            long p = queue[head++];
            int q = (int) (p >>> 32), s = (int) p;
            int[] bytes = lang.bytes[q], to = lang.to[q];
            int prevT = -1;
            for (int i = 0; i < bytes.length; i++) {
                int t = dfa.next[s * 256 + bytes[i]];
                // a frame in a state with a byte edge is one of the parser state's frames: the state is not dead
                if (t < 0 || !dfa.scans[t]) return false;
                if (t == prevT && to[i] == to[i - 1]) continue; // same pair as the byte before
                prevT = t;
                long np = pair(to[i], t);
                if (contains(seen, np)) continue;
                if (++seenCount > lang.maxPairs()) return false;
                if (seenCount * 2 > seen.length) seen = rehash(seen);
                add(seen, np);
                if (tail == queue.length) queue = Arrays.copyOf(queue, tail * 2);
                queue[tail++] = np;
            }
        }
        return true;
    }

    /**
     * The highest level whose every string the frames {@code frames} (rule-DFA states) read among
     * themselves, or -1: a breadth-first search over (slice state, set of rule-DFA states) where a byte
     * moves every frame along its byte edge and calls are entered (never returned from: a path that only
     * pushes is a real path of the parser, so surviving in this smaller automaton proves survival).
     */
    static int framesLevel(RuleDfa dfa, int[] frames, int above) {
        for (int k = LANGS.length - 1; k > above; k--) {
            if (framesReadAll(dfa, frames, LANGS[k])) return k;
        }
        return above;
    }

    private static boolean framesReadAll(RuleDfa dfa, int[] frames, Lang lang) {
        Map<FrameSet, Integer> setIds = new java.util.HashMap<>();
        List<int[]> sets = new ArrayList<>();
        int[] scratch = new int[64];
        int[] first = closeCalls(dfa, frames, frames.length, scratch);
        setIds.put(new FrameSet(first), 0);
        sets.add(first);
        long[] seen = new long[64];
        int seenCount = 1;
        long[] queue = new long[64];
        int head = 0, tail = 0;
        queue[tail++] = pair(0, 0);
        add(seen, pair(0, 0));
        int[] moved = new int[64];
        while (head < tail) {
            long p = queue[head++];
            int q = (int) (p >>> 32);
            int[] set = sets.get((int) p);
            int[] bytes = lang.bytes[q], to = lang.to[q];
            int prevB = -1;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i];
                // runs of bytes that move every frame alike (most of ASCII in a string) give the same set
                if (prevB >= 0 && to[i] == to[i - 1] && sameMoves(dfa, set, prevB, b)) {
                    prevB = b;
                    continue;
                }
                prevB = b;
                int n = 0;
                boolean scans = false;
                if (moved.length < set.length) moved = new int[set.length * 2];
                for (int g : set) {
                    int t = dfa.next[g * 256 + b];
                    if (t >= 0) moved[n++] = t;
                }
                int[] next = closeCalls(dfa, moved, n, scratch);
                // some frame with a byte edge is one of the parser state's frames: the state is not dead
                for (int g : next) scans |= dfa.scans[g];
                if (!scans) return false;
                FrameSet key = new FrameSet(next);
                Integer id = setIds.get(key);
                if (id == null) {
                    id = sets.size();
                    setIds.put(key, id);
                    sets.add(next);
                }
                long np = pair(to[i], id);
                if (contains(seen, np)) continue;
                if (++seenCount > MAX_SET_PAIRS + lang.maxPairs()) return false;
                if (seenCount * 2 > seen.length) seen = rehash(seen);
                add(seen, np);
                if (tail == queue.length) queue = Arrays.copyOf(queue, tail * 2);
                queue[tail++] = np;
            }
        }
        return true;
    }

    private static boolean sameMoves(RuleDfa dfa, int[] set, int a, int b) {
        for (int g : set) if (dfa.next[g * 256 + a] != dfa.next[g * 256 + b]) return false;
        return true;
    }

    /** The rule-DFA states {@code from[0..n)} and every rule start they reach by calls, sorted and distinct. */
    private static int[] closeCalls(RuleDfa dfa, int[] from, int n, int[] scratch) {
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

    private static long pair(int q, int s) {
        return (long) q << 32 | (s & 0xFFFFFFFFL);
    }

    // open-addressing set of non-negative longs (slot value 0 = empty, so keys are stored + 1)
    private static boolean contains(long[] set, long key) {
        int mask = set.length - 1;
        for (int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask; ; i = (i + 1) & mask) {
            if (set[i] == 0) return false;
            if (set[i] == key + 1) return true;
        }
    }

    private static long[] add(long[] set, long key) {
        int mask = set.length - 1;
        int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (set[i] != 0 && set[i] != key + 1) i = (i + 1) & mask;
        set[i] = key + 1;
        return set;
    }

    private static long[] rehash(long[] set) {
        long[] n = new long[set.length * 2];
        for (long v : set) if (v != 0) add(n, v - 1);
        return n;
    }

    /** A slice language as a small DFA: per state the bytes with an edge and their targets. */
    private record Lang(int[][] bytes, int[][] to, boolean[] accept, boolean bounded) {
        /**
         * Pairs a check may explore before giving up: a frame that reads the language in step with it
         * needs about one pair per slice state. A bounded language (no cycle) ends the search by itself;
         * for the unbounded one a bounded frame (a string with maxLength, a counted pattern) would
         * otherwise be followed to its bound at every position.
         */
        int maxPairs() {
            return bounded ? 4 * accept.length + 256 : 2 * accept.length + 64;
        }

        static Lang of(ByteParser p, boolean bounded) {
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
            return new Lang(bytes.toArray(int[][]::new), to.toArray(int[][]::new), acc, bounded);
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
