package lumen.tokenizer;

/** Incremental decoding: {@link #push} returns the text completed by one more id; a split UTF-8 character is held back. */
public interface StreamDecoder {
    /** Adds one id and returns the newly complete text (possibly empty). */
    String push(int id);

    /** Returns whatever is held back, incomplete sequences replaced with U+FFFD, and resets. */
    String flush();
}
