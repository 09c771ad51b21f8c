package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

/**
 * The Lumen demo model's template ({@code tokenizer.chat_template} of {@code lumen-demo-f32.gguf}, extracted by
 * {@code src/test/oracle/extract_gguf_template.py} into {@code templates/lumen-demo.jinja}): renders like Jinja2
 * (it is part of the golden matrix too), and {@code tojson} keeps the key order of the request with
 * {@code ", "} and {@code ": "} separators, as the model was trained.
 */
class DemoTemplateTest {
    @Test
    void toolsRenderAsOrderedJsonLines() throws Exception {
        Path root = TemplateGoldenTest.resources();
        ChatTemplate t = ChatTemplate.parse(Files.readString(root.resolve("lumen-demo.jinja")));
        Map<String, Object> ctx = TemplateGoldenTest.readContext(root.resolve("contexts/parallel_tools.json"));
        String out = t.render(ctx);
        assertTrue(out.contains("\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": "
            + "\"Get the weather forecast for a city.\", \"parameters\": {\"type\": \"object\", \"properties\": "
            + "{\"city\": {\"type\": \"string\", \"description\": \"City name, e.g. \\\"Paris\\\"\"}, "), out);
        assertTrue(out.contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2, "
            + "\"detail\": {\"hourly\": false, \"ratio\": 0.5}}}\n</tool_call>"), out);
        Map<String, Map<String, String>> expected = TemplateGoldenTest.JSON.readValue(
            root.resolve("expected/lumen-demo.json").toFile(), new TypeReference<>() { });
        assertEquals(expected.get("parallel_tools.json").get("text"), out);
    }

    @Test
    void oneParsedTemplateRendersConcurrently() throws Exception {
        Path root = TemplateGoldenTest.resources();
        ChatTemplate t = ChatTemplate.parse(Files.readString(root.resolve("NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.jinja")))
            .withClock(() -> TemplateGoldenTest.NOW);
        Map<String, Object> ctx = TemplateGoldenTest.readContext(root.resolve("contexts/tools_reasoning.json"));
        Map<String, Map<String, String>> expected = TemplateGoldenTest.JSON.readValue(
            root.resolve("expected/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.json").toFile(), new TypeReference<>() { });
        String want = expected.get("tools_reasoning.json").get("text");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> t.render(ctx)));
            }
            for (var r : results) {
                assertEquals(want, r.get());
            }
        }
    }

    @Test
    void thinkingOffAppendsAnEmptyThinkBlock() throws Exception {
        ChatTemplate t = ChatTemplate.parse(Files.readString(TemplateGoldenTest.resources().resolve("lumen-demo.jinja")));
        Map<String, Object> ctx = Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")),
            "add_generation_prompt", true, "chat_template_kwargs", Map.of("enable_thinking", false));
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", t.render(ctx));
    }
}
