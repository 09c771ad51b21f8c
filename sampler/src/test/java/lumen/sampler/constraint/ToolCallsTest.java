package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lumen.sampler.constraint.grammar.ByteParser;
import org.junit.jupiter.api.Test;

class ToolCallsTest {
    static final String WEATHER = """
            {"type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},"required":["city"],"additionalProperties":false}""";
    static final String TIME = """
            {"type":"object","properties":{"tz":{"type":"string","format":"uuid"}},"required":["tz"],"additionalProperties":false}""";

    @Test
    void hermesSingleCall() {
        ByteParser p = ToolCalls.builder(ToolCalls.HERMES).tool("get_weather", WEATHER).tool("get_time", TIME).grammar().compile();
        assertTrue(matches(p, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\",\"unit\":\"c\"}}\n</tool_call>"));
        assertFalse(matches(p, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"unit\":\"c\"}}\n</tool_call>"));
        assertFalse(matches(p, "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"city\":\"Paris\"}}\n</tool_call>"));
        assertFalse(matches(p, "<tool_call>\n{\"name\": \"other\", \"arguments\": {}}\n</tool_call>"));
        String one = "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"tz\":\"123e4567-e89b-12d3-a456-426614174000\"}}\n</tool_call>";
        assertTrue(matches(p, one));
        assertFalse(matches(p, one + "\n" + one));
    }

    @Test
    void parallelCallsAndNamedFunction() {
        ByteParser p = ToolCalls.builder(ToolCalls.LLAMA3_JSON).tool("get_weather", WEATHER).calls(1, 3).separator("; ").grammar().compile();
        String call = "{\"name\": \"get_weather\", \"parameters\": {\"city\":\"Oslo\"}}";
        assertTrue(matches(p, call));
        assertTrue(matches(p, call + "; " + call + "; " + call));
        assertFalse(matches(p, call + "; " + call + "; " + call + "; " + call));
        assertFalse(matches(p, ""));
    }

    @Test
    void badTemplateOrStrictSchemaFails() {
        assertThrows(ConstraintException.class, () -> ToolCalls.builder("{arguments}"));
        ConstraintException e = assertThrows(ConstraintException.class, () -> ToolCalls.builder(ToolCalls.HERMES)
                .tool("f", "{\"type\":\"object\",\"properties\":{\"a\":{\"not\":{}}}}")
                .options(lumen.sampler.constraint.json.JsonSchemaCompiler.Options.strictCompact()).grammar());
        assertTrue(e.getMessage().contains("tool 'f'"), e.getMessage());
    }
}
