package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import lumen.tokenizer.load.Tokenizers;

/**
 * The demo model's original SentencePiece .model tokenizes like the GGUF converted from it (and so like llama.cpp):
 * same pieces, scores, specials and ids.
 */
class SentencePieceModelTest {
    @Test
    void sameAsTheGguf() throws Exception {
        Tokenizer fromModel = Tokenizers.fromFile(Path.of(getClass().getResource("/fixtures/lumen-demo-tokenizer.model").toURI()));
        Tokenizer fromGguf = Tokenizers.fromGguf(GgufMeta.read(Path.of(getClass().getResource("/fixtures/lumen-demo-f32.tokenizer.gguf").toURI())));
        assertEquals(fromGguf.vocabSize(), fromModel.vocabSize());
        for (int i = 0; i < fromGguf.vocabSize(); i++) {
            assertEquals(fromGguf.tokenText(i), fromModel.tokenText(i), "token " + i);
            assertEquals(fromGguf.isSpecial(i), fromModel.isSpecial(i), "type of token " + i);
        }
        assertEquals(fromGguf.bos(), fromModel.bos());
        assertEquals(fromGguf.eos(), fromModel.eos());
        JsonNode refs = new ObjectMapper().readTree(getClass().getResource("/fixtures/reference-tokens.json")).get("lumen-demo-f32");
        JsonNode corpus = new ObjectMapper().readTree(getClass().getResource("/hf/corpus.json"));
        for (JsonNode r : refs) {
            String p = r.get("prompt").asText();
            assertArrayEquals(fromGguf.encode(p, true, true), fromModel.encode(p, true, true), p);
        }
        for (JsonNode c : corpus) {
            // parse_special on: the .model keeps the chat markers as user-defined pieces, the GGUF as control tokens,
            // which only changes what happens to their text when special parsing is off
            assertArrayEquals(fromGguf.encode(c.asText(), false, true), fromModel.encode(c.asText(), false, true), c.asText());
        }
    }
}
