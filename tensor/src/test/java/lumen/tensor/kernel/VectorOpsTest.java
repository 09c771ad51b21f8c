package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lumen.tensor.TensorException;
import lumen.tensor.testing.SimdLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The float vector kernels (axpy, small matrix products, softmax, SwiGLU): SIMD against the scalar twin at every width and awkward sizes. */
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

    /** y += a·m (attention's scores and weighted sums of values): the bits of one axpy per row of m, in order, for every row of a. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void addMatrixProductEqualsAxpyPerRowBitForBit(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(17 + bits);
        for (int n : SIZES) {
            for (int count : new int[] {1, 2, 7, 40, 67}) {
                for (int rows : new int[] {1, 3, 4, 6, 8}) {
                    int stride = n + 9, aStride = count + 3, yStride = n + 2;
                    float[] a = gaussian(rnd, 2 + rows * aStride), m = gaussian(rnd, 4 + count * stride);
                    float[] y = gaussian(rnd, 5 + rows * yStride);
                    float[] want = y.clone(), got = y.clone(), scalar = y.clone();
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < count; j++) SCALAR.axpy(a[2 + r * aStride + j], m, 4 + j * stride, want, 5 + r * yStride, n);
                    }
                    simd.addMatrixProduct(a, 2, aStride, rows, count, m, 4, stride, got, 5, yStride, n);
                    SCALAR.addMatrixProduct(a, 2, aStride, rows, count, m, 4, stride, scalar, 5, yStride, n);
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                simd.name() + " n=" + n + " count=" + count + " rows=" + rows + " element " + i);
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(scalar[i]), "scalar, element " + i);
                    }
                }
            }
        }
    }

    /** From y = 0: each element is the dot product it stands for, within the rounding of its count terms. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void addMatrixProductFromZeroIsTheProduct(int bits) {
        Kernels simd = SimdLoader.kernels(bits);
        Random rnd = new Random(23 + bits);
        for (int n : SIZES) {
            int count = 64, rows = 5;
            float[] a = gaussian(rnd, rows * count), m = gaussian(rnd, count * n), y = new float[rows * n];
            simd.addMatrixProduct(a, 0, count, rows, count, m, 0, n, y, 0, n, n);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    double exact = 0, mag = 0;
                    for (int j = 0; j < count; j++) {
                        double pr = (double) a[r * count + j] * m[j * n + i];
                        exact += pr;
                        mag += Math.abs(pr);
                    }
                    assertTrue(Math.abs(y[r * n + i] - exact) <= count * 0x1p-24 * mag + 1e-30, "n=" + n + " r=" + r + " i=" + i);
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
            assertThrows(TensorException.class, () -> k.addMatrixProduct(a, 0, 3, 1, 3, b, 0, 4, a, 0, 3, 3));   // m
            assertThrows(TensorException.class, () -> k.addMatrixProduct(a, 0, 3, 4, 3, b, 0, 1, b, 0, 1, 3));   // a
            assertThrows(TensorException.class, () -> k.addMatrixProduct(a, 0, 1, 2, 1, b, 0, 1, a, 0, 9, 3));   // y
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
