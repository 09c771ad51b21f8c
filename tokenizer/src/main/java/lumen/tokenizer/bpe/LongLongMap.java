package lumen.tokenizer.bpe;

import java.util.Arrays;

/** Open-addressing map from long to long (no boxing); keys must not be {@code Long.MIN_VALUE}. Read-only after building. */
final class LongLongMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private long[] values;
    private int size;
    private int mask;

    LongLongMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Stores v under k unless k is present already (the first entry wins, like a rank table). */
    void putIfAbsent(long k, long v) {
        if ((size + 1) * 2 > keys.length) grow();
        int i = hash(k) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == k) return;
            i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = v;
        size++;
    }

    /** The value of k, or def. */
    long get(long k, long def) {
        int i = hash(k) & mask;
        long key;
        while ((key = keys[i]) != EMPTY) {
            if (key == k) return values[i];
            i = (i + 1) & mask;
        }
        return def;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] ok = keys, ov = values;
        keys = new long[ok.length * 2];
        values = new long[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) if (ok[i] != EMPTY) putIfAbsent(ok[i], ov[i]);
    }
}
