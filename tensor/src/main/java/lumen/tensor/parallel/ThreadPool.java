package lumen.tensor.parallel;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads for data-parallel loops. {@link #parallelFor} splits [0, n) into one
 * contiguous chunk per thread (the caller runs the first) and returns when all are done. Workers spin
 * briefly for the next call before parking, since the engine calls this ~10 times per layer per token
 * and a park/unpark round trip costs tens of microseconds.
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
        final int n, parts;
        final Thread caller;
        final AtomicInteger pending;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeTask task, int n, int parts, Thread caller) {
            this.task = task;
            this.n = n;
            this.parts = parts;
            this.caller = caller;
            this.pending = new AtomicInteger(parts - 1);
        }

        void run(int part) {
            try {
                task.run((int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }

    public ThreadPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("lumen-worker-" + part).unstarted(() -> workerLoop(part));
            workers[i].start();
        }
    }

    /** Number of threads that run chunks, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, n) split into contiguous chunks, one per thread, the calling thread
     * taking part; rethrows the first exception of any chunk. Throws {@link CancellationException}
     * (interrupt flag kept) if the calling thread is interrupted when it starts or finishes.
     */
    public void parallelFor(int n, RangeTask task) {
        if (closed) throw new IllegalStateException("thread pool is closed");
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted");
        if (n <= 0) return;
        int parts = Math.min(threads, n);
        if (parts == 1) {
            task.run(0, n);
            return;
        }
        Job j = new Job(task, n, parts, Thread.currentThread());
        job = j;
        for (int i = 0; i < parts - 1; i++) LockSupport.unpark(workers[i]);
        j.run(0);
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
        while (j.pending.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // the workers must finish before we return (they write the caller's buffers), so an
                // interrupt only shortens the park; it is reported after the wait
                LockSupport.parkNanos(j, 100_000);
            }
        }
    }

    private void workerLoop(int part) {
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
            if (part < j.parts) {
                j.run(part);
                if (j.pending.decrementAndGet() == 0) LockSupport.unpark(j.caller);
            }
        }
    }

    /** Stops the workers (they are daemons, so forgetting this does not keep the JVM alive). */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
