package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lumen.api.Model;
import lumen.api.ModelOptions;
import lumen.api.SyntheticModels;
import lumen.loader.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {

    @Test
    void writesALoadableModelWithAPlaceholderVocabulary(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        Path file = SyntheticModels.ensure("llama-tiny:Q8_0", dir, log::add);
        assertEquals(1, log.size(), "written once");
        assertEquals(file, SyntheticModels.ensure("llama-tiny:Q8_0", dir, log::add));
        assertEquals(1, log.size(), "the second call finds the file");

        try (ModelFile gguf = ModelFile.open(file)) {
            // what llama.cpp's vocabulary loader needs: a model name and arrays of the vocabulary's length
            assertEquals("llama", gguf.string("tokenizer.ggml.model"));
            assertEquals(1024, gguf.array("tokenizer.ggml.tokens").size());
            assertEquals(1024, gguf.array("tokenizer.ggml.scores").size());
            assertEquals(1024, gguf.array("tokenizer.ggml.token_type").size());
            assertEquals("<0x0A>", gguf.array("tokenizer.ggml.tokens").get(3 + '\n'));
        }
        try (Model model = Model.load(file, new ModelOptions(2, 64, 64))) {
            assertEquals(1024, model.vocabSize());
            // no piece matches "▁hi": SentencePiece falls back to byte pieces (▁ is E2 96 81 in UTF-8)
            int[] ids = model.encode("hi", false);
            assertArrayEquals(new int[] {3 + 0xE2, 3 + 0x96, 3 + 0x81, 3 + 'h', 3 + 'i'}, ids);
            assertEquals("\u2581hi", model.decode(ids));   // byte pieces decode to their bytes, as in llama.cpp
            assertEquals("t300t301", model.decode(new int[] {300, 301}));
            float[] logits = model.newSession().evaluate(new int[] {1, 300, 301});
            assertEquals(1024, logits.length);
            for (float v : logits) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void unknownShapesAndTypesAreNamed(@TempDir Path dir) {
        var e = assertThrows(RuntimeException.class, () -> SyntheticModels.ensure("llama-9b:Q4_0", dir, s -> {}));
        assertTrue(e.getMessage().contains("llama-9b"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> SyntheticModels.ensure("llama-tiny:Q3_X", dir, s -> {}));
        assertTrue(e.getMessage().contains("Q3_X"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("synthetic-llama-9b-Q4_0.gguf")));
    }
}
