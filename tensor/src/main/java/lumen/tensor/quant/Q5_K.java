package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: super-blocks of 256 values in 8 sub-blocks of 32, 176 bytes (ggml {@code block_q5_K});
 * value = d·sc·q − dmin·m with q in 0..31 and 6-bit sc, m per sub-block (packed as in {@link Q4_K}).
 * <pre>
 * offset 0      2      4            16              48                        176
 *        +------+------+------------+---------------+-------------------------+
 *        | d    | dmin | scales[12] | qh[0..31]     | qs[0..127]              |
 *        | fp16 | fp16 |            | bit s of qh[l]| low nibbles as Q4_K     |
 *        +------+------+------------+---------------+-------------------------+
 * </pre>
 * Value i (s = i/32, l = i%32): q = nibble of qs[32·(s/2) + l] | ((qh[l] &gt;&gt; s) &amp; 1) &lt;&lt; 4.
 * Activations: {@link Q8_K}.
 */
public final class Q5_K {
    private Q5_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 176;

    static int q(MemorySegment s, long p, int i) {
        int sub = i >> 5, l = i & 31;
        int v = Bytes.u8(s, p + 48 + 32 * (sub >> 1) + l);
        int low = (sub & 1) == 0 ? v & 0xF : v >> 4;
        return low | (((Bytes.u8(s, p + 16 + l) >> sub) & 1) << 4);
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q5_K", k, BLOCK);
        int[] sc = new int[8], m = new int[8];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p), dmin = Bytes.f16(src, p + 2);
            Q4_K.scaleMin(src, p + 4, sc, m);
            for (int i = 0; i < BLOCK; i++) {
                float d1 = d * sc[i >> 5], m1 = dmin * m[i >> 5];
                dst[dstOff + b * BLOCK + i] = d1 * q(src, p, i) - m1;
            }
        }
    }

    /** ggml_vec_dot_q5_K_q8_K: d·d_x·Σ sc·Σq·q_x − dmin·d_x·Σ m·bsum, the sums in int. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, short[] bsums, int eo) {
        float sum = 0;
        int[] sc = new int[8], m = new int[8];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            Q4_K.scaleMin(w, p + 4, sc, m);
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
}
