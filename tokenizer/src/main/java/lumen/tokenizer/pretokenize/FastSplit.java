package lumen.tokenizer.pretokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hand-written matchers for the pre-tokenizer regexes that nearly every byte-level BPE uses (GPT-2, Llama 3,
 * Qwen2), equivalent to running the regex with ISOLATED splitting but several times faster than
 * java.util.regex. Equivalence is checked against the regex on random text by the tests.
 */
public final class FastSplit implements PreTokenizer {
    private enum Family { GPT2, LLAMA3 }

    private record Config(Family family, int maxDigits, boolean ignoreCase, boolean unicodeFold) {}

    private static final String GPT2_CORE = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String CONTRACTIONS_CLASSES = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    private static final String CONTRACTIONS_FOLD = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";
    private static final String L3_TAIL = "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Known patterns (as written in GGUF pre-tokenizer tables and tokenizer.json files) and their matcher. */
    private static final Map<String, Config> KNOWN = Map.of(
            GPT2_CORE, new Config(Family.GPT2, Integer.MAX_VALUE, false, false),
            GPT2_CORE + "|\\s+", new Config(Family.GPT2, Integer.MAX_VALUE, false, false),
            CONTRACTIONS_CLASSES + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" + L3_TAIL, new Config(Family.LLAMA3, 3, true, false),
            CONTRACTIONS_FOLD + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" + L3_TAIL, new Config(Family.LLAMA3, 3, true, true),
            CONTRACTIONS_CLASSES + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" + L3_TAIL, new Config(Family.LLAMA3, 1, true, false),
            CONTRACTIONS_FOLD + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" + L3_TAIL, new Config(Family.LLAMA3, 1, true, true));

    private final Config cfg;

    private FastSplit(Config cfg) {
        this.cfg = cfg;
    }

    /** The fast matcher for pattern, or null when the pattern is not one of the known ones. */
    public static FastSplit forPattern(String pattern) {
        Config c = KNOWN.get(pattern);
        return c == null ? null : new FastSplit(c);
    }

    /** The stage for pattern: the fast matcher when there is one, else the regex with ISOLATED behaviour. */
    public static PreTokenizer isolated(String pattern, String where) {
        FastSplit f = forPattern(pattern);
        return f != null ? f : RegexSplit.isolated(Regexes.compile(pattern, where));
    }

    // Character classes as java.util.regex defines them with UNICODE_CHARACTER_CLASS.
    static boolean isLetter(int cp) {
        return Character.isLetter(cp);
    }

    static boolean isNumber(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** Unicode White_Space. */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static boolean isOther(int cp) {
        return !isSpace(cp) && !isLetter(cp) && !isNumber(cp);
    }

    @Override
    public List<String> split(List<String> in) {
        List<String> out = new ArrayList<>(in.size() * 8);
        for (String s : in) splitOne(s, out);
        return out;
    }

    private void splitOne(String s, List<String> out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int end = match(s, i, n);
            out.add(s.substring(i, end));
            i = end;
        }
    }

    private static int cpAt(String s, int i, int n) {
        return i < n ? s.codePointAt(i) : -1;
    }

    private static int next(String s, int i) {
        return i + Character.charCount(s.codePointAt(i));
    }

    /** End of the match starting at i (every position starts a match: an unmatched character would be a gap of its own). */
    private int match(String s, int i, int n) {
        int c = s.codePointAt(i);
        int j = next(s, i);
        if (c == '\'') {
            int k = contraction(s, j, n);
            if (k > 0) return k;
        }
        if (cfg.family == Family.GPT2) {
            int c1 = cpAt(s, j, n);
            boolean space = c == ' ' && c1 >= 0;
            int lead = space ? c1 : c;
            int from = space ? j : i;
            if (isLetter(lead)) return run(s, from, n, 0);
            if (isNumber(lead)) return run(s, from, n, 1);
            if (!isSpace(lead)) return run(s, from, n, 2);
            if (!isSpace(c)) return run(s, i, n, 2); // c itself is "other" (space case handled above)
            return whitespace(s, i, n, false);
        }
        // Llama 3 / Qwen2
        if (isLetter(c)) return run(s, i, n, 0);
        int c1 = cpAt(s, j, n);
        if (c != '\r' && c != '\n' && !isNumber(c) && c1 >= 0 && isLetter(c1)) return run(s, j, n, 0);
        if (isNumber(c)) {
            int k = i, count = 0;
            while (k < n && count < cfg.maxDigits && isNumber(s.codePointAt(k))) { k = next(s, k); count++; }
            return k;
        }
        if (c == ' ' && c1 >= 0 && isOther(c1)) return newlines(s, run(s, j, n, 2), n);
        if (isOther(c)) return newlines(s, run(s, i, n, 2), n);
        return whitespace(s, i, n, true);
    }

    /** End of a run of letters (kind 0), numbers (1) or others (2) starting at i. */
    private static int run(String s, int i, int n, int kind) {
        int k = i;
        while (k < n) {
            int c = s.codePointAt(k);
            boolean ok = kind == 0 ? isLetter(c) : kind == 1 ? isNumber(c) : isOther(c);
            if (!ok) break;
            k += Character.charCount(c);
        }
        return k;
    }

    private static int newlines(String s, int i, int n) {
        while (i < n && (s.charAt(i) == '\r' || s.charAt(i) == '\n')) i++;
        return i;
    }

    /** Whitespace alternatives: {@code \s*[\r\n]+} (Llama 3 only), {@code \s+(?!\S)}, {@code \s+}. */
    private static int whitespace(String s, int i, int n, boolean newlineRule) {
        int j = i, lastNl = -1;
        while (j < n) {
            int c = s.codePointAt(j);
            if (!isSpace(c)) break;
            if (c == '\r' || c == '\n') lastNl = j;
            j += Character.charCount(c);
        }
        if (newlineRule && lastNl >= 0) return lastNl + 1;
        if (j == n) return j;
        // followed by a non-space: leave the last whitespace character for the next match
        int last = j - Character.charCount(s.codePointBefore(j));
        return last > i ? last : j;
    }

    private int contraction(String s, int j, int n) {
        int a = j < n ? fold(s.charAt(j)) : -1;
        int b = j + 1 < n ? fold(s.charAt(j + 1)) : -1;
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return j + 1;
        if ((a == 'r' || a == 'v') && b == 'e') return j + 2;
        if (a == 'l' && b == 'l') return j + 2;
        return -1;
    }

    private int fold(char c) {
        if (!cfg.ignoreCase) return c;
        if (c >= 'A' && c <= 'Z') return c + 32;
        if (cfg.unicodeFold && c == '\u017F') return 's'; // LATIN SMALL LETTER LONG S folds to s
        return c;
    }
}
