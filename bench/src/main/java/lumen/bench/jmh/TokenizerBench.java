package lumen.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/**
 * Encode throughput of byte-level BPE with a 150k vocabulary (Qwen3's tokenizer.json by default) on a long mixed
 * document of exactly {@value #DOC_BYTES} UTF-8 bytes: English prose, code, numbers, multilingual text and emoji.
 * One operation is one byte, so JMH's ops/s is bytes/s (divide by 10^6 for MB/s). Single-threaded.
 * Run: {@code java --add-modules jdk.incubator.vector -cp 'bench/target/lumen-bench.jar:bench/target/lib/*'
 * org.openjdk.jmh.Main TokenizerBench -p tokenizer=../shared/tokenizers/hf/qwen3/tokenizer.json}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class TokenizerBench {
    static final int DOC_BYTES = 1_000_000;

    /** A tokenizer.json (Hugging Face); the default is the shared Qwen3 file, 151,643 + 26 tokens. */
    @Param("../shared/tokenizers/hf/qwen3/tokenizer.json")
    public String tokenizer;

    private Tokenizer tok;
    private String doc;

    @Setup
    public void setup() {
        tok = Tokenizers.fromTokenizerJson(Path.of(tokenizer));
        doc = document(DOC_BYTES, 7);
    }

    @Benchmark
    @OperationsPerInvocation(DOC_BYTES)
    public int[] encode() {
        return tok.encode(doc, false, false);
    }

    /** A deterministic mixed document of exactly n UTF-8 bytes. */
    public static String document(int n, long seed) {
        String[] prose = {
            "The committee reviewed forty-two proposals, rejected seventeen, and asked for revisions on the rest. ",
            "Photosynthesis converts light energy into chemical energy stored in glucose; mitochondria release it. ",
            "She didn't know whether they'd arrive before we'd finished the report, so I'll send it tomorrow. ",
            "In 1969, Apollo 11 landed on the Moon. Prices rose 3.5% to $1,234.56 on 2024-03-15 (Friday). ",
            "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n",
            "for (int i = 0; i < values.length; i++) {\n\ttotal += values[i] * weights[i];\n}\n",
            "{\"id\": 31415, \"name\": \"Ada Lovelace\", \"tags\": [\"math\", \"poetry\"], \"active\": true}\n",
            "日本語のテキストと中文文本，还有一些标点符号。", "Привет, мир! Как дела? ", "مرحبا بالعالم، كيف حالك؟ ",
            "नमस्ते दुनिया, आप कैसे हैं? ", "Café, naïve, façade — résumé! Zürich Øresund. ", "emoji 🦊🐶 👨‍👩‍👧‍👦 👍🏽 ",
            "    indented line with trailing spaces   \n", "\n\n",
        };
        String[] words = String.join(" ", prose).split("\\s+");
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 256);
        int bytes = 0;
        while (bytes < n) {
            String piece;
            if (r.nextInt(3) == 0) {
                StringBuilder w = new StringBuilder();
                for (int k = 5 + r.nextInt(20); k > 0; k--) w.append(words[r.nextInt(words.length)]).append(' ');
                w.append(r.nextInt(100_000)).append(". ");
                piece = w.toString();
            } else {
                piece = prose[r.nextInt(prose.length)];
            }
            int b = piece.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + b > n) piece = "x".repeat(n - bytes);
            sb.append(piece);
            bytes += piece.getBytes(StandardCharsets.UTF_8).length;
        }
        return sb.toString();
    }
}
