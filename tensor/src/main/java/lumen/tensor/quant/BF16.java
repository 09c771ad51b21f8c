package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * bfloat16: the upper 16 bits of an IEEE float (1 sign, 8 exponent, 7 mantissa bits), 2 bytes per
 * element; no blocks. llama.cpp's {@code vec_dot_type} for BF16 is BF16: activations are rounded to
 * bf16 with round-to-nearest-even ({@code ggml_compute_fp32_to_bf16}) before the dot product.
 */
public final class BF16 {
    private BF16() {}

    /** ggml_compute_fp32_to_bf16: nearest even; NaN stays a (quiet) NaN. */
    public static short fromFloat(float x) {
        int u = Float.floatToRawIntBits(x);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) ((u >>> 16) | 64);
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    public static float toFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** x rounded to the nearest bf16, returned as a float (exact). */
    public static float round(float x) {
        return toFloat(fromFloat(x));
    }

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        for (int i = 0; i < k; i++) dst[dstOff + i] = toFloat(src.get(Bytes.SHORT, off + 2L * i));
    }

    /** Sum of w[i]·x[xOff+i] in float, in index order; x already rounded with {@link #round}. */
    public static float dot(MemorySegment w, long off, int k, float[] x, int xOff) {
        float sum = 0;
        for (int i = 0; i < k; i++) sum += toFloat(w.get(Bytes.SHORT, off + 2L * i)) * x[xOff + i];
        return sum;
    }

    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        for (int i = 0; i < k; i++) dst.set(Bytes.SHORT, dstOff + 2L * i, fromFloat(x[xOff + i]));
    }
}
