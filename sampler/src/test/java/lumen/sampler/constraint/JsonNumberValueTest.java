package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import org.junit.jupiter.api.Test;

/**
 * Numbers compared by value, as JSON Schema does (draft 2020-12: a number with a zero fractional part is
 * an integer): each spelling is checked against the value computed with BigDecimal.
 */
class JsonNumberValueTest {
    static ByteParser schema(String s) {
        return JsonSchemaCompiler.compile(s, JsonSchemaCompiler.Options.strictCompact()).compile();
    }

    static final List<String> SPELLINGS = List.of("0", "-0", "0.0", "-0.0", "0.00", "1", "1.0", "1.5", "1.50", "-1", "-1.0", "-2", "-2.0",
            "2", "7", "10", "10.0", "100", "1e2", "1E2", "1e+2", "-1e2", "1.0e2", "2.5", "0.5", "3.000");

    static boolean isInteger(String text) {
        BigDecimal x = new BigDecimal(text);
        return x.signum() == 0 || x.stripTrailingZeros().scale() <= 0;
    }

    @Test
    void integerTypeTakesEveryIntegerSpellingWithoutFractionUnderExponent() {
        ByteParser any = schema("{\"type\":\"integer\"}");
        ByteParser bounded = schema("{\"type\":\"integer\",\"minimum\":-1,\"maximum\":10}");
        for (String s : SPELLINGS) {
            assertEquals(isInteger(s), matches(any, s), "integer: " + s);
            BigDecimal x = new BigDecimal(s);
            // bounded integers take the plain and zero-fraction spellings (no exponent)
            boolean inRange = isInteger(s) && !s.toLowerCase().contains("e") && x.compareTo(BigDecimal.ONE.negate()) >= 0 && x.compareTo(BigDecimal.TEN) <= 0;
            assertEquals(inRange, matches(bounded, s), "integer in [-1, 10]: " + s);
        }
    }

    @Test
    void constAndEnumCompareNumbersByValue() {
        for (String value : List.of("0", "1", "-2.0", "1.5", "10")) {
            ByteParser c = schema("{\"const\":" + value + "}");
            ByteParser inArray = schema("{\"enum\":[[" + value + "]]}");
            for (String s : SPELLINGS) {
                boolean equal = !s.toLowerCase().contains("e") && new BigDecimal(s).compareTo(new BigDecimal(value)) == 0;
                assertEquals(equal, matches(c, s), "const " + value + ": " + s);
                assertEquals(equal, matches(inArray, "[" + s + "]"), "enum [[" + value + "]]: [" + s + "]");
            }
        }
    }

    @Test
    void draft4IntegersAreWrittenWithoutFraction() {
        // draft 4: "a JSON number without a fraction or exponent part" (MaskBench's draft-04 schemas reject 12345.0)
        ByteParser p = schema("{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"integer\"}");
        for (String s : SPELLINGS) {
            boolean plain = s.matches("-?(0|[1-9][0-9]*)") && !s.equals("-0");
            assertEquals(plain, matches(p, s), "draft-04 integer: " + s);
        }
    }
}
