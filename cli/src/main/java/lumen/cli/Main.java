package lumen.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import lumen.LumenException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lumen} command: one picocli subcommand class per verb. */
@Command(name = "lumen", mixinStandardHelpOptions = true, version = "lumen 0.1.0",
        description = "Runs large language models on the CPU, in pure Java.",
        subcommands = {RunCommand.class, LogitsCommand.class, PerplexityCommand.class, BenchCommand.class, TokenizeCommand.class, TemplateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // `lumen` alone prints its usage; `lumen run` runs the shipped model on a default prompt.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        try {
            System.exit(execute(out, err, args));
        } catch (OutOfMemoryError e) { // an Error, so picocli's exception handler does not see it
            err.println("lumen: error: " + message(e));
            System.exit(2);
        }
    }

    /** Runs the command line and returns the exit code; errors become one line on err (a stack trace with --verbose). */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (verbose) e.printStackTrace(err);
            err.println("lumen: error: " + message(e));
            err.flush();
            return e instanceof LumenException || e instanceof IllegalArgumentException ? 1 : 2;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("lumen: error: " + e.getMessage());
            err.println("Try 'lumen " + e.getCommandLine().getCommandName().replace("lumen", "").trim() + " --help'.");
            err.flush();
            return 2;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        if (e instanceof OutOfMemoryError) return "out of memory: " + e.getMessage() + " (try a smaller --ctx, or raise -Xmx via LUMEN_JAVA_OPTS)";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
