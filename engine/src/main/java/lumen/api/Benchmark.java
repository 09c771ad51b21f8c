package lumen.api;

import java.util.SplittableRandom;
import lumen.tensor.kernel.MemoryBandwidth;
import lumen.tensor.kernel.simd.PeakFlops;

/**
 * Speed tests in the manner of llama-bench: {@code pp N} evaluates N random tokens as a prompt from an
 * empty cache; {@code tg N} generates N tokens one at a time from an empty cache. Each test first runs
 * for at least {@code warmupSeconds} (once at minimum), since the JIT needs several seconds to compile the
 * Vector API kernels (earlier calls run a slow fallback), then {@code repetitions} measured times.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** Tokens per second of each repetition, their mean and standard deviation. */
    public record Speed(String test, int tokens, double[] tokensPerSecond, double mean, double stddev) {
        static Speed of(String test, int tokens, double[] samples) {
            double mean = 0;
            for (double s : samples) mean += s;
            mean /= samples.length;
            double var = 0;
            for (double s : samples) var += (s - mean) * (s - mean);
            double stddev = samples.length > 1 ? Math.sqrt(var / (samples.length - 1)) : 0;
            return new Speed(test, tokens, samples, mean, stddev);
        }
    }

    public static Speed prompt(Model model, int tokens, int repetitions, double warmupSeconds) {
        int[] prompt = randomTokens(model, tokens, 1);
        Session session = model.newSession();
        return measure("pp" + tokens, tokens, repetitions, warmupSeconds, () -> {
            session.reset();
            session.evaluate(prompt);
        });
    }

    public static Speed generation(Model model, int tokens, int repetitions, double warmupSeconds) {
        int[] ids = randomTokens(model, tokens, 2);
        Session session = model.newSession();
        return measure("tg" + tokens, tokens, repetitions, warmupSeconds, () -> {
            session.reset();
            for (int id : ids) session.evaluate(new int[] {id});
        });
    }

    private static Speed measure(String test, int tokens, int repetitions, double warmupSeconds, Runnable run) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            run.run();
        } while (System.nanoTime() < warmupEnd);
        double[] samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            run.run();
            samples[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        return Speed.of(test, tokens, samples);
    }

    /** Read bandwidth of main memory in GB/s with the model's threads, measured now: the limit of decoding. */
    public static double memoryBandwidth(Model model) {
        return MemoryBandwidth.measureRead(model.pool());
    }

    /** Float32 FMA throughput in GFLOP/s with the model's threads, measured now: the limit of prompt processing. */
    public static double peakFlops(Model model) {
        return PeakFlops.measure(model.pool());
    }

    private static int[] randomTokens(Model model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = random.nextInt(model.vocabSize());
        return ids;
    }
}
