package lumen.tensor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import lumen.tensor.parallel.ThreadPool;

/**
 * Measures the float32 fused multiply-add throughput all threads of a pool reach with the Vector API:
 * the ceiling for prompt processing, which is compute-bound. Twelve independent accumulators per
 * thread hide the FMA latency (4 cycles × 2 ports on current x86 cores needs at least 8).
 */
public final class PeakFlops {
    private PeakFlops() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 4_000_000;
    private static final int CHUNKS = 4;

    /** Best GFLOP/s (10^9 float operations per second, an FMA counting 2) over a few passes. */
    public static double measure(ThreadPool pool) {
        int chunks = pool.threads() * CHUNKS;
        float[] sink = new float[chunks];
        // JIT-compile first, by many calls: after only a few long ones, each new call starts in C1 code,
        // where the Vector API runs its boxed fallback (half of a whole bench run's samples were there)
        for (int i = 0; i < 3000; i++) fma(200, 1f);
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            // several chunks per thread, claimed in turn: a thread slowed by another process does less
            pool.parallelFor(chunks, (s, e) -> {
                for (int t = s; t < e; t++) sink[t] = fma(ITERATIONS / CHUNKS, t + 1);
            });
            long dt = System.nanoTime() - t0;
            double flops = 2.0 * F.length() * 12 * (double) (ITERATIONS / CHUNKS) * chunks;
            best = Math.max(best, flops / dt);
        }
        float all = 0;
        for (float v : sink) all += v;
        if (all == 42) System.out.print(""); // keeps the results alive
        return best;
    }

    private static float fma(int iterations, float seed) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), a = FloatVector.broadcast(F, 1e-7f);
        FloatVector x0 = FloatVector.broadcast(F, seed), x1 = x0.add(1), x2 = x0.add(2), x3 = x0.add(3);
        FloatVector x4 = x0.add(4), x5 = x0.add(5), x6 = x0.add(6), x7 = x0.add(7);
        FloatVector x8 = x0.add(8), x9 = x0.add(9), x10 = x0.add(10), x11 = x0.add(11);
        for (int i = 0; i < iterations; i++) {
            x0 = x0.fma(m, a);
            x1 = x1.fma(m, a);
            x2 = x2.fma(m, a);
            x3 = x3.fma(m, a);
            x4 = x4.fma(m, a);
            x5 = x5.fma(m, a);
            x6 = x6.fma(m, a);
            x7 = x7.fma(m, a);
            x8 = x8.fma(m, a);
            x9 = x9.fma(m, a);
            x10 = x10.fma(m, a);
            x11 = x11.fma(m, a);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .lane(0);
    }
}
