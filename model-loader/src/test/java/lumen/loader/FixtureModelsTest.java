package lumen.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads llama.cpp-written fixture models and checks them against {@code tiny_models.json}. */
class FixtureModelsTest {

    static JsonNode models() throws IOException {
        try (InputStream in = FixtureModelsTest.class.getResourceAsStream("/tiny_models.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(FixtureModelsTest.class.getResource("/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-t64", "qwen3-t64"})
    void readsCopiedFixture(String model) throws Exception {
        JsonNode m = models().get(model);
        Path path = resource(model + "-q4_0.gguf");
        try (ModelFile f = ModelFile.open(path)) {
            checkAgainstJson(f, m, path.getFileName().toString());
            JsonNode c = m.get("config");
            String arch = f.architecture();
            long nEmbd = c.get("n_embd").asLong();
            long headDim = c.get("head_dim").asLong();
            assertEquals(c.get("n_layer").asLong(), f.integer(arch + ".block_count"));
            assertEquals(nEmbd, f.integer(arch + ".embedding_length"));
            assertEquals(c.get("n_ff").asLong(), f.integer(arch + ".feed_forward_length"));
            assertEquals(c.get("n_head").asLong(), f.integer(arch + ".attention.head_count"));
            assertEquals(c.get("n_head_kv").asLong(), f.integer(arch + ".attention.head_count_kv"));
            assertEquals(c.get("rope_base").asDouble(), f.number(arch + ".rope.freq_base", 10000.0));
            assertEquals(m.get("tokenizer_pre").asText(), f.string("tokenizer.ggml.pre"));
            assertEquals(m.get("n_vocab").asLong(), f.array("tokenizer.ggml.tokens").size());
            assertEquals(m.get("n_vocab").asLong(), f.array("tokenizer.ggml.token_type").size());
            assertEquals(3, f.version());
            assertEquals(32, f.alignment());

            long nVocab = m.get("n_vocab").asLong();
            assertArrayEquals(new long[] {nEmbd, nVocab}, f.tensor("token_embd.weight").ne());
            assertArrayEquals(new long[] {nEmbd, c.get("n_head").asLong() * headDim}, f.tensor("blk.0.attn_q.weight").ne());
            assertArrayEquals(new long[] {nEmbd, c.get("n_head_kv").asLong() * headDim}, f.tensor("blk.2.attn_k.weight").ne());
            assertArrayEquals(new long[] {nEmbd, c.get("n_ff").asLong()}, f.tensor("blk.1.ffn_gate.weight").ne());
            assertArrayEquals(new long[] {c.get("n_ff").asLong(), nEmbd}, f.tensor("blk.1.ffn_down.weight").ne());
            assertEquals(c.get("tied").asBoolean(), f.findTensor("output.weight").isEmpty());

            Tensor norm = f.tensor("output_norm.weight");
            assertEquals(GgmlType.F32, norm.type());
            assertArrayEquals(new long[] {nEmbd}, norm.ne());
            assertEquals(nEmbd * 4, norm.data().byteSize());
            // a read-only view of the mapped file: off-heap, holding the file's bytes at the tensor's offset
            assertTrue(norm.data().isNative() && norm.data().isReadOnly(), "tensors are read-only views of the file");
            TensorInfo info = f.tensorInfos().stream().filter(i -> i.name().equals("output_norm.weight")).findFirst().orElseThrow();
            byte[] fileBytes = java.util.Arrays.copyOfRange(java.nio.file.Files.readAllBytes(f.path()),
                    (int) info.offset(), (int) (info.offset() + info.size()));
            assertArrayEquals(fileBytes, norm.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    /** Checks what every fixture file must satisfy: architecture, tokenizer, tensor types, parameter count. */
    static void checkAgainstJson(ModelFile f, JsonNode m, String fileName) {
        assertEquals(m.get("arch").asText(), f.architecture(), fileName);
        assertEquals(m.get("tokenizer_model").asText(), f.string("tokenizer.ggml.model"), fileName);
        Map<String, Integer> expectedTypes = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : m.get("tensor_types").get(fileName).properties()) {
            expectedTypes.put(e.getKey(), e.getValue().asInt());
        }
        Map<String, Integer> types = new TreeMap<>();
        long params = 0;
        List<TensorInfo> infos = f.tensorInfos();
        for (TensorInfo t : infos) {
            types.merge(t.type().name(), 1, Integer::sum);
            params += t.elementCount();
        }
        assertEquals(expectedTypes, types, fileName);
        assertEquals(m.get("n_params").asLong(), params, fileName);
        // llama.cpp writes the tensors back to back, each padded to the alignment; the last ends the file.
        TensorInfo last = infos.getLast();
        long end = last.offset() + last.size();
        long fileSize = f.path().toFile().length();
        assertTrue(end <= fileSize && fileSize - end < f.alignment(), fileName + ": last tensor ends at " + end + " of " + fileSize);
        for (int i = 1; i < infos.size(); i++) {
            TensorInfo p = infos.get(i - 1);
            assertEquals((p.offset() + p.size() + f.alignment() - 1) / f.alignment() * f.alignment(), infos.get(i).offset(), fileName);
        }
    }

    /**
     * The tensor data, not only the header: the same model quantized by llama.cpp to Q8_0 and F16 must
     * dequantize to its F32 weights within the rounding of each format, tensor by tensor, which fails
     * if any offset points at the wrong bytes.
     */
    @Test
    void quantizedDataMatchesTheF32File() {
        String dir = System.getProperty("lumen.fixtures");
        assumeTrue(dir != null && Files.exists(Path.of(dir, "models", "llama-t64-q8_0.gguf")), "shared fixtures not present");
        try (ModelFile f32 = ModelFile.open(Path.of(dir, "models", "llama-t64-f32.gguf"));
             ModelFile q8 = ModelFile.open(Path.of(dir, "models", "llama-t64-q8_0.gguf"));
             ModelFile f16 = ModelFile.open(Path.of(dir, "models", "llama-t64-f16.gguf"))) {
            int checked = 0;
            for (TensorInfo info : f32.tensorInfos()) {
                float[] ref = f32.tensor(info.name()).data().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
                for (ModelFile other : List.of(q8, f16)) {
                    Tensor t = other.tensor(info.name());
                    assertArrayEquals(info.ne(), t.ne(), info.name());
                    java.lang.foreign.MemorySegment d = t.data();
                    for (int i = 0; i < ref.length; i++) {
                        float v;
                        float tol;
                        float expected = ref[i];
                        switch (t.type()) {
                            case F32 -> { v = d.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i); tol = 0; }
                            case F16 -> {
                                // llama.cpp rounds to nearest even, as Java does: the values must be identical
                                v = Float.float16ToFloat(d.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i));
                                expected = Float.float16ToFloat(Float.floatToFloat16(ref[i]));
                                tol = 0;
                            }
                            case Q8_0 -> { // block: f16 scale, 32 x int8
                                long block = (long) (i / 32) * 34;
                                float scale = Float.float16ToFloat(d.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, block));
                                v = scale * d.get(java.lang.foreign.ValueLayout.JAVA_BYTE, block + 2 + i % 32);
                                // rounding to the step, plus the scale's own rounding to f16 (2^-11) times up to 127 steps
                                tol = Math.abs(scale) * (0.5f + 127f / 2048) + 1e-6f;
                            }
                            default -> throw new AssertionError(info.name() + ": unexpected " + t.type());
                        }
                        if (!(Math.abs(v - expected) <= tol)) {
                            throw new AssertionError(other.path().getFileName() + " " + info.name() + "[" + i + "]: " + v + " vs F32 " + ref[i]);
                        }
                    }
                    checked++;
                }
            }
            assertEquals(60, checked);
        }
    }

    /** Every fixture model of the shared folder, when it is present (CI has it; a fresh clone may not). */
    @Test
    void readsEverySharedFixture() throws Exception {
        String dir = System.getProperty("lumen.fixtures");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "models")), "shared fixtures not present");
        JsonNode models = models();
        int files = 0;
        for (Iterator<JsonNode> it = models.elements(); it.hasNext(); ) {
            JsonNode m = it.next();
            for (Iterator<JsonNode> fs = m.get("files").elements(); fs.hasNext(); ) {
                String name = fs.next().asText();
                Path p = Path.of(dir, "models", name);
                if (!Files.exists(p)) continue;
                try (ModelFile f = ModelFile.open(p)) {
                    checkAgainstJson(f, m, name);
                    files++;
                }
            }
        }
        assertTrue(files >= 20, "read " + files + " fixture files");
        Path stories = Path.of(dir, "models", "stories260K-f32.gguf");
        if (Files.exists(stories)) {
            try (ModelFile f = ModelFile.open(stories)) {
                assertEquals("llama", f.architecture());
                assertEquals(512, f.array("tokenizer.ggml.tokens").size());
                for (TensorInfo t : f.tensorInfos()) assertEquals(GgmlType.F32, t.type(), t.name());
            }
        }
    }
}
