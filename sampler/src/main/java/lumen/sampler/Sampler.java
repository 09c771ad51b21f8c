package lumen.sampler;

import java.util.BitSet;
import java.util.SplittableRandom;
import lumen.sampler.process.Candidates;
import lumen.sampler.process.Penalties;

/**
 * Picks tokens from logits: logit bias, an optional mask of allowed tokens (constraints), penalties,
 * then greedy or top-k → top-p → min-p → temperature → a seeded random draw (llama.cpp's chain order).
 * One sampler follows one sequence: it remembers the tokens it was told about for the penalties.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    private final int[] recent;
    private int recentCount;
    private int recentNext;

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.recent = new int[Math.max(1, params.penaltyLastN())];
    }

    public SamplingParams params() {
        return params;
    }

    /** Records a token of the sequence (prompt or generated) for the penalties. */
    public void accept(int token) {
        recent[recentNext] = token;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }

    /**
     * Samples the next token. {@code logits} is not modified. {@code allowed}, when not null, lists the
     * only tokens that may be chosen (a constraint's mask).
     */
    public int sample(float[] logits, BitSet allowed) {
        float[] l = logits.clone();
        params.logitBias().forEach((id, bias) -> {
            if (id >= 0 && id < l.length) l[id] += bias;
        });
        if (allowed != null) {
            for (int id = allowed.nextClearBit(0); id < l.length; id = allowed.nextClearBit(id + 1)) l[id] = Float.NEGATIVE_INFINITY;
        }
        Penalties.apply(l, recent, recentCount, params.repeatPenalty(), params.presencePenalty(), params.frequencyPenalty());
        Candidates c = new Candidates(l);
        if (c.size() == 0) throw new IllegalStateException("no token is allowed: every logit is masked");
        if (params.temperature() == 0) return c.argmax();
        c.topK(params.topK());
        c.topP(params.topP());
        c.minP(params.minP());
        c.temperature(params.temperature());
        return c.draw(random.nextDouble());
    }
}
