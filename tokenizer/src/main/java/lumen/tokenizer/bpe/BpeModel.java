package lumen.tokenizer.bpe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import lumen.tokenizer.IntList;
import lumen.tokenizer.Utf8;
import lumen.tokenizer.pretokenize.ByteLevel;

/**
 * Byte-pair encoding of one pre-tokenized piece: start from its characters, repeatedly merge the adjacent pair
 * with the lowest merge rank (ties: leftmost first, as llama.cpp's {@code llm_bigram_bpe} queue and HF's
 * {@code Word::merge_all}), then map the symbols to ids. Results per piece are cached.
 * <p>
 * Pieces are strings in the model's alphabet: GPT-2 byte-level characters for byte-level BPE (and tiktoken,
 * whose byte vocab is mapped into that alphabet), or raw text for SentencePiece-style BPE with byte fallback.
 */
public final class BpeModel {
    /** What happens to a final symbol that is not a vocabulary token. */
    public enum Fallback {
        /** Dropped (llama.cpp for byte-level vocabularies, where it cannot happen for valid files). */
        DROP,
        /** Its UTF-8 bytes as {@code <0xNN>} tokens (SentencePiece byte fallback). */
        BYTE_TOKENS
    }

    private static final int CACHE_LIMIT = 100_000;
    private static final int MAX_CACHED_LENGTH = 256;

    private final Map<String, Integer> ids;      // vocab strings, plus merge parts missing from the vocab
    private final List<String> extraTexts;       // texts of ids >= vocabSize
    private final int vocabSize;
    private final LongLongMap merges;            // (left << 32 | right) -> (rank << 32 | result)
    private final int[] bmpIds;                  // single-char token per BMP char, -1 if none
    private final boolean ignoreMerges;
    private final Fallback fallback;
    private final int[] byteTokens;              // <0xNN> ids, or -1
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    private final boolean byteLevelInput;        // pieces are raw text, mapped to the byte-level alphabet here

