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

    /**
     * Lossy decode: each maximal subpart of an ill-formed sequence becomes one U+FFFD (Unicode's recommended
     * practice, as Rust's from_utf8_lossy, Python and the WHATWG decoder do; java.lang.String differs on some
     * inputs, e.g. an encoded surrogate ED A0 80 gives it one U+FFFD instead of three).
     */
    public static String decode(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && b[i] >= 0) i++;
        if (i == end) return new String(b, off, len, StandardCharsets.ISO_8859_1); // ASCII
        StringBuilder sb = new StringBuilder(len);
        for (int k = off; k < i; k++) sb.append((char) b[k]);
        while (i < end) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) { sb.append((char) lead); i++; continue; }
            int need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
            if (need == 0) { sb.append('\uFFFD'); i++; continue; }
            int cp = lead & (0xFF >> (need + 1));
            int j = i + 1;
            while (j < i + need && j < end && validAt(lead, j - i, b[j] & 0xFF)) {
                cp = (cp << 6) | (b[j] & 0x3F);
                j++;
            }
            if (j == i + need) sb.appendCodePoint(cp); else sb.append('\uFFFD');
            i = j;
        }
        return sb.toString();
    }

    /** Whether c may be continuation byte number pos (1..3) after lead in a well-formed sequence. */
    private static boolean validAt(int lead, int pos, int c) {
        if (pos == 1) {
            int lo = 0x80, hi = 0xBF;
            if (lead == 0xE0) lo = 0xA0;
            else if (lead == 0xED) hi = 0x9F;
            else if (lead == 0xF0) lo = 0x90;
            else if (lead == 0xF4) hi = 0x8F;
            return c >= lo && c <= hi;
        }
        return (c & 0xC0) == 0x80;
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
        for (int i = start + 1; i < end; i++) if (!validAt(lead, i - start, buf[i] & 0xFF)) return false;
        return true;
    }
}
