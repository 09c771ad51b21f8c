package lumen.sampler.constraint.grammar;

import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import lumen.sampler.constraint.Constraint;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.Matcher;
import lumen.sampler.constraint.TokenVocabulary;

/**
 * A grammar bound to a vocabulary: masks are computed by walking the token trie over the parser's
 * lazily built transitions and cached per parser state (most steps inside a string or number
 * revisit a state, so they cost one {@code BitSet.or}).
 */
public final class GrammarConstraint implements Constraint {
    private static final int MASK_CACHE_ENTRIES = 512;

    private final ByteParser parser;
    private final TokenVocabulary vocab;
    private final TokenTrie trie;
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
        this.parser = parser;
        this.vocab = vocab;
        this.trie = TokenTrie.of(vocab);
    }

    public ByteParser parser() {
        return parser;
    }

    @Override
    public Matcher start() {
        return new GrammarMatcher(parser.initial());
    }

    /** The tokens allowed in parser state {@code state} (not counting end-of-generation), shared: do not modify. */
    BitSet tokenMask(int state) {
        synchronized (parser) {
            BitSet m = maskCache.get(state);
            if (m == null) {
                long[] words = new long[(vocab.size() + 63) >>> 6];
                trie.walk(parser, state, words);
                m = BitSet.valueOf(words);
                maskCache.put(state, m);
            }
            return m;
        }
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
                throw new ConstraintException("constraint: special or empty token " + tokenId + " is not allowed in constrained output");
            }
            int ns = parser.step(state, bytes);
            if (ns == ByteParser.DEAD) {
                throw new ConstraintException("constraint: token " + tokenId + " (bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes)
                        + ") is not allowed at byte " + position);
            }
            state = ns;
            position += bytes.length;
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
