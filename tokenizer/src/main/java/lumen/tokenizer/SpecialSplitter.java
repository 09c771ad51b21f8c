package lumen.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Cuts special-token text out of the input before normal tokenization, with the semantics of llama.cpp's
 * {@code tokenizer_st_partition}: tokens are taken longest first; each one claims its leftmost non-overlapping
 * occurrences inside text not yet claimed (lstrip / rstrip also claim the whitespace beside an occurrence).
 * Tokens that are not "always" take part only when parsing special text is on.
 * <p>
 * Instead of one search per token over every fragment (thousands of tokens for some vocabularies), all
 * occurrences are found in one pass over a trie of the token texts, then granted in that priority order.
 */
public final class SpecialSplitter {
    /** A matchable token: always = matched even without parse_special (user-defined / non-special added tokens). */
    public record Special(int id, String text, boolean always, boolean lstrip, boolean rstrip) {}

    /** A piece of input: plain text (id &lt; 0) or one token. */
    public record Fragment(String text, int id) {
        boolean isText() { return id < 0; }
    }

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>(4);
        int[] specials = {}; // indices into specials (priority order) of the tokens with this text
    }

    /** Hugging Face tokenizers' lstrip/rstrip: Unicode White_Space (Rust's {@code char::is_whitespace}). */
    public static final IntPredicate UNICODE_WHITE_SPACE = c -> switch (c) {
        case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
        default -> c >= '\u2000' && c <= '\u200A';
    };

    /** llama.cpp's LSTRIP/RSTRIP token attributes: C's {@code isspace} on the UTF-8 bytes, so ASCII only. */
    public static final IntPredicate C_SPACE = c -> c == ' ' || (c >= '\t' && c <= '\r');

    private final List<Special> specials; // priority order: longest first, then lowest id
    private final Node root = new Node();
    private final boolean anyAlways;
    private final IntPredicate space;

    /** Hugging Face's whitespace for lstrip/rstrip ({@link #UNICODE_WHITE_SPACE}). */
    public SpecialSplitter(List<Special> specials) {
        this(specials, UNICODE_WHITE_SPACE);
    }

    /** {@code space}: what lstrip/rstrip claim beside an occurrence. */
    public SpecialSplitter(List<Special> specials, IntPredicate space) {
        this.space = space;
        List<Special> s = new ArrayList<>();
        for (Special sp : specials) if (!sp.text().isEmpty()) s.add(sp);
        s.sort(Comparator.comparingInt((Special sp) -> -sp.text().length()).thenComparingInt(Special::id));
        this.specials = List.copyOf(s);
        for (int k = 0; k < s.size(); k++) {
            Node n = root;
            for (char c : s.get(k).text().toCharArray()) n = n.next.computeIfAbsent(c, x -> new Node());
            n.specials = java.util.Arrays.copyOf(n.specials, n.specials.length + 1);
            n.specials[n.specials.length - 1] = k;
        }
        this.anyAlways = s.stream().anyMatch(Special::always);
    }

    public List<Fragment> split(String text, boolean parseSpecial) {
        if (specials.isEmpty() || (!parseSpecial && !anyAlways)) return List.of(new Fragment(text, -1));
        int n = text.length();
        // occurrences per token, in text order
        IntList[] occ = new IntList[specials.size()];
        boolean found = false;
        for (int i = 0; i < n; i++) {
            Node node = root.next.get(text.charAt(i));
            for (int j = i + 1; node != null; j++) {
                for (int k : node.specials) {
                    if (!parseSpecial && !specials.get(k).always()) continue;
                    // the first allowed token with this text; one with the same text after it would find nothing left
                    if (occ[k] == null) occ[k] = new IntList(4);
                    occ[k].add(i);
                    found = true;
                    break;
                }
                if (j >= n) break;
                node = node.next.get(text.charAt(j));
            }
        }
        if (!found) return List.of(new Fragment(text, -1));
        // grant occurrences in priority order over unclaimed text
        boolean[] claimed = new boolean[n];
        int[] tokenAt = new int[n]; // index into specials of the token starting at each position
        java.util.Arrays.fill(tokenAt, -1);
        for (int k = 0; k < occ.length; k++) {
            if (occ[k] == null) continue;
            Special sp = specials.get(k);
            int len = sp.text().length();
            int nextFree = 0;
            for (int o = 0; o < occ[k].size(); o++) {
                int p = occ[k].get(o);
                if (p < nextFree || !free(claimed, p, p + len)) continue;
                for (int q = p; q < p + len; q++) claimed[q] = true;
                tokenAt[p] = k;
                nextFree = p + len;
                if (sp.lstrip()) for (int q = p - 1; q >= 0 && !claimed[q] && space.test(text.charAt(q)); q--) claimed[q] = true;
                if (sp.rstrip()) {
                    int q = p + len;
                    for (; q < n && !claimed[q] && space.test(text.charAt(q)); q++) claimed[q] = true;
                    nextFree = q;
                }
            }
        }
        List<Fragment> out = new ArrayList<>();
        int rawStart = -1;
        for (int i = 0; i < n; i++) {
            if (!claimed[i]) {
                if (rawStart < 0) rawStart = i;
                continue;
            }
            if (rawStart >= 0) { out.add(new Fragment(text.substring(rawStart, i), -1)); rawStart = -1; }
            if (tokenAt[i] >= 0) out.add(new Fragment(specials.get(tokenAt[i]).text(), specials.get(tokenAt[i]).id()));
        }
        if (rawStart >= 0) out.add(new Fragment(text.substring(rawStart), -1));
        return out;
    }

    private static boolean free(boolean[] claimed, int from, int to) {
        for (int q = from; q < to; q++) if (claimed[q]) return false;
        return true;
    }
}
