package lumen.engine.cache;

import lumen.engine.EngineException;

/**
 * Keys and values of every layer for positions 0..capacity-1, in F32 (llama.cpp's references use an
 * F32 cache). Values per layer: [position][kvHeads × valueDim]. Keys per layer are stored position-minor
 * in tiles of {@link #KEY_TILE} positions, [kvHeads][tiles][keyDim][KEY_TILE]: a query's scores against a
 * tile are then lane-wise multiply-adds over its positions ({@code Kernels.addMatrixProduct}) instead of one
 * short dot product, with its sum across lanes, per position; and a tile is contiguous (rows of a
 * whole-context stride put every key dimension in the same cache sets: 2.4× slower, measured).
 */
public final class KvCache implements SequenceState {
    /** Positions per key tile. */
    public static final int KEY_TILE = 64;

    private final int capacity, tiles, kvHeads, keyDim, valueDim;
    private final float[][] keys, values;

    public KvCache(int layers, int capacity, int kvHeads, int keyDim, int valueDim) {
        long perLayer = (long) (capacity + KEY_TILE) * kvHeads * Math.max(keyDim, valueDim);
        if (perLayer > Integer.MAX_VALUE - 16) {
            throw new EngineException("context " + capacity + " is too large for the KV cache (" + perLayer + " floats per layer)");
        }
        this.capacity = capacity;
        this.tiles = (capacity + KEY_TILE - 1) / KEY_TILE;
        this.kvHeads = kvHeads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        keys = new float[layers][tiles * KEY_TILE * kvHeads * keyDim];
        values = new float[layers][capacity * kvHeads * valueDim];
    }

    /** Bytes a cache of this shape takes. */
    public static long bytes(int layers, int capacity, int kvHeads, int keyDim, int valueDim) {
        return 4L * layers * capacity * kvHeads * (keyDim + valueDim);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    /**
     * Keys of a layer, [kvHeads][tiles][keyDim][KEY_TILE]: dimension d of head h's key at position p is at
     * {@code keyTile(h, p / KEY_TILE) + d·KEY_TILE + p % KEY_TILE}.
     */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /** Where the tile of positions [tile·KEY_TILE, (tile+1)·KEY_TILE) of kv head h starts in {@link #keys}. */
    public int keyTile(int h, int tile) {
        return (h * tiles + tile) * keyDim * KEY_TILE;
    }

    /** Values of a layer, [capacity][kvHeads × valueDim]. */
    public float[] values(int layer) {
        return values[layer];
    }

    /** Stores n rows of keys [n][kvHeads*keyDim] and values [n][kvHeads*valueDim] for positions pos..pos+n-1. */
    public void store(int layer, int pos, int n, float[] k, float[] v) {
        int kw = kvHeads * keyDim, vw = kvHeads * valueDim;
        float[] kt = keys[layer];
        for (int t = 0; t < n; t++) {
            int p = pos + t;
            for (int h = 0; h < kvHeads; h++) {
                int o = keyTile(h, p / KEY_TILE) + p % KEY_TILE;
                for (int d = 0; d < keyDim; d++) kt[o + d * KEY_TILE] = k[t * kw + h * keyDim + d];
            }
        }
        System.arraycopy(v, 0, values[layer], pos * vw, n * vw);
    }

    /** Throws a clear error when n more tokens starting at pos do not fit. */
    public void checkRoom(int pos, int n) {
        if (pos + n > capacity) {
            throw new EngineException("context is full: " + (pos + n) + " tokens needed, the context holds " + capacity
                    + " (raise --ctx)");
        }
    }
}
