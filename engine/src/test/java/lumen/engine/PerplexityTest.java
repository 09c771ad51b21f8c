package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lumen.api.Model;
import lumen.api.ModelOptions;
import lumen.api.Perplexity;
import org.junit.jupiter.api.Test;

/**
 * Perplexity's first chunk checked against llama.cpp's own logits: with a context of 100, chunk 1 is
 * the first 100 tokens of the reference's long prompt (BOS first), so its score, the NLL of tokens
 * 51..99 from rows 50..98, can be computed from the reference logits alone.
 */
class PerplexityTest {
    @Test
    void firstChunkMatchesThePerplexityOfLlamaCppsLogits() throws Exception {
        Fixtures.Case c = Fixtures.cases(List.of("lumen-demo-f32")).filter(x -> x.prompt().equals("long")).findFirst().orElseThrow();
        String text = new ObjectMapper().readTree(Fixtures.ROOT.resolve("reference/lumen-demo-f32/long.json").toFile()).get("prompt").asText();
        int ctx = 100, vocab = c.vocab();
        double nll = 0;
        for (int i = ctx / 2; i < ctx - 1; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < vocab; v++) max = Math.max(max, c.logits()[i * vocab + v]);
            for (int v = 0; v < vocab; v++) sum += Math.exp(c.logits()[i * vocab + v] - max);
            nll -= c.logits()[i * vocab + c.tokens()[i + 1]] - max - Math.log(sum);
        }
        double expected = Math.exp(nll / (ctx - 1 - ctx / 2));

        try (Model model = Model.load(Fixtures.model("lumen-demo-f32"), new ModelOptions(2, ctx, 512))) {
            assertArrayEquals(Arrays.copyOf(c.tokens(), ctx), Arrays.copyOf(model.encode(text, true), ctx), "tokenization of the prompt");
            List<Perplexity.Chunk> chunks = new ArrayList<>();
            Perplexity.Result r = Perplexity.compute(model, text, ctx, chunks::add);
            assertEquals(expected, chunks.get(0).runningPerplexity(), 1e-4 * expected);
            assertEquals(r.chunks(), chunks.size());
            assertEquals((long) r.chunks() * (ctx - 1 - ctx / 2), r.scoredTokens());
        }
    }

    /**
     * Every chunk's running perplexity over a 26-chunk text against what llama.cpp's llama-perplexity printed for
     * the same model, text and context (resources/perplexity: text and numbers, llama.cpp 0.7.0): the same
     * chunking, BOS per chunk and scored second halves, and the same numbers within float differences.
     */
    @Test
    void everyChunkMatchesLlamaCppsPerplexityTool() throws Exception {
        var ref = new ObjectMapper().readTree(java.nio.file.Path.of("src/test/resources/perplexity/stories.llama-cpp.json").toFile());
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/perplexity/stories.txt"));
        int ctx = ref.get("ctx").asInt();
        try (Model model = Model.load(Fixtures.model("lumen-demo-f32"), new ModelOptions(2, ctx, ref.get("batch").asInt()))) {
            List<Perplexity.Chunk> chunks = new ArrayList<>();
            Perplexity.compute(model, text, ctx, chunks::add);
            assertEquals(ref.get("running_perplexity").size(), chunks.size(), "chunks");
            for (int i = 0; i < chunks.size(); i++) {
                double want = ref.get("running_perplexity").get(i).asDouble();
                assertEquals(want, chunks.get(i).runningPerplexity(), 5e-4 * want, "chunk " + (i + 1));
            }
        }
    }
}
