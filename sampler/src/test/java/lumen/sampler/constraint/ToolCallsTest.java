package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    /** Byte tokens 0..255, then the given special tokens (the last one ends generation). */
    static TokenVocabulary withSpecials(String... specials) {
        byte[][] t = new byte[256 + specials.length][];
        for (int i = 0; i < 256; i++) t[i] = new byte[] {(byte) i};
        java.util.BitSet special = new java.util.BitSet(), eos = new java.util.BitSet();
        for (int i = 0; i < specials.length; i++) {
            t[256 + i] = specials[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            special.set(256 + i);
        }
        eos.set(256 + specials.length - 1);
        return new TokenVocabulary(t, eos, special);
    }

    /** Accepts {@code tokens} (texts: a special token's text names it, other text goes byte by byte), checking each is allowed. */
    static String drive(Matcher m, TokenVocabulary v, List<String> specials, String... tokens) {
        StringBuilder out = new StringBuilder();
        java.util.BitSet mask = new java.util.BitSet();
        for (String t : tokens) {
            int sp = specials.indexOf(t);
            byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int[] ids = new int[sp >= 0 ? 1 : b.length];
            if (sp >= 0) ids[0] = 256 + sp;
            else for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xFF;
            for (int id : ids) {
                m.fillMask(mask);
                assertTrue(mask.get(id), "token " + id + " after " + out);
                m.accept(id);
            }
            out.append(t);
        }
        return out.toString();
    }

    static final List<String> KIMI = List.of("<|tool_calls_section_begin|>", "<|tool_calls_section_end|>", "<|tool_call_begin|>",
            "<|tool_call_argument_begin|>", "<|tool_call_end|>", "<|im_end|>", "[EOS]");

    @Test
    void kimiK2CallsUseItsSpecialTokensExactlyThere() {
        TokenVocabulary v = withSpecials(KIMI.toArray(String[]::new));
        Constraint c = ToolCalls.kimiK2().tool("get_weather", WEATHER).calls(1, 2).build(v);
        Matcher m = c.start();
        java.util.BitSet mask = new java.util.BitSet();
        m.fillMask(mask);
        assertEquals(List.of(256), mask.stream().boxed().toList(), "only <|tool_calls_section_begin|> first (not '<' spelled out)");
        // as Kimi-K2-Instruct.jinja renders one call (its tool_call_counter makes the index)
        String out = drive(m, v, KIMI, "<|tool_calls_section_begin|>", "<|tool_call_begin|>", "functions.get_weather:0",
                "<|tool_call_argument_begin|>", "{\"city\":\"Paris\"}", "<|tool_call_end|>");
        m.fillMask(mask);
        assertEquals(List.of(257, 258), mask.stream().boxed().toList(), "another call or the section end");
        out += drive(m, v, KIMI, "<|tool_calls_section_end|>");
        assertEquals("<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\":\"Paris\"}"
                + "<|tool_call_end|><|tool_calls_section_end|>", out);
        m.fillMask(mask);
        assertEquals(List.of(256 + KIMI.size() - 1), mask.stream().boxed().toList(), "then only end of generation");
        // a special token the syntax does not name is never allowed; text never stands in for a special token
        Matcher m2 = c.start();
        drive(m2, v, KIMI, "<|tool_calls_section_begin|>", "<|tool_call_begin|>", "functions.get_weather:12");
        assertThrows(ConstraintException.class, () -> m2.accept(256 + KIMI.indexOf("<|im_end|>")));
        assertThrows(ConstraintException.class, () -> m2.accept('<'));
    }

    static final List<String> GLM = List.of("<tool_call>", "</tool_call>", "<arg_key>", "</arg_key>", "<arg_value>", "</arg_value>", "<|user|>");

    @Test
    void glmCallsWriteKeyValuePairs() {
        TokenVocabulary v = withSpecials(GLM.toArray(String[]::new));
        String forecast = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"city\",\"days\"]}";
        Constraint c = ToolCalls.glm().tool("get_weather", WEATHER).tool("forecast", forecast).calls(1, 2).build(v);
        Matcher m = c.start();
        // as GLM-4.7-Flash.jinja renders: strings raw, other values as JSON
        String out = drive(m, v, GLM, "<tool_call>", "forecast", "<arg_key>", "city", "</arg_key>", "<arg_value>", "São Paulo", "</arg_value>",
                "<arg_key>", "days", "</arg_key>", "<arg_value>", "3", "</arg_value>", "</tool_call>",
                "<tool_call>", "get_weather", "<arg_key>", "city", "</arg_key>", "<arg_value>", "Oslo", "</arg_value>",
                "<arg_key>", "unit", "</arg_key>", "<arg_value>", "c", "</arg_value>", "</tool_call>");
        assertTrue(m.isComplete(), out);
        java.util.BitSet mask = new java.util.BitSet();
        m.fillMask(mask);
        assertEquals(List.of(256 + GLM.size() - 1), mask.stream().boxed().toList(), "two calls at most: only end of generation");
        // a required pair cannot be skipped, a number is JSON in range, a key is spelled exactly
        Matcher m2 = c.start();
        drive(m2, v, GLM, "<tool_call>", "forecast");
        m2.fillMask(mask);
        assertEquals(List.of(256 + GLM.indexOf("<arg_key>")), mask.stream().boxed().toList());
        drive(m2, v, GLM, "<arg_key>", "city", "</arg_key>", "<arg_value>", "x", "</arg_value>", "<arg_key>", "days", "</arg_key>", "<arg_value>");
        assertThrows(ConstraintException.class, () -> m2.accept('0'));
        assertThrows(ConstraintException.class, () -> m2.accept(256 + GLM.indexOf("</arg_value>")));
    }

    @Test
    void namedSpecialTokenMissingFromTheVocabularyIsAnError() {
        TokenVocabulary v = withSpecials("<|a|>", "[EOS]");
        ConstraintException e = assertThrows(ConstraintException.class, () -> Constraints.lark("start: <|b|> \"x\"", v));
        assertTrue(e.getMessage().contains("<|b|>"), e.getMessage());
        Constraint c = Constraints.lark("start: <|a|> \"x\" <[256]> | \"y\"", v);
        Matcher m = c.start();
        drive(m, v, List.of("<|a|>", "[EOS]"), "<|a|>", "x", "<|a|>");
        assertTrue(m.isComplete());
        // the same in GBNF (llama.cpp's token syntax)
        Matcher g = Constraints.gbnf("root ::= <|a|> \"x\"+ <[256]>", v).start();
        drive(g, v, List.of("<|a|>", "[EOS]"), "<|a|>", "xx");
        assertThrows(ConstraintException.class, () -> g.accept('<'));
        drive(g, v, List.of("<|a|>", "[EOS]"), "<|a|>");
        assertTrue(g.isComplete());
        assertThrows(ConstraintException.class, () -> Constraints.gbnf("root ::= !<|a|>", v));
    }
}
