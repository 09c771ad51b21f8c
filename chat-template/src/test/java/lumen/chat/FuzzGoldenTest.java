package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

/**
 * Seeded random conversations (roles, part arrays, reasoning, tool calls, awkward text) rendered with the seed
 * models' templates must match Jinja2: {@code fuzz/}, made by {@code src/test/oracle/generate_fuzz.py}.
 */
class FuzzGoldenTest {
    @Test
    void randomConversationsMatchJinja2() throws Exception {
        Path root = TemplateGoldenTest.resources();
        List<Map<String, Object>> contexts = TemplateGoldenTest.JSON.readValue(
            getClass().getResourceAsStream("/fuzz/contexts.json"), new TypeReference<>() { });
        Map<String, List<Map<String, String>>> expected = TemplateGoldenTest.JSON.readValue(
            getClass().getResourceAsStream("/fuzz/expected.json"), new TypeReference<>() { });
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, List<Map<String, String>>> e : expected.entrySet()) {
            ChatTemplate t = ChatTemplate.parse(Files.readString(root.resolve(e.getKey())))
                .withClock(() -> TemplateGoldenTest.NOW);
            for (int i = 0; i < contexts.size(); i++) {
                n++;
                String p = TemplateGoldenTest.check(t, contexts.get(i), e.getValue().get(i));
                if (p != null) {
                    failures.add(e.getKey() + " context #" + i + ": " + p);
                }
            }
        }
        System.out.println("fuzz: " + n + " renders, " + failures.size() + " failures");
        failures.forEach(f -> System.out.println("FAIL " + f));
        assertEquals(List.of(), failures);
    }
}
