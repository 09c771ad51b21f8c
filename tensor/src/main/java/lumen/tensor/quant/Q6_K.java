package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 values in 16 sub-blocks of 16, 210 bytes (ggml {@code block_q6_K});
 * value = d·sc·(q − 32) with q in 0..63 and a signed 8-bit sc per sub-block.
 * <pre>
 * offset 0                  128               192              208    210
 *        +------------------+-----------------+----------------+------+
 *        | ql[0..127]       | qh[0..63]       | scales[0..15]  | d    |
 *        | low 4 bits       | high 2 bits     | int8           | fp16 |
 *        +------------------+-----------------+----------------+------+
 * </pre>
 * Value i (h = i/128, c = (i%128)/32, l = i%32): low = ql[64h + 32·(c&amp;1) + l], low nibble for
 * c &lt; 2 else high nibble; high = (qh[32h + l] &gt;&gt; 2c) &amp; 3; sub-block i/16.
 * Activations: {@link Q8_K}.
 */
public final class Q6_K {
    private Q6_K() {}

    public static final int BLOCK = 256;
    public static final int BYTES = 210;

    /** The 6-bit level q − 32 of value i of the block at p. */
    static int q(MemorySegment s, long p, int i) {
        int h = i >> 7, c = (i & 127) >> 5, l = i & 31;
        int v = Bytes.u8(s, p + 64 * h + 32 * (c & 1) + l);
        int low = c < 2 ? v & 0xF : v >> 4;
        int high = (Bytes.u8(s, p + 128 + 32 * h + l) >> (2 * c)) & 3;
        return (low | (high << 4)) - 32;
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q6_K", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p + 208);
            for (int i = 0; i < BLOCK; i++) {
                dst[dstOff + b * BLOCK + i] = d * Bytes.i8(src, p + 192 + i / 16) * q(src, p, i);
            }
        }
    }

    /** ggml_vec_dot_q6_K_q8_K: d·d_x·Σ sc·Σ(q − 32)·q_x, the sums in int. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, short[] bsums, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int isum = 0;
            for (int s = 0; s < 16; s++) {
                int isuml = 0;
                for (int i = 16 * s; i < 16 * s + 16; i++) isuml += q[e + i] * q(w, p, i);
                isum += Bytes.i8(w, p + 192 + s) * isuml;
            }
            sum += (Bytes.f16(w, p + 208) * d[e / BLOCK]) * isum;
        }
        return sum;
    }

    /**
     * A simple Q6_K quantizer (not ggml's make_qx_quants search): per sub-block scale = the signed value
     * of largest magnitude / −32; the 16 scales are quantized to int8 against their largest (d), then each
     * value is re-quantized with the scale it will be read back with.
     */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q6_K", k, BLOCK);
        float[] scales = new float[16];
        int[] levels = new int[BLOCK];
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float maxScale = 0, maxAbsScale = 0;
            for (int s = 0; s < 16; s++) {
                float amax = 0, max = 0;
                for (int i = 0; i < 16; i++) {
                    float v = x[xb + 16 * s + i];
                    if (Math.abs(v) > amax) {
                        amax = Math.abs(v);
                        max = v;
                    }
                }
                scales[s] = max / -32;
                if (Math.abs(scales[s]) > maxAbsScale) {
                    maxAbsScale = Math.abs(scales[s]);
                    maxScale = scales[s];
                }
            }
            if (maxAbsScale == 0) {
                for (int j = 0; j < BYTES; j++) Bytes.put8(dst, p + j, 0);
                continue;
            }
            float iscale = -128.f / maxScale;
            Bytes.putF16(dst, p + 208, 1 / iscale);
            for (int s = 0; s < 16; s++) {
                Bytes.put8(dst, p + 192 + s, Math.max(-128, Math.min(127, Bytes.nearestInt(iscale * scales[s]))));
            }
            float d = Bytes.f16(dst, p + 208);
            for (int s = 0; s < 16; s++) {
                float ds = d * Bytes.i8(dst, p + 192 + s);
                for (int i = 0; i < 16; i++) {
                    int l = ds != 0 ? Bytes.nearestInt(x[xb + 16 * s + i] / ds) : 0;
                    levels[16 * s + i] = Math.max(-32, Math.min(31, l)) + 32;
                }
            }
            for (int h = 0; h < 2; h++) {
                int j = 128 * h;
                for (int l = 0; l < 32; l++) {
                    int q1 = levels[j + l], q2 = levels[j + l + 32], q3 = levels[j + l + 64], q4 = levels[j + l + 96];
                    Bytes.put8(dst, p + 64 * h + l, (q1 & 0xF) | ((q3 & 0xF) << 4));
                    Bytes.put8(dst, p + 64 * h + l + 32, (q2 & 0xF) | ((q4 & 0xF) << 4));
                    Bytes.put8(dst, p + 128 + 32 * h + l, (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
                }
            }
        }
    }
}
