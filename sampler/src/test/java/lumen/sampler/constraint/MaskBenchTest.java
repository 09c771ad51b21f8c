package lumen.sampler.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.json.Json;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import org.junit.jupiter.api.Test;

/**
 * JSONSchemaBench / MaskBench schemas with their valid and invalid instances (a deterministic sample,
 * every 20th file by name, copied under src/test/resources/constraint/maskbench; the whole set with
 * {@code -Dlumen.maskbench.dir=../shared/jsonschema/maskbench}). Strict mode; each instance is written
 * compactly with its keys in document order and fed byte by byte. A schema passes when it compiles and
 * every instance is judged right (MaskBench's criterion).
 */
class MaskBenchTest {
    record Counts(int schemas, int compiled, int passed, int validOk, int validTotal, int invalidOk, int invalidTotal) {}

    @SuppressWarnings("unchecked")
    static Counts run(List<String> names, java.util.function.Function<String, String> read, boolean verbose) {
        int schemas = 0, compiled = 0, passed = 0, vOk = 0, vTot = 0, iOk = 0, iTot = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (String name : names) {
            Map<String, Object> doc = (Map<String, Object>) Json.parse(read.apply(name), name);
            schemas++;
            if (verbose && schemas % 250 == 0) System.out.println("progress " + schemas + " " + name);
            ByteParser p;
            try {
                p = JsonSchemaCompiler.compile(Json.write(doc.get("schema")), JsonSchemaCompiler.Options.strictCompact()).compile();
            } catch (ConstraintException e) {
                reasons.merge(e.getMessage().replaceAll("^JSON schema at [^:]*: ", "").replaceAll("'[^']*'", "'…'"), 1, Integer::sum);
                continue;
            }
            compiled++;
            boolean all = true;
            for (Object to : (List<Object>) doc.get("tests")) {
                Map<String, Object> t = (Map<String, Object>) to;
                boolean valid = Boolean.TRUE.equals(t.get("valid"));
                String instance = Json.write(t.get("data"));
                boolean accepted = Bytes.matches(p, instance);
                if (valid) { vTot++; if (accepted) vOk++; } else { iTot++; if (!accepted) iOk++; }
                if (accepted != valid) {
                    all = false;
                    if (verbose) System.out.println("WRONG " + name + " valid=" + valid + " " + instance);
                }
            }
            if (all) passed++;
        }
        if (verbose) reasons.forEach((k, v) -> System.out.println("UNSUPPORTED x" + v + ": " + k));
        return new Counts(schemas, compiled, passed, vOk, vTot, iOk, iTot);
    }

    @Test
    void sample() throws IOException {
        String dir = System.getProperty("lumen.maskbench.dir");
        Counts c;
        boolean verbose = Boolean.getBoolean("lumen.verbose");
        if (dir != null) {
            List<String> names;
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                names = s.map(x -> x.getFileName().toString()).filter(x -> x.endsWith(".json")).sorted().toList();
            }
            c = run(names, n -> {
                try {
                    return Files.readString(Path.of(dir, n));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, verbose);
            System.out.println("MaskBench (all " + dir + "): " + c);
            return;
        }
        List<String> names = new ArrayList<>();
        try (InputStream in = MaskBenchTest.class.getResourceAsStream("/constraint/maskbench/index.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) names.add(line.trim());
        }
        c = run(names, n -> {
            try (InputStream in = MaskBenchTest.class.getResourceAsStream("/constraint/maskbench/" + n)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, verbose);
        System.out.println("MaskBench sample: " + c);
        // floors reached on 2026-11-23 (whole set: 5284 schemas, 4741 compiled, 4735 passed, valid 5314/5322, invalid 5839/5839)
        assertEquals(names.size(), c.schemas());
        assertTrue(c.compiled() >= 239, c.toString());
        assertTrue(c.passed() >= 239, c.toString());
        assertTrue(c.validOk() >= 260, c.toString());
        assertEquals(c.invalidTotal(), c.invalidOk(), c.toString());
    }
}
