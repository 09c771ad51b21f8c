package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q8_K: blocks of 256 values, 292 bytes (ggml {@code block_q8_K}); value = d·q, bsums[i] = Σ of q over
 * the 16 values 16i..16i+15.
 * <pre>
 * offset 0      4                         260                    292
 *        +------+-------------------------+----------------------+
 *        | d    | qs[0..255] int8         | bsums[0..15] int16   |
 *        | f32  |                         |                      |
 *        +------+-------------------------+----------------------+
 * </pre>
 * Only an activation format: what llama.cpp rounds activations to for all K-quant weights. As
 * activations it lives as arrays {@code q}, {@code d} (float) and {@code bsums}.
 */
public final class Q8_K {
    private Q8_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 292;

    /**
     * quantize_row_q8_K_ref: max = the element of largest magnitude (first one on ties),
     * iscale = −127/max, q = min(127, nearest(iscale·x)), d = 1/iscale; an all-zero block gets d = 0.
     */
    public static void quantizeActivation(float[] x, int xOff, int k, byte[] q, float[] d, short[] bsums, int eo) {
        Bytes.checkBlocks("Q8_K", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            int e = eo + b * BLOCK;
            float max = 0, amax = 0;
            for (int j = 0; j < BLOCK; j++) {
                float ax = Math.abs(x[xb + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xb + j];
                }
            }
            if (amax == 0) {
                d[e / BLOCK] = 0;
                for (int j = 0; j < BLOCK; j++) q[e + j] = 0;
                for (int j = 0; j < BLOCK / 16; j++) bsums[e / 16 + j] = 0;
                continue;
            }
            float iscale = -127.f / max;
            for (int j = 0; j < BLOCK; j++) q[e + j] = (byte) Math.min(127, Bytes.nearestInt(iscale * x[xb + j]));
            for (int j = 0; j < BLOCK / 16; j++) {
                int sum = 0;
                for (int i = 0; i < 16; i++) sum += q[e + 16 * j + i];
                bsums[e / 16 + j] = (short) sum;
            }
            d[e / BLOCK] = 1 / iscale;
        }
    }

    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        byte[] q = new byte[k];
        float[] d = new float[k / BLOCK];
        short[] bs = new short[k / 16];
        quantizeActivation(x, xOff, k, q, d, bs, 0);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = dstOff + (long) b * BYTES;
            dst.set(Bytes.FLOAT, p, d[b]);
            for (int j = 0; j < BLOCK; j++) Bytes.put8(dst, p + 4 + j, q[b * BLOCK + j]);
            for (int j = 0; j < 16; j++) dst.set(Bytes.SHORT, p + 260 + 2L * j, bs[b * 16 + j]);
        }
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q8_K", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = src.get(Bytes.FLOAT, p);
            for (int j = 0; j < BLOCK; j++) dst[dstOff + b * BLOCK + j] = d * Bytes.i8(src, p + 4 + j);
        }
    }
}
