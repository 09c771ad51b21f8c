package lumen.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPoolTest {

    @Test
    void coversEveryIndexExactlyOnceForManySizes() {
        try (ThreadPool pool = new ThreadPool(3)) {
            for (int n = 0; n < 50; n++) {
                int[] hits = new int[n];
                pool.parallelFor(n, (s, e) -> {
                    for (int i = s; i < e; i++) hits[i]++;
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits[i], "n=" + n + " index " + i);
            }
        }
    }

    @Test
    void chunksAreContiguousNonEmptyFewAndNeverGrow() {
        try (ThreadPool pool = new ThreadPool(4)) {
            for (int n : new int[] {1, 2, 5, 16, 17, 1000, 100_000}) {
                List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
                pool.parallelFor(n, (s, e) -> ranges.add(new int[] {s, e}));
                ranges.sort(Comparator.comparingInt(r -> r[0]));
                int expect = 0, last = Integer.MAX_VALUE;
                for (int[] r : ranges) {
                    assertEquals(expect, r[0], "contiguous for n=" + n);
                    assertTrue(r[1] > r[0], "non-empty for n=" + n);
                    assertTrue(r[1] - r[0] <= last, "sizes never grow, n=" + n);   // small chunks last: an even finish
                    last = r[1] - r[0];
                    expect = r[1];
                }
                assertEquals(n, expect);
                // each claim takes 1/8 of what is left (at least 1): about 8·ln(n/8) + 8 claims, not n
                assertTrue(ranges.size() <= 8 * Math.log(Math.max(n, 8) / 8.0) + 16, ranges.size() + " chunks for n=" + n);
                if (n >= 8) assertEquals(n / 8, ranges.get(0)[1], "first chunk for n=" + n);
            }
        }
    }

    @Test
    void otherThreadsTakeTheChunksOfABlockedOne() throws Exception {
        // whichever thread claims the first chunk blocks until every other index is done: with a fixed
        // split this would wait forever (half the indices belong to the blocked thread); with claiming the
        // other thread runs them all
        int n = 64;
        try (ThreadPool pool = new ThreadPool(2)) {
            AtomicInteger othersDone = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            pool.parallelFor(n, (s, e) -> {
                if (s == 0) {
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (othersDone.get() < n - e) {
                        if (System.nanoTime() > deadline) {
                            timedOut.incrementAndGet();
                            return;
                        }
                        Thread.onSpinWait();
                    }
                } else {
                    othersDone.addAndGet(e - s);
                }
            });
            assertEquals(0, timedOut.get());
            assertEquals(n - n / 4, othersDone.get());
        }
    }

    @Test
    void zeroWorkRunsNothing() {
        try (ThreadPool pool = new ThreadPool(2)) {
            pool.parallelFor(0, (s, e) -> {
                throw new AssertionError("called");
            });
        }
    }

    @Test
    void anExceptionInAWorkerChunkReachesTheCaller() {
        try (ThreadPool pool = new ThreadPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            var thrown = assertThrows(IllegalStateException.class, () -> pool.parallelFor(10, (s, e) -> {
                if (s > 0) throw boom;
            }));
            assertSame(boom, thrown);
            // the pool still works afterwards
            AtomicInteger sum = new AtomicInteger();
            pool.parallelFor(10, (s, e) -> sum.addAndGet(e - s));
            assertEquals(10, sum.get());
        }
    }

    @Test
    void anExceptionInTheCallersChunkToo() {
        try (ThreadPool pool = new ThreadPool(2)) {
            assertThrows(ArithmeticException.class, () -> pool.parallelFor(10, (s, e) -> {
                if (s == 0) throw new ArithmeticException();
            }));
        }
    }

    @Test
    void interruptedCallerGetsCancellationAndKeepsTheFlag() {
        try (ThreadPool pool = new ThreadPool(2)) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(CancellationException.class, () -> pool.parallelFor(4, (s, e) -> {}));
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            // interrupted while the chunks run: all chunks still finish before the call returns
            int[] hits = new int[4];
            Thread caller = Thread.currentThread();
            try {
                assertThrows(CancellationException.class, () -> pool.parallelFor(4, (s, e) -> {
                    caller.interrupt();
                    for (int i = s; i < e; i++) hits[i]++;
                }));
            } finally {
                Thread.interrupted();
            }
            for (int h : hits) assertEquals(1, h);
        }
    }

    @Test
    void manyQuickCallsInARow() {
        try (ThreadPool pool = new ThreadPool(2)) {
            long[] total = new long[1];
            AtomicInteger count = new AtomicInteger();
            for (int c = 0; c < 20_000; c++) pool.parallelFor(2, (s, e) -> count.incrementAndGet());
            total[0] = count.get();
            assertEquals(40_000, total[0]);
        }
    }
}
