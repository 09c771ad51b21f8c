package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.ConstraintException;

/**
 * The runtime of a compiled {@link Grammar}: a pushdown automaton over bytes whose configurations are
 * sets of call stacks, built lazily into a deterministic automaton.
 *
 * <p>A stack frame (a "node") is (rule-DFA state, caller node), interned so that stacks share their
 * tails (a graph-structured stack as in GLR parsing). A parser state is the set of frames that can read
 * a byte next, plus whether the input so far is complete; states are interned too and their transitions
 * on each byte are cached, so after warm-up a step is one array load. Masks walk the token trie
 * over these transitions ({@link TokenTrie}).
 *
 * <p>Thread-safe: all methods synchronise on this object.
 */
public final class ByteParser {
    /** The state that no input reaches (a rejected prefix). */
    public static final int DEAD = -1;
    private static final int UNKNOWN = -2;
    /** Interned states beyond which the caches are not grown further (the parser then stops memoising). */
    private static final int MAX_CACHED_STATES = 1 << 20;

    private final RuleDfa dfa;

    // nodes: (global dfa state, parent node or -1)
    private int[] nodeState = new int[1024];
    private int[] nodeParent = new int[1024];
    private int nodeCount;
    // node interning: open addressing over keys (global dfa state << 32 | parent + 1); values are node ids + 1 (0 = empty)
    private long[] nodeKeys = new long[4096];
    private int[] nodeVals = new int[4096];

    // states
    private final List<int[]> stateNodes = new ArrayList<>();
    private final List<Boolean> stateComplete = new ArrayList<>();
    private boolean[] completeArr = new boolean[256];
    private int[] localOf = new int[256]; // -2 unknown
    private int[][] trans = new int[256][]; // [states][256]
    private final Map<StateKey, Integer> stateIds = new HashMap<>();
    private final int initial;

    // closure scratch
    private int[] closureWork = new int[16], closureScanning = new int[16];
    private int[] mark = new int[1024];
    private int epoch;

    private final List<String> specialTokens;

    ByteParser(RuleDfa dfa, List<String> specialTokens) {
        this.dfa = dfa;
        this.specialTokens = specialTokens;
        int root = node(dfa.offset[dfa.startRule], -1);
        initial = closure(new int[] {root}, 1);
    }

    /** The special tokens the grammar names, in the order of {@link Grammar#specialToken(int)}'s index. */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** The state before any input. */
    public int initial() {
        return initial;
    }

    /** The state after reading byte {@code b} in {@code state}, or {@link #DEAD}. */
    public synchronized int step(int state, int b) {
        if (state < 0) return DEAD;
        int[] t = trans[state];
        int r = t[b & 0xFF];
        if (r == UNKNOWN) {
            r = computeStep(state, b & 0xFF);
            t[b & 0xFF] = r;
        }
        return r;
    }

    /** Reads all {@code bytes}; {@link #DEAD} as soon as one is rejected. */
    public synchronized int step(int state, byte[] bytes) {
        for (int i = 0; i < bytes.length && state >= 0; i++) state = step(state, bytes[i]);
        return state;
    }

    /** The input that led to {@code state} is a complete sentence of the grammar. */
    public synchronized boolean isComplete(int state) {
        return state >= 0 && stateComplete.get(state);
    }

    /** No byte can follow in {@code state}. */
    public synchronized boolean isEnd(int state) {
        return state < 0 || stateNodes.get(state).length == 0;
    }

    /** Number of rule-DFA states of the compiled grammar (statistics). */
    public int grammarStates() {
        return dfa.states();
    }

    /** Number of states interned so far (for tests and statistics). */
    public synchronized int stateCount() {
        return stateNodes.size();
    }

    /** Byte transition table of a state for the trie walk; entries {@code -2} are not computed yet. Caller holds the lock. */
    int[] row(int state) {
        return trans[state];
    }

