package lumen.tensor.parallel;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads for data-parallel loops. {@link #parallelFor} hands out [0, n) in
 * contiguous chunks that the threads (the caller included) claim in turn, each a 1/(2·threads) share of
 * what is left ("guided" scheduling): large chunks first, so claims are few, and ever smaller ones at the
 * end, so the threads finish within about one unit of each other instead of one waiting for the other's
 * last large chunk; a thread that the machine slows down (a shared core, another process) simply claims
 * less. Callers' results must not depend on the split (the kernels' do not). Workers spin briefly for
 * the next call before parking, since the engine calls this several times per layer per token and a
 * park/unpark round trip costs tens of microseconds.
 *
 * <p>Not reentrant: one {@code parallelFor} at a time (callers are the single generation thread).
 */
public final class ThreadPool implements AutoCloseable {
    private static final long SPIN_NANOS = 50_000;

    private final int threads;
    private final Thread[] workers;
    private volatile Job job;   // the latest call; each worker remembers the last one it saw
    private volatile boolean closed;

    /** One call of parallelFor, published whole through the volatile {@link #job}. */
    private static final class Job {
        final RangeTask task;
        final int n, share;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();   // the first unclaimed index
        final AtomicInteger unfinished;                    // indices not yet run
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeTask task, int n, int threads, Thread caller) {
            this.task = task;
            this.n = n;
            this.share = 2 * threads;
            this.caller = caller;
            this.unfinished = new AtomicInteger(n);
        }

        /** Claims and runs chunks until none is left; true if this thread finished the last one. */
        boolean work() {
            boolean last = false;
            while (true) {
                int start = next.get();
                if (start >= n) return last;
                int end = start + Math.max(1, (n - start) / share);
                if (!next.compareAndSet(start, end)) continue;
                try {
                    if (failure.get() == null) task.run(start, end);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    last = unfinished.addAndGet(start - end) == 0;
                }
            }
        }
    }

    public ThreadPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("lumen-worker-" + part).unstarted(this::workerLoop);
            workers[i].start();
        }
    }

    /** Number of threads that run chunks, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) split into contiguous, non-empty chunks of non-increasing size, the
     * calling thread taking part; rethrows the first exception of any chunk
     * (chunks not yet started then do not run). Throws {@link CancellationException}
     * (interrupt flag kept) if the calling thread is interrupted when it starts or finishes.
     */
    public void parallelFor(int n, RangeTask task) {
        if (closed) throw new IllegalStateException("thread pool is closed");
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
        if (n <= 0) return;
        if (threads == 1 || n == 1) {   // one chunk: no other thread to wake
            task.run(0, n);
            return;
        }
        Job j = new Job(task, n, threads, Thread.currentThread());
        job = j;
        for (Thread w : workers) LockSupport.unpark(w);
        j.work();
        awaitWorkers(j);
        Throwable t = j.failure.get();
        if (t != null) {
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            throw new RuntimeException(t);
        }
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
    }

    private static void awaitWorkers(Job j) {
        long start = System.nanoTime();
        while (j.unfinished.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // the workers must finish before we return (they write the caller's buffers), so an
                // interrupt only shortens the park; it is reported after the wait
                LockSupport.parkNanos(j, 100_000);
            }
        }
    }

    private void workerLoop() {
        Job seen = null;
        while (true) {
            long start = System.nanoTime();
            Job j;
            while ((j = job) == seen && !closed) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = j;
            if (j.work()) LockSupport.unpark(j.caller);
        }
    }

    /** Stops the workers (they are daemons, so forgetting this does not keep the JVM alive). */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
