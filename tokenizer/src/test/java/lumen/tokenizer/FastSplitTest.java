package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lumen.tokenizer.pretokenize.FastSplit;
import lumen.tokenizer.pretokenize.RegexSplit;
import lumen.tokenizer.pretokenize.Regexes;

/** The hand-written splitters give exactly the pieces of the regexes they replace, on random hard text. */
class FastSplitTest {
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    static final String L3_TAIL = "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    // Letters of several scripts and cases, digits of several kinds, every kind of whitespace, apostrophes,
    // contraction letters, punctuation and symbols, combining marks, emoji (surrogate pairs), a lone surrogate.
    static final String[] ALPHABET = {"a", "b", "s", "t", "S", "T", "r", "e", "E", "v", "m", "l", "L", "d", "D", "\u017F", "K",
            "é", "ß", "Ж", "日", "語", "ا", "न", "ि", "\u0301", "1", "7", "٣", "Ⅻ", "①", "𝟙", " ", " ", " ", "\t", "\n", "\r",
            "\u00A0", "\u3000", "\u2028", "\u0085", "\u000B", "'", "'", "\"", ".", ",", "!", "?", "-", "$", "€", "/", "(", "🦊", "👍🏽",
            "\u200D", "\uFE0F", "\uD83D", "_"};

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "gpt2+s", "llama3-classes", "llama3-fold", "qwen2-classes", "qwen2-fold"})
    void sameAsRegex(String which) {
        String c = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])", f = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";
        String pattern = switch (which) {
            case "gpt2" -> GPT2;
            case "gpt2+s" -> GPT2 + "|\\s+";
            case "llama3-classes" -> c + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" + L3_TAIL;
            case "llama3-fold" -> f + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" + L3_TAIL;
            case "qwen2-classes" -> c + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" + L3_TAIL;
            default -> f + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" + L3_TAIL;
        };
        FastSplit fast = FastSplit.forPattern(pattern);
        assertNotNull(fast, which);
        RegexSplit regex = RegexSplit.isolated(Regexes.compile(pattern, which));
        Random r = new Random(which.hashCode());
        for (int iter = 0; iter < 20000; iter++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(24);
            for (int k = 0; k < len; k++) sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
            String s = sb.toString();
            assertEquals(regex.split(List.of(s)), fast.split(List.of(s)), () -> which + " on " + LlamaCppVocabTest.repr(s));
        }
    }
}
