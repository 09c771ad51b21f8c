package lumen.tokenizer.pretokenize;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import lumen.tokenizer.TokenizerException;

/** Compiles the Oniguruma / PCRE-style patterns of tokenizer files into java.util.regex with Unicode semantics. */
public final class Regexes {
    private Regexes() {}

    /** The GPT-2 pattern, also the one the ByteLevel pre-tokenizer uses when use_regex is set. */
    public static final String GPT2 =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /**
     * Compiles pattern: {@code \s} is Unicode White_Space (as in Oniguruma, Rust regex and llama.cpp),
     * and script names like {@code \p{Han}} are accepted.
     */
    public static Pattern compile(String pattern, String where) {
        String p = pattern.replace("\\p{Han}", "\\p{IsHan}");
        try {
            return Pattern.compile(p, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException(where + ": cannot compile pre-tokenizer regex " + pattern + ": " + e.getDescription(), e);
        }
    }
}
