package lumen.bench.jmh;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import lumen.sampler.constraint.Constraint;
import lumen.sampler.constraint.Constraints;
import lumen.sampler.constraint.Matcher;
import lumen.sampler.constraint.TokenVocabulary;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Constrained decoding over a 150k-token vocabulary (Qwen3's tokenizer.json by default), single thread:
 * {@code compile} is the time to turn a typical function-call schema into a constraint;
 * {@code maskWalk} is the time per token to fill the mask and accept the lowest allowed non-end token,
 * walking a matcher through one document over and over: after the first pass every parser state's mask
 * is cached, so this is the warm cost. The cold cost (first visit of a state, as MaskBench measures it)
 * comes from {@code ConstraintPerfTest} in the sampler module ({@code -Dlumen.perf=true}).
 * Run: {@code java --add-modules jdk.incubator.vector -cp 'bench/target/lumen-bench.jar:bench/target/lib/*'
 * org.openjdk.jmh.Main ConstraintBench}; JMH's sample mode prints p50/p99.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class ConstraintBench {
    static final String SCHEMA = """
            {"type": "object", "properties": {
              "city": {"type": "string", "description": "The city"},
              "unit": {"enum": ["celsius", "fahrenheit"]},
              "days": {"type": "integer", "minimum": 1, "maximum": 14},
              "details": {"type": "array", "items": {"type": "string"}, "maxItems": 5}},
             "required": ["city", "unit"], "additionalProperties": false}""";

    @Param("../shared/tokenizers/hf/qwen3/tokenizer.json")
    public String tokenizer;

    private TokenVocabulary vocabulary;
    private Constraint constraint;
    private Matcher matcher;
    private final BitSet allowed = new BitSet();
    private int steps;

    @Setup
    public void setup() {
        Tokenizer t = Tokenizers.fromTokenizerJson(Path.of(tokenizer));
        vocabulary = TokenVocabulary.of(t);
        constraint = Constraints.jsonSchema(SCHEMA, true, vocabulary);
    }

    @Setup(Level.Iteration)
    public void freshMatcher() {
        matcher = constraint.start();
        steps = 0;
    }

    @Benchmark
    public Constraint compile() {
        return Constraints.jsonSchema(SCHEMA, true, vocabulary);
    }

    /** One decoding step: the mask, then the lowest allowed id that does not end the output (restart when done). */
    @Benchmark
    public int maskWalk() {
        if (matcher.isFinished() || steps > 400) {
            matcher = constraint.start();
            steps = 0;
        }
        matcher.fillMask(allowed);
        int id = allowed.nextSetBit(0);
        while (id >= 0 && vocabulary.endOfGeneration().get(id) && allowed.nextSetBit(id + 1) >= 0) id = allowed.nextSetBit(id + 1);
        if (id < 0 || vocabulary.endOfGeneration().get(id)) {
            matcher = constraint.start();
            steps = 0;
            return -1;
        }
        matcher.accept(id);
        steps++;
        return id;
    }
}
