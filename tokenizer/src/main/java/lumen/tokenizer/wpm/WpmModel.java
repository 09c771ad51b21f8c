package lumen.tokenizer.wpm;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lumen.tokenizer.IntList;

/**
 * WordPiece as llama.cpp runs it for {@code tokenizer.ggml.model = bert} ({@code llm_tokenizer_wpm}): the text is
 * cut into words at whitespace and around punctuation, ASCII symbols and CJK ideographs (lowercased and, if asked,
 * with accents stripped), each word is prefixed with U+2581 (word-start tokens are stored that way in GGUF), and
 * matched greedily longest-first; a word with no full match becomes the unknown token.
 */
public final class WpmModel {
    private final Map<String, Integer> ids;
    private final int maxLen;
    private final int unk;
    private final boolean lowercase;
    private final boolean stripAccents;

    public WpmModel(String[] vocab, int unk, boolean lowercase, boolean stripAccents) {
        this.ids = new HashMap<>(vocab.length * 2);
        int m = 1;
        for (int i = 0; i < vocab.length; i++) {
            ids.putIfAbsent(vocab[i], i);
            m = Math.max(m, vocab[i].length());
        }
        this.maxLen = m;
        this.unk = unk;
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
    }

    /** Appends the ids of text. */
    public void encode(String text, IntList out) {
        for (String word : words(text)) {
            String w = "\u2581" + word;
            int n = w.length();
            int mark = out.size();
            List<Integer> found = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < n; ) {
                int j = Math.min(n, i + maxLen);
                Integer id = null;
                for (; j > i; j--) {
                    id = ids.get(w.substring(i, j));
                    if (id != null) break;
                }
                if (id == null) { ok = false; break; }
                found.add(id);
                i = j;
            }
            if (ok && !found.isEmpty()) for (int id : found) out.add(id);
            if (out.size() == mark) out.add(unk);
        }
    }

    List<String> words(String text) {
        String t = text;
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (stripAccents) cp = firstOfDecomposition(cp);
            if (isWhitespace(cp)) {
                flush(cur, words);
                continue;
            }
            int type = Character.getType(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(type)) continue;
            if (stripAccents && isMark(type)) continue;   // llama.cpp drops every mark (Mn, Mc, Me), not only Mn
            int c = lowercase ? Character.toLowerCase(cp) : cp;
            if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChinese(cp)) {
                flush(cur, words);
                words.add(new String(Character.toChars(c)));
            } else {
                cur.appendCodePoint(c);
            }
        }
        flush(cur, words);
        return words;
    }

    /**
     * llama.cpp's NFD for WordPiece: each code point becomes the first code point of its canonical
     * decomposition (the rest, combining marks, would be dropped here anyway) — and so a Hangul syllable
     * becomes its leading consonant alone, where a full NFD would also give its vowel and final jamo.
     */
    private static int firstOfDecomposition(int cp) {
        if (cp < 0xC0) return cp;
        String s = new String(Character.toChars(cp));
        return Normalizer.isNormalized(s, Normalizer.Form.NFD) ? cp : Normalizer.normalize(s, Normalizer.Form.NFD).codePointAt(0);
    }

    private static void flush(StringBuilder cur, List<String> words) {
        if (!cur.isEmpty()) {
            words.add(cur.toString());
            cur.setLength(0);
        }
    }

    private static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean isControl(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int type) {
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isSymbol(int type) {
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL || type == Character.MODIFIER_SYMBOL
                || type == Character.OTHER_SYMBOL;
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
