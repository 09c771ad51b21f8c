package lumen.api;

import java.nio.file.Path;
import lumen.loader.ModelFile;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/** A tokenizer on its own, from a GGUF file's metadata or a Hugging Face tokenizer.json, without loading weights. */
public final class TextTokenizer {
    private final Tokenizer tokenizer;

    private TextTokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static TextTokenizer fromGguf(Path path) {
        try (ModelFile file = ModelFile.open(path)) {
            return new TextTokenizer(Tokenizers.fromGguf(file.metadata()));
        }
    }

    /** From a tokenizer file: Hugging Face tokenizer.json (or .json.gz), a SentencePiece .model, or a tiktoken ranks file. */
    public static TextTokenizer fromFile(Path path) {
        return new TextTokenizer(Tokenizers.fromFile(path));
    }

    /** Token ids; addSpecial adds BOS/EOS as the tokenizer's settings say; parseSpecial matches special-token text. */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        return tokenizer.encode(text, addSpecial, parseSpecial);
    }

    public String decode(int[] ids, boolean showSpecial) {
        return tokenizer.decode(ids, showSpecial);
    }

    public int vocabSize() {
        return tokenizer.vocabSize();
    }
}
