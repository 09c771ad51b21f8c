package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lumen.tensor.TensorException;
import lumen.tensor.testing.SimdLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The float vector kernels (axpy, weighted rows, column dots, softmax, SwiGLU): SIMD against the scalar twin at every width and awkward sizes. */
class VectorOpsTest {
    static final int[] SIZES = {0, 1, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 128, 257};
    static final ScalarKernels SCALAR = new ScalarKernels();

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void axpyEqualsScalarBitForBit(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(11 + bits);
        for (int n : SIZES) {
            float alpha = (float) rnd.nextGaussian();
            float[] x = gaussian(rnd, n + 3), y = gaussian(rnd, n + 5);
            float[] want = y.clone(), got = y.clone();
            SCALAR.axpy(alpha, x, 3, want, 5, n);
            simd.axpy(alpha, x, 3, got, 5, n);
            for (int i = 0; i < y.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                        simd.name() + " n=" + n + " element " + i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Math.fma(alpha, x[3 + i], y[5 + i]), got[5 + i], simd.name() + " n=" + n + " i=" + i);
            }
        }
    }

    /** Attention's weighted sums of value rows, for several weight rows at once: the bits of one axpy per row, in row order. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void addWeightedRowsEqualsAxpyPerRowBitForBit(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(17 + bits);
        for (int n : SIZES) {
            for (int count : new int[] {1, 2, 7, 40}) {
                for (int rows : new int[] {1, 3, 4, 6, 8}) {
                    int stride = n + 9, wStride = count + 3, yStride = n + 2;
                    float[] w = gaussian(rnd, 2 + rows * wStride), x = gaussian(rnd, 4 + count * stride);
                    float[] y = gaussian(rnd, 5 + rows * yStride);
                    float[] want = y.clone(), got = y.clone(), scalar = y.clone();
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < count; j++) SCALAR.axpy(w[2 + r * wStride + j], x, 4 + j * stride, want, 5 + r * yStride, n);
                    }
                    simd.addWeightedRows(w, 2, wStride, rows, count, x, 4, stride, got, 5, yStride, n);
                    SCALAR.addWeightedRows(w, 2, wStride, rows, count, x, 4, stride, scalar, 5, yStride, n);
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                simd.name() + " n=" + n + " count=" + count + " rows=" + rows + " element " + i);
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(scalar[i]), "scalar, element " + i);
                    }
                }
            }
        }
    }

    /** Attention scores against keys stored position-minor: one fma per dimension in order, so the scalar bits. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void dotColumnsEqualsScalarBitForBit(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(23 + bits);
        for (int n : SIZES) {
            for (int dim : new int[] {1, 8, 64, 67}) {
                for (int rows : new int[] {1, 4, 5}) {
                    int stride = n + 5, oStride = n + 3;
                    float[] q = gaussian(rnd, 3 + rows * dim), m = gaussian(rnd, 2 + dim * stride), want = gaussian(rnd, 4 + rows * oStride);
                    float[] got = want.clone();
                    SCALAR.dotColumns(q, 3, rows, dim, m, 2, stride, want, 4, oStride, n);
                    simd.dotColumns(q, 3, rows, dim, m, 2, stride, got, 4, oStride, n);
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(Float.floatToRawIntBits(want[j]), Float.floatToRawIntBits(got[j]),
                                simd.name() + " n=" + n + " dim=" + dim + " rows=" + rows + " element " + j);
                    }
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < n; j++) {   // and the sum it stands for, in double
                            double exact = 0, mag = 0;
                            for (int d = 0; d < dim; d++) {
                                double pr = (double) q[3 + r * dim + d] * m[2 + d * stride + j];
                                exact += pr;
                                mag += Math.abs(pr);
                            }
                            assertTrue(Math.abs(got[4 + r * oStride + j] - exact) <= dim * 0x1p-24 * mag + 1e-30, "n=" + n + " j=" + j);
                        }
                    }
                }
            }
        }
    }

    /** The softmax against one computed in double: each element within a few float roundings. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void softmaxAgreesWithDouble(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(29 + bits);
        for (int n : new int[] {1, 2, 7, 16, 17, 100, 257}) {
            float scale = 0.125f;
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 40);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) max = Math.max(max, scale * x[2 + i]);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) sum += want[i] = Math.exp(scale * x[2 + i] - max);
            for (Kernels k : new Kernels[] {simd, SCALAR}) {
                float[] got = x.clone();
                k.softmax(got, 2, n, scale);
                assertEquals(x[0], got[0]);
                assertEquals(x[n + 2], got[n + 2]);
                for (int i = 0; i < n; i++) {
                    // exp(a) inherits the rounding of its argument a = scale·x − max as a relative error |a|·2^-24;
                    // the float sum of n terms adds at most n·2^-24 (Higham 3.1)
                    double w = want[i] / sum, a = Math.abs(scale * x[2 + i] - max);
                    assertEquals(w, got[2 + i], (4 + a + n) * 0x1p-24 * w + 1e-37, k.name() + " n=" + n + " i=" + i);
                }
            }
        }
    }

    /** SwiGLU's gate against silu computed in double. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void swigluAgreesWithDouble(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(31 + bits);
        for (int n : SIZES) {
            float[] g = gaussian(rnd, n + 2), u = gaussian(rnd, n + 2);
            g[1] = -100f;   // exp(100) is large but finite in float: silu → -0
            for (Kernels k : new Kernels[] {simd, SCALAR}) {
                float[] got = g.clone();
                k.swiglu(got, u, 1, n);
                assertEquals(g[0], got[0]);
                for (int i = 1; i <= n; i++) {
                    double want = g[i] / (1 + Math.exp(-g[i])) * u[i];
                    assertEquals(want, got[i], 4e-7 * Math.abs(want) + 1e-37, k.name() + " n=" + n + " i=" + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void rangesOutsideTheArraysAreRejected(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        float[] a = new float[10], b = new float[10];
        for (Kernels k : new Kernels[] {simd, SCALAR}) {
            assertThrows(TensorException.class, () -> k.axpy(1f, a, 0, b, 5, 6));
            assertThrows(TensorException.class, () -> k.axpy(1f, a, -1, b, 0, 2));
            assertThrows(TensorException.class, () -> k.addWeightedRows(a, 0, 3, 1, 3, b, 0, 4, a, 0, 3, 3));
            assertThrows(TensorException.class, () -> k.addWeightedRows(a, 0, 3, 4, 3, b, 0, 1, a, 0, 3, 3));
            assertThrows(TensorException.class, () -> k.dotColumns(a, 0, 1, 3, b, 0, 4, a, 0, 3, 3));
            assertThrows(TensorException.class, () -> k.dotColumns(a, 0, 4, 3, b, 0, 1, a, 0, 3, 1));
            assertThrows(TensorException.class, () -> k.softmax(a, 5, 6, 1f));
            assertThrows(TensorException.class, () -> k.swiglu(a, b, 8, 3));
        }
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
