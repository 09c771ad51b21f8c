package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: super-blocks of 256 values in 8 sub-blocks of 32, 144 bytes (ggml {@code block_q4_K});
 * value = d·sc·q − dmin·m with q in 0..15 and 6-bit sc, m per sub-block.
 * <pre>
 * offset 0      2      4               16                         144
 *        +------+------+---------------+--------------------------+
 *        | d    | dmin | scales[12]    | qs[0..127]               |
 *        | fp16 | fp16 | 8 sc + 8 m,   | 32 bytes per sub-block pair:
 *        |      |      | 6 bits each   | low nibble 2p, high 2p+1 |
 *        +------+------+---------------+--------------------------+
 * </pre>
 * Scale packing ({@code get_scale_min_k4}): for j &lt; 4, sc = scales[j] &amp; 63, m = scales[j+4] &amp; 63;
 * for j ≥ 4, sc = (scales[j+4] &amp; 15) | (scales[j−4] &gt;&gt; 6) &lt;&lt; 4, m = (scales[j+4] &gt;&gt; 4) | (scales[j] &gt;&gt; 6) &lt;&lt; 4.
 * Activations: {@link Q8_K}.
 */
public final class Q4_K {
    private Q4_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 144;

    /** get_scale_min_k4 over the 12 scale bytes at {@code sp}: sc[0..7], m[0..7]. */
    public static void scaleMin(MemorySegment s, long sp, int[] sc, int[] m) {
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                sc[j] = Bytes.u8(s, sp + j) & 63;
                m[j] = Bytes.u8(s, sp + j + 4) & 63;
            } else {
                sc[j] = (Bytes.u8(s, sp + j + 4) & 0xF) | ((Bytes.u8(s, sp + j - 4) >> 6) << 4);
                m[j] = (Bytes.u8(s, sp + j + 4) >> 4) | ((Bytes.u8(s, sp + j) >> 6) << 4);
            }
        }
    }

    static int q(MemorySegment s, long p, int i) {
        int sub = i >> 5, l = i & 31;
        int v = Bytes.u8(s, p + 16 + 32 * (sub >> 1) + l);
        return (sub & 1) == 0 ? v & 0xF : v >> 4;
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q4_K", k, BLOCK);
        int[] sc = new int[8], m = new int[8];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p), dmin = Bytes.f16(src, p + 2);
            scaleMin(src, p + 4, sc, m);
            for (int i = 0; i < BLOCK; i++) {
                float d1 = d * sc[i >> 5], m1 = dmin * m[i >> 5];
                dst[dstOff + b * BLOCK + i] = d1 * q(src, p, i) - m1;
            }
        }
    }

    /** ggml_vec_dot_q4_K_q8_K: d·d_x·Σ sc·Σq·q_x − dmin·d_x·Σ m·bsum, the sums in int. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, short[] bsums, int eo) {
        float sum = 0;
        int[] sc = new int[8], m = new int[8];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            scaleMin(w, p + 4, sc, m);
            int isum = 0, msum = 0;
            for (int s = 0; s < 8; s++) {
                int isuml = 0;
                for (int i = 32 * s; i < 32 * s + 32; i++) isuml += q[e + i] * q(w, p, i);
                isum += sc[s] * isuml;
                msum += m[s] * (bsums[e / 16 + 2 * s] + bsums[e / 16 + 2 * s + 1]);
            }
            float dAll = Bytes.f16(w, p) * d[e / BLOCK];
            float dMin = Bytes.f16(w, p + 2) * d[e / BLOCK];
            sum += dAll * isum - dMin * msum;
        }
        return sum;
    }

    /**
     * A simple Q4_K quantizer (not ggml's make_qkx2_quants search): per sub-block scale (max − min)/15
     * and min −min(0, x); the 8 scales and mins are quantized to 6 bits against their maxima (d, dmin),
     * then each value is re-quantized with the 6-bit scale it will be read back with.
     */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q4_K", k, BLOCK);
        float[] scales = new float[8], mins = new float[8];
        int[] ls = new int[8], lm = new int[8];
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float maxScale = 0, maxMin = 0;
            for (int s = 0; s < 8; s++) {
                float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
                for (int i = 0; i < 32; i++) {
                    lo = Math.min(lo, x[xb + 32 * s + i]);
                    hi = Math.max(hi, x[xb + 32 * s + i]);
                }
                lo = Math.min(lo, 0);
                scales[s] = (hi - lo) / 15;
                mins[s] = -lo;
                maxScale = Math.max(maxScale, scales[s]);
                maxMin = Math.max(maxMin, mins[s]);
            }
            float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
            float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
            for (int s = 0; s < 8; s++) {
                ls[s] = Math.min(63, Bytes.nearestInt(invScale * scales[s]));
                lm[s] = Math.min(63, Bytes.nearestInt(invMin * mins[s]));
            }
            for (int j = 0; j < 12; j++) Bytes.put8(dst, p + 4 + j, 0);
            for (int j = 0; j < 8; j++) {
                if (j < 4) {
                    Bytes.put8(dst, p + 4 + j, ls[j]);
                    Bytes.put8(dst, p + 4 + j + 4, lm[j]);
                } else {
                    Bytes.put8(dst, p + 4 + j + 4, (ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                    Bytes.put8(dst, p + 4 + j - 4, Bytes.u8(dst, p + 4 + j - 4) | ((ls[j] >> 4) << 6));
                    Bytes.put8(dst, p + 4 + j, Bytes.u8(dst, p + 4 + j) | ((lm[j] >> 4) << 6));
                }
            }
            Bytes.putF16(dst, p, maxScale / 63.f);
            Bytes.putF16(dst, p + 2, maxMin / 63.f);
            float d = Bytes.f16(dst, p), dmin = Bytes.f16(dst, p + 2);
            int[] sc = new int[8], m = new int[8];
            scaleMin(dst, p + 4, sc, m);
            int[] levels = new int[BLOCK];
            for (int s = 0; s < 8; s++) {
                float dl = d * sc[s], ml = dmin * m[s];
                for (int i = 0; i < 32; i++) {
                    int l = dl != 0 ? Bytes.nearestInt((x[xb + 32 * s + i] + ml) / dl) : 0;
                    levels[32 * s + i] = Math.max(0, Math.min(15, l));
                }
            }
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    Bytes.put8(dst, p + 16 + 32 * j + l, levels[64 * j + l] | (levels[64 * j + 32 + l] << 4));
                }
            }
        }
    }
}
