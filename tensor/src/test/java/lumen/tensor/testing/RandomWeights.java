package lumen.tensor.testing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.quant.Interleaved;

/** Random tensors for kernel tests: random bytes everywhere, with every scale field set to a sane half. */
public final class RandomWeights {
    private RandomWeights() {}

    /** Byte offsets of the fp16 scale fields inside one block of each type (none for the float types). */
    public static int[] halfFields(GgmlType t) {
        return t.blockSize > 1 ? Interleaved.halfFields(t) : new int[0];
    }

    /** A [rows][k] tensor of type t whose blocks hold random bits and random scales around {@code scale}. */
    public static Tensor tensor(GgmlType t, int rows, int k, Random rnd, float scale) {
        long rowBytes = t.bytesFor(k);
        byte[] bytes = new byte[Math.toIntExact(rowBytes * rows)];
        MemorySegment s = MemorySegment.ofArray(bytes);
        switch (t) {
            case F32 -> {
                for (int i = 0; i < rows * k; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian() * scale);
            }
            case F16 -> {
                for (int i = 0; i < rows * k; i++) {
                    s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16((float) rnd.nextGaussian() * scale));
                }
            }
            case BF16 -> {
                for (int i = 0; i < rows * k; i++) {
                    float v = (float) rnd.nextGaussian() * scale;
                    s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (Float.floatToRawIntBits(v) >>> 16));
                }
            }
            default -> {
                rnd.nextBytes(bytes);
                int[] fields = halfFields(t);
                for (long b = 0; b < (long) rows * k / t.blockSize; b++) {
                    for (int f : fields) {
                        float v = scale * (0.25f + rnd.nextFloat()) * (f == 2 && t != GgmlType.Q2_K || f == 82 ? 0.5f : 1f);
                        if ((t == GgmlType.Q4_1 || t == GgmlType.Q5_1) && f == 2 && rnd.nextBoolean()) v = -v;
                        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * t.bytesPerBlock + f, Float.floatToFloat16(v));
                    }
                }
            }
        }
        return new Tensor("w-" + t, t, new long[] {k, rows}, s);
    }

    /** n rows of k gaussian activations with a few larger outliers. */
    public static float[] activations(int n, int k, Random rnd) {
        float[] x = new float[n * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * (rnd.nextInt(50) == 0 ? 8 : 1);
        return x;
    }

    /** The types with kernels. */
    public static final GgmlType[] TYPES = {
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0,
        GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K
    };
}
