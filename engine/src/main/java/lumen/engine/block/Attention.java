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
 * <p>The scores go through {@link Kernels#dotColumns} (keys are stored position-minor) and the weighted
 * sum of V through {@link Kernels#addWeightedRows}, whose results depend only on the vectors, so a
 * token attends to the same bits alone or in a batch.
 */
public final class Attention {
    private Attention() {
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
        pool.parallelFor(n * heads, (start, end) -> {
            float[] scores = new float[pos + n];
            for (int task = start; task < end; task++) {
                int t = task / heads, h = task % heads, g = h / group, p = pos + t;
                int qo = t * heads * headDim + h * headDim;
                for (int j = 0; j <= p; j += tile) {
                    kernels.dotColumns(q, qo, headDim, keys, cache.keyTile(g, j / tile), tile, scores, j, Math.min(tile, p + 1 - j));
                }
                kernels.softmax(scores, 0, p + 1, scale);
                int oo = t * heads * valueDim + h * valueDim;
                for (int d = 0; d < valueDim; d++) out[oo + d] = 0;
                kernels.addWeightedRows(scores, 0, p + 1, values, g * valueDim, vStride, out, oo, valueDim);
            }
        });
    }
}
