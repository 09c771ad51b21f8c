package lumen.tokenizer;

/** Rewrites one plain-text fragment (the text between special tokens) before pre-tokenization. */
@FunctionalInterface
public interface Normalizer {
    /**
     * The normalized fragment. atStart: the fragment begins the input (HF's Metaspace "first" scheme);
     * afterSpecial: it begins the input or follows a special token (llama.cpp's SentencePiece space prefix).
     */
    String apply(String text, boolean atStart, boolean afterSpecial);

    Normalizer NONE = (t, s, a) -> t;

    default Normalizer then(Normalizer next) {
        return (t, s, a) -> next.apply(apply(t, s, a), s, a);
    }
}
