package lumen.sampler.constraint;

import java.util.BitSet;
import java.util.Objects;

/**
 * The vocabulary as bytes: what each token id decodes to, and which ids end generation.
 *
 * @param tokenBytes      [vocabSize] the raw bytes each token decodes to (UTF-8 fragments for byte-level BPE)
 * @param endOfGeneration ids that end the output (EOS, EOT, end-of-turn); allowed only when the constraint is complete
 * @param special         control tokens; never allowed inside constrained output (end-of-generation ids excepted)
 */
public record TokenVocabulary(byte[][] tokenBytes, BitSet endOfGeneration, BitSet special) {
    public TokenVocabulary {
        Objects.requireNonNull(tokenBytes, "tokenBytes");
        Objects.requireNonNull(endOfGeneration, "endOfGeneration");
        Objects.requireNonNull(special, "special");
        if (endOfGeneration.length() > tokenBytes.length) {
            throw new ConstraintException("vocabulary: end-of-generation id " + (endOfGeneration.length() - 1)
                    + " is outside the vocabulary of " + tokenBytes.length + " tokens");
        }
    }

    /** Number of token ids. */
    public int size() {
        return tokenBytes.length;
    }
}
