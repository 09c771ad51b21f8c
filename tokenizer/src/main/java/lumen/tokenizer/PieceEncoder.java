package lumen.tokenizer;

/** The model stage: ids of one pre-tokenized piece. */
@FunctionalInterface
public interface PieceEncoder {
    void encode(String piece, IntList out);
}
