package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import org.junit.jupiter.api.Test;

/**
 * Numbers are generated in their plain spelling (as llguidance and OpenAI's strict mode write them): each
 * spelling below is checked against what BigDecimal says it is.
 */
class JsonNumberValueTest {
    static ByteParser schema(String s) {
        return JsonSchemaCompiler.compile(s, JsonSchemaCompiler.Options.strictCompact()).compile();
    }

    static final List<String> SPELLINGS = List.of("0", "-0", "0.0", "-0.0", "0.00", "1", "1.0", "1.5", "1.50", "-1", "-1.0", "-2", "-2.0",
            "2", "7", "10", "10.0", "100", "1e2", "1E2", "1e+2", "-1e2", "1.0e2", "2.5", "0.5", "3.000", "01", "-01");

    /** The plain spelling of an integer: no sign on zero, no leading zeros, no fraction, no exponent. */
    static boolean plainInteger(String s) {
        return s.matches("0|-?[1-9][0-9]*");
    }

    @Test
    void integersAreWrittenPlainly() {
        ByteParser any = schema("{\"type\":\"integer\"}");
        ByteParser bounded = schema("{\"type\":\"integer\",\"minimum\":-1,\"maximum\":10}");
        ByteParser draft4 = schema("{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"integer\"}");
        for (String s : SPELLINGS) {
            assertEquals(plainInteger(s), matches(any, s), "integer: " + s);
            assertEquals(plainInteger(s), matches(draft4, s), "draft-04 integer: " + s);
            boolean inRange = plainInteger(s) && new BigDecimal(s).compareTo(BigDecimal.ONE.negate()) >= 0
                    && new BigDecimal(s).compareTo(BigDecimal.TEN) <= 0;
            assertEquals(inRange, matches(bounded, s), "integer in [-1, 10]: " + s);
        }
    }

    @Test
    void constAndEnumNumbersAreTheirShortestSpelling() {
        for (String value : List.of("0", "1", "-2.0", "1.50", "10", "1e2")) {
            String shortest = new BigDecimal(value).signum() == 0 ? "0" : new BigDecimal(value).stripTrailingZeros().toPlainString();
            ByteParser c = schema("{\"const\":" + value + "}");
            ByteParser inArray = schema("{\"enum\":[[" + value + "]]}");
            for (String s : SPELLINGS) {
                assertEquals(s.equals(shortest), matches(c, s), "const " + value + ": " + s);
                assertEquals(s.equals(shortest), matches(inArray, "[" + s + "]"), "enum [[" + value + "]]: [" + s + "]");
            }
            assertEquals(true, matches(c, shortest), "const " + value + " takes " + shortest);
        }
    }
}
