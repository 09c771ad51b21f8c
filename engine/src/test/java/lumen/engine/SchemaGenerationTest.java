package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import lumen.api.Model;
import lumen.api.ModelOptions;
import lumen.api.OutputConstraint;
import lumen.api.Session;
import lumen.sampler.SamplingParams;
import lumen.sampler.constraint.ConstraintException;
import org.junit.jupiter.api.Test;

/**
 * Constrained generation with the demo model over MaskBench schemas (copied from ../shared/jsonschema):
 * in strict mode every finished output is valid according to an independent validator (networknt); an output cut off
 * by the token limit is a prefix of a JSON document.
 */
class SchemaGenerationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generatedInstancesValidate() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/maskbench"))) {
            files = s.sorted().toList();
        }
        int finished = 0, total = 0, skipped = 0;
        try (Model model = Model.load(Fixtures.model("lumen-demo-q8_0"), new ModelOptions(2, 512, 512))) {
            for (Path file : files) {
                JsonNode schema = JSON.readTree(file.toFile()).get("schema");
                JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
                String prompt = "<|im_start|>user\nGive me a JSON object.<|im_end|>\n<|im_start|>assistant\n";
                for (long seed = 0; seed < 2; seed++) {
                    Session.Generation g;
                    try {
                        g = model.newSession().generate(model.encode(prompt, true), 160, SamplingParams.defaults(seed),
                                new OutputConstraint.JsonSchema(schema.toString(), true), p -> { });
                    } catch (ConstraintException e) {
                        skipped++; // strict mode refuses what it cannot enforce (here: multipleOf combinations)
                        break;
                    }
                    total++;
                    if (g.stopReason() == Session.StopReason.END_OF_GENERATION) {
                        finished++;
                        var errors = validator.validate(JSON.readTree(g.text()));
                        assertTrue(errors.isEmpty(), file.getFileName() + " seed " + seed + ": " + g.text() + " → " + errors);
                    } else {
                        assertThrows(com.fasterxml.jackson.core.io.JsonEOFException.class, () -> JSON.readTree(g.text()),
                                file.getFileName() + ": " + g.text());
                    }
                }
            }
        }
        assertTrue(skipped <= 1, skipped + " schemas did not compile in strict mode");
        // The tiny demo model tends to write long strings, so most samples hit the token limit; at least
        // one must finish so the validator is exercised.
        assertTrue(finished >= 1, "none of " + total + " generations finished within 160 tokens");
    }
}
