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
            assertTrue(norm.data().isMapped(), "tensors are views on the mapped file");
        }
    }

    /** Checks what every fixture file must satisfy: architecture, tokenizer, tensor types, parameter count. */
    static void checkAgainstJson(ModelFile f, JsonNode m, String fileName) {
        assertEquals(m.get("arch").asText(), f.architecture(), fileName);
        assertEquals(m.get("tokenizer_model").asText(), f.string("tokenizer.ggml.model"), fileName);
        Map<String, Integer> expectedTypes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.get("tensor_types").get(fileName).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
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
