package lumen.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The llama.cpp references copied from shared/fixtures into this module's test resources. */
public final class Fixtures {
    /** Tolerance on max |Δlogit| relative to the largest |logit| of the reference (fixtures README / issue 2). */
    public static final double F32_TOLERANCE = 1e-3;
    public static final double QUANTIZED_TOLERANCE = 2e-2;

    public static final Path ROOT = Path.of("src/test/resources/fixtures");

    private Fixtures() {
    }

    public static Path model(String stem) {
        return ROOT.resolve("models").resolve(stem + ".gguf");
    }

    /** One reference case: a token sequence, llama.cpp's logits for it, and its greedy continuation. */
    public record Case(String stem, String prompt, String modelType, int vocab, int[] tokens, float[] logits,
                       int[] greedy, double[] topGaps, float[] decodeLogits) {
        public double tolerance() {
            return modelType.equals("F32") ? F32_TOLERANCE : QUANTIZED_TOLERANCE;
        }

        @Override
        public String toString() {
            return stem + "/" + prompt;
        }
    }

    /** Every reference case of the given model files. */
    public static Stream<Case> cases(List<String> stems) {
        List<Case> all = new ArrayList<>();
        for (String stem : stems) {
            Path dir = ROOT.resolve("reference").resolve(stem);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path json : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("crosscheck.json")).sorted().toList()) {
                    all.add(read(stem, json));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.stream();
    }

    private static Case read(String stem, Path json) throws IOException {
        JsonNode h = new ObjectMapper().readTree(json.toFile());
        Path dir = json.getParent();
        JsonNode greedy = h.path("greedy");
        float[] decode = greedy.has("decode_logits_file") ? floats(dir.resolve(greedy.get("decode_logits_file").asText())) : new float[0];
        String prompt = json.getFileName().toString().replace(".json", "");
        String type = h.has("model_type") ? h.get("model_type").asText() : "F32";
        return new Case(stem, prompt, type, h.get("n_vocab").asInt(), ints(h.get("tokens")),
                floats(dir.resolve(h.get("logits_file").asText())), ints(greedy.get("tokens")),
                doubles(greedy.get("top2_gaps")), decode);
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    private static double[] doubles(JsonNode a) {
        if (a == null) return new double[0];
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asDouble();
        return r;
    }

    public static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] r = new float[b.remaining() / 4];
        b.asFloatBuffer().get(r);
        return r;
    }
}
