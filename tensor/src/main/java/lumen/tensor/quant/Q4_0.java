package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 values, 18 bytes (ggml {@code block_q4_0}); value = d·(q − 8), q in 0..15.
 * <pre>
 * offset 0      2                      18
 *        +------+----------------------+
 *        | d    | qs[0..15]            |   qs[j] = q[j] | q[j+16] &lt;&lt; 4
 *        | fp16 | low nibble: j, high: j+16
 *        +------+----------------------+
 * </pre>
 * Activations: {@link Q8_0}.
 */
public final class Q4_0 {
    private Q4_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 18;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q4_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p);
            int o = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(src, p + 2 + j);
                dst[o + j] = ((v & 0xF) - 8) * d;
                dst[o + j + 16] = ((v >> 4) - 8) * d;
            }
        }
    }

    /** ggml_vec_dot_q4_0_q8_0: exact integer block sum × (d_w·d_x), summed in float. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int isum = 0;
            for (int j = 0; j < 16; j++) {
                int v = Bytes.u8(w, p + 2 + j);
                isum += ((v & 0xF) - 8) * q[e + j] + ((v >> 4) - 8) * q[e + j + 16];
            }
            sum += isum * (Bytes.f16(w, p) * d[e / BLOCK]);
        }
        return sum;
    }

    /** quantize_row_q4_0_ref: d = max/−8 (max = the signed value of largest magnitude), q = min(15, (int)(x/d + 8.5)). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q4_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float max = Bytes.signedMaxAbs(x, xb, BLOCK);
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putF16(dst, p, d);
            for (int j = 0; j < 16; j++) {
                int x0 = Math.min(15, (int) (x[xb + j] * id + 8.5f));
                int x1 = Math.min(15, (int) (x[xb + j + 16] * id + 8.5f));
                Bytes.put8(dst, p + 2 + j, x0 | (x1 << 4));
            }
        }
    }
}
