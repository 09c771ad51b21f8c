package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: blocks of 32 values, 20 bytes (ggml {@code block_q4_1}); value = d·q + m, q in 0..15.
 * <pre>
 * offset 0      2      4                      20
 *        +------+------+----------------------+
 *        | d    | m    | qs[0..15]            |   qs[j] = q[j] | q[j+16] &lt;&lt; 4
 *        | fp16 | fp16 |                      |
 *        +------+------+----------------------+
 * </pre>
 * Activations: {@link Q8_1} (its s = d·Σq carries the m term).
 */
public final class Q4_1 {
    private Q4_1() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 20;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q4_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p), m = Bytes.f16(src, p + 2);
            int o = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(src, p + 4 + j);
                dst[o + j] = (v & 0xF) * d + m;
                dst[o + j + 16] = (v >> 4) * d + m;
            }
        }
    }

    /** ggml_vec_dot_q4_1_q8_1: (d_w·d_x)·Σq_w·q_x + m_w·s_x per block, summed in float. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, float[] s, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(w, p + 4 + j);
                isum += (v & 0xF) * q[e + j] + (v >> 4) * q[e + j + 16];
            }
            sum += (Bytes.f16(w, p) * d[e / BLOCK]) * isum + Bytes.f16(w, p + 2) * s[e / BLOCK];
        }
        return sum;
    }

    /** quantize_row_q4_1_ref: d = (max − min)/15, m = min, q = min(15, (int)((x − min)/d + 0.5)). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q4_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < BLOCK; j++) {
                min = Math.min(min, x[xb + j]);
                max = Math.max(max, x[xb + j]);
            }
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putF16(dst, p, d);
            Bytes.putF16(dst, p + 2, min);
            for (int j = 0; j < 16; j++) {
                int x0 = Math.min(15, (int) ((x[xb + j] - min) * id + 0.5f));
                int x1 = Math.min(15, (int) ((x[xb + j + 16] - min) * id + 0.5f));
                Bytes.put8(dst, p + 4 + j, x0 | (x1 << 4));
            }
        }
    }
}
