package lumen.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.kernel.MemoryBandwidth;
import lumen.tensor.kernel.ScalarKernels;
import lumen.tensor.parallel.ThreadPool;
import lumen.tensor.testing.RandomWeights;
import org.junit.jupiter.api.Test;

class OpsTest {

    @Test
    void matmulOverThreadsEqualsOneThreadBitForBit() {
        Kernels kernels = KernelProvider.get();
        Random rnd = new Random(3);
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q6_K, GgmlType.F32}) {
            int k = t == GgmlType.F32 ? 172 : 512, rows = 75, n = 6;
            Tensor w = RandomWeights.tensor(t, rows, k, rnd, 0.1f);
            float[] x = RandomWeights.activations(n, k, rnd);
            float[] one = new float[n * rows], three = new float[n * rows];
            try (ThreadPool p1 = new ThreadPool(1); ThreadPool p3 = new ThreadPool(3)) {
                new Ops(kernels, p1).matmul(w, x, n, one);
                new Ops(kernels, p3).matmul(w, x, n, three);
            }
            assertArrayEquals(one, three, t.toString());
            Activations a = kernels.prepare(t, x, n, k);
            float[] direct = new float[n * rows];
            kernels.matmul(w, a, direct, rows, 0, rows);
            assertArrayEquals(direct, one, t.toString());
        }
    }

    @Test
    void matricesSharingAnInputEqualEachAloneBitForBit() {
        Kernels kernels = KernelProvider.get();
        Random rnd = new Random(7);
        int k = 512, n = 5;
        // Q4_0 and Q8_0 share Q8_0 activations, Q4_K and Q6_K share Q8_K ones; the F32 matrix uses its own
        Tensor[] ws = {RandomWeights.tensor(GgmlType.Q4_0, 96, k, rnd, 0.1f), RandomWeights.tensor(GgmlType.Q4_K, 40, k, rnd, 0.1f),
                RandomWeights.tensor(GgmlType.Q8_0, 33, k, rnd, 0.1f), RandomWeights.tensor(GgmlType.Q6_K, 64, k, rnd, 0.1f),
                RandomWeights.tensor(GgmlType.F32, 7, k, rnd, 0.1f)};
        float[] x = RandomWeights.activations(n, k, rnd);
        try (ThreadPool pool = new ThreadPool(3)) {
            Ops ops = new Ops(kernels, pool);
            float[][] together = new float[ws.length][];
            for (int m = 0; m < ws.length; m++) together[m] = new float[n * (int) ws[m].rowCount()];
            ops.matmul(ws, x, n, together);
            for (int m = 0; m < ws.length; m++) {
                float[] alone = new float[together[m].length];
                ops.matmul(ws[m], x, n, alone);
                assertArrayEquals(alone, together[m], ws[m].type().toString());
            }
        }
    }

    @Test
    void getRowsDequantizesTheChosenRows() {
        Random rnd = new Random(4);
        Tensor w = RandomWeights.tensor(GgmlType.Q8_0, 10, 64, rnd, 1f);
        float[] out = new float[3 * 64];
        try (ThreadPool pool = new ThreadPool(1)) {
            new Ops(new ScalarKernels(), pool).getRows(w, new int[] {9, 0, 9}, out);
        }
        float[] row = new float[64];
        ScalarKernels.dequantize(w, 9, row, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(row[i], out[i]);
            assertEquals(row[i], out[128 + i]);
        }
        var e = assertThrows(TensorException.class, () -> {
            try (ThreadPool pool = new ThreadPool(1)) {
                new Ops(new ScalarKernels(), pool).getRows(w, new int[] {10}, out);
            }
        });
        assertTrue(e.getMessage().contains("id 10"), e.getMessage());
    }

    @Test
    void sliceIsOneMatrixOfTheOuterDimension() {
        float[] v = new float[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Tensor t = new Tensor("experts", GgmlType.F32, new long[] {4, 3, 2}, MemorySegment.ofArray(v));
        Tensor e1 = t.slice(1);
        assertArrayEquals(new long[] {4, 3}, e1.ne());
        float[] row = new float[4];
        ScalarKernels.dequantize(e1, 2, row, 0);
        assertArrayEquals(new float[] {20, 21, 22, 23}, row);
        assertThrows(TensorException.class, () -> t.slice(2));
    }

    @Test
    void mismatchedShapesAreNamed() {
        Tensor w = RandomWeights.tensor(GgmlType.F32, 4, 8, new Random(1), 1f);
        try (ThreadPool pool = new ThreadPool(1)) {
            Ops ops = new Ops(new ScalarKernels(), pool);
            var e = assertThrows(TensorException.class, () -> ops.matmul(w, new float[7], 1, new float[4]));
            assertTrue(e.getMessage().contains("w-F32"), e.getMessage());
        }
        var e = assertThrows(TensorException.class,
                () -> new ScalarKernels().prepare(GgmlType.Q4_K, new float[100], 1, 100));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void providerHonoursTheScalarSwitchAndOtherwisePicksSimd() {
        assertTrue(KernelProvider.get().name().startsWith("simd-"), KernelProvider.get().name());
        assertEquals("scalar", lumen.tensor.kernel.KernelProviderAccess.choose("scalar").name());
    }

    @Test
    void bandwidthProbeReturnsAPositiveFigure() {
        try (ThreadPool pool = new ThreadPool(2)) {
            double gbs = MemoryBandwidth.measureRead(pool, 8 << 20, 2);
            assertTrue(gbs > 0 && gbs < 100_000, "GB/s " + gbs);
        }
    }
}
