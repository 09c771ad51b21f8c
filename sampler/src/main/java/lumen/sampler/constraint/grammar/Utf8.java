package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a set of code points into byte-range sequences that match exactly their UTF-8 encodings
 * (the splitting follows the Rust regex-syntax crate's {@code Utf8Sequences}).
 */
final class Utf8 {
    private Utf8() {}

    static Expr encode(CharSet set) {
        List<List<Expr.Bytes>> alts = new ArrayList<>();
        int[] r = set.ranges();
        for (int i = 0; i < r.length; i += 2) {
            int lo = r[i], hi = r[i + 1];
            // surrogates have no UTF-8 encoding
            if (lo <= 0xDFFF && hi >= 0xD800) {
                if (lo < 0xD800) split(lo, 0xD7FF, alts);
                if (hi > 0xDFFF) split(0xE000, hi, alts);
            } else {
                split(lo, hi, alts);
            }
        }
        return shareTails(alts);
    }

    /**
     * The alternatives with common tails shared: sequences are grouped by their last byte set (the rest of
     * each group built the same way), and one-byte alternatives are merged into one set. With the NFA
     * leading every alternative straight to its end, E1-EC and EE-EF (both followed by two continuation
     * bytes) then end in one state, and a character class costs about one automaton state per UTF-8
     * position instead of one per byte-range sequence.
     */
    private static Expr shareTails(List<List<Expr.Bytes>> seqs) {
        long[] singles = new long[4];
        boolean empty = false;
        Map<Key, List<List<Expr.Bytes>>> byLast = new LinkedHashMap<>();
        for (List<Expr.Bytes> q : seqs) {
            if (q.isEmpty()) empty = true;
            else if (q.size() == 1) for (int w = 0; w < 4; w++) singles[w] |= q.getFirst().bits()[w];
            else byLast.computeIfAbsent(new Key(q.getLast().bits()), k -> new ArrayList<>()).add(q.subList(0, q.size() - 1));
        }
        List<Expr> out = new ArrayList<>();
        if ((singles[0] | singles[1] | singles[2] | singles[3]) != 0) out.add(new Expr.Bytes(singles));
        for (var e : byLast.entrySet()) out.add(Expr.seq(shareTails(e.getValue()), new Expr.Bytes(e.getKey().bits.clone())));
        if (empty) out.add(Expr.EMPTY);
        return Expr.alt(out);
    }

    private record Key(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }

    private static final int[] MAX_OF_LEN = {0x7F, 0x7FF, 0xFFFF, 0x10FFFF};

    private static void split(int lo, int hi, List<List<Expr.Bytes>> out) {
        for (int len = 0; len < 3; len++) {
            int m = MAX_OF_LEN[len];
            if (lo <= m && hi > m) {
                split(lo, m, out);
                split(m + 1, hi, out);
                return;
            }
        }
        if (hi <= 0x7F) {
            out.add(List.of(Expr.byteRange(lo, hi)));
            return;
        }
        int n = hi <= 0x7FF ? 2 : hi <= 0xFFFF ? 3 : 4;
        for (int i = 1; i < n; i++) {
            int mask = (1 << (6 * i)) - 1;
            if ((lo & ~mask) != (hi & ~mask)) {
                if ((lo & mask) != 0) {
                    split(lo, lo | mask, out);
                    split((lo | mask) + 1, hi, out);
                    return;
                }
                if ((hi & mask) != mask) {
                    split(lo, (hi & ~mask) - 1, out);
                    split(hi & ~mask, hi, out);
                    return;
                }
            }
        }
        byte[] a = bytes(lo, n), b = bytes(hi, n);
        List<Expr.Bytes> seq = new ArrayList<>(n);
        for (int i = 0; i < n; i++) seq.add(Expr.byteRange(a[i] & 0xFF, b[i] & 0xFF));
        out.add(seq);
    }

    private static byte[] bytes(int c, int n) {
        return switch (n) {
            case 2 -> new byte[] {(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)};
            case 3 -> new byte[] {(byte) (0xE0 | c >> 12), (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)};
            default -> new byte[] {(byte) (0xF0 | c >> 18), (byte) (0x80 | c >> 12 & 0x3F),
                    (byte) (0x80 | c >> 6 & 0x3F), (byte) (0x80 | c & 0x3F)};
        };
    }
}
