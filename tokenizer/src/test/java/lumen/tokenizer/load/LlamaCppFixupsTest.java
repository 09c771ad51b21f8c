package lumen.tokenizer.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import lumen.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * The token-type and end-of-generation fix-ups llama.cpp makes while loading a GGUF vocabulary
 * (llama_vocab::impl::load), on small SentencePiece vocabularies whose special tokens are stored as plain text.
 */
class LlamaCppFixupsTest {

    /** A SentencePiece vocabulary: unk, bos, the given tokens (all stored NORMAL), then single letters. */
    private static Tokenizer spm(Map<String, Object> extra, String... specials) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>"));
        tokens.addAll(List.of(specials));
        for (char c = 'a'; c <= 'z'; c++) tokens.add(String.valueOf(c));
        tokens.add("\u2581");
        Map<String, Object> md = new HashMap<>(extra);
        md.put("tokenizer.ggml.model", "llama");
        md.put("tokenizer.ggml.tokens", tokens);
        md.put("tokenizer.ggml.scores", IntStream.range(0, tokens.size()).mapToObj(i -> (Object) (float) -i).toList());
        md.put("tokenizer.ggml.token_type", IntStream.range(0, tokens.size()).mapToObj(i -> (Object) (i == 0 ? 2 : i == 1 ? 3 : 1)).toList());
        md.put("tokenizer.ggml.eos_token_id", 1);
        return Tokenizers.fromGguf(md);
    }

    private static List<Integer> endsOfGeneration(Tokenizer t) {
        return IntStream.range(0, t.vocabSize()).filter(t::isEndOfGeneration).boxed().toList();
    }

    @Test
    void endOfTurnAndFillInTheMiddleTextsBecomeControlTokens() {
        Tokenizer t = spm(Map.of(), "<|im_end|>", "<|fim_prefix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "</s>");
        // ids 2..7; control tokens are matched only when special text is parsed
        assertEquals(List.of(1, 2, 4, 5, 6, 7), endsOfGeneration(t));   // eos, <|im_end|>, fim pad/repo/sep, </s>
        assertArrayEquals(new int[] {3}, t.encode("<|fim_prefix|>", false, true));
        assertEquals(1 + "<|fim_prefix|>".length(), t.encode("<|fim_prefix|>", false, false).length);   // ▁ and 14 letters/signs
    }

    @Test
    void gptOssEndIsNotAnEndOfGenerationAndItsMarkersAreAlwaysMatched() {
        Tokenizer t = spm(Map.of(), "<|return|>", "<|call|>", "<|end|>", "<|channel|>");
        assertEquals(List.of(1, 2, 3), endsOfGeneration(t));   // not <|end|> (4)
        assertArrayEquals(new int[] {4}, t.encode("<|end|>", false, false));      // user-defined: matched without parsing specials
        assertArrayEquals(new int[] {5}, t.encode("<|channel|>", false, false));
    }

    @Test
    void gemma4SlashSIsPlainText() {
        Tokenizer t = spm(Map.of(), "<|tool_response>", "</s>");
        assertEquals(List.of(1, 2), endsOfGeneration(t));   // not </s> (3)
        assertEquals(false, t.isSpecial(3));
    }

    @Test
    void theGgufsOwnEndOfTurnIdWins() {
        Tokenizer t = spm(Map.of("tokenizer.ggml.eot_token_id", 3), "<|im_end|>", "<turn>");
        assertEquals(List.of(1, 2, 3), endsOfGeneration(t));
    }
}
