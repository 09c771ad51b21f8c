package lumen.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.parallel.ThreadPool;
import lumen.tensor.testing.RandomWeights;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    @Test
    void roundingOnAPoolEqualsRoundingAlone() {
        Random rnd = new Random(5);
        for (int k : new int[] {512, 65536}) check(k, rnd);   // from 65536 elements on, the blocks are split over the threads
    }

    /**
     * The vector rounding against the scalar reference (Q8_0/Q8_K.quantizeActivation): the same levels and
     * scales bit for bit, on random rows and on blocks made of ties (halves round to even), zeros, and
     * largest magnitudes of both signs (the first one sets Q8_K's sign).
     */
    @Test
    void roundingEqualsTheScalarReference() {
        Random rnd = new Random(9);
        int k = 1024;
        for (int rep = 0; rep < 20; rep++) {
            float[] x = RandomWeights.activations(2, k, rnd);
            for (int b = 0; b < 2 * k; b += 32) {
                switch (rnd.nextInt(4)) {
                    case 0 -> { // amax 127: the levels are x itself, halves included
                        for (int i = b; i < b + 32; i++) x[i] = (rnd.nextInt(253) - 126) / 2f;
                        x[b + rnd.nextInt(32)] = rnd.nextBoolean() ? 127 : -127;
                    }
                    case 1 -> java.util.Arrays.fill(x, b, b + 32, 0f);
                    case 2 -> { x[b + 3] = 50; x[b + 7] = -50; }
                    default -> { }
                }
            }
            for (GgmlType t : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_K}) {
                Activations a = Activations.of(t, x, 2, k);
                byte[] q = new byte[2 * k];
                float[] d;
                if (t == GgmlType.Q8_0) {
                    d = new float[2 * k / 32];
                    lumen.tensor.quant.Q8_0.quantizeActivation(x, 0, 2 * k, q, d, 0);
                } else {
                    d = new float[2 * k / 256];
                    short[] bsums = new short[2 * k / 16];
                    lumen.tensor.quant.Q8_K.quantizeActivation(x, 0, 2 * k, q, d, bsums, 0);
                    assertArrayEquals(bsums, a.bsums(), t + " bsums");
                }
                assertArrayEquals(q, a.quants(), t + " levels");
                assertArrayEquals(d, a.scales(), t + " scales");
                int bs = 2 * k / d.length;
                for (int i = 0; i < 2 * k; i++) {
                    assertEquals(q[i], a.levels()[i], t + " level " + i);
                    assertEquals(q[i], a.shortLevels()[i], t + " short level " + i);
                    assertEquals(q[i] * d[i / bs], a.values()[i], t + " value " + i);
                }
                if (t == GgmlType.Q8_0) {
                    for (int b = 0; b < d.length; b++) {
                        int sum = 0;
                        for (int i = 0; i < 32; i++) sum += q[32 * b + i];
                        assertEquals(sum, a.bsums()[b], "block sum " + b);
                    }
                }
            }
        }
    }

    /** Written into the arrays of an earlier result: the same values as fresh arrays, Q6_K's levels included. */
    @Test
    void roundingIntoASpareEqualsRoundingAfresh() {
        Random rnd = new Random(13);
        int k = 512;
        for (GgmlType t : new GgmlType[] {GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_1, GgmlType.Q4_K}) {
            Activations first = Activations.of(t, RandomWeights.activations(2, k, rnd), 2, k);
            first.q6Levels();
            float[] x = RandomWeights.activations(2, k, rnd);
            Activations reused = Activations.of(t, x, 2, k, null, first), fresh = Activations.of(t, x, 2, k);
            assertSame(first.values(), reused.values(), t + ": the spare's arrays");
            assertArrayEquals(fresh.values(), reused.values(), t.toString());
            assertArrayEquals(fresh.quants(), reused.quants(), t.toString());
            assertArrayEquals(fresh.scales(), reused.scales(), t.toString());
            assertArrayEquals(fresh.sums(), reused.sums(), t.toString());
            assertArrayEquals(fresh.bsums(), reused.bsums(), t.toString());
            assertArrayEquals(fresh.levels(), reused.levels(), t.toString());
            assertArrayEquals(fresh.shortLevels(), reused.shortLevels(), t.toString());
            assertArrayEquals(fresh.q6Levels(), reused.q6Levels(), t.toString());
            // another size or format does not fit: new arrays
            assertNotSame(reused.values(), Activations.of(t, x, 1, k, null, reused).values(), t.toString());
            assertNotSame(reused.values(), Activations.of(GgmlType.F32, x, 2, k, null, reused).values(), t.toString());
        }
    }

    /**
     * Rows short enough for one thread are rounded lean (bytes and shorts; the float forms on first use),
     * long ones with every form at once over the pool: the same arrays either way, also when the float
     * forms are first asked for by several threads at once.
     */
    @Test
    void leanRoundingGivesTheSameFormsAsRoundingEverythingAtOnce() throws Exception {
        Random rnd = new Random(17);
        int k = 65536;   // Activations' threshold for splitting over the pool
        try (ThreadPool pool = new ThreadPool(2)) {
            for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q4_K}) {
                float[] x = RandomWeights.activations(1, k, rnd);
                Activations all = Activations.of(t, x, 1, k, pool), lean = Activations.of(t, x, 1, k);
                float[][] seen = new float[4][];
                Thread[] readers = new Thread[4];
                for (int i = 0; i < readers.length; i++) {
                    int r = i;
                    readers[i] = new Thread(() -> seen[r] = r % 2 == 0 ? lean.levels() : lean.values());
                    readers[i].start();
                }
                for (Thread th : readers) th.join();
                assertArrayEquals(all.quants(), lean.quants(), t.toString());
                assertArrayEquals(all.shortLevels(), lean.shortLevels(), t.toString());
                assertArrayEquals(all.levels(), seen[0], t.toString());
                assertArrayEquals(all.values(), seen[1], t.toString());
                assertArrayEquals(all.values(), lean.values(), t.toString());
                assertArrayEquals(all.bsums(), lean.bsums(), t.toString());
            }
        }
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
                    assertArrayEquals(alone.q6Levels(), split.q6Levels(), t + " n=" + n);
                }
            }
        }
    }
}
