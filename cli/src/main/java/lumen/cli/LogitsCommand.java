package lumen.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lumen.LumenException;
import lumen.api.Model;
import lumen.api.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lumen logits}: evaluates token ids as one batch and writes the logits of every position as
 * little-endian float32 [n_tokens][n_vocab] (the fixtures' format); optionally continues greedily.
 */
@Command(name = "logits", description = "Write the logits of a token sequence (one batch) as float32 [n][vocab].", mixinStandardHelpOptions = true)
public final class LogitsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin model = new ModelOptionsMixin();

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "ID,ID,...", description = "token ids to evaluate")
    int[] tokens;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "where to write the logits")
    Path output;

    @Option(names = "--greedy", paramLabel = "N", description = "also print the N greedy ids that follow, one decode step at a time")
    int greedy;

    @Override
    public Integer call() throws IOException {
        if (greedy < 0) throw new LumenException("--greedy must be >= 0, found " + greedy);
        model.batchSize = Math.max(model.batchSize, tokens.length); // ONE forward pass over the whole sequence
        try (Model m = model.load()) {
            Session session = m.newSession();
            float[] logits = session.evaluateAll(tokens);
            write(output, logits);
            spec.commandLine().getErr().printf("wrote %d × %d logits to %s%n", tokens.length, m.vocabSize(), output);
            if (greedy > 0) {
                List<Integer> ids = new ArrayList<>();
                float[] last = java.util.Arrays.copyOfRange(logits, (tokens.length - 1) * m.vocabSize(), tokens.length * m.vocabSize());
                for (int i = 0; i < greedy; i++) {
                    int next = argmax(last);
                    ids.add(next);
                    if (i + 1 < greedy) last = session.evaluate(new int[] {next});
                }
                spec.commandLine().getOut().println(ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
            }
        }
        return 0;
    }

    /** Index of the largest value; ties go to the lowest index (the references' rule). */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private static void write(Path path, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            throw new LumenException(path + ": cannot write logits: " + e.getMessage());
        }
    }
}
