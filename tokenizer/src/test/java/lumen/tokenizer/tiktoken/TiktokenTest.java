package lumen.tokenizer.tiktoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/**
 * Kimi K2's tiktoken tokenizer (its pattern with the Han class intersection, rank merging, special tokens from
 * tokenizer_config.json) on a vocabulary in the tiktoken.model format, against ids from an independent reference
 * (the tiktoken algorithm written plainly in Python with the {@code regex} module), kept in expected.json.
 */
class TiktokenTest {
    @Test
    void matchesReference() throws Exception {
        Tokenizer tok = Tokenizers.fromTiktoken(Path.of(getClass().getResource("/tiktoken/tiktoken.model.gz").toURI()));
        assertEquals(30000 + 256, tok.vocabSize());
        assertEquals("[BOS]", tok.tokenText(tok.bos()));
        assertEquals("[EOS]", tok.tokenText(tok.eos()));
        JsonNode ref = new ObjectMapper().readTree(getClass().getResource("/tiktoken/expected.json"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < ref.get("texts").size(); i++) {
            String text = ref.get("texts").get(i).asText();
            JsonNode e = ref.get("ids").get(i);
            int[] want = new int[e.size()];
            for (int k = 0; k < want.length; k++) want[k] = e.get(k).asInt();
            int[] got = tok.encode(text, false, true);
            if (!Arrays.equals(want, got)) failures.add(i + ": " + text + "\n  expected " + Arrays.toString(want) + "\n  got      " + Arrays.toString(got));
            else if (!tok.decode(got, true).equals(text)) failures.add(i + ": round trip of " + text + " gave " + tok.decode(got, true));
        }
        assertEquals(List.of(), failures);
        assertTrue(tok.isEndOfGeneration(tok.eos()));
        assertTrue(tok.isEndOfGeneration(indexOf(tok, "<|im_end|>")));
        assertTrue(tok.isSpecial(indexOf(tok, "<|reserved_token_30200|>")));
    }

    @Test
    void longRunsAreCutAsTheReferenceDoes() {
        String spaces = " ".repeat(60_000);
        List<String> c = Tiktoken.chunks("ab" + spaces + "cd");
        // as the reference (Python, computed once): a cut when a run passes 25,000 characters
        assertEquals(List.of(25_002, 25_000, 10_002), c.stream().map(String::length).toList());
        assertEquals("ab" + spaces + "cd", String.join("", c));
        List<String> big = Tiktoken.chunks("x y ".repeat(150_000)); // 600,000 characters: two 400,000 windows
        assertEquals(2, big.size());
        assertEquals(400_000, big.get(0).length());
    }

    static int indexOf(Tokenizer t, String text) {
        for (int i = 0; i < t.vocabSize(); i++) if (t.tokenText(i).equals(text)) return i;
        throw new AssertionError("no token " + text);
    }
}
