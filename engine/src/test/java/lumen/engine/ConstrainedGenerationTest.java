package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import lumen.api.Model;
import lumen.api.ModelOptions;
import lumen.api.OutputConstraint;
import lumen.api.Session;
import lumen.sampler.SamplingParams;
import org.junit.jupiter.api.Test;

/** Generation with the demo model under constraints: the output always conforms. */
class ConstrainedGenerationTest {
    static final String CHAT = "<|im_start|>user\nGive me a JSON object for a cat named Tom who is 3.<|im_end|>\n<|im_start|>assistant\n";

    static String generate(Model model, String prompt, OutputConstraint c, SamplingParams p, int max) {
        Session s = model.newSession();
        return s.generate(model.encode(prompt, true), max, p, c, piece -> { }).text();
    }

    /**
     * A finished generation is a JSON object; one cut off by the token limit is a prefix of one (the
     * parser fails only on the end of input). Greedy, the demo model opens a string it never closes.
     */
    @Test
    void jsonObjectIsAlwaysAJsonObjectOrAPrefixOfOne() throws Exception {
        int finished = 0;
        try (Model model = Model.load(Fixtures.model("lumen-demo-q8_0"), new ModelOptions(2, 512, 512))) {
            for (long seed = 0; seed < 6; seed++) {
                Session s = model.newSession();
                Session.Generation g = s.generate(model.encode(CHAT, true), 80, SamplingParams.defaults(seed), new OutputConstraint.JsonObject(), p -> { });
                if (g.stopReason() == Session.StopReason.END_OF_GENERATION) {
                    assertTrue(new ObjectMapper().readTree(g.text()).isObject(), g.text());
                    finished++;
                } else {
                    assertThrows(com.fasterxml.jackson.core.io.JsonEOFException.class, () -> new ObjectMapper().readTree(g.text()), g.text());
                }
            }
        }
        assertTrue(finished > 0, "no sample finished its object within 80 tokens");
    }

    @Test
    void choiceAndRegex() {
        try (Model model = Model.load(Fixtures.model("lumen-demo-q8_0"), new ModelOptions(2, 512, 512))) {
            String prompt = "<|im_start|>user\nWhat colour is a banana?<|im_end|>\n<|im_start|>assistant\n";
            String choice = generate(model, prompt, new OutputConstraint.Choice(List.of("red", "yellow", "blue")), SamplingParams.greedy(), 20);
            assertTrue(List.of("red", "yellow", "blue").contains(choice), choice);
            String date = generate(model, prompt, new OutputConstraint.Regex("[0-9]{4}-[0-9]{2}-[0-9]{2}"), SamplingParams.defaults(3), 20);
            assertTrue(date.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}"), date);
        }
    }

    @Test
    void jsonSchemaOutputValidates() throws Exception {
        String schema = """
                {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
                 "animal": {"enum": ["cat", "dog", "fox"]}, "age": {"type": "integer", "minimum": 0, "maximum": 20}},
                 "required": ["name", "animal", "age"], "additionalProperties": false}""";
        try (Model model = Model.load(Fixtures.model("lumen-demo-q8_0"), new ModelOptions(2, 512, 512))) {
            for (long seed = 0; seed < 3; seed++) {
                String out = generate(model, CHAT, new OutputConstraint.JsonSchema(schema, true), SamplingParams.defaults(seed), 120);
                JsonNode node = new ObjectMapper().readTree(out);
                assertEquals(3, node.size(), out);
                assertTrue(node.get("name").isTextual() && node.get("name").asText().length() <= 12, out);
                assertTrue(List.of("cat", "dog", "fox").contains(node.get("animal").asText()), out);
                assertTrue(node.get("age").isInt() && node.get("age").asInt() >= 0 && node.get("age").asInt() <= 20, out);
            }
        }
    }
}
