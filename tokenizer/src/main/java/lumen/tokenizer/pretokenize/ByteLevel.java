package lumen.tokenizer.pretokenize;

import java.util.ArrayList;
import java.util.List;

import lumen.tokenizer.Utf8;

/**
 * GPT-2's byte-level alphabet: every byte is shown as one printable character (bytes 33–126, 161–172 and
 * 174–255 as themselves, the other 68 bytes as U+0100 onwards in byte order), so that byte strings can be
 * BPE vocabulary strings. As a stage, it maps each piece's UTF-8 bytes to that alphabet, optionally after
 * splitting with the GPT-2 regex and adding a leading space (HF {@code ByteLevel} pre-tokenizer).
 */
public final class ByteLevel implements PreTokenizer {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private final boolean addPrefixSpace;
    private final RegexSplit regex;
    private final boolean mapping;

    public ByteLevel(boolean addPrefixSpace, boolean useRegex) {
        this(addPrefixSpace, useRegex, true);
    }

    /** With mapping false the stage only adds the prefix space and splits; the model maps the bytes. */
    public ByteLevel(boolean addPrefixSpace, boolean useRegex, boolean mapping) {
        this.addPrefixSpace = addPrefixSpace;
        this.regex = useRegex ? RegexSplit.isolated(Regexes.compile(Regexes.GPT2, "ByteLevel")) : null;
        this.mapping = mapping;
    }

    /** Whether this stage does nothing but map bytes to the alphabet. */
    public boolean isPureMapping() {
        return mapping && !addPrefixSpace && regex == null;
    }

    /** The alphabet character of byte b. */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte shown by c, or -1 if c is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The alphabet string of text's UTF-8 bytes. */
    public static String map(String text) {
        // ASCII fast path: most printable ASCII maps to itself.
        int n = text.length();
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || BYTE_TO_CHAR[c] != c) { sb = new StringBuilder(n + 8).append(text, 0, i); break; }
        }
        if (sb == null) return text;
        for (byte b : Utf8.encode(text.substring(sb.length()))) sb.append(BYTE_TO_CHAR[b & 0xFF]);
        return sb.toString();
    }

    /** The bytes behind an alphabet string; characters outside the alphabet are taken as their own UTF-8. */
    public static byte[] unmap(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int b = byteOf(c);
            if (b >= 0) {
                out.write(b);
            } else {
                int cp = s.codePointAt(i);
                byte[] u = Utf8.encode(new String(Character.toChars(cp)));
                out.write(u, 0, u.length);
                if (Character.isSupplementaryCodePoint(cp)) i++;
            }
        }
        return out.toByteArray();
    }

    @Override
    public List<String> split(List<String> in) {
        List<String> pieces = in;
        if (addPrefixSpace) {
            pieces = new ArrayList<>(in.size());
            for (String s : in) pieces.add(s.startsWith(" ") ? s : " " + s);
        }
        if (regex != null) pieces = regex.split(pieces);
        if (!mapping) return pieces;
        List<String> out = new ArrayList<>(pieces.size());
        for (String s : pieces) out.add(map(s));
        return out;
    }
}
