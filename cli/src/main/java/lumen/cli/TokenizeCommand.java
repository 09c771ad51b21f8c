package lumen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import lumen.LumenException;
import lumen.api.TextTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lumen tokenize}: text → token ids as a JSON array, or ids → text with --decode. */
@Command(name = "tokenize", description = "Print the token ids of a text as a JSON array (or decode ids with --decode).", mixinStandardHelpOptions = true)
public final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "tokenizer from a GGUF file's metadata")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "tokenizer.json", description = "a tokenizer file: Hugging Face tokenizer.json, SentencePiece .model or tiktoken ranks")
        Path tokenizerJson;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    @Option(names = "--no-special", description = "treat special-token text as plain text")
    boolean noSpecial;

    @Option(names = "--no-bos", description = "do not add BOS/EOS")
    boolean noBos;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the text from a UTF-8 file")
    Path file;

    @Option(names = "--decode", split = ",", paramLabel = "ID,ID,...", description = "print the text of these ids instead")
    int[] decode;

    @Option(names = "--show-special", description = "with --decode, print special tokens too")
    boolean showSpecial;

    @Parameters(arity = "0..1", paramLabel = "TEXT")
    String text;

    @Override
    public Integer call() throws IOException {
        TextTokenizer tokenizer;
        if (source.tokenizerJson != null) {
            if (!Files.exists(source.tokenizerJson)) throw new LumenException(source.tokenizerJson + ": no such file");
            tokenizer = TextTokenizer.fromFile(source.tokenizerJson);
        } else {
            Path m = ModelOptionsMixin.existingModel(source.model);
            tokenizer = TextTokenizer.fromGguf(m);
        }
        if (decode != null) {
            spec.commandLine().getOut().print(tokenizer.decode(decode, showSpecial));
            spec.commandLine().getOut().flush();
            return 0;
        }
        String input;
        if (file != null) {
            if (!Files.exists(file)) throw new LumenException(file + ": no such file");
            input = Files.readString(file, StandardCharsets.UTF_8);
        } else if (text != null) {
            input = text;
        } else {
            throw new LumenException("give a TEXT, -f FILE or --decode IDS");
        }
        int[] ids = tokenizer.encode(input, !noBos, !noSpecial);
        spec.commandLine().getOut().println("[" + Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(", ")) + "]");
        return 0;
    }
}
