package lumen.engine.run;

import lumen.engine.Compute;
import lumen.engine.arch.Architecture;
import lumen.engine.cache.SequenceState;

/**
 * One sequence being evaluated: the model's state for it (KV cache) and how many positions it holds.
 * A prompt is fed in batches of up to {@code batchSize} tokens (one forward call each), decoding one
 * token at a time; both paths give the same numbers. The sequences of one model share its {@link Compute}
 * (thread pool, kept buffers), so their forward passes take turns: sequences on other threads wait.
 */
public final class Sequence {
    private final Architecture model;
    private final Compute compute;
    private final SequenceState state;
    private final int batchSize;
    private int position;

    public Sequence(Architecture model, Compute compute, int contextSize, int batchSize) {
        this.model = model;
        this.compute = compute;
        this.state = model.newState(contextSize);
        this.batchSize = batchSize;
    }

    /** Positions filled so far. */
    public int position() {
        return position;
    }

    public int capacity() {
        return state.capacity();
    }

    /** Forgets every position (the cache is overwritten from position 0 on). */
    public void reset() {
        position = 0;
    }

    /** Appends tokens; returns the logits after the last one ([vocab]). */
    public float[] append(int[] tokens) {
        float[] last = new float[model.vocabSize()];
        for (int start = 0; start < tokens.length; start += batchSize) {
            int[] batch = java.util.Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + batchSize));
            synchronized (compute) {
                model.forward(compute, state, batch, position, last, false);
            }
            position += batch.length;
        }
        return last;
    }

    /** Appends tokens; returns the logits after every one of them ([n][vocab]). */
    public float[] appendAll(int[] tokens) {
        int vocab = model.vocabSize();
        float[] all = new float[tokens.length * vocab];
        for (int start = 0; start < tokens.length; start += batchSize) {
            int[] batch = java.util.Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + batchSize));
            float[] logits = new float[batch.length * vocab];
            synchronized (compute) {
                model.forward(compute, state, batch, position, logits, true);
            }
            System.arraycopy(logits, 0, all, start * vocab, logits.length);
            position += batch.length;
        }
        return all;
    }
}
