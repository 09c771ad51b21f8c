package lumen.engine.cache;

import lumen.engine.EngineException;

/**
 * Keys and values of every layer for positions 0..capacity-1, in F32 (llama.cpp's references use an
 * F32 cache). Layout per layer: [position][kvHeads × dim].
 */
public final class KvCache implements SequenceState {
    private final int capacity, kvHeads, keyDim, valueDim;
    private final float[][] keys, values;

    public KvCache(int layers, int capacity, int kvHeads, int keyDim, int valueDim) {
        long perLayer = (long) capacity * kvHeads * Math.max(keyDim, valueDim);
        if (perLayer > Integer.MAX_VALUE - 16) {
            throw new EngineException("context " + capacity + " is too large for the KV cache (" + perLayer + " floats per layer)");
        }
        this.capacity = capacity;
        this.kvHeads = kvHeads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        keys = new float[layers][capacity * kvHeads * keyDim];
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

    public float[] keys(int layer) {
        return keys[layer];
    }

    public float[] values(int layer) {
        return values[layer];
    }

    /** Stores n rows of keys [n][kvHeads*keyDim] and values for positions pos..pos+n-1. */
    public void store(int layer, int pos, int n, float[] k, float[] v) {
        int kw = kvHeads * keyDim, vw = kvHeads * valueDim;
        System.arraycopy(k, 0, keys[layer], pos * kw, n * kw);
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
