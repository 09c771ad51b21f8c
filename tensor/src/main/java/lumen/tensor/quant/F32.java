package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;

/**
 * IEEE single precision, 4 bytes per element, little-endian; no blocks. llama.cpp multiplies F32
 * weights with F32 activations ({@code vec_dot_type} F32).
 */
public final class F32 {
    private F32() {}

    public static void dequantizeRow(MemorySegment src, long off, float[] dst, int dstOff, int k) {
        for (int i = 0; i < k; i++) dst[dstOff + i] = src.get(Bytes.FLOAT, off + 4L * i);
    }

    /** Sum of w[i]·x[xOff+i] in float, in index order. */
    public static float dot(MemorySegment w, long off, int k, float[] x, int xOff) {
        float sum = 0;
        for (int i = 0; i < k; i++) sum += w.get(Bytes.FLOAT, off + 4L * i) * x[xOff + i];
        return sum;
    }

    public static void quantizeRow(float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        for (int i = 0; i < k; i++) dst.set(Bytes.FLOAT, dstOff + 4L * i, x[xOff + i]);
    }
}
