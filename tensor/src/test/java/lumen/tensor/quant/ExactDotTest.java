package lumen.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.ScalarKernels;
import lumen.tensor.testing.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On inputs where every rounding is exact (power-of-two scales, activations that are their own
 * quantization, small integer levels) the block-wise dot product equals Σ dequantized w · x computed
 * in double: checks the block sums, the scale products and the min/offset terms, independent of order.
 */
class ExactDotTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void blockDotEqualsDequantizedDot(GgmlType t) {
        Random rnd = new Random(7 + t.ordinal());
        int k = 256, rows = 5;
        Tensor w = exactWeights(t, rows, k, rnd);
        float[] x = exactActivations(t, k, rnd);
        Activations a = Activations.of(t, x, 1, k);
        for (int i = 0; i < k; i++) assertEquals(x[i] + 0f, roundTripValue(a, i) + 0f, "activation " + i + " is not exact");
        float[] row = new float[k];
        for (int r = 0; r < rows; r++) {
            ScalarKernels.dequantize(w, r, row, 0);
            double ref = 0;
            for (int i = 0; i < k; i++) ref += (double) row[i] * x[i];
            float got = ScalarKernels.dot(t, w.data(), r * w.rowBytes(), k, a, 0);
            assertEquals((float) ref, got, t + " row " + r);
        }
    }

    private static float roundTripValue(Activations a, int i) {
        if (a.scales() == null) return a.values()[i];
        int bs = a.format().blockSize;
        return a.quants()[i] * a.scales()[i / bs];
    }

    /** Random weights with every scale a power of two (so all products are exact). */
    static Tensor exactWeights(GgmlType t, int rows, int k, Random rnd) {
        Tensor w = RandomWeights.tensor(t, rows, k, rnd, 1f);
        var s = w.data();
        if (t.blockSize == 1) {
            for (long i = 0; i < (long) rows * k; i++) {
                float v = (rnd.nextInt(65) - 32) / 16f;
                switch (t) {
                    case F32 -> s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                    case F16 -> s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(v));
                    default -> s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i, BF16.fromFloat(v));
                }
            }
            return w;
        }
        for (long b = 0; b < (long) rows * k / t.blockSize; b++) {
            for (int f : RandomWeights.halfFields(t)) {
                float v = (float) Math.scalb(1.0, -rnd.nextInt(3)) * (rnd.nextBoolean() ? 1 : -1);
                s.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, b * t.bytesPerBlock + f, Float.floatToFloat16(v));
            }
        }
        return w;
    }

    /** Activations equal to their own rounding: small levels times a power of two, one ±127 per block. */
    static float[] exactActivations(GgmlType t, int k, Random rnd) {
        ActivationBlock f = new ActivationBlock(switch (t) {
            case F32, F16, BF16 -> 1;
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> 256;
            default -> 32;
        });
        float[] x = new float[k];
        float unit = 0.25f;
        for (int i = 0; i < k; i++) x[i] = (rnd.nextInt(17) - 8) * unit;
        if (f.size > 1) {
            for (int b = 0; b < k / f.size; b++) x[b * f.size + rnd.nextInt(f.size)] = (rnd.nextBoolean() ? 127 : -127) * unit;
        }
        return x;
    }

    private record ActivationBlock(int size) {}
}
