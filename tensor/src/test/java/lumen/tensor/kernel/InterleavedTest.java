package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.quant.Interleaved;
import lumen.tensor.testing.RandomWeights;
import lumen.tensor.testing.SimdLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The interleaved layout: a lossless move of the bytes, and kernels on it that agree with the scalar reference. */
class InterleavedTest {
    static final ScalarKernels SCALAR = new ScalarKernels();

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void repackingMovesEveryByteAndBack(GgmlType t) {
        Random rnd = new Random(t.ordinal());
        int k = t.blockSize * 3;
        Tensor w = RandomWeights.tensor(t, 64, k, rnd, 0.05f);
        try (Arena arena = Arena.ofShared()) {
            Tensor p = Interleaved.repack(w, arena);
            assertEquals(Tensor.Layout.INTERLEAVED, p.layout());
            byte[] row = new byte[Math.toIntExact(w.rowBytes())];
            float[] want = new float[k], got = new float[k];
            for (int r = 0; r < 64; r++) {
                Interleaved.gatherRow(p, r, row);
                assertArrayEquals(w.row(r).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), row, t + " row " + r);
                SCALAR.dequantizeRow(w, r, want, 0);
                SCALAR.dequantizeRow(p, r, got, 0);
                assertArrayEquals(want, got, t + " row " + r);
            }
            // Q4_0: group 1, block column 2, row 5's scale and its qs[3] lie where the layout says
            long column = 32 * w.rowBytes() + 2L * 32 * t.bytesPerBlock;
            if (t == GgmlType.Q4_0) {
                long src = 37 * w.rowBytes() + 2L * 18;
                assertEquals(w.data().get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, src),
                        p.data().get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, column + 2 * 5));
                assertEquals(w.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, src + 2 + 3),
                        p.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, column + 32L * (2 + 3) + 5));
            }
        }
    }

    @Test
    void onlyWholeGroupsOfRowsAreInterleaved() {
        Random rnd = new Random(3);
        assertFalse(Interleaved.fits(RandomWeights.tensor(GgmlType.Q4_0, 48, 64, rnd, 0.05f)));
        assertFalse(Interleaved.fits(RandomWeights.tensor(GgmlType.F32, 64, 64, rnd, 0.05f)));
        assertTrue(Interleaved.fits(RandomWeights.tensor(GgmlType.Q4_0, 96, 64, rnd, 0.05f)));
        Tensor odd = RandomWeights.tensor(GgmlType.Q8_0, 48, 64, rnd, 0.05f);
        try (Arena arena = Arena.ofShared()) {
            assertSame(odd, SimdLoader.kernels(512).repack(odd, arena));
        }
    }

    /**
     * The 512-bit kernels on interleaved Q4_0 / Q8_0 / Q6_K weights: within float rounding of the scalar
     * reference (block sums are exact integers; only the float sum of the scaled blocks is ordered
     * differently), every token of a batch bit for bit what it gives alone, whatever the row range.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void kernelsOnInterleavedRowsAgreeWithTheReference(GgmlType t) {
        Kernels simd = SimdLoader.kernels(512);
        Random rnd = new Random(11 + t.ordinal());
        int rows = 96;
        try (Arena arena = Arena.ofShared()) {
            // 16384: rows so long that the tokens are taken in chunks of 8 (SimdKernels keeps a chunk's activations in L2)
            for (int k : new int[] {t.blockSize, 3 * t.blockSize, (t.blockSize == 32 ? 64 : 8) * t.blockSize, 16384}) {
                Tensor w = RandomWeights.tensor(t, rows, k, rnd, 0.05f);
                Tensor p = Interleaved.repack(w, arena);
                if (simd.name().equals("simd-512")) assertEquals(Tensor.Layout.INTERLEAVED, simd.repack(w, arena).layout());
                int n = 13;                     // one group of eight, one of four, one alone
                float[] x = RandomWeights.activations(n, k, rnd);
                Activations a = simd.prepare(t, x, n, k);
                float[] got = new float[n * rows], want = new float[n * rows], scalarOnPacked = new float[n * rows];
                simd.matmul(p, a, got, rows, 0, rows);
                SCALAR.matmul(w, a, want, rows, 0, rows);
                SCALAR.matmul(p, a, scalarOnPacked, rows, 0, rows);
                assertArrayEquals(want, scalarOnPacked, "the scalar reference reads interleaved rows");
                float[] deq = new float[k];
                for (int r = 0; r < rows; r++) {
                    SCALAR.dequantizeRow(w, r, deq, 0);
                    for (int tk = 0; tk < n; tk++) {
                        double mag = 0;
                        for (int i = 0; i < k; i++) mag += Math.abs(deq[i] * a.values()[tk * k + i]);
                        double err = Math.abs(got[tk * rows + r] - want[tk * rows + r]);
                        assertTrue(err <= SimdKernelsTest.REL_TOLERANCE * mag + 1e-30, t + " k=" + k + " row " + r
                                + " token " + tk + ": simd " + got[tk * rows + r] + " scalar " + want[tk * rows + r]);
                    }
                }
                for (int tk = 0; tk < n; tk++) {
                    Activations one = simd.prepare(t, java.util.Arrays.copyOfRange(x, tk * k, tk * k + k), 1, k);
                    float[] alone = new float[rows];
                    simd.matmul(p, one, alone, rows, 0, rows);
                    assertArrayEquals(java.util.Arrays.copyOfRange(got, tk * rows, tk * rows + rows), alone,
                            t + " k=" + k + ": token " + tk + " in a batch of " + n + " and alone");
                }
                float[] split = new float[n * rows];
                simd.matmul(p, a, split, rows, 32, 64);
                for (int tk = 0; tk < n; tk++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(got, tk * rows + 32, tk * rows + 64),
                            java.util.Arrays.copyOfRange(split, tk * rows + 32, tk * rows + 64), "rows [32, 64)");
                }
            }
        }
    }

    /**
     * Sums that wrap 16-bit lanes on the way (every level 15, or 0, against activations all ±127) still
     * end on the exact integers: the kernels agree with the scalar reference.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q4_K"})
    void extremeLevelsSumExactly(GgmlType t) {
        Kernels simd = SimdLoader.kernels(512);
        Random rnd = new Random(5);
        int rows = 64, k = 512, quantsFrom = t == GgmlType.Q4_0 ? 2 : 16;
        Tensor w = RandomWeights.tensor(t, rows, k, rnd, 0.05f);
        for (int r = 0; r < rows; r++) {
            for (long b = 0; b < k / t.blockSize; b++) {
                long at = r * w.rowBytes() + b * t.bytesPerBlock;
                for (int i = quantsFrom; i < t.bytesPerBlock; i++) {
                    w.data().set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + i, (byte) (r < 32 ? 0xFF : 0x00));
                }
            }
        }
        try (Arena arena = Arena.ofShared()) {
            Tensor p = Interleaved.repack(w, arena);
            int n = 5;   // a batch of four and one alone; tokens of alternating sign
            float[] x = new float[n * k];
            for (int tk = 0; tk < n; tk++) java.util.Arrays.fill(x, tk * k, tk * k + k, tk % 2 == 0 ? 1f : -1f);
            Activations a = simd.prepare(t, x, n, k);
            float[] got = new float[n * rows], want = new float[n * rows], deq = new float[k];
            simd.matmul(p, a, got, rows, 0, rows);
            SCALAR.matmul(w, a, want, rows, 0, rows);
            for (int r = 0; r < rows; r++) {
                SCALAR.dequantizeRow(w, r, deq, 0);
                for (int tk = 0; tk < n; tk++) {
                    double mag = 0;
                    for (int i = 0; i < k; i++) mag += Math.abs(deq[i] * a.values()[tk * k + i]);
                    assertEquals(want[tk * rows + r], got[tk * rows + r], SimdKernelsTest.REL_TOLERANCE * mag + 1e-30,
                            t + " row " + r + " token " + tk);
                }
            }
        }
    }
}
