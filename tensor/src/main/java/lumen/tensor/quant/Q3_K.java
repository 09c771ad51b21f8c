package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: super-blocks of 256 values in 16 sub-blocks of 16, 110 bytes (ggml {@code block_q3_K});
 * value = d·(sc − 32)·(q − 4·!hbit) with q the low 2 bits and a 6-bit sc per sub-block.
 * <pre>
 * offset 0              32                     96            108    110
 *        +--------------+----------------------+-------------+------+
 *        | hmask[0..31] | qs[0..63]            | scales[12]  | d    |
 *        | high bits    | low 2 bits per value | 6-bit packed| fp16 |
 *        +--------------+----------------------+-------------+------+
 * </pre>
 * Value i (h = i/128, j = (i%128)/32, l = i%32): low bits (qs[32h + l] &gt;&gt; 2j) &amp; 3, high bit
 * (hmask[l] &gt;&gt; (4h + j)) &amp; 1, sub-block s = i/16. Scale s: low 4 bits from scales[s] (s &lt; 8) or
 * scales[s − 8] &gt;&gt; 4, high 2 bits (scales[8 + s%4] &gt;&gt; 2·(s/4)) &amp; 3.
 * Activations: {@link Q8_K}.
 */
public final class Q3_K {
    private Q3_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 110;

    /** The 16 signed sub-block scales (sc − 32). */
    static void scales(MemorySegment s, long p, int[] out) {
        long sp = p + 96;
        for (int j = 0; j < 16; j++) {
            int low = j < 8 ? Bytes.u8(s, sp + j) & 0xF : Bytes.u8(s, sp + j - 8) >> 4;
            int high = (Bytes.u8(s, sp + 8 + (j & 3)) >> (2 * (j >> 2))) & 3;
            out[j] = (low | (high << 4)) - 32;
        }
    }

    static int q(MemorySegment s, long p, int i) {
        int h = i >> 7, j = (i & 127) >> 5, l = i & 31;
        int low = (Bytes.u8(s, p + 32 + 32 * h + l) >> (2 * j)) & 3;
        int hbit = (Bytes.u8(s, p + l) >> (4 * h + j)) & 1;
        return low - (hbit != 0 ? 0 : 4);
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q3_K", k, BLOCK);
        int[] sc = new int[16];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p + 108);
            scales(src, p, sc);
            for (int i = 0; i < BLOCK; i++) dst[dstOff + b * BLOCK + i] = d * sc[i / 16] * q(src, p, i);
        }
    }

    /** ggml_vec_dot_q3_K_q8_K: d·d_x·Σ (sc − 32)·Σq·q_x, the sums in int. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, short[] bsums, int eo) {
        float sum = 0;
        int[] sc = new int[16];
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            scales(w, p, sc);
            int isum = 0;
            for (int s = 0; s < 16; s++) {
                int isuml = 0;
                for (int i = 16 * s; i < 16 * s + 16; i++) isuml += q[e + i] * q(w, p, i);
                isum += sc[s] * isuml;
            }
            sum += (Bytes.f16(w, p + 108) * d[e / BLOCK]) * isum;
        }
        return sum;
    }
}
