package lumen.bench.jmh;

import lumen.tensor.kernel.MemoryBandwidth;
import lumen.tensor.parallel.ThreadPool;

/** Prints the read bandwidth {@code lumen bench} compares generation with: {@code MemoryBandwidthBench [threads]}. */
public final class MemoryBandwidthBench {
    private MemoryBandwidthBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        try (ThreadPool pool = new ThreadPool(threads)) {
            System.out.printf("memory read bandwidth, %d threads: %.1f GB/s%n", threads, MemoryBandwidth.measureRead(pool));
        }
    }
}
