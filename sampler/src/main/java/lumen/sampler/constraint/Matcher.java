package lumen.sampler.constraint;

import java.util.BitSet;

/**
 * Follows one generation under a {@link Constraint}. Not thread-safe; one per sequence.
 */
public interface Matcher {
    /**
     * Clears {@code allowed}, then sets {@code allowed[id]} for exactly the tokens that may come next.
     * End-of-generation ids are set exactly when the output so far is complete; special tokens that the
     * constraint names (e.g. a tool-call marker) exactly where it allows them; other special tokens never.
     */
    void fillMask(BitSet allowed);

    /** Advances on the chosen token; throws {@link ConstraintException} if it was not allowed. */
    void accept(int tokenId);

    /** The output so far is a complete match (an end-of-generation token may come now). */
    boolean isComplete();

    /** True after an end-of-generation token was accepted, or when no token other than end-of-generation can follow. */
    boolean isFinished();
}
