package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: blocks of 32 values, 34 bytes (ggml {@code block_q8_0}); value = d·q.
 * <pre>
 * offset 0      2                                  34
 *        +------+----------------------------------+
 *        | d    | qs[0..31]  int8                  |
 *        | fp16 |                                  |
 *        +------+----------------------------------+
 * </pre>
 * Also the activation format ({@code vec_dot_type}) of Q4_0, Q5_0 and Q8_0 weights: activations then
 * live as separate arrays {@code q} (int8 per element) and {@code d} (one fp16-rounded scale per block),
 * indexed by element offset {@code eo} and {@code eo / 32}.
 */
public final class Q8_0 {
    private Q8_0() {}

    public static final int BLOCK = 32;
    public static final int BYTES = 34;

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        Bytes.checkBlocks("Q8_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            float d = Bytes.f16(src, p);
            for (int j = 0; j < BLOCK; j++) dst[dstOff + b * BLOCK + j] = d * Bytes.i8(src, p + 2 + j);
        }
    }

    /** ggml_vec_dot_q8_0_q8_0 (generic): per block the exact integer sum times d_w·d_x, summed in float. */
    public static float dot(MemorySegment w, long off, int k, byte[] q, float[] d, int eo) {
        float sum = 0;
        for (int b = 0; b < k / BLOCK; b++) {
            long p = off + (long) b * BYTES;
            int e = eo + b * BLOCK;
            int isum = 0;
            for (int j = 0; j < BLOCK; j++) isum += Bytes.i8(w, p + 2 + j) * q[e + j];
            sum += isum * (Bytes.f16(w, p) * d[e / BLOCK]);
        }
        return sum;
    }

    /** quantize_row_q8_0_ref, what llama-quantize writes: d = amax/127, q = roundf(x/d). */
    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        Bytes.checkBlocks("Q8_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            long p = dstOff + (long) b * BYTES;
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[xb + j]));
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            Bytes.putF16(dst, p, d);
            for (int j = 0; j < BLOCK; j++) Bytes.put8(dst, p + 2 + j, Bytes.roundf(x[xb + j] * id));
        }
    }

    /**
     * Activation rounding as llama.cpp's x86 CPU backend does it ({@code quantize_row_q8_0}, AVX path):
     * q = round-half-even(x · (127/amax)), d = fp16(amax/127).
     */
    public static void quantizeActivation(float[] x, int xOff, int k, byte[] q, float[] d, int eo) {
        Bytes.checkBlocks("Q8_0", k, BLOCK);
        for (int b = 0; b < k / BLOCK; b++) {
            int xb = xOff + b * BLOCK;
            int e = eo + b * BLOCK;
            float amax = 0;
            for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[xb + j]));
            d[e / BLOCK] = F16.round(amax / 127.f);
            float id = amax != 0 ? 127.f / amax : 0.0f;
            for (int j = 0; j < BLOCK; j++) q[e + j] = (byte) Bytes.nearestInt(x[xb + j] * id);
        }
    }
}