    /** All rows, indexed by state (the array is replaced as it grows; re-read it after {@link #fill}). Caller holds the lock. */
    int[][] rows() {
        return trans;
    }

    /** Complete flag without locking. Caller holds the lock. */
    boolean completeUnlocked(int state) {
        return completeArr[state];
    }

    /**
     * The same frames as {@code state} with their callers cut off: its "complete" flag then means
     * "some frame may return to a caller". Bytes read without returning are parsed exactly as in
     * {@code state}, so masks of such local states can be shared by every state with the same top
     * frames (e.g. every string value of a schema). Caller holds the lock.
     */
    int localOf(int state) {
        int l = localOf[state];
        if (l != UNKNOWN) return l;
        int[] nodes = stateNodes.get(state);
        boolean rooted = true;
        int[] seeds = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            if (nodeParent[nodes[i]] >= 0) rooted = false;
            seeds[i] = node(nodeState[nodes[i]], -1);
        }
        l = rooted ? state : nodes.length == 0 ? DEAD : closure(seeds, seeds.length);
        localOf[state] = l;
        return l;
    }

    private byte[] sliceLevel = new byte[256]; // [states] TokenSlices level + 2, 0 unknown
    private final Map<TokenSlices.FrameSet, Integer> setLevel = new HashMap<>();

    /**
     * The highest {@link TokenSlices} level whose every string the parser provably reads from
     * {@code state}, or -1; cached per state and per set of frames (states with other callers share
     * their frames: every key of an object). Caller holds the lock.
     */
    int sliceLevel(int state) {
        if (state >= sliceLevel.length) sliceLevel = Arrays.copyOf(sliceLevel, Math.max(state + 1, sliceLevel.length * 2));
        if (sliceLevel[state] == 0) {
            int[] nodes = stateNodes.get(state);
            int[] frames = new int[nodes.length];
            for (int i = 0; i < nodes.length; i++) frames[i] = nodeState[nodes[i]];
            Arrays.sort(frames);
            int n = 0;
            for (int i = 0; i < frames.length; i++) if (n == 0 || frames[n - 1] != frames[i]) frames[n++] = frames[i];
            TokenSlices.FrameSet key = new TokenSlices.FrameSet(n == frames.length ? frames : Arrays.copyOf(frames, n));
            Integer level = setLevel.get(key);
            if (level == null) {
                level = TokenSlices.stateLevel(dfa, key.a());
                setLevel.put(key, level);
            }
            sliceLevel[state] = (byte) (level + 2);
        }
        return sliceLevel[state] - 2;
    }

    int fill(int state, int b) {
        int r = computeStep(state, b);
        trans[state][b] = r;
        return r;
    }

    private int computeStep(int state, int b) {
        int[] nodes = stateNodes.get(state);
        int[] seeds = new int[nodes.length];
        int n = 0;
        for (int nd : nodes) {
            int t = dfa.next[nodeState[nd] * 256 + b];
            if (t >= 0) seeds[n++] = node(t, nodeParent[nd]);
        }
        if (n == 0) return DEAD;
        return closure(seeds, n);
    }

    private int node(int g, int parent) {
        long key = (long) g << 32 | (parent + 1L);
        int mask = nodeKeys.length - 1;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (nodeVals[slot] != 0) {
            if (nodeKeys[slot] == key) return nodeVals[slot] - 1;
            slot = (slot + 1) & mask;
        }
        if (nodeCount == nodeState.length) {
            nodeState = Arrays.copyOf(nodeState, nodeCount * 2);
            nodeParent = Arrays.copyOf(nodeParent, nodeCount * 2);
        }
        nodeState[nodeCount] = g;
        nodeParent[nodeCount] = parent;
        nodeKeys[slot] = key;
        nodeVals[slot] = nodeCount + 1;
        if (2 * (nodeCount + 1) > nodeKeys.length) growNodeTable();
        return nodeCount++;
    }

    private void growNodeTable() {
        long[] keys = nodeKeys;
        int[] vals = nodeVals;
        nodeKeys = new long[keys.length * 2];
        nodeVals = new int[keys.length * 2];
        int mask = nodeKeys.length - 1;
        for (int i = 0; i < keys.length; i++) {
            if (vals[i] == 0) continue;
            int slot = Long.hashCode(keys[i] * 0x9E3779B97F4A7C15L) & mask;
            while (nodeVals[slot] != 0) slot = (slot + 1) & mask;
            nodeKeys[slot] = keys[i];
            nodeVals[slot] = vals[i];
        }
    }

    /** Expands calls (push) and accepting frames (pop) from the seeds; interns the resulting state. */
    private int closure(int[] seeds, int n) {
        epoch++;
        int[] work = closureWork.length >= Math.max(16, n * 2) ? closureWork : new int[Math.max(16, n * 2)];
        int sp = 0;
        int[] scanning = closureScanning;
        int ns = 0;
        boolean complete = false;
        for (int i = 0; i < n; i++) {
            if (visit(seeds[i])) {
                if (sp == work.length) work = Arrays.copyOf(work, sp * 2);
                work[sp++] = seeds[i];
            }
        }
        int guard = 0;
        while (sp > 0) {
            int nd = work[--sp];
            if (++guard > 5_000_000) throw new ConstraintException("grammar: parser closure does not end (ambiguous or left-recursive grammar)");
            int g = nodeState[nd], parent = nodeParent[nd];
            if (dfa.scans[g]) {
                if (ns == scanning.length) scanning = Arrays.copyOf(scanning, ns * 2);
                scanning[ns++] = nd;
            }
            if (dfa.accept[g]) {
                if (parent < 0) complete = true;
                else if (visit(parent)) {
                    if (sp == work.length) work = Arrays.copyOf(work, sp * 2);
                    work[sp++] = parent;
                }
            }
            int[] cr = dfa.callRule[g], ct = dfa.callTo[g];
            for (int k = 0; k < cr.length; k++) {
                int ret = node(ct[k], parent);
                int child = node(dfa.offset[cr[k]], ret);
                if (visit(child)) {
                    if (sp + 1 >= work.length) work = Arrays.copyOf(work, work.length * 2);
                    work[sp++] = child;
                }
            }
        }
        closureWork = work;
        closureScanning = scanning;
        if (ns == 0 && !complete) return DEAD;
        int[] key = Arrays.copyOf(scanning, ns);
        Arrays.sort(key);
        StateKey sk = new StateKey(key, complete);
        Integer id = stateIds.get(sk);
        if (id != null) return id;
        if (stateNodes.size() >= MAX_CACHED_STATES) {
            throw new ConstraintException("grammar: parser needs more than " + MAX_CACHED_STATES + " states");
        }
        id = stateNodes.size();
        stateNodes.add(key);
        stateComplete.add(complete);
        if (id == completeArr.length) {
            completeArr = Arrays.copyOf(completeArr, id * 2);
            localOf = Arrays.copyOf(localOf, id * 2);
        }
        completeArr[id] = complete;
        localOf[id] = UNKNOWN;
        int[] row = new int[256];
        Arrays.fill(row, UNKNOWN);
        if (id == trans.length) trans = Arrays.copyOf(trans, id * 2);
        trans[id] = row;
        stateIds.put(sk, id);
        return id;
    }

    private boolean visit(int nd) {
        if (nd >= mark.length) mark = Arrays.copyOf(mark, Math.max(nd + 1, mark.length * 2));
        if (mark[nd] == epoch) return false;
        mark[nd] = epoch;
        return true;
    }

    private record StateKey(int[] nodes, boolean complete) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && k.complete == complete && Arrays.equals(k.nodes, nodes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nodes) * 31 + (complete ? 1 : 0);
        }
    }
}
