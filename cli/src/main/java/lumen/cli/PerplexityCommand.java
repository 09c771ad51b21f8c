package lumen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lumen.LumenException;
import lumen.api.Model;
import lumen.api.Perplexity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lumen perplexity}: perplexity of a text, computed and printed as llama.cpp's perplexity tool does. */
@Command(name = "perplexity", description = "Perplexity of a text file (llama.cpp's method: chunks of --ctx, second halves scored).", mixinStandardHelpOptions = true)
public final class PerplexityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin model = new ModelOptionsMixin();

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "TEXT", description = "UTF-8 text file")
    Path file;

    @Override
    public Integer call() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LumenException(file + ": no such file");
        } catch (IOException e) {
            throw new LumenException(file + ": cannot read: " + e.getMessage());
        }
        if (model.contextSize == 0) model.contextSize = 512; // llama.cpp's perplexity default
        try (Model m = model.load()) {
            Perplexity.Result r = Perplexity.compute(m, text, m.contextSize(), chunk -> {
                spec.commandLine().getOut().printf("[%d]%.4f,", chunk.index() + 1, chunk.runningPerplexity());
                spec.commandLine().getOut().flush();
            });
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().printf("Final estimate: PPL = %.4f +/- %.5f%n", r.perplexity(), r.uncertainty());
            spec.commandLine().getErr().printf("%d chunks of %d tokens, %d tokens scored%n", r.chunks(), m.contextSize(), r.scoredTokens());
        }
        return 0;
    }
}
