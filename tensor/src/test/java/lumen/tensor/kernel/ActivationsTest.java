package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.parallel.ThreadPool;
import lumen.tensor.testing.RandomWeights;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    @Test
    void roundingOnAPoolEqualsRoundingAlone() {
        Random rnd = new Random(5);
        for (int k : new int[] {512, 8192}) check(k, rnd);   // from 4096 elements on, the blocks are split over the threads
    }

    private static void check(int k, Random rnd) {
        try (ThreadPool pool = new ThreadPool(3)) {
            for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
                    GgmlType.Q4_1, GgmlType.Q4_K}) {
                for (int n : new int[] {1, 2, 7, 9}) {
                    float[] x = RandomWeights.activations(n, k, rnd);
                    Activations alone = Activations.of(t, x, n, k);
                    Activations split = Activations.of(t, x, n, k, pool);
                    assertArrayEquals(alone.values(), split.values(), t + " n=" + n);
                    assertArrayEquals(alone.quants(), split.quants(), t + " n=" + n);
                    assertArrayEquals(alone.scales(), split.scales(), t + " n=" + n);
                    assertArrayEquals(alone.sums(), split.sums(), t + " n=" + n);
                    assertArrayEquals(alone.bsums(), split.bsums(), t + " n=" + n);
                    assertArrayEquals(alone.levels(), split.levels(), t + " n=" + n);
                    assertArrayEquals(alone.shortLevels(), split.shortLevels(), t + " n=" + n);
                }
            }
        }
    }
}
