package lumen.chat.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Random replies built from every format's markers, JSON pieces, whitespace and words: for each format,
 * parsing never throws, and streaming the reply in random chunks yields deltas that add up to the
 * whole-text parse (calls start, stream and complete in order).
 */
class OutputParserFuzzTest {
    static final String[] PIECES = {"<think>", "</think>", "<tool_call>", "</tool_call>", "\n", " ", "  \n ", "Hello",
        "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}", "{\"name\": \"f\", \"arguments\": {\"a\": [1, \"]}\"]",
        "}", "{", "\"", "<function=get_weather>", "<parameter=city>", "Rome", "</parameter>", "</function>",
        "<parameter=days>\n3\n", "get_weather", "<arg_key>city</arg_key>", "<arg_value>Oslo</arg_value>", "<arg_key>",
        "<|tool_calls_section_begin|>", "<|tool_calls_section_end|>", "<|tool_call_begin|>functions.f:0",
        "<|tool_call_argument_begin|>", "<|tool_call_end|>", "<|channel|>analysis", "<|channel|>final",
        "<|channel|>commentary to=functions.f", "<|message|>", "<|end|>", "<|call|>", "<|return|>", "<|start|>assistant",
        "<|python_tag|>", "<", "</", "<tool_", "x<y", "é😀"};

    @Test
    void randomRepliesStreamLikeTheyParse() {
        Random rnd = new Random(20260131);
        for (ToolCallFormat f : ToolCallFormat.values()) {
            for (boolean think : new boolean[] {false, true}) {
                for (boolean open : new boolean[] {false, true}) {
                    OutputFormat format = new OutputFormat(f, think, open && think, OutputParserTest.TOOLS);
                    for (int n = 0; n < 150; n++) {
                        StringBuilder sb = new StringBuilder();
                        int len = 1 + rnd.nextInt(12);
                        for (int k = 0; k < len; k++) {
                            sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                        }
                        String text = sb.toString();
                        OutputParser whole = new OutputParser(format, i -> "id" + i);
                        whole.push(text);
                        whole.finish();
                        ParsedOutput expected = whole.result();
                        for (int rep = 0; rep < 3; rep++) {
                            OutputParser p = new OutputParser(format, i -> "id" + i);
                            List<Delta> deltas = new ArrayList<>();
                            int at = 0;
                            while (at < text.length()) {
                                int next = Math.min(text.length(), at + 1 + rnd.nextInt(6));
                                deltas.addAll(p.push(text.substring(at, next)));
                                at = next;
                            }
                            deltas.addAll(p.finish());
                            assertEquals(expected, OutputParserTest.collect(deltas), format + " streaming " + text);
                        }
                    }
                }
            }
        }
    }
}
