package lumen.api;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import lumen.tensor.kernel.MemoryBandwidth;
import lumen.tensor.kernel.simd.PeakFlops;

/**
 * Speed tests in the manner of llama-bench: {@code pp N} evaluates N random tokens as a prompt from an
 * empty cache; {@code tg N} generates N tokens one at a time from an empty cache. Each test first runs
 * for at least {@code warmupSeconds} (once at minimum), since the JIT needs several seconds to compile the
 * Vector API kernels (earlier calls run a slow fallback), then {@code repetitions} measured times, between
 * measurements of the machine's limit for that kind of test.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /**
     * Tokens per second of each repetition, their mean and standard deviation, and the machine's limit
     * (GB/s of memory reads for generation, GFLOP/s of FMA for prompts) measured before each repetition
     * and after the last: on a shared machine both move together from second to second, so each
     * repetition's speed is compared with the larger of the limits measured just before and just after it.
     */
    public record Speed(String test, int tokens, double[] tokensPerSecond, double mean, double stddev, double[] limits) {
        static Speed of(String test, int tokens, double[] samples, double[] limits) {
            return new Speed(test, tokens, samples, mean(samples), stddev(samples), limits);
        }

        /** Mean of the limits measured between the repetitions. */
        public double meanLimit() {
            return mean(limits);
        }

        /** Mean and standard deviation over the repetitions of (tokens/s × units per token ÷ limit around it). */
        public double[] ratio(double unitsPerToken) {
            double[] r = new double[tokensPerSecond.length];
            for (int i = 0; i < r.length; i++) r[i] = tokensPerSecond[i] * unitsPerToken / Math.max(limits[i], limits[i + 1]);
            return new double[] {mean(r), stddev(r)};
        }

        private static double mean(double[] v) {
            double m = 0;
            for (double s : v) m += s;
            return m / v.length;
        }

        private static double stddev(double[] v) {
            if (v.length < 2) return 0;
            double m = mean(v), var = 0;
            for (double s : v) var += (s - m) * (s - m);
            return Math.sqrt(var / (v.length - 1));
        }
    }

    /**
     * pp N (after {@code depth} tokens already in the context, as llama-bench's {@code -d}: "pp N @ d D");
     * its limit is the FMA throughput in GFLOP/s.
     */
    public static Speed prompt(Model model, int tokens, int depth, int repetitions, double warmupSeconds) {
        int[] prompt = randomTokens(model, tokens, 1);
        Session session = model.newSession();
        return measure(name("pp", tokens, depth), tokens, repetitions, warmupSeconds, () -> fill(model, session, depth),
                () -> session.evaluate(prompt), () -> PeakFlops.measure(model.pool()));
    }

    /**
     * tg N (after {@code depth} tokens already in the context); its limit is the memory read bandwidth in
     * GB/s (a 512 MiB buffer, far larger than any cache).
     */
    public static Speed generation(Model model, int tokens, int depth, int repetitions, double warmupSeconds) {
        int[] ids = randomTokens(model, tokens, 2);
        Session session = model.newSession();
        try (MemoryBandwidth.Probe probe = new MemoryBandwidth.Probe(model.pool(), 512L << 20)) {
            return measure(name("tg", tokens, depth), tokens, repetitions, warmupSeconds, () -> fill(model, session, depth), () -> {
                for (int id : ids) session.evaluate(new int[] {id});
            }, () -> probe.measure(3));
        }
    }

    private static String name(String kind, int tokens, int depth) {
        return kind + tokens + (depth > 0 ? " @ d" + depth : "");
    }

    /** An empty context, then {@code depth} random tokens in it (not timed). */
    private static void fill(Model model, Session session, int depth) {
        session.reset();
        if (depth > 0) session.evaluate(randomTokens(model, depth, 3));
    }

    /** Each repetition (and warm-up run): {@code setup} untimed, then {@code run} timed. */
    private static Speed measure(String test, int tokens, int repetitions, double warmupSeconds, Runnable setup, Runnable run,
                                 DoubleSupplier limit) {
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            setup.run();
            run.run();
        } while (System.nanoTime() < warmupEnd);
        double[] samples = new double[repetitions], limits = new double[repetitions + 1];
        for (int r = 0; r < repetitions; r++) {
            setup.run();
            limits[r] = limit.getAsDouble();
            long start = System.nanoTime();
            run.run();
            samples[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        limits[repetitions] = limit.getAsDouble();
        return Speed.of(test, tokens, samples, limits);
    }

    private static int[] randomTokens(Model model, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = random.nextInt(model.vocabSize());
        return ids;
    }
}
