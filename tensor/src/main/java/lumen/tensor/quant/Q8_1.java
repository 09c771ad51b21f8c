package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q8_1: blocks of 32 values, 36 bytes (ggml {@code block_q8_1}); value = d·q, and s = d·Σq.
 * <pre>
 * offset 0      2      4                           36
 *        +------+------+---------------------------+
 *        | d    | s    | qs[0..31]  int8           |
 *        | fp16 | fp16 |                           |
 *        +------+------+---------------------------+
 * </pre>
 * Only an activation format: what llama.cpp rounds activations to for Q4_1 and Q5_1 weights. As
 * activations it lives as arrays {@code q}, {@code d} and {@code s} (both fp16-rounded floats).
 */
public final class Q8_1 {
    private Q8_1() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 36;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q8_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p);
            for (int j = 0; j < BLOCK; j++) dst[dstOff + b * BLOCK + j] = d * Bytes.i8(src, p + 4 + j);
        }
    }

    /** quantize_row_q8_1 (x86 AVX path): q = round-half-even(x·127/amax), d = fp16(amax/127), s = fp16(d·Σq). */
    public static void quantizeActivation(float[] x, int xOff, int k, byte[] q, float[] d, float[] s, int eo) {
        Bytes.checkBlocks("Q8_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            int e = eo + b * BLOCK;
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[xb + j]));
            float dd = amax / 127.f;
            float id = amax != 0 ? 127.f / amax : 0.0f;
            int sum = 0;
            for (int j = 0; j < BLOCK; j++) {
                int v = Bytes.nearestInt(x[xb + j] * id);
                q[e + j] = (byte) v;
                sum += v;
            }
            d[e / BLOCK] = F16.round(dd);
            s[e / BLOCK] = F16.round(dd * sum);
        }
    }

    /** Writes activation-format blocks as ggml's 36-byte {@code block_q8_1} (for tests and tools). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        byte[] q = new byte[k];
        float[] d = new float[k / BLOCK];
        float[] s = new float[k / BLOCK];
        quantizeActivation(x, xOff, k, q, d, s, 0);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = dstOff + (long) b * BYTES;
            Bytes.putF16(dst, p, d[b]);
            Bytes.putF16(dst, p + 2, s[b]);
            for (int j = 0; j < BLOCK; j++) Bytes.put8(dst, p + 4 + j, q[b * BLOCK + j]);
        }
    }
}
