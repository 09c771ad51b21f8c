package lumen.api;

import java.util.function.Consumer;
import lumen.engine.EngineException;

/**
 * Perplexity the way llama.cpp's {@code llama-perplexity} computes it, so figures compare: the text is
 * tokenized with BOS, cut into chunks of n_ctx tokens (the first token of each replaced by BOS when the
 * model adds one), each chunk evaluated from an empty cache, and only the second half of each chunk's
 * predictions scored (so every scored token has at least n_ctx/2 tokens of context).
 */
public final class Perplexity {
    private Perplexity() {
    }

    /** One chunk done: its 0-based index and the perplexity over all chunks so far. */
    public record Chunk(int index, double runningPerplexity) {
    }

    /** The estimate, its standard error (as llama.cpp prints after "+/-"), and what was scored. */
    public record Result(double perplexity, double uncertainty, int chunks, long scoredTokens) {
    }

    public static Result compute(Model model, String text, int contextSize, Consumer<Chunk> progress) {
        int[] tokens = model.encode(text, true);
        if (tokens.length < 2 * contextSize) {
            throw new EngineException("perplexity needs at least " + 2 * contextSize + " tokens for a context of "
                    + contextSize + "; the text has " + tokens.length);
        }
        int bos = model.tokenizer().bos();
        boolean addBos = tokens.length > 0 && bos >= 0 && tokens[0] == bos;
        int chunks = tokens.length / contextSize, first = contextSize / 2, vocab = model.vocabSize();
        double nll = 0, nll2 = 0;
        long count = 0;
        Session session = model.newSession();
        for (int c = 0; c < chunks; c++) {
            int[] chunk = java.util.Arrays.copyOfRange(tokens, c * contextSize, (c + 1) * contextSize);
            if (addBos) chunk[0] = bos;
            session.reset();
            float[] logits = session.evaluateAll(chunk);
            for (int i = first; i < contextSize - 1; i++) {
                double logProb = logSoftmax(logits, i * vocab, vocab, tokens[c * contextSize + i + 1]);
                nll -= logProb;
                nll2 += logProb * logProb;
                count++;
            }
            progress.accept(new Chunk(c, Math.exp(nll / count)));
        }
        double mean = nll / count, meanSquare = nll2 / count;
        double variance = meanSquare - mean * mean;
        double ppl = Math.exp(mean);
        double uncertainty = variance > 0 && count > 1 ? Math.sqrt(variance / (count - 1)) * ppl : 0;
        return new Result(ppl, uncertainty, chunks, count);
    }

    /** log softmax(row)[target], with the max subtracted and the sum in double. */
    static double logSoftmax(float[] logits, int offset, int n, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[offset + i] - max);
        return logits[offset + target] - max - Math.log(sum);
    }
}
