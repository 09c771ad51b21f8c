package lumen.sampler.constraint.grammar;

import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.Constraint;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.Matcher;
import lumen.sampler.constraint.TokenVocabulary;

/**
 * A grammar bound to a vocabulary. Special tokens the grammar names ({@link Grammar.Builder#special})
 * are allowed exactly where the parser accepts their stand-in bytes; all other special tokens never
 * (end-of-generation ids when the output is complete). Masks are computed by walking the token trie over the parser's
 * lazily built transitions and cached per parser state (most steps inside a string or number
 * revisit a state, so they cost one {@code BitSet.or}).
 */
public final class GrammarConstraint implements Constraint {
    private static final int MASK_CACHE_ENTRIES = 512;
    /** Hand-over points above which a local walk is abandoned for a full walk. */
    private static final int MAX_POPS = 4096;

    private final ByteParser parser;
    private final TokenVocabulary vocab;
    private final TokenTrie trie;
    private final boolean useSlices;
    private TokenSlices slices;
    /** [grammar's special tokens][k] the vocabulary ids of each special token the grammar names. */
    private final int[][] specialIds;
    private final Map<Integer, BitSet> maskCache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, BitSet> e) {
            return size() > MASK_CACHE_ENTRIES;
        }
    };

    public GrammarConstraint(Grammar grammar, TokenVocabulary vocab) {
        this(grammar.compile(), vocab);
    }

    public GrammarConstraint(ByteParser parser, TokenVocabulary vocab) {
        this(parser, vocab, true);
    }

    /** With {@code useSlices = false} every mask walks the whole trie (the reference the fast path is tested against). */
    GrammarConstraint(ByteParser parser, TokenVocabulary vocab, boolean useSlices) {
        this.parser = parser;
        this.vocab = vocab;
        this.trie = TokenTrie.of(vocab);
        this.useSlices = useSlices;
        List<String> names = parser.specialTokens();
        specialIds = new int[names.size()][];
        for (int i = 0; i < names.size(); i++) specialIds[i] = specialIds(names.get(i));
    }

    /**
     * The ids of the special token named {@code name}: its text (e.g. {@code <|tool_call_begin|>}), or
     * {@code <[id]>} for an id (llguidance's syntax).
     */
    private int[] specialIds(String name) {
        if (name.startsWith("<[") && name.endsWith("]>")) {
            int id;
            try {
                id = Integer.parseInt(name.substring(2, name.length() - 2));
            } catch (NumberFormatException e) {
                throw new ConstraintException("grammar: special token '" + name + "': expected <[id]> with a decimal id");
            }
            if (id < 0 || id >= vocab.size() || !vocab.special().get(id)) {
                throw new ConstraintException("grammar: special token " + name + " is not a special token of the vocabulary (size " + vocab.size() + ")");
            }
            return new int[] {id};
        }
        byte[] text = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Integer> ids = new java.util.ArrayList<>();
        for (int id = vocab.special().nextSetBit(0); id >= 0; id = vocab.special().nextSetBit(id + 1)) {
            if (id < vocab.size() && java.util.Arrays.equals(vocab.tokenBytes()[id], text)) ids.add(id);
        }
        if (ids.isEmpty()) throw new ConstraintException("grammar: special token '" + name + "' is not a special token of the vocabulary");
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    public ByteParser parser() {
        return parser;
    }

    @Override
    public Matcher start() {
        return new GrammarMatcher(parser.initial());
    }

    /** Mask of a local state (frames without callers), the trie it was walked on and its nodes where a frame may return. */
    private record LocalMask(long[] words, TokenTrie trie, int[] pops) {}

    private final Map<Integer, LocalMask> localCache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, LocalMask> e) {
            return size() > MASK_CACHE_ENTRIES;
        }
    };

    /**
     * The tokens allowed in parser state {@code state} (not counting end-of-generation), shared: do not
     * modify. Tokens that stay inside the current frames come from the mask of the local state (shared
     * by all states with the same top frames, e.g. every string value); only the subtrees of the trie
     * below a point where a frame may return are walked with the full stack.
     */
    BitSet tokenMask(int state) {
        synchronized (parser) {
            BitSet m = maskCache.get(state);
            if (m != null) return m;
            LocalMask lm = null;
            int local = parser.localOf(state);
            // a frame that may return before any byte gives nothing to share: walk the whole stack
            if (local != state && local >= 0 && !parser.completeUnlocked(local)) {
                lm = localCache.get(local);
                if (lm == null) {
                    long[] lw = new long[(vocab.size() + 63) >>> 6];
                    TokenTrie.IntBuffer pops = new TokenTrie.IntBuffer();
                    TokenTrie used = walk(local, lw, pops);
                    // many hand-over points (frames return early in most tokens): not worth it
                    lm = pops.n > MAX_POPS ? new LocalMask(null, null, null) : new LocalMask(lw, used, pops.toArray());
                    localCache.put(local, lm);
                }
            }
            long[] words;
            if (lm == null || lm.words() == null) {
                words = new long[(vocab.size() + 63) >>> 6];
                walk(state, words, null);
            } else {
                words = lm.words().clone();
                TokenTrie t = lm.trie();
                for (int node : lm.pops()) {
                    int s = state;
                    for (byte b : t.prefix(node)) {
                        s = parser.step(s, b);
                        if (s < 0) break;
                    }
                    if (s >= 0) t.walk(parser, s, node + 1, t.skip[node], t.depth[node], words, null);
                }
            }
            m = BitSet.valueOf(words);
            for (int i = 0; i < specialIds.length; i++) {
                if (parser.step(state, Grammar.specialToken(i)) != ByteParser.DEAD) for (int id : specialIds[i]) m.set(id);
            }
            maskCache.put(state, m);
            return m;
        }
    }

    /**
     * Sets in {@code words} every token accepted from {@code state}: a slice of plain-text tokens at once
     * where the state accepts all of it ({@link TokenSlices}), the trie of the other tokens walked.
     * Returns the trie walked (the nodes recorded in {@code pops} index it).
     */
    private TokenTrie walk(int state, long[] words, TokenTrie.IntBuffer pops) {
        int level = useSlices ? TokenSlices.level(parser, state) : -1;
        TokenTrie t = trie;
        if (level >= 0) {
            TokenSlices sl = slices();
            long[] in = sl.words[level];
            for (int i = 0; i < in.length; i++) words[i] |= in[i];
            t = sl.rest[level];
        }
        t.walk(parser, state, 0, t.label.length, 0, words, pops);
        return t;
    }

    private TokenSlices slices() {
        if (slices == null) slices = TokenSlices.of(vocab);
        return slices;
    }

    private final class GrammarMatcher implements Matcher {
        private int state;
        private boolean ended;
        private int position; // bytes accepted so far

        GrammarMatcher(int state) {
            this.state = state;
        }

        @Override
        public void fillMask(BitSet allowed) {
            allowed.clear();
            if (ended) return;
            allowed.or(tokenMask(state));
            if (parser.isComplete(state)) allowed.or(vocab.endOfGeneration());
        }

        @Override
        public void accept(int tokenId) {
            if (tokenId < 0 || tokenId >= vocab.size()) {
                throw new ConstraintException("constraint: token id " + tokenId + " is outside the vocabulary of " + vocab.size());
            }
            if (ended) throw new ConstraintException("constraint: token " + tokenId + " after end of generation");
            if (vocab.special().get(tokenId)) {
                int s = specialStep(tokenId);
                if (s != ByteParser.DEAD) {
                    state = s;
                    return;
                }
            }
            if (vocab.endOfGeneration().get(tokenId)) {
                if (!parser.isComplete(state)) {
                    throw new ConstraintException("constraint: end-of-generation token " + tokenId + " at byte " + position
                            + " but the output is not complete");
                }
                ended = true;
                return;
            }
            byte[] bytes = vocab.tokenBytes()[tokenId];
            if (vocab.special().get(tokenId) || bytes == null || bytes.length == 0) {
                throw new ConstraintException("constraint: special or empty token " + tokenId + " is not allowed at byte " + position);
            }
            if (TokenTrie.reserved(bytes)) {
                throw new ConstraintException("constraint: token " + tokenId + " has bytes 0xF8-0xFF, which no UTF-8 text contains");
            }
            int ns = parser.step(state, bytes);
            if (ns == ByteParser.DEAD) {
                throw new ConstraintException("constraint: token " + tokenId + " (bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes)
                        + ") is not allowed at byte " + position);
            }
            state = ns;
            position += bytes.length;
        }

        /** The state after the special token {@code tokenId} where the grammar names it here, else DEAD. */
        private int specialStep(int tokenId) {
            for (int i = 0; i < specialIds.length; i++) {
                for (int id : specialIds[i]) {
                    if (id == tokenId) {
                        int s = parser.step(state, Grammar.specialToken(i));
                        if (s != ByteParser.DEAD) return s;
                    }
                }
            }
            return ByteParser.DEAD;
        }

        @Override
        public boolean isComplete() {
            return !ended && parser.isComplete(state) || ended;
        }

        @Override
        public boolean isFinished() {
            return ended || parser.isEnd(state);
        }
    }
}
