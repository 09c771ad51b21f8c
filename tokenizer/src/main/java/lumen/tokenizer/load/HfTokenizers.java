package lumen.tokenizer.load;

import java.nio.file.Path;

import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.TokenizerException;

/** Builds a tokenizer from a Hugging Face tokenizer.json. */
final class HfTokenizers {
    private HfTokenizers() {}

    static Tokenizer load(Path tokenizerJson) {
        throw new TokenizerException(tokenizerJson + ": tokenizer.json loading is not implemented yet");
    }
}
