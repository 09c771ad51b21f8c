package lumen.sampler.constraint.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges. */
public final class CharSet {
    public static final int MAX = 0x10FFFF;
    public static final CharSet EMPTY = new CharSet(new int[0]);
    /** Every scalar value (no surrogates). */
    public static final CharSet ANY = new CharSet(new int[] {0, 0xD7FF, 0xE000, MAX});

    private final int[] ranges; // lo0, hi0, lo1, hi1, ...

    private CharSet(int[] ranges) {
        this.ranges = ranges;
    }

    public static CharSet of(int lo, int hi) {
        return new Builder().add(lo, hi).build();
    }

    public static CharSet of(int c) {
        return of(c, c);
    }

    public static CharSet ofChars(String chars) {
        Builder b = new Builder();
        chars.codePoints().forEach(c -> b.add(c, c));
        return b.build();
    }

    public int[] ranges() {
        return ranges.clone();
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    public boolean contains(int c) {
        for (int i = 0; i < ranges.length; i += 2) if (c >= ranges[i] && c <= ranges[i + 1]) return true;
        return false;
    }

    public CharSet union(CharSet o) {
        Builder b = new Builder();
        b.addAll(this);
        b.addAll(o);
        return b.build();
    }

    /** All scalar values not in this set. */
    public CharSet negate() {
        return ANY.minus(this);
    }

    public CharSet minus(CharSet o) {
        return intersect(o.complementRaw());
    }

    public CharSet intersect(CharSet o) {
        Builder b = new Builder();
        for (int i = 0; i < ranges.length; i += 2) {
            for (int j = 0; j < o.ranges.length; j += 2) {
                int lo = Math.max(ranges[i], o.ranges[j]), hi = Math.min(ranges[i + 1], o.ranges[j + 1]);
                if (lo <= hi) b.add(lo, hi);
            }
        }
        return b.build();
    }

    private CharSet complementRaw() {
        Builder b = new Builder();
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) b.add(next, ranges[i] - 1);
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX) b.add(next, MAX);
        return b.build();
    }

    /** Adds the other case of ASCII and basic Latin/Greek/Cyrillic letters (Character.toUpperCase/toLowerCase). */
    public CharSet caseInsensitive() {
        Builder b = new Builder();
        b.addAll(this);
        for (int i = 0; i < ranges.length; i += 2) {
            int hi = Math.min(ranges[i + 1], 0x2FFF);
            for (int c = ranges[i]; c <= hi; c++) {
                int u = Character.toUpperCase(c), l = Character.toLowerCase(c);
                b.add(u, u);
                b.add(l, l);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharSet c && Arrays.equals(ranges, c.ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2) {
            sb.append(String.format("%X", ranges[i]));
            if (ranges[i + 1] != ranges[i]) sb.append('-').append(String.format("%X", ranges[i + 1]));
            if (i + 2 < ranges.length) sb.append(' ');
        }
        return sb.append(']').toString();
    }

    /** Collects ranges in any order. */
    public static final class Builder {
        private final List<int[]> list = new ArrayList<>();

        public Builder add(int lo, int hi) {
            if (lo > hi) throw new IllegalArgumentException("range " + lo + ".." + hi);
            list.add(new int[] {lo, hi});
            return this;
        }

        public Builder addAll(CharSet s) {
            for (int i = 0; i < s.ranges.length; i += 2) add(s.ranges[i], s.ranges[i + 1]);
            return this;
        }

        public CharSet build() {
            list.sort((a, b) -> Integer.compare(a[0], b[0]));
            int[] out = new int[list.size() * 2];
            int n = 0;
            for (int[] r : list) {
                if (n > 0 && r[0] <= out[n - 1] + 1) {
                    out[n - 1] = Math.max(out[n - 1], r[1]);
                } else {
                    out[n++] = r[0];
                    out[n++] = r[1];
                }
            }
            return new CharSet(Arrays.copyOf(out, n));
        }
    }
}
