package lumen.api;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;
import lumen.engine.EngineException;
import lumen.engine.run.Sequence;
import lumen.sampler.Sampler;
import lumen.sampler.SamplingParams;
import lumen.sampler.constraint.Matcher;
import lumen.tokenizer.StreamDecoder;
import lumen.tokenizer.Tokenizer;

/** One sequence on a model: evaluate tokens, read logits, generate text. Not thread-safe. */
public final class Session {

    /** Why generation ended. */
    public enum StopReason { END_OF_GENERATION, MAX_TOKENS, CONTEXT_FULL }

    /**
     * The outcome of {@link #generate}.
     *
     * @param tokens           the generated ids (including an end-of-generation token if one ended it)
     * @param text             their text, special tokens omitted
     * @param promptTokens     tokens evaluated for the prompt
     * @param promptNanos      time to evaluate the prompt
     * @param generationNanos  time from the first generated token to the last
     */
    public record Generation(int[] tokens, String text, StopReason stopReason, int promptTokens, long promptNanos,
                             long generationNanos) {
    }

    private final Model model;
    private final Sequence sequence;

    Session(Model model, Sequence sequence) {
        this.model = model;
        this.sequence = sequence;
    }

    /** Positions held so far. */
    public int position() {
        return sequence.position();
    }

    /** Positions the context holds. */
    public int capacity() {
        return sequence.capacity();
    }

    /** Empties the sequence. */
    public void reset() {
        sequence.reset();
    }

    /** Appends tokens; returns the logits after the last ([vocab]). */
    public float[] evaluate(int[] tokens) {
        checkTokens(tokens);
        return sequence.append(tokens);
    }

    /** Appends tokens as one batch per {@code batchSize}; returns the logits after each ([n][vocab] row-major). */
    public float[] evaluateAll(int[] tokens) {
        checkTokens(tokens);
        return sequence.appendAll(tokens);
    }

    private void checkTokens(int[] tokens) {
        if (tokens.length == 0) throw new EngineException("no tokens to evaluate");
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= model.vocabSize()) {
                throw new EngineException("token #" + i + " is " + tokens[i] + ", outside the vocabulary [0, " + model.vocabSize() + ")");
            }
        }
        if (position() + tokens.length > capacity()) {
            throw new EngineException("context is full: " + (position() + tokens.length) + " tokens needed, the context holds "
                    + capacity() + " (raise --ctx)");
        }
    }

    /**
     * Evaluates the prompt and samples up to {@code maxTokens} tokens, stopping early at an
     * end-of-generation token or when the context is full ({@link Integer#MAX_VALUE}: no limit but
     * those). Text is passed to {@code onText} as soon as it is complete UTF-8.
     */
    public Generation generate(int[] prompt, int maxTokens, SamplingParams params, Consumer<String> onText) {
        return generate(prompt, maxTokens, params, OutputConstraint.NONE, onText);
    }

    /**
     * As {@link #generate(int[], int, SamplingParams, Consumer)}, with every token chosen among those the
     * constraint allows; generation also ends when the constraint admits nothing but end-of-generation.
     */
    public Generation generate(int[] prompt, int maxTokens, SamplingParams params, OutputConstraint constraint,
                               Consumer<String> onText) {
        Tokenizer tokenizer = model.tokenizer();
        Matcher matcher = constraint instanceof OutputConstraint.None ? null : model.compile(constraint).start();
        BitSet allowed = new BitSet(model.vocabSize());
        Sampler sampler = new Sampler(params);
        for (int t : prompt) sampler.accept(t);
        long start = System.nanoTime();
        float[] logits = evaluate(prompt);
        long promptNanos = System.nanoTime() - start;
        StreamDecoder decoder = tokenizer.streamDecoder(false);
        // The output continues the prompt: feeding the prompt's last token first keeps a decoder from
        // treating the first generated token as the start of a text (where SentencePiece drops a space).
        decoder.push(prompt[prompt.length - 1]);
        StringBuilder text = new StringBuilder();
        // at most one token more than the context has room for (the last is sampled, not evaluated)
        int[] out = new int[Math.max(0, Math.min(maxTokens, capacity() - position() + 1))];
        int n = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        long genStart = System.nanoTime();
        while (n < maxTokens) {
            if (Thread.currentThread().isInterrupted()) break;
            if (matcher != null) matcher.fillMask(allowed);
            int token = sampler.sample(logits, matcher != null ? allowed : null);
            if (n == out.length) break;   // not reached: the context fills first
            out[n++] = token;
            sampler.accept(token);
            if (matcher != null) matcher.accept(token);
            if (tokenizer.isEndOfGeneration(token)) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            String piece = decoder.push(token);
            if (!piece.isEmpty()) {
                text.append(piece);
                onText.accept(piece);
            }
            if (matcher != null && matcher.isFinished()) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            if (n == maxTokens) break;
            if (position() >= capacity()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = sequence.append(new int[] {token});
        }
        String rest = decoder.flush();
        if (!rest.isEmpty()) {
            text.append(rest);
            onText.accept(rest);
        }
        return new Generation(Arrays.copyOf(out, n), text.toString(), reason, prompt.length, promptNanos,
                System.nanoTime() - genStart);
    }
}
