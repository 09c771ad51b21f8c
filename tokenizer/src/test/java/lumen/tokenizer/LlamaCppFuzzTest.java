package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lumen.tokenizer.load.Tokenizers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Texts stitched from hard pieces (scripts, emoji, marks, whitespace runs, digits, contractions, code, special-token
 * text) and short edge cases ({@code llama.cpp-fuzz/texts.inp}, separated as in llama.cpp's own test files), with
 * the ids llama.cpp 0.7.0's llama-tokenize gives for each vocabulary: without BOS and special parsing
 * ({@code NAME.plain.out}) and with both ({@code NAME.special.out}), one line per text.
 */
class LlamaCppFuzzTest {

    @ParameterizedTest
    @ValueSource(strings = {"bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-spm", "mpt", "phi-3", "refact", "starcoder"})
    void idsEqualLlamaCpps(String name) throws Exception {
        Tokenizer tok = Tokenizers.fromGguf(GgufMeta.read(LlamaCppVocabTest.resource("ggml-vocab-" + name + ".gguf.gz")));
        String inp = Files.readString(LlamaCppVocabTest.resource("../llama.cpp-fuzz/texts.inp"), StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>(Arrays.asList(inp.split(LlamaCppVocabTest.MARKER, -1)));
        texts.removeLast();
        List<String> failures = new ArrayList<>();
        for (boolean special : new boolean[] {false, true}) {
            List<String> lines = Files.readAllLines(LlamaCppVocabTest.resource("../llama.cpp-fuzz/" + name + (special ? ".special.out" : ".plain.out")));
            assertEquals(texts.size(), lines.size(), name + ": number of texts");
            for (int i = 0; i < texts.size(); i++) {
                String line = lines.get(i).trim();
                int[] expected = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
                int[] got = tok.encode(texts.get(i), special, special);
                if (!Arrays.equals(expected, got)) {
                    int at = 0;
                    while (at < Math.min(expected.length, got.length) && expected[at] == got[at]) at++;
                    failures.add((special ? "special " : "plain ") + "text " + i + ": first difference at id " + at + " of " + expected.length
                            + ", expected " + Arrays.toString(Arrays.copyOfRange(expected, at, Math.min(expected.length, at + 5)))
                            + " got " + Arrays.toString(Arrays.copyOfRange(got, at, Math.min(got.length, at + 5))));
                }
            }
        }
        assertEquals(List.of(), failures, name);
    }
}
