package lumen.engine.synthetic;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import lumen.engine.EngineException;
import lumen.loader.gguf.GgufType;
import lumen.loader.gguf.GgufWriter;
import lumen.tensor.GgmlType;
import lumen.tensor.quant.Quantize;

/**
 * Writes random-weight llama-family GGUF files of real models' shapes, so speed can be measured and
 * reproduced without downloading weights. Weights are uniform with the variance of N(0, 1/fan_in), norms
 * are 1; the tensor types follow what llama-quantize picks for the named file type (e.g. Q4_0 keeps the
 * tied embedding/output matrix in Q6_K; Q4_K_M gives attn_v and ffn_down Q6_K in some layers).
 */
public final class SyntheticLlama {

    /** A model shape: the llama GGUF keys that define it. */
    public record Shape(String name, int embd, int layers, int heads, int kvHeads, int ffn, int vocab, float ropeBase) {
    }

    public static final List<Shape> SHAPES = List.of(
            new Shape("llama-1b", 2048, 16, 32, 8, 8192, 128256, 500000f),   // Llama 3.2 1B
            new Shape("llama-3b", 3072, 28, 24, 8, 8192, 128256, 500000f),   // Llama 3.2 3B
            new Shape("llama-tiny", 256, 2, 4, 2, 512, 1024, 10000f),       // for quick checks
            new Shape("llama-odd", 320, 2, 5, 1, 864, 1000, 10000f));        // odd sizes: GQA 5, ffn 864, vocab 1000

    /** File types that can be written, named as llama.cpp names them. */
    public static final List<String> FILE_TYPES = List.of("F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q6_K", "Q4_K_M");

    private SyntheticLlama() {
    }