    private BpeModel(Map<String, Integer> ids, List<String> extraTexts, int vocabSize, LongLongMap merges,
                     boolean ignoreMerges, Fallback fallback, boolean byteLevelInput) {
        this.byteLevelInput = byteLevelInput;
        this.ids = ids;
        this.extraTexts = extraTexts;
        this.vocabSize = vocabSize;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        this.fallback = fallback;
        this.bmpIds = new int[65536];
        java.util.Arrays.fill(bmpIds, -1);
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            String s = e.getKey();
            if (s.length() == 1 && e.getValue() < vocabSize) bmpIds[s.charAt(0)] = e.getValue();
        }
        this.byteTokens = new int[256];
        for (int b = 0; b < 256; b++) byteTokens[b] = ids.getOrDefault(String.format("<0x%02X>", b), -1);
    }

    /**
     * A model from vocabulary strings (index = id) and merges as pairs of strings in rank order.
     * Merge parts or results missing from the vocabulary get private ids (as llama.cpp merges by string).
     */
    public static BpeModel fromMerges(String[] vocab, List<String[]> mergePairs, boolean ignoreMerges, Fallback fallback) {
        return fromMerges(vocab, mergePairs, ignoreMerges, fallback, false);
    }

    /**
     * As {@link #fromMerges(String[], List, boolean, Fallback)}; with byteLevelInput the pieces given to
     * {@link #encode} are raw text and are mapped to GPT-2's byte-level alphabet here (so that the cache is keyed
     * by the raw piece and a cache hit costs no mapping).
     */
    public static BpeModel fromMerges(String[] vocab, List<String[]> mergePairs, boolean ignoreMerges, Fallback fallback,
                                      boolean byteLevelInput) {
        Map<String, Integer> ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) ids.putIfAbsent(vocab[i], i);
        List<String> extra = new ArrayList<>();
        LongLongMap merges = new LongLongMap(mergePairs.size());
        int rank = 0;
        for (String[] m : mergePairs) {
            int a = idOf(ids, extra, vocab.length, m[0]);
            int b = idOf(ids, extra, vocab.length, m[1]);
            int r = idOf(ids, extra, vocab.length, m[0] + m[1]);
            merges.putIfAbsent(pairKey(a, b), ((long) rank << 32) | (r & 0xFFFFFFFFL));
            rank++;
        }
        return new BpeModel(ids, extra, vocab.length, merges, ignoreMerges, fallback, byteLevelInput);
    }

    /**
     * A tiktoken-style model: no merge list; merging a and b is allowed when a+b is a token, and its rank is
     * that token's id. The pairs are derived once from every two-part split of every token.
     */
    public static BpeModel fromRanks(String[] vocab, boolean byteLevelInput) {
        Map<String, Integer> ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) ids.putIfAbsent(vocab[i], i);
        LongLongMap merges = new LongLongMap(vocab.length * 4);
        for (int t = 0; t < vocab.length; t++) {
            String s = vocab[t];
            for (int k = 1; k < s.length(); k++) {
                Integer a = ids.get(s.substring(0, k));
                if (a == null) continue;
                Integer b = ids.get(s.substring(k));
                if (b == null) continue;
                merges.putIfAbsent(pairKey(a, b), ((long) t << 32) | t);
            }
        }
        return new BpeModel(ids, new ArrayList<>(), vocab.length, merges, true, Fallback.DROP, byteLevelInput);
    }

    private static int idOf(Map<String, Integer> ids, List<String> extra, int vocabSize, String s) {
        Integer id = ids.get(s);
        if (id != null) return id;
        int nid = vocabSize + extra.size();
        extra.add(s);
        ids.put(s, nid);
        return nid;
    }

    private static long pairKey(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** Number of merge rules. */
    public int mergeCount() {
        return merges.size();
    }

    /** Appends the ids of one piece. */
    public void encode(String piece, IntList out) {
        if (piece.isEmpty()) return;
        boolean cacheable = piece.length() <= MAX_CACHED_LENGTH;
        if (cacheable) {
            int[] hit = cache.get(piece);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        String word = byteLevelInput ? ByteLevel.map(piece) : piece;
        int[] ids;
        Integer whole = ignoreMerges ? this.ids.get(word) : null;
        if (whole != null && whole < vocabSize) {
            ids = new int[] {whole};
        } else {
            IntList tmp = new IntList(8);
            merge(word, tmp);
            ids = tmp.toArray();
        }
        if (cacheable) {
            if (cache.size() > CACHE_LIMIT) cache.clear();
            cache.put(piece, ids);
        }
        out.addAll(ids);
    }

    private void merge(String piece, IntList out) {
        int n = piece.length();
        int[] sym = new int[n + 4];
        int[] start = new int[n + 4];
        int count = 0;
        for (int i = 0; i < n; ) {
            int cp = piece.codePointAt(i);
            int len = Character.charCount(cp);
            int id;
            if (len == 1) {
                id = bmpIds[cp];
            } else {
                Integer v = ids.get(piece.substring(i, i + len));
                id = v == null ? -1 : v;
            }
            byte[] bs = id < 0 && fallback == Fallback.BYTE_TOKENS ? Utf8.encode(piece.substring(i, i + len)) : null;
            int need = count + (bs == null ? 1 : bs.length);
            if (need > sym.length) {
                sym = java.util.Arrays.copyOf(sym, need + n);
                start = java.util.Arrays.copyOf(start, need + n);
            }
            if (bs != null) {
                // HF: a character missing from the vocab enters the word as its byte tokens.
                for (byte b : bs) { sym[count] = byteTokens[b & 0xFF]; start[count++] = i; }
            } else {
                sym[count] = id;
                start[count++] = i;
            }
            i += len;
        }
        int[] next = new int[count];
        int[] prev = new int[count];
        for (int i = 0; i < count; i++) { next[i] = i + 1 < count ? i + 1 : -1; prev[i] = i - 1; }
        LongHeap heap = new LongHeap(count);
        for (int i = 0; i + 1 < count; i++) push(heap, sym, i, i + 1);
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            if (sym[left] < 0) continue; // merged away (-2) or not a token (-1)
            int right = next[left];
            if (right < 0 || sym[right] < 0) continue;
            long m = merges.get(pairKey(sym[left], sym[right]), -1);
            if (m == -1 || (int) (m >>> 32) != rank) continue; // stale entry
            sym[left] = (int) m;
            sym[right] = -2;
            int rn = next[right];
            next[left] = rn;
            if (rn >= 0) prev[rn] = left;
            if (prev[left] >= 0) push(heap, sym, prev[left], left);
            if (rn >= 0) push(heap, sym, left, rn);
        }
        for (int i = 0; i >= 0 && count > 0; i = next[i]) {
            int id = sym[i];
            if (id >= 0 && id < vocabSize) {
                out.add(id);
            } else {
                emitFallback(piece, i, next[i] >= 0 ? start[next[i]] : n, id, start[i], out);
            }
        }
    }

    private void emitFallback(String piece, int idx, int end, int id, int begin, IntList out) {
        if (fallback != Fallback.BYTE_TOKENS) return;
        String text = id >= vocabSize ? extraTexts.get(id - vocabSize) : piece.substring(begin, end);
        for (byte b : Utf8.encode(text)) {
            int t = byteTokens[b & 0xFF];
            if (t >= 0) out.add(t);
        }
    }

    private void push(LongHeap heap, int[] sym, int left, int right) {
        if (sym[left] < 0 || sym[right] < 0) return;
        long m = merges.get(pairKey(sym[left], sym[right]), -1);
        if (m == -1) return;
        heap.push((m & 0xFFFFFFFF00000000L) | left);
    }

    /** Min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int n;

        LongHeap(int cap) { a = new long[Math.max(4, cap)]; }

        boolean isEmpty() { return n == 0; }

        void push(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            int i = n++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) break;
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long v = a[--n];
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && a[c + 1] < a[c]) c++;
                if (a[c] >= v) break;
                a[i] = a[c];
                i = c;
            }
            if (n > 0) a[i] = v;
            return top;
        }
    }
}
