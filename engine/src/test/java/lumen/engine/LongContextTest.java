package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import lumen.api.Model;
import lumen.api.ModelOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 5000 positions, past the files' trained context of 4096: the last ten rows of logits against llama.cpp's
 * (resources/long-context, made with tools/refgen/dump_logits.c fed in batches), at the F32 tolerance. RoPE
 * angles at large positions and the KV cache's tiles over many positions are what this reaches.
 */
class LongContextTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama-t64-f32", "qwen3-t64-f32"})
    void lastRowsAtPosition5000MatchLlamaCpp(String stem) throws Exception {
        Path dir = Path.of("src/test/resources/long-context");
        JsonNode ref = new ObjectMapper().readTree(dir.resolve(stem + ".json").toFile());
        int[] tokens = new int[ref.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = ref.get("tokens").get(i).asInt();
        float[] expected = Fixtures.floats(dir.resolve(ref.get("logits_file").asText()));
        int vocab = ref.get("n_vocab").asInt(), from = ref.get("rows").get(0).asInt();
        try (Model model = Model.load(Fixtures.model(stem), new ModelOptions(2, tokens.length, 512))) {
            float[] logits = model.newSession().evaluateAll(tokens);
            assertEquals((long) tokens.length * vocab, logits.length);
            double max = 0, diff = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - logits[from * vocab + i]));
            }
            assertTrue(diff <= Fixtures.F32_TOLERANCE * max, stem + ": rows " + from + "+ differ by " + diff + " (largest logit " + max + ")");
        }
    }
}
