package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

/**
 * Small templates, one or a few builtins each (filters, tests, methods, whitespace control, scoping,
 * macros, Python value printing), rendered by Jinja2 with HF's settings: {@code snippets.json}, generated
 * by {@code src/test/oracle/generate_snippets.py}. Where Jinja2 raised, Lumen must raise.
 */
class SnippetGoldenTest {
    @Test
    void everySnippetMatchesJinja2() throws Exception {
        run("/snippets.json", 90);
    }

    /** Random expressions (generate_expr_fuzz.py) printed by Jinja2 and by Lumen. */
    @Test
    void randomExpressionsMatchJinja2() throws Exception {
        run("/expr-fuzz.json", 1000);
    }

    static void run(String resource, int minCases) throws Exception {
        Map<String, Object> data = TemplateGoldenTest.JSON.readValue(
            SnippetGoldenTest.class.getResourceAsStream(resource), new TypeReference<>() { });
        @SuppressWarnings("unchecked")
        Map<String, Object> ctx = (Map<String, Object>) data.get("context");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> cases = (List<Map<String, String>>) data.get("cases");
        List<String> failures = new ArrayList<>();
        for (Map<String, String> c : cases) {
            String t = c.get("template");
            String got;
            try {
                got = ChatTemplate.parse(t).withClock(() -> TemplateGoldenTest.NOW).render(ctx);
            } catch (ChatTemplateException e) {
                if (!c.containsKey("error")) {
                    failures.add(t + "\n  raised " + e.getMessage());
                }
                continue;
            }
            if (c.containsKey("error")) {
                failures.add(t + "\n  rendered " + got + "\n  but Jinja2 raised " + c.get("error"));
            } else if (!c.get("text").equals(got)) {
                failures.add(t + "\n  expected " + TemplateGoldenTest.esc(c.get("text")) + "\n  got      "
                    + TemplateGoldenTest.esc(got));
            }
        }
        System.out.println("jinja " + resource + ": " + cases.size() + " cases, " + failures.size() + " failures");
        failures.forEach(f -> System.out.println("FAIL " + f));
        assertTrue(cases.size() > minCases);
        assertEquals(List.of(), failures);
    }
}
