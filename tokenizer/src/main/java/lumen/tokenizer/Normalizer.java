package lumen.tokenizer;

/** Rewrites one plain-text fragment before pre-tokenization. */
@FunctionalInterface
public interface Normalizer {
    /** The normalized fragment; first is true for the first fragment and any fragment right after a special token. */
    String apply(String text, boolean first);

    Normalizer NONE = (t, f) -> t;

    default Normalizer then(Normalizer next) {
        return (t, f) -> next.apply(apply(t, f), f);
    }
}
