package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Every template in {@code templates/} rendered with every context in {@code templates/contexts/} must be
 * byte-identical to the Jinja2 oracle's output stored in {@code templates/expected/<template>.json}
 * (generated once by {@code src/test/oracle/generate_expected.py}); where the oracle raised, Lumen must raise
 * too, with the same message for {@code raise_exception}. Cases listed in {@code known-failures.txt} are
 * reported but do not fail the build.
 */
class TemplateGoldenTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDateTime NOW = LocalDateTime.parse("2026-01-31T12:00:00");

    static Path resources() throws URISyntaxException {
        return Path.of(TemplateGoldenTest.class.getResource("/templates/contexts").toURI()).getParent();
    }

    static Map<String, Object> readContext(Path p) throws IOException {
        return JSON.readValue(p.toFile(), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void everyTemplateTimesEveryContextMatchesTheOracle() throws Exception {
        Path root = resources();
        List<Path> templates;
        try (Stream<Path> s = Files.list(root)) {
            templates = s.filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
        }
        List<Path> contexts;
        try (Stream<Path> s = Files.list(root.resolve("contexts"))) {
            contexts = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Set<String> known = new HashSet<>();
        for (String line : Files.readAllLines(root.resolve("known-failures.txt"))) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                known.add(l);
            }
        }
        int pass = 0;
        int expectedErrors = 0;
        int knownFail = 0;
        List<String> failures = new ArrayList<>();
        for (Path t : templates) {
            String name = t.getFileName().toString();
            Path exp = root.resolve("expected").resolve(name.replace(".jinja", ".json"));
            Map<String, Map<String, String>> expected = JSON.readValue(exp.toFile(), new TypeReference<>() { });
            ChatTemplate tmpl;
            String problem = null;
            try {
                tmpl = ChatTemplate.parse(Files.readString(t, StandardCharsets.UTF_8)).withClock(() -> NOW);
            } catch (ChatTemplateException e) {
                tmpl = null;
                problem = "parse error: " + e.getMessage();
            }
            for (Path c : contexts) {
                String cname = c.getFileName().toString();
                Map<String, String> want = expected.get(cname);
                String p = problem;
                if (p == null) {
                    p = check(tmpl, readContext(c), want);
                }
                if (p == null) {
                    pass++;
                    if (want.containsKey("error")) {
                        expectedErrors++;
                    }
                } else if (known.contains(name + " " + cname)) {
                    knownFail++;
                } else {
                    failures.add(name + " " + cname + ": " + p);
                }
            }
        }
        System.out.printf("chat templates: %d templates x %d contexts: %d pass (%d of them expected errors), "
            + "%d known failures, %d failures%n", templates.size(), contexts.size(), pass, expectedErrors, knownFail,
            failures.size());
        failures.forEach(f -> System.out.println("FAIL " + f));
        assertTrue(templates.size() >= 60, "templates found: " + templates.size());
        assertEquals(List.of(), failures);
    }

    /** Null when the rendering matches, else what differs. */
    static String check(ChatTemplate tmpl, Map<String, Object> ctx, Map<String, String> want) {
        String got;
        try {
            got = tmpl.render(ctx);
        } catch (ChatTemplateException e) {
            if (!want.containsKey("error")) {
                return "raised " + e.getMessage();
            }
            String err = want.get("error").replaceFirst("^render_template\\.py: ", "");
            String prefix = "TemplateError: ";
            if (err.startsWith(prefix) && !e.getMessage().endsWith("TemplateError: " + err.substring(prefix.length()))) {
                return "raised " + e.getMessage() + " but the oracle raised " + err;
            }
            return null;
        }
        if (want.containsKey("error")) {
            return "rendered, but the oracle raised " + want.get("error");
        }
        String exp = want.get("text");
        if (exp.equals(got)) {
            return null;
        }
        int i = 0;
        while (i < Math.min(exp.length(), got.length()) && exp.charAt(i) == got.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 60);
        return "differs at char " + i + "\n  expected: " + esc(exp.substring(from, Math.min(exp.length(), i + 80)))
            + "\n  got:      " + esc(got.substring(from, Math.min(got.length(), i + 80)));
    }

    static String esc(String s) {
        return s.replace("\n", "\\n");
    }
}
