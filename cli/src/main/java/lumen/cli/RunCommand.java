package lumen.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lumen.LumenException;
import lumen.api.OutputConstraint;
import java.util.Map;
import java.util.concurrent.Callable;
import lumen.api.Model;
import lumen.api.Session;
import lumen.sampler.SamplingParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lumen run}: generates text from a prompt, streaming it to stdout; speeds go to stderr. */
@Command(name = "run", description = "Generate text from a prompt.", mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin model = new ModelOptionsMixin();

    @Option(names = {"-p", "--prompt"}, description = "prompt text (default: \"${DEFAULT-VALUE}\")", defaultValue = "Once upon a time")
    String prompt;

    @Option(names = {"-n", "--n-predict"}, description = "tokens to generate; -1: until the end of generation or a full context, "
            + "as llama.cpp's -1 and -2 (default: ${DEFAULT-VALUE})", defaultValue = "128")
    int maxTokens;

    @Option(names = "--temp", description = "temperature; 0 is greedy (default: ${DEFAULT-VALUE})", defaultValue = "0.8")
    float temperature;

    @Option(names = "--top-p", description = "nucleus sampling mass (default: ${DEFAULT-VALUE})", defaultValue = "0.95")
    float topP;

    @Option(names = "--top-k", description = "keep the k most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE})", defaultValue = "40")
    int topK;

    @Option(names = "--min-p", description = "drop tokens below min-p × the top probability (default: ${DEFAULT-VALUE})", defaultValue = "0.05")
    float minP;

    @Option(names = "--repeat-penalty", description = "repetition penalty; 1 is off (default: ${DEFAULT-VALUE})", defaultValue = "1.0")
    float repeatPenalty;

    @Option(names = {"-s", "--seed"}, description = "random seed (default: random)")
    Long seed;

    /** At most one constraint on the output. */
    static final class ConstraintOptions {
        @Option(names = "--json", description = "output any JSON object")
        boolean json;

        @Option(names = "--json-schema", paramLabel = "FILE", description = "output JSON valid against this JSON Schema")
        Path jsonSchema;

        @Option(names = "--regex", paramLabel = "REGEX", description = "output text matching this regular expression")
        String regex;

        @Option(names = "--choice", split = ",", paramLabel = "A,B,...", description = "output exactly one of these strings")
        List<String> choice;

        @Option(names = "--grammar", paramLabel = "FILE", description = "output text of this grammar (.gbnf: llama.cpp GBNF, .lark: Lark)")
        Path grammar;

        OutputConstraint toConstraint() throws IOException {
            if (json) return new OutputConstraint.JsonObject();
            if (jsonSchema != null) return new OutputConstraint.JsonSchema(read(jsonSchema), true);
            if (regex != null) return new OutputConstraint.Regex(regex);
            if (choice != null) return new OutputConstraint.Choice(choice);
            if (grammar != null) {
                String text = read(grammar);
                String name = grammar.getFileName().toString();
                if (name.endsWith(".gbnf")) return new OutputConstraint.Gbnf(text);
                if (name.endsWith(".lark")) return new OutputConstraint.Lark(text);
                throw new LumenException(grammar + ": grammar files must end in .gbnf or .lark");
            }
            return OutputConstraint.NONE;
        }

        private static String read(Path p) throws IOException {
            if (!Files.exists(p)) throw new LumenException(p + ": no such file");
            return Files.readString(p, StandardCharsets.UTF_8);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ConstraintOptions constraint = new ConstraintOptions();

    @Override
    public Integer call() throws IOException {
        if (maxTokens < -2) throw new IllegalArgumentException("-n must be >= -2 (-1 and -2: no limit), found " + maxTokens);
        long s = seed != null ? seed : System.nanoTime();
        SamplingParams params = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 0, 0, 64, s, Map.of());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Model m = model.load()) {
            Session session = m.newSession();
            int[] tokens = m.encode(prompt, true);
            if (tokens.length > session.capacity()) {
                throw new IllegalArgumentException("the prompt is " + tokens.length + " tokens and the context holds "
                        + session.capacity() + " (raise --ctx)");
            }
            out.print(prompt);
            out.flush();
            int limit = maxTokens < 0 ? Integer.MAX_VALUE : maxTokens;   // no limit: until the end or a full context
            Session.Generation g = session.generate(tokens, limit, params, constraint.toConstraint(), piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            err.printf("%nprompt: %d tokens, %.2f tok/s | generated: %d tokens, %.2f tok/s | stop: %s | %s, %d threads%n",
                    g.promptTokens(), rate(g.promptTokens(), g.promptNanos()),
                    g.tokens().length, rate(Math.max(0, g.tokens().length - 1), g.generationNanos()),
                    g.stopReason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), m.description(), m.threads());
            if (g.stopReason() == Session.StopReason.CONTEXT_FULL) {
                err.println("lumen: stopped: the context (" + m.contextSize() + " tokens) is full; raise --ctx");
            }
        }
        return 0;
    }

    static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
