package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import lumen.chat.jinja.eval.Py;
import org.junit.jupiter.api.Test;

/** Floats print as Python's repr() (what Jinja2 outputs and json.dumps writes): {@code float-repr.txt}, made by Python. */
class FloatReprTest {
    @Test
    void floatsPrintLikePython() throws Exception {
        List<String> failures = new ArrayList<>();
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            getClass().getResourceAsStream("/float-repr.txt"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] parts = line.split(" ", 2);
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                n++;
                if (!parts[1].equals(Py.floatRepr(d))) {
                    failures.add(parts[1] + " printed as " + Py.floatRepr(d));
                }
            }
        }
        assertTrue(n > 3000, "cases: " + n);
        assertEquals(List.of(), failures);
    }
}
