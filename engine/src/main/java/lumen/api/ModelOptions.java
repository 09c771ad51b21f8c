package lumen.api;

/**
 * How to load a model.
 *
 * @param threads     compute threads (0: all available processors)
 * @param contextSize positions the KV cache holds (0: the trained context, capped so the cache takes at most 1/8 of the heap)
 * @param batchSize   tokens per forward call when processing a prompt
 * @param mmap        weights stay in the memory-mapped file (true) or are copied into off-heap memory
 *                    at load (false, llama.cpp's --no-mmap: slower to open; here one thread decoded Q8_0
 *                    ~15 % faster so, two threads the same)
 * @param repack      weight matrices copied at load into the layout the kernels multiply fastest
 *                    (true, as llama.cpp's CPU repack buffers: Q4_0, Q8_0, Q4_K and Q6_K matrices in groups
 *                    of 32 interleaved rows where 512-bit vectors are native; decoding runs 2–3× faster,
 *                    at the cost of a copy of those weights in memory and a moment at load; skipped when the
 *                    weights do not fit beside the heap in three quarters of the physical memory) or used
 *                    where they lie (false, llama.cpp's --no-repack)
 */
public record ModelOptions(int threads, int contextSize, int batchSize, boolean mmap, boolean repack) {
    public ModelOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, found " + threads);
        if (contextSize < 0) throw new IllegalArgumentException("context size must be >= 0, found " + contextSize);
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be > 0, found " + batchSize);
    }

    /** Memory-mapped weights, repacked. */
    public ModelOptions(int threads, int contextSize, int batchSize) {
        this(threads, contextSize, batchSize, true, true);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, 0, 512);
    }

    public ModelOptions withThreads(int t) {
        return new ModelOptions(t, contextSize, batchSize, mmap, repack);
    }

    public ModelOptions withContextSize(int c) {
        return new ModelOptions(threads, c, batchSize, mmap, repack);
    }

    public ModelOptions withMmap(boolean m) {
        return new ModelOptions(threads, contextSize, batchSize, m, repack);
    }

    public ModelOptions withRepack(boolean r) {
        return new ModelOptions(threads, contextSize, batchSize, mmap, r);
    }
}
