package lumen.api;

/**
 * How to load a model.
 *
 * @param threads     compute threads (0: all available processors)
 * @param contextSize positions the KV cache holds (0: the trained context, capped so the cache takes at most 1/8 of the heap)
 * @param batchSize   tokens per forward call when processing a prompt
 */
public record ModelOptions(int threads, int contextSize, int batchSize) {
    public ModelOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, found " + threads);
        if (contextSize < 0) throw new IllegalArgumentException("context size must be >= 0, found " + contextSize);
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0, found " + batchSize);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, 0, 512);
    }

    public ModelOptions withThreads(int t) {
        return new ModelOptions(t, contextSize, batchSize);
    }

    public ModelOptions withContextSize(int c) {
        return new ModelOptions(threads, c, batchSize);
    }
}
