package lumen.sampler.constraint;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import lumen.sampler.constraint.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Quick timing harness (not a benchmark; JMH lives in /bench): over Qwen3's 151k-token vocabulary,
 * for a sample of MaskBench schemas, time compiling the schema and every mask while forcing a valid
 * instance through the matcher (at each step the longest allowed token that continues the instance).
 * Masks are timed by wall clock and by the thread's CPU time (on a machine shared with other jobs the
 * wall-clock tail includes time the thread waited for a core).
 * Runs only with {@code -Dlumen.perf=true}; reads ../shared.
 */
class ConstraintPerfTest {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    @Test
    @SuppressWarnings("unchecked")
    void maskAndCompileTimesOverQwen3Vocabulary() throws Exception {
        assumeTrue(Boolean.getBoolean("lumen.perf"), "set -Dlumen.perf=true");
        Path shared = Path.of(System.getProperty("lumen.fixtures", "../shared/fixtures")).getParent();
        Path tok = shared.resolve("tokenizers/hf/qwen3/tokenizer.json");
        TokenVocabulary vocab = HfVocab.load(tok, List.of("<|endoftext|>", "<|im_end|>"));
        long t0 = System.nanoTime();
        lumen.sampler.constraint.grammar.TokenTrie trie = lumen.sampler.constraint.grammar.TokenTrie.of(vocab);
        System.out.printf("vocab %d tokens, trie %d nodes built in %.1f ms%n", vocab.size(), trie.nodes(), (System.nanoTime() - t0) / 1e6);
        int stride = Integer.getInteger("lumen.perf.stride", 20);
        List<Path> files;
        try (Stream<Path> s = Files.list(shared.resolve("jsonschema/maskbench"))) {
            files = s.sorted().toList();
        }
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms up the JIT; each schema gets a fresh Constraint (cold caches) in both
        List<Long> compile = new ArrayList<>(), masks = new ArrayList<>(), maskCpu = new ArrayList<>();
        int used = 0, failedCompile = 0, forcedFail = 0, tokens = 0;
        BitSet mask = new BitSet();
        for (int fi = pass; fi < files.size(); fi += stride) {
            Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(files.get(fi)));
            String instance = null;
            for (Object t : (List<Object>) doc.get("tests")) {
                Map<String, Object> tm = (Map<String, Object>) t;
                if (Boolean.TRUE.equals(tm.get("valid"))) { instance = Json.write(tm.get("data")); break; }
            }
            if (instance == null) continue;
            long c0 = System.nanoTime();
            Constraint c;
            try {
                c = Constraints.jsonSchema(Json.write(doc.get("schema")), false, vocab);
            } catch (ConstraintException e) {
                failedCompile++;
                continue;
            }
            long ct = System.nanoTime() - c0;
            compile.add(ct);
            if (pass == 1 && ct > 50_000_000) System.out.printf("slow compile %.0f ms: %s%n", ct / 1e6, files.get(fi).getFileName());
            used++;
            Matcher m = c.start();
            byte[] rest = instance.getBytes(StandardCharsets.UTF_8);
            int pos = 0;
            while (true) {
                long cpu0 = THREADS.getCurrentThreadCpuTime(), m0 = System.nanoTime();
                m.fillMask(mask);
                long mt = System.nanoTime() - m0;
                maskCpu.add(THREADS.getCurrentThreadCpuTime() - cpu0);
                masks.add(mt);
                if (pass == 1 && mt > 20_000_000) System.out.printf("slow mask %.1f ms at byte %d of %s: %s%n", mt / 1e6, pos, files.get(fi).getFileName(),
                        new String(rest, 0, pos, StandardCharsets.UTF_8));
                if (pos == rest.length) break;
                int best = -1, bestLen = 0;
                for (int id = mask.nextSetBit(0); id >= 0; id = mask.nextSetBit(id + 1)) {
                    byte[] b = vocab.tokenBytes()[id];
                    if (b.length > bestLen && pos + b.length <= rest.length && Arrays.equals(b, 0, b.length, rest, pos, pos + b.length)) {
                        best = id;
                        bestLen = b.length;
                    }
                }
                if (best < 0) { forcedFail++; break; }
                m.accept(best);
                tokens++;
                pos += bestLen;
            }
        }
        System.out.printf("schemas %d (not compiled %d, instance rejected %d), tokens %d%n", used, failedCompile, forcedFail, tokens);
        System.out.println("pass " + pass + " compile: " + stats(compile));
        System.out.println("pass " + pass + " mask:    " + stats(masks));
        System.out.println("pass " + pass + " mask (thread CPU time, leaves out time the thread waited for a core): " + stats(maskCpu));
        }
    }

    static String stats(List<Long> ns) {
        long[] a = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        if (a.length == 0) return "none";
        return String.format("n=%d p50=%.1f us p90=%.1f us p99=%.1f us max=%.1f us mean=%.1f us", a.length, a[a.length / 2] / 1e3,
                a[(int) (a.length * 0.9)] / 1e3, a[(int) (a.length * 0.99)] / 1e3, a[a.length - 1] / 1e3,
                Arrays.stream(a).average().orElse(0) / 1e3);
    }
}
