package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.testing.RandomWeights;
import lumen.tensor.testing.SimdLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every SIMD kernel against its scalar twin, at every vector width and at awkward sizes. */
class SimdKernelsTest {
    /** Allowed |simd − scalar| relative to Σ|w·x| of the row: float rounding only, never a wrong level. */
    static final double REL_TOLERANCE = 2e-6;

    static final ScalarKernels SCALAR = new ScalarKernels();

    /** Types whose single tokens go through their own decoding kernel at every vector width. */
    static final java.util.Set<GgmlType> DECODING_KERNELS = java.util.EnumSet.of(GgmlType.Q4_0, GgmlType.Q8_0,
            GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q5_K, GgmlType.Q3_K);

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (int bits : new int[] {128, 256, 512}) {
            for (GgmlType t : RandomWeights.TYPES) {
                int[] ks = switch (t.blockSize) {
                    case 1 -> new int[] {1, 7, 33, 172};
                    // 8224 = 257 blocks: a row longer than L1 holds its activations (ffn_down), an odd block at the end
                    case 32 -> new int[] {32, 96, 288, 544, 8224};
                    default -> new int[] {256, 512};
                };
                list.add(Arguments.of(bits, t, ks));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} bits {1}")
    @MethodSource("cases")
    void agreesWithScalarAndIgnoresBatchAndSplit(int bits, GgmlType t, int[] ks) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(bits * 31L + t.ordinal());
        for (int k : ks) {
            for (int rows : new int[] {1, 7, 31, 33, 257}) {
                if (rows == 257 && k != ks[0]) continue;
                int n = rows == 257 ? 2 : 5;    // 5 tokens: one group of four plus one alone
                Tensor w = RandomWeights.tensor(t, rows, k, rnd, 0.05f);
                float[] x = RandomWeights.activations(n, k, rnd);
                Activations a = simd.prepare(t, x, n, k);
                float[] got = new float[n * rows], want = new float[n * rows];
                simd.matmul(w, a, got, rows, 0, rows);
                SCALAR.matmul(w, a, want, rows, 0, rows);
                float[] deq = new float[k];
                for (int r = 0; r < rows; r++) {
                    SCALAR.dequantizeRow(w, r, deq, 0);
                    for (int tk = 0; tk < n; tk++) {
                        double mag = 0;
                        for (int i = 0; i < k; i++) mag += Math.abs(deq[i] * value(a, tk, i));
                        double err = Math.abs(got[tk * rows + r] - want[tk * rows + r]);
                        assertTrue(err <= REL_TOLERANCE * mag + 1e-30, simd.name() + " " + t + " k=" + k + " rows=" + rows
                                + " row " + r + " token " + tk + ": simd " + got[tk * rows + r] + " scalar "
                                + want[tk * rows + r] + " (|w·x| sum " + mag + ")");
                    }
                }
                // one token at a time, in two row ranges: the same bits as all rows at once, and for
                // the types with a decoding kernel (llama.cpp's integer block sums) the batch's result
                // within float rounding, for the others its bits
                int split = rows / 3;
                for (int tk = 0; tk < n; tk++) {
                    float[] one = new float[k];
                    System.arraycopy(x, tk * k, one, 0, k);
                    Activations a1 = simd.prepare(t, one, 1, k);
                    float[] single = new float[rows], whole = new float[rows];
                    simd.matmul(w, a1, single, rows, 0, split);
                    simd.matmul(w, a1, single, rows, split, rows);
                    simd.matmul(w, a1, whole, rows, 0, rows);
                    for (int r = 0; r < rows; r++) {
                        assertEquals(Float.floatToRawIntBits(whole[r]), Float.floatToRawIntBits(single[r]),
                                simd.name() + " " + t + " k=" + k + " row " + r + " token " + tk + ": split rows");
                        double mag = 0;
                        SCALAR.dequantizeRow(w, r, deq, 0);
                        for (int i = 0; i < k; i++) mag += Math.abs(deq[i] * value(a, tk, i));
                        String what = simd.name() + " " + t + " k=" + k + " row " + r + " token " + tk + ": batch "
                                + got[tk * rows + r] + " vs alone " + single[r];
                        if (DECODING_KERNELS.contains(t)) {
                            assertTrue(Math.abs(got[tk * rows + r] - single[r]) <= 2 * REL_TOLERANCE * mag + 1e-30, what);
                        } else {
                            assertEquals(Float.floatToRawIntBits(got[tk * rows + r]), Float.floatToRawIntBits(single[r]), what);
                        }
                    }
                }
            }
        }
    }

    /** The activation value the kernels multiply with (level × scale, or the rounded float). */
    static float value(Activations a, int t, int i) {
        int e = t * a.length() + i;
        if (a.scales() == null) return a.values()[e];
        return a.quants()[e] * a.scales()[e / a.format().blockSize];
    }
}
