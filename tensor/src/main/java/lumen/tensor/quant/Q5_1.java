package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: blocks of 32 values, 24 bytes (ggml {@code block_q5_1}); value = d·q + m, q in 0..31.
 * <pre>
 * offset 0      2      4               8                      24
 *        +------+------+---------------+----------------------+
 *        | d    | m    | qh  uint32 LE | qs[0..15]            |   as {@link Q5_0}
 *        | fp16 | fp16 | bit j = bit 4 of q[j]                |
 *        +------+------+---------------+----------------------+
 * </pre>
 * Activations: {@link Q8_1}.
 */
public final class Q5_1 {
    private Q5_1() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 24;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q5_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p), m = Bytes.f16(src, p + 2);
            int qh = src.get(Bytes.INT, p + 4);
            int o = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(src, p + 8 + j);
                int x0 = (v & 0xF) | (((qh >>> j) & 1) << 4);
                int x1 = (v >> 4) | (((qh >>> (j + 16)) & 1) << 4);
                dst[o + j] = x0 * d + m;
                dst[o + j + 16] = x1 * d + m;
            }
        }
    }

    /** ggml_vec_dot_q5_1_q8_1: (d_w·d_x)·Σq_w·q_x + m_w·s_x per block, summed in float. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, float[] s, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int qh = w.get(Bytes.INT, p + 4);
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(w, p + 8 + j);
                int x0 = (v & 0xF) | (((qh >>> j) & 1) << 4);
                int x1 = (v >> 4) | (((qh >>> (j + 16)) & 1) << 4);
                isum += x0 * q[e + j] + x1 * q[e + j + 16];
            }
            sum += (Bytes.f16(w, p) * d[e / BLOCK]) * isum + Bytes.f16(w, p + 2) * s[e / BLOCK];
        }
        return sum;
    }

    /** quantize_row_q5_1_ref: d = (max − min)/31, m = min, q = (int)((x − min)/d + 0.5). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q5_1", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (int j = 0; j < BLOCK; j++) {
                min = Math.min(min, x[xb + j]);
                max = Math.max(max, x[xb + j]);
            }
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putF16(dst, p, d);
            Bytes.putF16(dst, p + 2, min);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int x0 = (int) ((x[xb + j] - min) * id + 0.5f);
                int x1 = (int) ((x[xb + j + 16] - min) * id + 0.5f);
                Bytes.put8(dst, p + 8 + j, (x0 & 0xF) | ((x1 & 0xF) << 4));
                qh |= ((x0 & 0x10) >>> 4) << j;
                qh |= ((x1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(Bytes.INT, p + 4, qh);
        }
    }
}
