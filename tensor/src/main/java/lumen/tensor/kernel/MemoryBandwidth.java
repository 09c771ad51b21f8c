package lumen.tensor.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import lumen.tensor.memory.LargePageArena;
import lumen.tensor.parallel.ThreadPool;

/** Measures how fast all threads of a pool can stream memory, the ceiling for decoding speed. */
public final class MemoryBandwidth {
    private MemoryBandwidth() {}

    /** Reads a 1 GiB off-heap buffer (far larger than any cache) with all threads; returns the best GB/s of 5 passes. */
    public static double measureRead(ThreadPool pool) {
        return measureRead(pool, 1L << 30, 5);
    }

    /** Best read bandwidth in GB/s (10^9 bytes/s) over {@code passes} reads of a {@code bytes} buffer. */
    public static double measureRead(ThreadPool pool, long bytes, int passes) {
        try (Probe probe = new Probe(pool, bytes)) {
            return probe.measure(passes);
        }
    }

    /**
     * A buffer kept for repeated measurements, so that a benchmark can measure the bandwidth right
     * before each of its repetitions (on a shared machine it changes from second to second).
     */
    public static final class Probe implements AutoCloseable {
        private final ThreadPool pool;
        private final Arena arena = new LargePageArena();   // the kind of memory the repacked weights live in
        private final MemorySegment buf;
        private final long longs;
        private final int chunks;
        private final long[] sinks;

        /** Allocates and writes {@code bytes} (rounded down to longs) and JIT-compiles the reading loop. */
        public Probe(ThreadPool pool, long bytes) {
            this.pool = pool;
            this.longs = bytes / 8;
            this.chunks = pool.threads() * 16;
            this.sinks = new long[chunks];
            this.buf = arena.allocate(longs * 8, 64);
            pool.parallelFor(chunks, (s, e) -> {
                for (long i = longs * s / chunks; i < longs * e / chunks; i++) buf.setAtIndex(ValueLayout.JAVA_LONG, i, i);
            });
            long warm = Math.min(longs, 1 << 14);
            for (int i = 0; i < 2000; i++) sinks[i % chunks] += sum(buf, 0, warm);   // JIT-compile the loop first
        }

        /** Best GB/s of {@code passes} reads of the whole buffer by all threads. */
        public double measure(int passes) {
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                pool.parallelFor(chunks, (s, e) -> {
                    for (int c = s; c < e; c++) sinks[c] = sum(buf, longs * c / chunks, longs * (c + 1) / chunks);
                });
                long dt = System.nanoTime() - t0;
                best = Math.max(best, (double) (longs * 8) / dt);
            }
            long all = 0;
            for (long v : sinks) all += v;
            if (all == 42) System.out.print("");   // keeps the sums alive
            return best;
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** Four independent accumulators so the loads, not the adds, set the pace. */
    private static long sum(MemorySegment s, long from, long to) {
        long a = 0, b = 0, c = 0, d = 0;
        long i = from;
        for (; i + 4 <= to; i += 4) {
            a += s.getAtIndex(ValueLayout.JAVA_LONG, i);
            b += s.getAtIndex(ValueLayout.JAVA_LONG, i + 1);
            c += s.getAtIndex(ValueLayout.JAVA_LONG, i + 2);
            d += s.getAtIndex(ValueLayout.JAVA_LONG, i + 3);
        }
        for (; i < to; i++) a += s.getAtIndex(ValueLayout.JAVA_LONG, i);
        return a + b + c + d;
    }
}
