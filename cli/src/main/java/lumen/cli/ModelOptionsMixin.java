package lumen.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import lumen.LumenException;
import lumen.api.Model;
import lumen.api.ModelOptions;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares. */
public final class ModelOptionsMixin {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "GGUF file (default: the shipped lumen-demo model)")
    Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "compute threads (default: all processors)")
    int threads;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "context size in tokens (default: the model's, capped by memory)")
    int contextSize;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "prompt tokens per forward pass (default: ${DEFAULT-VALUE})", defaultValue = "512")
    int batchSize;

    @Option(names = "--no-mmap", description = "copy the weights into memory at load instead of reading the mapped file,"
            + " as llama.cpp's --no-mmap (slower to open)")
    boolean noMmap;

    @Option(names = "--no-repack", description = "multiply the weights in the file's layout instead of copying Q4_0/Q8_0/Q4_K/Q6_K"
            + " matrices into interleaved row groups at load, as llama.cpp's --no-repack (less memory, slower decoding)")
    boolean noRepack;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    /** The demo model that ships with Lumen, used when no -m is given. */
    static Path defaultModel() {
        return Path.of(System.getProperty("lumen.home", "."), "models", "lumen-demo-q8_0.gguf");
    }

    /** {@code path}, or the shipped model when it is null, checked to be an existing file. */
    static Path existingModel(Path path) {
        Path p = path != null ? path : defaultModel();
        if (!Files.exists(p)) throw new LumenException(p + ": no such file");
        if (Files.isDirectory(p)) throw new LumenException(p + ": is a directory, expected a .gguf file");
        return p;
    }

    Model load() {
        Path path = existingModel(model);
        if (threads < 0) throw new LumenException("--threads must be >= 0, found " + threads);
        if (contextSize < 0) throw new LumenException("--ctx must be >= 0, found " + contextSize);
        if (batchSize <= 0) throw new LumenException("--batch-size must be > 0, found " + batchSize);
        return Model.load(path, new ModelOptions(threads, contextSize, batchSize, !noMmap, !noRepack));
    }
}
