package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import lumen.sampler.constraint.TokenVocabulary;

/**
 * The vocabulary's byte strings as a trie laid out in pre-order, so a subtree is a contiguous range
 * and skipping it is one jump ({@code skip[i]}); this is the layout llguidance's token trie uses.
 * Special and empty tokens are left out (a grammar allows special tokens by name, see
 * {@link GrammarConstraint}), and so are tokens with bytes 0xF8-0xFF, which no UTF-8 text contains
 * and which grammars reserve for special tokens.
 */
public final class TokenTrie {
    private static final Map<TokenVocabulary, TokenTrie> CACHE = new WeakHashMap<>();

    final int[] label;    // [nodes] byte on the edge into the node
    final int[] depth;    // [nodes] 1 for children of the root
    final int[] skip;     // [nodes] index of the first node after this node's subtree
    final int[] parent;   // [nodes] parent node, -1 for children of the root
    final int[] tokStart; // [nodes + 1] tokens ending at node i: tokIds[tokStart[i] .. tokStart[i+1])
    final int[] tokIds;
    final int maxDepth;

    private TokenTrie(int[] label, int[] depth, int[] skip, int[] parent, int[] tokStart, int[] tokIds, int maxDepth) {
        this.parent = parent;
        this.label = label;
        this.depth = depth;
        this.skip = skip;
        this.tokStart = tokStart;
        this.tokIds = tokIds;
        this.maxDepth = maxDepth;
    }

    /** The trie of {@code vocab}, built once per vocabulary object. */
    public static TokenTrie of(TokenVocabulary vocab) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(vocab, v -> build(v, id -> true));
        }
    }

    public int nodes() {
        return label.length;
    }

    /** Tokens with a byte that grammars reserve for special tokens (no UTF-8 text has one; they are never allowed). */
    static boolean reserved(byte[] b) {
        for (byte x : b) if ((x & 0xFF) >= Grammar.RESERVED_BYTES_FROM) return true;
        return false;
    }

    /** The trie of the non-special, non-empty tokens of {@code vocab} for which {@code include} holds. */
    static TokenTrie build(TokenVocabulary vocab, java.util.function.IntPredicate include) {
        byte[][] tb = vocab.tokenBytes();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < tb.length; i++) {
            if (tb[i] != null && tb[i].length > 0 && !vocab.special().get(i) && !vocab.endOfGeneration().get(i) && !reserved(tb[i]) && include.test(i)) ids.add(i);
        }
        ids.sort((a, b) -> Arrays.compareUnsigned(tb[a], tb[b]));
        int cap = 16;
        int[] label = new int[cap], depth = new int[cap], skip = new int[cap], tokCount = new int[cap], parent = new int[cap];
        int[] tokIds = new int[ids.size()];
        int n = 0, maxDepth = 0;
        int[] path = new int[1024]; // node index per depth-1 of the current path
        byte[] prev = new byte[0];
        for (int t = 0; t < ids.size(); t++) {
            byte[] cur = tb[ids.get(t)];
            int common = 0;
            while (common < prev.length && common < cur.length && prev[common] == cur[common]) common++;
            for (int d = common; d < prev.length; d++) skip[path[d]] = n; // close nodes that end here
            if (cur.length > path.length) path = Arrays.copyOf(path, cur.length * 2);
            for (int d = common; d < cur.length; d++) {
                if (n == label.length) {
                    cap = n * 2;
                    label = Arrays.copyOf(label, cap);
                    depth = Arrays.copyOf(depth, cap);
                    skip = Arrays.copyOf(skip, cap);
                    tokCount = Arrays.copyOf(tokCount, cap);
                    parent = Arrays.copyOf(parent, cap);
                }
                parent[n] = d == 0 ? -1 : path[d - 1];
                label[n] = cur[d] & 0xFF;
                depth[n] = d + 1;
                path[d] = n++;
            }
            maxDepth = Math.max(maxDepth, cur.length);
            tokCount[path[cur.length - 1]]++;
            tokIds[t] = ids.get(t);
            prev = cur;
        }
        for (int d = 0; d < prev.length; d++) skip[path[d]] = n;
        int[] tokStart = new int[n + 1];
        for (int i = 0; i < n; i++) tokStart[i + 1] = tokStart[i] + tokCount[i];
        // tokIds are in sorted-bytes order, which is exactly pre-order of the nodes they end at
        return new TokenTrie(Arrays.copyOf(label, n), Arrays.copyOf(depth, n), Arrays.copyOf(skip, n), Arrays.copyOf(parent, n), tokStart, tokIds, maxDepth);
    }

    /** Sets in {@code out} (bit id of word id/64) every token whose bytes the parser accepts from {@code state}. Caller holds the parser's lock. */
    void walk(ByteParser parser, int state, long[] out) {
        walk(parser, state, 0, label.length, 0, out, null);
    }

    /**
     * Walks the nodes {@code [from, to)} (a subtree below a node of depth {@code baseDepth}, or the whole
     * trie) from {@code state}. If {@code pops} is given, records the outermost nodes after which the
     * state is complete and that have children (where a local walk hands over to the caller's stack).
     */
    void walk(ByteParser parser, int state, int from, int to, int baseDepth, long[] out, IntBuffer pops) {
        final int[] label = this.label, depth = this.depth, skip = this.skip, tokStart = this.tokStart, tokIds = this.tokIds;
        int[][] rows = new int[maxDepth + 1][];
        int[] states = new int[maxDepth + 1];
        states[baseDepth] = state;
        rows[baseDepth] = parser.row(state);
        int[][] all = parser.rows();
        int popEnd = -1;
        int i = from;
        while (i < to) {
            int d = depth[i];
            int b = label[i];
            int ns = rows[d - 1][b];
            if (ns == -2) {
                ns = parser.fill(states[d - 1], b);
                all = parser.rows();
            }
            if (ns < 0) {
                i = skip[i];
                continue;
            }
            for (int k = tokStart[i], e = tokStart[i + 1]; k < e; k++) {
                int id = tokIds[k];
                out[id >>> 6] |= 1L << id;
            }
            if (pops != null && i >= popEnd && skip[i] > i + 1 && parser.completeUnlocked(ns)) {
                pops.add(i);
                popEnd = skip[i];
            }
            states[d] = ns;
            rows[d] = all[ns];
            i++;
        }
    }

    /** The bytes on the path from the root to {@code node}. */
    byte[] prefix(int node) {
        byte[] b = new byte[depth[node]];
        for (int n = node; n >= 0; n = parent[n]) b[depth[n] - 1] = (byte) label[n];
        return b;
    }

    /** A growable int list. */
    static final class IntBuffer {
        int[] a = new int[16];
        int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
