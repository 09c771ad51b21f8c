package lumen.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers with the conventions of the reference tokenizers: lone surrogates become U+FFFD, bad bytes decode to U+FFFD. */
public final class Utf8 {
    private Utf8() {}

    /** The text with every unpaired surrogate replaced by U+FFFD (what a JS or Rust tokenizer sees after UTF-8 encoding). */
    public static String sanitize(String s) {
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
                if (paired) {
                    if (sb != null) sb.append(c).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
                if (sb == null) sb = new StringBuilder(n).append(s, 0, i);
                sb.append('\uFFFD');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** UTF-8 bytes of s, lone surrogates encoded as U+FFFD. */
    public static byte[] encode(String s) {
        return sanitize(s).getBytes(StandardCharsets.UTF_8);
    }

    /** Lossy decode: malformed sequences become U+FFFD. */
    public static String decode(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /**
     * Length of the prefix of buf[0, len) that does not end inside a UTF-8 sequence that could still be
     * completed by more bytes; the rest should be held back by a streaming decoder.
     */
    public static int completePrefix(byte[] buf, int len) {
        for (int back = 1; back <= 3 && back <= len; back++) {
            int b = buf[len - back] & 0xFF;
            if ((b & 0xC0) == 0x80) continue; // continuation byte: look further back
            int need = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 1;
            if (need > back && validSoFar(buf, len - back, len)) return len - back;
            return len;
        }
        return len;
    }

    /** Whether lead byte at start and the continuation bytes up to end are a valid prefix of a sequence. */
    private static boolean validSoFar(byte[] buf, int start, int end) {
        int lead = buf[start] & 0xFF;
        for (int i = start + 1; i < end; i++) {
            int c = buf[i] & 0xFF;
            if (i == start + 1) {
                int lo = 0x80, hi = 0xBF;
                if (lead == 0xE0) lo = 0xA0;
                else if (lead == 0xED) hi = 0x9F;
                else if (lead == 0xF0) lo = 0x90;
                else if (lead == 0xF4) hi = 0x8F;
                if (c < lo || c > hi) return false;
            } else if ((c & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }
}
