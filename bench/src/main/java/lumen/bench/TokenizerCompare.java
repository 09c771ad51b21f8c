package lumen.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import lumen.bench.jmh.TokenizerBench;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/**
 * Side-by-side tokenizer speed: writes TokenizerBench's 1 MB document to {@code doc.txt}, encodes it
 * eight times with Lumen (printing MB/s of thread CPU time and wall time) and writes the ids to
 * {@code lumen_ids.txt}; {@code bench/compare/hf-tokenizers.mjs} then does the same with Hugging Face's
 * Rust tokenizers. Usage: {@code TokenizerCompare tokenizer.json}.
 */
public final class TokenizerCompare {
    public static void main(String[] args) throws Exception {
        String doc = TokenizerBench.document(1_000_000, 7);
        Files.writeString(Path.of("doc.txt"), doc);
        Tokenizer t = Tokenizers.fromTokenizerJson(Path.of(args[0]));
        var threads = ManagementFactory.getThreadMXBean();
        int bytes = doc.getBytes(StandardCharsets.UTF_8).length;
        int[] ids = new int[0];
        for (int run = 0; run < 8; run++) {
            long cpu = threads.getCurrentThreadCpuTime(), wall = System.nanoTime();
            ids = t.encode(doc, false, false);
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            System.out.printf("lumen run %d: %d tokens, %.1f MB/s cpu, %.1f MB/s wall%n", run, ids.length, 1e3 * bytes / cpu, 1e3 * bytes / wall);
        }
        Files.writeString(Path.of("lumen_ids.txt"), Arrays.toString(ids));
    }
}
