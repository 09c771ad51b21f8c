package lumen.sampler.constraint;

import java.util.BitSet;
import java.util.Objects;

/**
 * The vocabulary as bytes: what each token id decodes to, and which ids end generation.
 *
 * @param tokenBytes      [vocabSize] the raw bytes each token decodes to (UTF-8 fragments for byte-level BPE)
 * @param endOfGeneration ids that end the output (EOS, EOT, end-of-turn); allowed only when the constraint is complete
 * @param special         control tokens; allowed in constrained output only where the grammar names them
 *                        (end-of-generation ids also when the output is complete)
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

    /** The vocabulary of a loaded tokenizer (token bytes, end-of-generation and special ids). */
    public static TokenVocabulary of(lumen.tokenizer.Tokenizer tokenizer) {
        int n = tokenizer.vocabSize();
        byte[][] bytes = new byte[n][];
        BitSet end = new BitSet(n), special = new BitSet(n);
        for (int id = 0; id < n; id++) {
            byte[] b = tokenizer.tokenBytes(id);
            bytes[id] = b == null ? new byte[0] : b;
            if (tokenizer.isEndOfGeneration(id)) end.set(id);
            if (tokenizer.isSpecial(id)) special.set(id);
        }
        return new TokenVocabulary(bytes, end, special);
    }

    /** Number of token ids. */
    public int size() {
        return tokenBytes.length;
    }
}
