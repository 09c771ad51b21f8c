package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: super-blocks of 256 values in 16 sub-blocks of 16, 84 bytes (ggml {@code block_q2_K});
 * value = d·sc·q − dmin·m with q in 0..3 and 4-bit sc, m per sub-block.
 * <pre>
 * offset 0                16                       80     82     84
 *        +----------------+------------------------+------+------+
 *        | scales[0..15]  | qs[0..63]              | d    | dmin |
 *        | sc | m &lt;&lt; 4    | 2 bits per value       | fp16 | fp16 |
 *        +----------------+------------------------+------+------+
 * </pre>
 * Value i (h = i/128, j = (i%128)/32, l = i%32): q = (qs[32h + l] &gt;&gt; 2j) &amp; 3, sub-block i/16.
 * Activations: {@link Q8_K}.
 */
public final class Q2_K {
    private Q2_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 84;

    static int q(MemorySegment s, long p, int i) {
        int h = i >> 7, j = (i & 127) >> 5, l = i & 31;
        return (Bytes.u8(s, p + 16 + 32 * h + l) >> (2 * j)) & 3;
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q2_K", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p + 80), dmin = Bytes.f16(src, p + 82);
            for (int i = 0; i < BLOCK; i++) {
                int sc = Bytes.u8(src, p + i / 16);
                float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                dst[dstOff + b * BLOCK + i] = dl * q(src, p, i) - ml;
            }
        }
    }

    /** ggml_vec_dot_q2_K_q8_K: d·d_x·Σ sc·Σq·q_x − dmin·d_x·Σ m·bsum, the sums in int. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, short[] bsums, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int summs = 0, isum = 0;
            for (int s = 0; s < 16; s++) {
                int sc = Bytes.u8(w, p + s);
                summs += bsums[e / 16 + s] * (sc >> 4);
                int isuml = 0;
                for (int i = 16 * s; i < 16 * s + 16; i++) isuml += q[e + i] * q(w, p, i);
                isum += (sc & 0xF) * isuml;
            }
            float dall = d[e / BLOCK] * Bytes.f16(w, p + 80);
            float dmin = d[e / BLOCK] * Bytes.f16(w, p + 82);
            sum += dall * isum - dmin * summs;
        }
        return sum;
    }
}
