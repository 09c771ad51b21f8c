package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lumen.loader.ModelFile;
import lumen.tokenizer.load.Tokenizers;

/** The metadata map of lumen.loader.ModelFile (what the engine passes) builds the same tokenizer as the test reader's. */
class ModelLoaderMetadataTest {
    @ParameterizedTest
    @ValueSource(strings = {"lumen-demo-f32", "qwen3-t64-f32"})
    void sameTokenizerFromTheLoader(String model) throws Exception {
        Path gguf = Path.of(getClass().getResource("/fixtures/" + model + ".tokenizer.gguf").toURI());
        Tokenizer ours = Tokenizers.fromGguf(GgufMeta.read(gguf));
        try (ModelFile mf = ModelFile.open(gguf)) {
            Tokenizer viaLoader = Tokenizers.fromGguf(mf.metadata());
            assertEquals(ours.vocabSize(), viaLoader.vocabSize());
            String text = "<|im_start|>user\nWhat is 17 * 23? Café 日本 🦊<|im_end|>\n";
            assertArrayEquals(ours.encode(text, true, true), viaLoader.encode(text, true, true));
            assertEquals(ours.bos(), viaLoader.bos());
            assertEquals(ours.eos(), viaLoader.eos());
        }
    }
}
