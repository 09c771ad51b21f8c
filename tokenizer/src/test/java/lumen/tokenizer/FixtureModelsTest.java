package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lumen.tokenizer.load.Tokenizers;

/**
 * The fixture models' tokenizers (the demo model's SentencePiece vocab and the 512-token cuts of real vocabs)
 * against the token ids llama.cpp produced for the reference prompts ({@code fixtures/reference/<model>/*.json},
 * cut to n tokens, so a prefix is compared). The tokenizer metadata of each model is kept as a tensor-less GGUF.
 */
class FixtureModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"lumen-demo-f32", "qwen3-t64-f32", "llama-t64-f32", "deepseek2-t64-f32", "deepseek2-k256-q6_k", "nemotron_h_moe-t64-f32"})
    void promptsMatchLlamaCpp(String model) throws Exception {
        Path gguf = Path.of(getClass().getResource("/fixtures/" + model + ".tokenizer.gguf").toURI());
        Tokenizer tok = Tokenizers.fromGguf(GgufMeta.read(gguf));
        JsonNode refs = new ObjectMapper().readTree(getClass().getResource("/fixtures/reference-tokens.json")).get(model);
        assertTrue(refs.size() > 0);
        for (JsonNode r : refs) {
            int[] expected = new int[r.get("tokens").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = r.get("tokens").get(i).asInt();
            String prompt = r.get("prompt").asText();
            int[] got = tok.encode(prompt, r.get("prompt_add_special").asBoolean(), r.get("prompt_parse_special").asBoolean());
            int n = r.get("prompt_truncated_to").asInt();
            assertEquals(n, expected.length);
            assertTrue(got.length >= n, model + ": only " + got.length + " tokens for " + prompt);
            assertArrayEquals(expected, Arrays.copyOf(got, n), model + ": " + prompt);
            // llama.cpp's detokenized text of the ids, special tokens shown
            assertEquals(r.get("tokens_text").asText(), tok.decode(expected, true), model + ": text of " + Arrays.toString(expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lumen-demo-f32", "qwen3-t64-f32", "nemotron_h_moe-t64-f32"})
    void roundTripsPrompts(String model) throws Exception {
        Path gguf = Path.of(getClass().getResource("/fixtures/" + model + ".tokenizer.gguf").toURI());
        Tokenizer tok = Tokenizers.fromGguf(GgufMeta.read(gguf));
        JsonNode refs = new ObjectMapper().readTree(getClass().getResource("/fixtures/reference-tokens.json")).get(model);
        for (JsonNode r : refs) {
            String prompt = r.get("prompt").asText();
            assertEquals(prompt, tok.decode(tok.encode(prompt, false, true), true));
            int[] ids = tok.encode(prompt, true, true);
            StreamDecoder sd = tok.streamDecoder(true);
            StringBuilder sb = new StringBuilder();
            for (int id : ids) sb.append(sd.push(id));
            sb.append(sd.flush());
            assertEquals(tok.decode(ids, true), sb.toString());
        }
    }
}
