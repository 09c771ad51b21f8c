package lumen.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lumen.api.Benchmark;
import lumen.api.Model;
import lumen.api.SyntheticModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lumen bench}: prompt-processing and generation speed in llama-bench's table, plus one JSON line
 * per test with the effective memory bandwidth of generation (or FLOP/s of prompt processing) and its
 * ratio to the limits measured just before and after each repetition (the larger of the two).
 */
@Command(name = "bench", description = "Measure prompt and generation speed (llama-bench format).", mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin model = new ModelOptionsMixin();

    @Option(names = {"-p", "--n-prompt"}, split = ",", paramLabel = "N[,N...]", description = "prompt tokens, one test each (0 skips; default: ${DEFAULT-VALUE})", defaultValue = "512")
    List<Integer> promptTokens;

    @Option(names = {"-n", "--n-gen"}, split = ",", paramLabel = "N[,N...]", description = "generated tokens, one test each (0 skips; default: ${DEFAULT-VALUE})", defaultValue = "128")
    List<Integer> genTokens;

    @Option(names = {"-d", "--n-depth"}, split = ",", paramLabel = "N[,N...]", description = "tokens already in the context when each test starts, as llama-bench's -d; every test runs at each depth (default: ${DEFAULT-VALUE})", defaultValue = "0")
    List<Integer> depths;

    @Option(names = {"-r", "--repetitions"}, description = "repetitions of each test (default: ${DEFAULT-VALUE})", defaultValue = "3")
    int repetitions;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "run each test for at least this long before measuring, so the JIT has compiled the kernels (default: ${DEFAULT-VALUE})", defaultValue = "10")
    double warmupSeconds;

    @Option(names = "--synthetic", paramLabel = "SHAPE:TYPE",
            description = "benchmark a random-weight model of a known shape, written once to a cache folder (e.g. llama-1b:Q4_0; shapes: ${COMPLETION-CANDIDATES})",
            completionCandidates = SyntheticModels.Shapes.class)
    String synthetic;

    @Option(names = "--synthetic-dir", paramLabel = "DIR", description = "where synthetic models are written (default: java.io.tmpdir/lumen-synthetic)")
    Path syntheticDir;

    @Override
    public Integer call() {
        if (repetitions <= 0) throw new IllegalArgumentException("-r must be > 0, found " + repetitions);
        for (List<Integer> l : List.of(promptTokens, genTokens, depths)) {
            for (int v : l) if (v < 0) throw new IllegalArgumentException("-p, -n and -d must be >= 0, found " + v);
        }
        if (warmupSeconds < 0) throw new IllegalArgumentException("--warmup must be >= 0, found " + warmupSeconds);
        if (synthetic != null) {
            Path dir = syntheticDir != null ? syntheticDir : Path.of(System.getProperty("java.io.tmpdir"), "lumen-synthetic");
            model.model = SyntheticModels.ensure(synthetic, dir, msg -> spec.commandLine().getErr().println("lumen: " + msg));
        }
        long needed = (long) Collections.max(depths)
                + Math.max(Collections.max(promptTokens), Collections.max(genTokens)) + 1;
        if (needed > Integer.MAX_VALUE) throw new IllegalArgumentException("-d plus the larger of -p and -n is " + (needed - 1) + " tokens, too many for a context");
        model.contextSize = Math.max(model.contextSize, (int) needed);
        try (Model m = model.load()) {
            spec.commandLine().getOut().println("| model                          |       size |     params | backend    | threads |            test |                  t/s |");
            spec.commandLine().getOut().println("| ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |");
            List<String> json = new ArrayList<>();
            for (int depth : depths) {   // llama-bench's order: each depth, its prompt tests, then its generation tests
                for (int p : promptTokens) if (p > 0) report(m, Benchmark.prompt(m, p, depth, repetitions, warmupSeconds), depth, json);
                for (int n : genTokens) if (n > 0) report(m, Benchmark.generation(m, n, depth, repetitions, warmupSeconds), depth, json);
            }
            spec.commandLine().getOut().println();
            json.forEach(spec.commandLine().getOut()::println);
        }
        return 0;
    }

    private void report(Model m, Benchmark.Speed s, int depth, List<String> json) {
        long bytes = m.weightBytes();
        String size = bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
        long p = m.parameterCount();
        String params = p >= 1_000_000_000L ? String.format(Locale.ROOT, "%.2f B", p / 1e9) : String.format(Locale.ROOT, "%.2f M", p / 1e6);
        spec.commandLine().getOut().printf(Locale.ROOT, "| %-30s | %10s | %10s | %-10s | %7d | %15s | %20s |%n", m.description(), size, params, "CPU",
                m.threads(), s.test(), String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.stddev()));
        spec.commandLine().getOut().flush();
        boolean gen = s.test().startsWith("tg");
        // Generation reads every weight once per token: compare bytes × tok/s with the read bandwidth.
        // Prompt processing does ~2 FLOPs per weight per token (attention and the last token's logits excluded): compare with the FMA peak.
        // Each repetition is compared with the larger limit measured just before or after it; the other kind of limit is not measured (0).
        // At a depth, attention over the cached tokens adds time (and KV reads) that these ratios do not count.
        double[] ratio = s.ratio(gen ? m.weightBytesPerToken() / 1e9 : 2.0 * m.promptParametersPerToken() / 1e9);
        double effective = gen ? m.weightBytesPerToken() * s.mean() / 1e9 : 0;
        double gflops = gen ? 0 : 2.0 * m.promptParametersPerToken() * s.mean() / 1e9;
        json.add(String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"file\": \"%s\", \"size_bytes\": %d, \"params\": %d, \"threads\": %d, \"mmap\": %b, \"repack\": %b, \"test\": \"%s\", \"n_depth\": %d, "
                        + "\"avg_ts\": %.3f, \"stddev_ts\": %.3f, \"weight_bytes_per_token\": %d, \"effective_bandwidth_gbs\": %.3f, "
                        + "\"measured_bandwidth_gbs\": %.3f, \"bandwidth_ratio\": %.3f, \"bandwidth_ratio_stddev\": %.3f, "
                        + "\"gflops\": %.2f, \"measured_peak_gflops\": %.2f, \"flops_ratio\": %.3f, \"flops_ratio_stddev\": %.3f}",
                m.description(), m.path().getFileName(), bytes, p, m.threads(), !model.noMmap, !model.noRepack, s.test(), depth, s.mean(), s.stddev(),
                m.weightBytesPerToken(), effective, gen ? s.meanLimit() : 0, gen ? ratio[0] : 0, gen ? ratio[1] : 0,
                gflops, gen ? 0 : s.meanLimit(), gen ? 0 : ratio[0], gen ? 0 : ratio[1]));
    }
}
