package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * IEEE half precision (1 sign, 5 exponent, 10 mantissa bits), 2 bytes per element; no blocks.
 * llama.cpp's {@code vec_dot_type} for F16 is F16: activations are rounded to half (nearest even)
 * before the dot product. A product of two halves is exact in float (22 significant bits).
 */
public final class F16 {
    private F16() {}

    /** x rounded to the nearest half, returned as a float (exact). */
    public static float round(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        for (int i = 0; i < k; i++) dst[dstOff + i] = Bytes.f16(src, off + 2L * i);
    }

    /** Sum of w[i]·x[xOff+i] in float, in index order; x already rounded with {@link #round}. */
    public static float dot(MemorySegment w, long off, int k, float[] x, int xOff) {
        float sum = 0;
        for (int i = 0; i < k; i++) sum += Bytes.f16(w, off + 2L * i) * x[xOff + i];
        return sum;
    }

    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        for (int i = 0; i < k; i++) Bytes.putF16(dst, dstOff + 2L * i, x[xOff + i]);
    }
}