    /** Parses "shape:TYPE", writes the file into dir unless it is there already, and returns its path. */
    public static Path ensure(String spec, Path dir, Consumer<String> log) {
        String[] parts = spec.split(":", 2);
        Shape shape = SHAPES.stream().filter(s -> s.name().equals(parts[0])).findFirst().orElseThrow(() -> new EngineException(
                "unknown synthetic shape '" + parts[0] + "' in '" + spec + "'; known: " + SHAPES.stream().map(Shape::name).toList()));
        String type = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "Q4_0";
        if (!FILE_TYPES.contains(type)) {
            throw new EngineException("unknown synthetic type '" + type + "' in '" + spec + "'; known: " + FILE_TYPES);
        }
        Path file = dir.resolve("synthetic-" + shape.name() + "-" + type + ".gguf");
        if (Files.exists(file)) return file;
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(file.getFileName() + ".partial");
            log.accept("writing random-weight model " + file + " (once)…");
            write(shape, type, partial);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException("cannot write synthetic model " + file + ": " + e.getMessage());
        }
        return file;
    }

    static void write(Shape s, String fileType, Path path) {
        int headDim = s.embd() / s.heads();
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", "synthetic " + s.name() + " " + fileType);
        w.putU32("general.file_type", ftype(fileType));
        w.putU32("llama.context_length", 131072);
        w.putU32("llama.embedding_length", s.embd());
        w.putU32("llama.block_count", s.layers());
        w.putU32("llama.feed_forward_length", s.ffn());
        w.putU32("llama.attention.head_count", s.heads());
        w.putU32("llama.attention.head_count_kv", s.kvHeads());
        w.putU32("llama.rope.dimension_count", headDim);
        w.putF32("llama.rope.freq_base", s.ropeBase());
        w.putF32("llama.attention.layer_norm_rms_epsilon", 1e-5);
        w.putU32("llama.vocab_size", s.vocab());
        putPlaceholderVocabulary(w, s.vocab());
        // Tied embeddings, as in Llama 3.2: token_embd.weight is also the output matrix.
        tensor(w, "token_embd.weight", typeFor(fileType, "token_embd", 0, s.layers()), s.embd(), s.vocab());
        for (int i = 0; i < s.layers(); i++) {
            String b = "blk." + i + ".";
            tensor(w, b + "attn_norm.weight", GgmlType.F32, s.embd(), 1);
            tensor(w, b + "attn_q.weight", typeFor(fileType, "attn_q", i, s.layers()), s.embd(), s.embd());
            tensor(w, b + "attn_k.weight", typeFor(fileType, "attn_k", i, s.layers()), s.embd(), s.kvHeads() * headDim);
            tensor(w, b + "attn_v.weight", typeFor(fileType, "attn_v", i, s.layers()), s.embd(), s.kvHeads() * headDim);
            tensor(w, b + "attn_output.weight", typeFor(fileType, "attn_output", i, s.layers()), s.embd(), s.embd());
            tensor(w, b + "ffn_norm.weight", GgmlType.F32, s.embd(), 1);
            tensor(w, b + "ffn_gate.weight", typeFor(fileType, "ffn_gate", i, s.layers()), s.embd(), s.ffn());
            tensor(w, b + "ffn_up.weight", typeFor(fileType, "ffn_up", i, s.layers()), s.embd(), s.ffn());
            tensor(w, b + "ffn_down.weight", typeFor(fileType, "ffn_down", i, s.layers()), s.ffn(), s.embd());
        }
        tensor(w, "output_norm.weight", GgmlType.F32, s.embd(), 1);
        w.write(path);
    }

    /**
     * A SentencePiece vocabulary of made-up pieces (unk, bos, eos, the 256 byte pieces, then "t{id}"), so that
     * other runtimes (llama.cpp's llama-bench, which refuses a file without {@code tokenizer.ggml.model})
     * load the same file and can be measured beside Lumen in one run. It tokenizes, but means nothing.
     */
    static void putPlaceholderVocabulary(GgufWriter w, int vocab) {
        List<String> tokens = new java.util.ArrayList<>(vocab);
        List<Float> scores = new java.util.ArrayList<>(vocab);
        List<Integer> types = new java.util.ArrayList<>(vocab);
        for (int id = 0; id < vocab; id++) {
            boolean isByte = id >= 3 && id < 259;
            tokens.add(switch (id) {
                case 0 -> "<unk>";
                case 1 -> "<s>";
                case 2 -> "</s>";
                default -> isByte ? String.format(Locale.ROOT, "<0x%02X>", id - 3) : "t" + id;
            });
            scores.add(id < 259 ? 0f : -id);
            types.add(id == 0 ? 2 : id < 3 ? 3 : isByte ? 6 : 1);   // llama.cpp's unknown, control, byte, normal
        }
        w.putString("tokenizer.ggml.model", "llama");
        w.putArray("tokenizer.ggml.tokens", GgufType.STRING, tokens);
        w.putArray("tokenizer.ggml.scores", GgufType.FLOAT32, scores);
        w.putArray("tokenizer.ggml.token_type", GgufType.INT32, types);
        w.putU32("tokenizer.ggml.unknown_token_id", 0);
        w.putU32("tokenizer.ggml.bos_token_id", 1);
        w.putU32("tokenizer.ggml.eos_token_id", 2);
    }

    /** llama-quantize's choice of type per tensor for a file type (simplified to the rules that matter for size). */
    static GgmlType typeFor(String fileType, String tensor, int layer, int layers) {
        boolean moreBits = layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
        return switch (fileType) {
            case "Q4_0", "Q4_1", "Q5_0", "Q5_1" -> tensor.equals("token_embd") ? GgmlType.Q6_K : GgmlType.valueOf(fileType);
            case "Q4_K_M" -> tensor.equals("token_embd") || (moreBits && (tensor.equals("attn_v") || tensor.equals("ffn_down")))
                    ? GgmlType.Q6_K : GgmlType.Q4_K;
            default -> GgmlType.valueOf(fileType);
        };
    }

    private static int ftype(String fileType) {
        return switch (fileType) {
            case "F32" -> 0;
            case "F16" -> 1;
            case "Q4_0" -> 2;
            case "Q4_1" -> 3;
            case "Q8_0" -> 7;
            case "Q5_0" -> 8;
            case "Q5_1" -> 9;
            case "Q6_K" -> 18;
            case "Q4_K_M" -> 15;
            case "BF16" -> 32;
            default -> throw new IllegalArgumentException(fileType);
        };
    }

    /** A [rows][cols] tensor (ggml ne = {cols, rows}) of random values, quantized row by row while it is written. */
    private static void tensor(GgufWriter w, String name, GgmlType type, int cols, int rows) {
        long[] ne = rows == 1 ? new long[] {cols} : new long[] {cols, rows};
        boolean norm = rows == 1;
        w.tensor(name, type, ne, out -> {
            SplittableRandom random = new SplittableRandom(name.hashCode());
            float[] row = new float[cols];
            byte[] bytes = new byte[Math.toIntExact(type.bytesFor(cols))];
            MemorySegment segment = MemorySegment.ofArray(bytes);
            float limit = (float) Math.sqrt(3.0 / cols); // uniform(-a, a) has variance a²/3 = 1/fan_in
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < cols; i++) row[i] = norm ? 1f : (float) ((random.nextDouble() * 2 - 1) * limit);
                Quantize.row(type, row, 0, cols, segment, 0);
                out.write(bytes);
            }
        });
    }
}
