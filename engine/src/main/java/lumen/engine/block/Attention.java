package lumen.engine.block;

import lumen.engine.cache.KvCache;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.parallel.ThreadPool;

/**
 * Causal scaled dot-product attention with grouped-query heads (Ainslie et al. 2023) over the KV cache:
 * for each new token at position p and each query head h, softmax(q·Kᵀ·scale) over positions 0..p
 * of key/value head h / (heads / kvHeads), times V.
 *
 * <p>The scores (keys are stored position-minor) and the weighted sums of V both go through
 * {@link Kernels#addMatrixProduct}, whose results depend only on the vectors, so a token attends to the
 * same bits alone or in a batch.
 */
public final class Attention {
    private Attention() {
    }

    /** Each thread's score rows, kept between calls (they grow with the context: fresh ones each layer were cold memory). */
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] scores(int n) {
        float[] s = SCORES.get();
        if (s.length < n) {
            s = new float[Math.max(n, 2 * s.length)];
            SCORES.set(s);
        }
        return s;
    }

    /**
     * Attends {@code n} tokens at positions pos..pos+n-1 (already written to the cache).
     * q is [n][heads*headDim], out is [n][heads*valueDim].
     */
    public static void attend(ThreadPool pool, KvCache cache, int layer, float[] q, float[] out, int n, int pos,
                              int heads, float scale) {
        int kvHeads = cache.kvHeads(), headDim = cache.keyDim(), valueDim = cache.valueDim(), tile = KvCache.KEY_TILE;
        int group = heads / kvHeads;
        float[] keys = cache.keys(layer), values = cache.values(layer);
        int vStride = kvHeads * valueDim;
        Kernels kernels = KernelProvider.get();
        // one task per (token, kv head): the query heads of a group read their keys and values once
        pool.parallelFor(n * kvHeads, (start, end) -> {
            float[] scores = scores(group * (pos + n));   // [group][positions]
            for (int task = start; task < end; task++) {
                int t = task / kvHeads, g = task % kvHeads, p = pos + t, stride = p + 1;
                int qo = (t * heads + g * group) * headDim;
                java.util.Arrays.fill(scores, 0, group * stride, 0f);
                for (int j = 0; j <= p; j += tile) {
                    kernels.addMatrixProduct(q, qo, headDim, group, headDim, keys, cache.keyTile(g, j / tile), tile,
                            scores, j, stride, Math.min(tile, p + 1 - j));
                }
                for (int r = 0; r < group; r++) kernels.softmax(scores, r * stride, p + 1, scale);
                int oo = (t * heads + g * group) * valueDim;
                java.util.Arrays.fill(out, oo, oo + group * valueDim, 0f);
                kernels.addMatrixProduct(scores, 0, stride, group, p + 1, values, g * valueDim, vStride, out, oo, valueDim, valueDim);
            }
        });
    }
}
