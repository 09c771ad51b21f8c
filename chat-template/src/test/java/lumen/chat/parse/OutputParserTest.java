package lumen.chat.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lumen.chat.ChatTemplate;
import org.junit.jupiter.api.Test;

/**
 * Output parsing per model family, on replies written the way each family's template renders assistant
 * turns. Every case is also streamed split at every character position (two chunks) and one character
 * at a time: the deltas must add up to exactly the whole-text parse.
 */
class OutputParserTest {
    static final List<Object> TOOLS = List.of(
        Map.of("type", "function", "function", Map.of("name", "get_weather", "parameters", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string"), "days", Map.of("type", "integer"),
                "zip", Map.of("type", "string"))))));

    static ToolCall call(int i, String name, String args) {
        return new ToolCall("id" + i, name, args);
    }

    /** Parses whole and streamed; asserts they agree and equal the expectation. */
    static void check(OutputFormat f, String text, ParsedOutput expected) {
        OutputParser whole = new OutputParser(f, i -> "id" + i);
        whole.push(text);
        whole.finish();
        assertEquals(expected, whole.result(), "whole parse of " + text);
        for (int k = 0; k <= text.length(); k++) {
            OutputParser p = new OutputParser(f, i -> "id" + i);
            List<Delta> deltas = new ArrayList<>(p.push(text.substring(0, k)));
            deltas.addAll(p.push(text.substring(k)));
            deltas.addAll(p.finish());
            assertEquals(expected, collect(deltas), "split at " + k + " of " + text);
        }
        OutputParser p = new OutputParser(f, i -> "id" + i);
        List<Delta> deltas = new ArrayList<>();
        for (int k = 0; k < text.length(); k++) {
            deltas.addAll(p.push(text.substring(k, k + 1)));
        }
        deltas.addAll(p.finish());
        assertEquals(expected, collect(deltas), "char by char: " + text);
    }

    static ParsedOutput collect(List<Delta> deltas) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        List<ToolCall> started = new ArrayList<>();
        for (Delta d : deltas) {
            switch (d) {
                case Delta.Content c -> {
                    assertFalse(c.text().isEmpty());
                    content.append(c.text());
                }
                case Delta.Reasoning r -> reasoning.append(r.text());
                case Delta.CallStart c -> {
                    assertEquals(started.size(), c.index());
                    assertEquals(calls.size(), c.index(), "a call starts after the previous one completed");
                    started.add(new ToolCall(c.id(), c.name(), ""));
                }
                case Delta.CallArguments a -> {
                    assertEquals(started.size() - 1, a.index());
                    assertEquals(calls.size(), a.index(), "arguments of a completed call");
                    ToolCall t = started.get(a.index());
                    started.set(a.index(), new ToolCall(t.id(), t.name(), t.arguments() + a.text()));
                }
                case Delta.Call c -> {
                    assertEquals(calls.size(), c.index());
                    assertEquals(started.get(c.index()), c.call(), "pieces add up to the whole call");
                    calls.add(c.call());
                }
            }
        }
        assertEquals(calls.size(), started.size(), "every started call completes");
        return new ParsedOutput(content.toString(), reasoning.toString(), calls);
    }

    @Test
    void qwen3HermesWithThinkingAndTwoCalls() {
        String text = "<think>\nThe user wants the weather.\n</think>\n\nLet me check.\n<tool_call>\n"
            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>\n"
            + "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
        check(OutputFormat.of(ToolCallFormat.HERMES, true), text, new ParsedOutput("Let me check.",
            "The user wants the weather.", List.of(call(0, "get_weather", "{\"city\": \"Paris\", \"days\": 2}"),
                call(1, "get_time", "{}"))));
    }

    @Test
    void hermesOtherShapesAreReadWhole() {
        check(OutputFormat.of(ToolCallFormat.HERMES, false),
            "<tool_call>\n{\"arguments\": {\"b\": [1, 2]}, \"name\": \"g\"}\n</tool_call>",
            new ParsedOutput("", "", List.of(call(0, "g", "{\"b\":[1,2]}"))));
        check(OutputFormat.of(ToolCallFormat.HERMES, false),
            "<tool_call>{\"name\": \"say\", \"arguments\": {\"text\": \"a } ] \\\" {\", \"n\": {\"m\": []}}}</tool_call>",
            new ParsedOutput("", "", List.of(call(0, "say", "{\"text\": \"a } ] \\\" {\", \"n\": {\"m\": []}}"))));
    }

    @Test
    void hermesArgumentsGivenAsStringStayAsGiven() {
        String text = "<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}\n</tool_call>";
        check(OutputFormat.of(ToolCallFormat.HERMES, false), text,
            new ParsedOutput("", "", List.of(call(0, "f", "{\"a\": 1}"))));
    }

    @Test
    void glm47PromptOpenedThinkAndTypedArguments() {
        OutputFormat f = new OutputFormat(ToolCallFormat.GLM, true, true, TOOLS);
        String text = "The user asks about Paris.</think>I'll check.<tool_call>get_weather<arg_key>city</arg_key>"
            + "<arg_value>Paris</arg_value><arg_key>days</arg_key><arg_value>2</arg_value><arg_key>zip</arg_key>"
            + "<arg_value>75001</arg_value><arg_key>opts</arg_key><arg_value>{\"hourly\": true}</arg_value></tool_call>";
        check(f, text, new ParsedOutput("I'll check.", "The user asks about Paris.", List.of(call(0, "get_weather",
            "{\"city\":\"Paris\",\"days\":2,\"zip\":\"75001\",\"opts\":{\"hourly\":true}}"))));
    }

    @Test
    void glmWithNewlinesBetweenArguments() {
        String text = "<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Zürich \"Nord\"</arg_value>\n</tool_call>";
        check(new OutputFormat(ToolCallFormat.GLM, true, false, TOOLS), text,
            new ParsedOutput("", "", List.of(call(0, "get_weather", "{\"city\":\"Zürich \\\"Nord\\\"\"}"))));
    }

    @Test
    void kimiK2SectionWithTwoCallsKeepsModelIds() {
        String text = "Sure.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0"
            + "<|tool_call_argument_begin|>{\"city\": \"Paris\"}<|tool_call_end|><|tool_call_begin|>functions.get_time:1"
            + "<|tool_call_argument_begin|>{}<|tool_call_end|><|tool_calls_section_end|>";
        check(OutputFormat.of(ToolCallFormat.KIMI_K2, true), text, new ParsedOutput("Sure.", "", List.of(
            new ToolCall("functions.get_weather:0", "get_weather", "{\"city\": \"Paris\"}"),
            new ToolCall("functions.get_time:1", "get_time", "{}"))));
    }

    @Test
    void kimiK2ThinkingReasoning() {
        String text = "<think>Plan the answer.</think>The answer is 4.";
        check(OutputFormat.of(ToolCallFormat.KIMI_K2, true), text, new ParsedOutput("The answer is 4.", "Plan the answer.", List.of()));
    }

    @Test
    void nemotron3AndQwen3CoderXmlParameters() {
        OutputFormat f = new OutputFormat(ToolCallFormat.QWEN3_CODER, true, true, TOOLS);
        String text = "\nWeather needed.\n</think>\n\n<tool_call>\n<function=get_weather>\n<parameter=city>\nNew York\n"
            + "</parameter>\n<parameter=days>\n3\n</parameter>\n<parameter=zip>\n10001\n</parameter>\n</function>\n</tool_call>\n";
        check(f, text, new ParsedOutput("", "Weather needed.", List.of(
            call(0, "get_weather", "{\"city\":\"New York\",\"days\":3,\"zip\":\"10001\"}"))));
    }

    @Test
    void qwen3CoderMultiLineStringValueKeepsInnerNewlines() {
        OutputFormat f = new OutputFormat(ToolCallFormat.QWEN3_CODER, false, false, TOOLS);
        String text = "Writing.\n<tool_call>\n<function=get_weather>\n<parameter=city>\nline1\nline2\n</parameter>\n"
            + "</function>\n</tool_call>";
        check(f, text, new ParsedOutput("Writing.", "", List.of(call(0, "get_weather", "{\"city\":\"line1\\nline2\"}"))));
    }

    @Test
    void llama3JsonCallsAndPlainText() {
        OutputFormat f = OutputFormat.of(ToolCallFormat.LLAMA3_JSON, false);
        check(f, "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}",
            new ParsedOutput("", "", List.of(call(0, "get_weather", "{\"city\":\"Paris\"}"))));
        check(f, "<|python_tag|>{\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {\"x\": 1}}",
            new ParsedOutput("", "", List.of(call(0, "a", "{}"), call(1, "b", "{\"x\":1}"))));
        check(f, "Hello there, {friend}.", new ParsedOutput("Hello there, {friend}.", "", List.of()));
        check(f, "{not a call}", new ParsedOutput("{not a call}", "", List.of()));
    }

    @Test
    void gptOssHarmonyChannels() {
        OutputFormat f = OutputFormat.of(ToolCallFormat.HARMONY, false);
        check(f, "<|channel|>analysis<|message|>Need the weather.<|end|><|start|>assistant<|channel|>commentary "
            + "to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Paris\"}<|call|>",
            new ParsedOutput("", "Need the weather.", List.of(call(0, "get_weather", "{\"city\": \"Paris\"}"))));
        check(f, "<|channel|>analysis<|message|>2+2 is 4.<|end|><|start|>assistant<|channel|>final<|message|>"
            + "It is 4.<|return|>", new ParsedOutput("It is 4.", "2+2 is 4.", List.of()));
        check(f, "<|channel|>final<|message|>Cut off", new ParsedOutput("Cut off", "", List.of()));
    }

    @Test
    void malformedToolCallsDegradeToContent() {
        OutputFormat f = OutputFormat.of(ToolCallFormat.HERMES, true);
        check(f, "Try: <tool_call>{not json}</tool_call> done",
            new ParsedOutput("Try:<tool_call>{not json}</tool_call>done", "", List.of()));
        check(f, "Start <tool_call>{\"name\": \"x\"", new ParsedOutput("Start<tool_call>{\"name\": \"x\"", "", List.of()));
        check(OutputFormat.of(ToolCallFormat.KIMI_K2, false), "<|tool_calls_section_begin|>garbage<|tool_calls_section_end|>",
            new ParsedOutput("<|tool_calls_section_begin|>garbage<|tool_calls_section_end|>", "", List.of()));
    }

    @Test
    void unclosedToolCallThatParsesIsAccepted() {
        check(OutputFormat.of(ToolCallFormat.HERMES, false), "<tool_call>\n{\"name\": \"x\", \"arguments\": {}}\n",
            new ParsedOutput("", "", List.of(call(0, "x", "{}"))));
    }

    @Test
    void thinkingDisabledOrUnclosedThink() {
        OutputFormat f = OutputFormat.of(ToolCallFormat.HERMES, true);
        check(f, "Just the answer.", new ParsedOutput("Just the answer.", "", List.of()));
        check(f, "<think>\nstill thinking when cut", new ParsedOutput("", "still thinking when cut", List.of()));
        check(f, "<thin", new ParsedOutput("<thin", "", List.of()));
        check(OutputFormat.of(ToolCallFormat.NONE, false), "a < b and <think>x</think>",
            new ParsedOutput("a < b and <think>x</think>", "", List.of()));
    }

    @Test
    void contentStreamsBeforeTheEnd() {
        OutputParser p = new OutputParser(OutputFormat.of(ToolCallFormat.HERMES, true), i -> "id" + i);
        assertEquals(List.of(), p.push("<think>"));
        assertEquals(List.of(new Delta.Reasoning("abc")), p.push("abc </"));
        assertEquals(List.of(new Delta.Content("Hi")), p.push("think>Hi <tool_"));
        assertEquals(List.of(), p.push("call>{\"name\": \"f\", \"arguments\": "));
        assertEquals(List.of(new Delta.CallStart(0, "id0", "f"), new Delta.CallArguments(0, "{\"x\":")), p.push("{\"x\": "));
        assertEquals(List.of(new Delta.CallArguments(0, " 1}"), new Delta.Call(0, new ToolCall("id0", "f", "{\"x\": 1}"))),
            p.push("1}}"));
        assertEquals(List.of(), p.push("</tool_call>"));
        assertEquals(List.of(), p.finish());
    }

    @Test
    void argumentsStreamBeforeTheCallCloses() {
        OutputParser q = new OutputParser(new OutputFormat(ToolCallFormat.QWEN3_CODER, false, false, TOOLS), i -> "id" + i);
        assertEquals(List.of(), q.push("<tool_call>\n<function=get_wea"));
        assertEquals(List.of(new Delta.CallStart(0, "id0", "get_weather"), new Delta.CallArguments(0, "{")),
            q.push("ther>\n<parameter=city>\nPar"));
        assertEquals(List.of(new Delta.CallArguments(0, "\"city\":\"Paris\"")), q.push("is\n</parameter>\n"));
        assertEquals(List.of(new Delta.CallArguments(0, ",\"days\":2")), q.push("<parameter=days>\n2\n</parameter>\n</function>"));
        assertEquals(List.of(new Delta.CallArguments(0, "}"),
            new Delta.Call(0, new ToolCall("id0", "get_weather", "{\"city\":\"Paris\",\"days\":2}"))), q.push("\n</tool_call>"));

        OutputParser k = new OutputParser(OutputFormat.of(ToolCallFormat.KIMI_K2, false), i -> "id" + i);
        assertEquals(List.of(new Delta.CallStart(0, "functions.f:0", "f"), new Delta.CallArguments(0, "{\"code\": \"pri")),
            k.push("<|tool_calls_section_begin|><|tool_call_begin|>functions.f:0<|tool_call_argument_begin|>{\"code\": \"pri"));
        assertEquals(List.of(new Delta.CallArguments(0, "nt(1)\"}")), k.push("nt(1)\"}<|tool_call_e"));
        assertEquals(List.of(new Delta.Call(0, new ToolCall("functions.f:0", "f", "{\"code\": \"print(1)\"}"))),
            k.push("nd|><|tool_calls_section_end|>"));
    }

    @Test
    void aStartedCallIsKeptEvenIfJunkFollows() {
        check(new OutputFormat(ToolCallFormat.QWEN3_CODER, false, false, TOOLS),
            "<tool_call>\n<function=get_weather>\n<parameter=city>\nRome\n</parameter>\noops</tool_call>",
            new ParsedOutput("", "", List.of(call(0, "get_weather", "{\"city\":\"Rome\"}"))));
        check(OutputFormat.of(ToolCallFormat.GLM, false), "<tool_call>get_time</tool_call>",
            new ParsedOutput("", "", List.of(call(0, "get_time", "{}"))));
    }

    @Test
    void formatsDetectedFromTheRealTemplates() throws Exception {
        Path dir = Path.of(getClass().getResource("/templates/contexts").toURI()).getParent();
        assertEquals(ToolCallFormat.GLM, detect(dir, "GLM-4.7-Flash.jinja"));
        assertEquals(ToolCallFormat.GLM, detect(dir, "GLM-4.6.jinja"));
        assertEquals(ToolCallFormat.KIMI_K2, detect(dir, "Kimi-K2-Thinking.jinja"));
        assertEquals(ToolCallFormat.KIMI_K2, detect(dir, "moonshotai-Kimi-K2.jinja"));
        assertEquals(ToolCallFormat.QWEN3_CODER, detect(dir, "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.jinja"));
        assertEquals(ToolCallFormat.QWEN3_CODER, detect(dir, "Qwen3-Coder.jinja"));
        assertEquals(ToolCallFormat.HERMES, detect(dir, "Qwen-Qwen3-0.6B.jinja"));
        assertEquals(ToolCallFormat.HERMES, detect(dir, "lumen-demo.jinja"));
        assertEquals(ToolCallFormat.HARMONY, detect(dir, "openai-gpt-oss-120b.jinja"));
        assertEquals(ToolCallFormat.LLAMA3_JSON, detect(dir, "meta-llama-Llama-3.1-8B-Instruct.jinja"));
    }

    static ToolCallFormat detect(Path dir, String name) throws Exception {
        return ToolCallFormat.detect(Files.readString(dir.resolve(name)));
    }

    @Test
    void generationPromptThatOpensThinkStartsInReasoning() throws Exception {
        Path dir = Path.of(getClass().getResource("/templates/contexts").toURI()).getParent();
        Map<String, Object> ctx = Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")),
            "add_generation_prompt", true);
        for (String name : List.of("GLM-4.7-Flash.jinja", "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.jinja")) {
            String src = Files.readString(dir.resolve(name));
            String prompt = ChatTemplate.parse(src).render(ctx);
            OutputFormat f = OutputFormat.forTemplate(src, prompt, List.of());
            assertTrue(f.thinkTags() && f.startsInReasoning(), name + " prompt ends: " + prompt);
            assertEquals(new ParsedOutput("Hello!", "Greet back.", List.of()),
                OutputParser.parse(f, "Greet back.</think>Hello!"), name);
        }
        String qwen = Files.readString(dir.resolve("Qwen-Qwen3-0.6B.jinja"));
        Map<String, Object> off = Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")),
            "add_generation_prompt", true, "enable_thinking", false);
        OutputFormat f = OutputFormat.forTemplate(qwen, ChatTemplate.parse(qwen).render(off), List.of());
        assertFalse(f.startsInReasoning());
        assertEquals(new ParsedOutput("Hello!", "", List.of()), OutputParser.parse(f, "Hello!"));
    }
}
