package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: blocks of 32 values, 22 bytes (ggml {@code block_q5_0}); value = d·(q − 16), q in 0..31.
 * <pre>
 * offset 0      2               6                      22
 *        +------+---------------+----------------------+
 *        | d    | qh  uint32 LE | qs[0..15]            |   low 4 bits: qs[j] = q[j]&amp;15 | (q[j+16]&amp;15) &lt;&lt; 4
 *        | fp16 | bit j = bit 4 of q[j]                |   (j in 0..31)
 *        +------+---------------+----------------------+
 * </pre>
 * Activations: {@link Q8_0}.
 */
public final class Q5_0 {
    private Q5_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 22;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q5_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p);
            int qh = src.get(Bytes.INT, p + 2);
            int o = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(src, p + 6 + j);
                int x0 = ((v & 0xF) | (((qh >>> j) & 1) << 4)) - 16;
                int x1 = ((v >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16;
                dst[o + j] = x0 * d;
                dst[o + j + 16] = x1 * d;
            }
        }
    }

    /** ggml_vec_dot_q5_0_q8_0: exact integer block sum × (d_w·d_x), summed in float. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int qh = w.get(Bytes.INT, p + 2);
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(w, p + 6 + j);
                int x0 = ((v & 0xF) | (((qh >>> j) & 1) << 4)) - 16;
                int x1 = ((v >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16;
                isum += x0 * q[e + j] + x1 * q[e + j + 16];
            }
            sum += isum * (Bytes.f16(w, p) * d[e / BLOCK]);
        }
        return sum;
    }

    /** quantize_row_q5_0_ref: d = max/−16, q = min(31, (int)(x/d + 16.5)). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q5_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float max = Bytes.signedMaxAbs(x, xb, BLOCK);
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putF16(dst, p, d);
            int qh = 0;
            for (int j = 0; j < 16; j++) {
                int x0 = Math.min(31, (int) (x[xb + j] * id + 16.5f));
                int x1 = Math.min(31, (int) (x[xb + j + 16] * id + 16.5f));
                Bytes.put8(dst, p + 6 + j, (x0 & 0xF) | ((x1 & 0xF) << 4));
                qh |= ((x0 & 0x10) >>> 4) << j;
                qh |= ((x1 & 0x10) >>> 4) << (j + 16);
            }
            dst.set(Bytes.INT, p + 2, qh);
        }
    }
}
