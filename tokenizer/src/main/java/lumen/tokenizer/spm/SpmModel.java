package lumen.tokenizer.spm;

import java.util.HashMap;
import java.util.Map;

import lumen.tokenizer.IntList;

/**
 * SentencePiece BPE as llama.cpp runs it for {@code tokenizer.ggml.model = llama} ({@code llm_tokenizer_spm}):
 * start from the characters, repeatedly merge the adjacent pair whose concatenation is a vocabulary token with the
 * highest score (ties: leftmost), then emit each symbol's token, or its UTF-8 bytes as {@code <0xNN>} tokens when
 * the symbol is not in the vocabulary. Input is already escaped (spaces as U+2581).
 */
public final class SpmModel {
    private final Map<String, Integer> ids;
    private final float[] scores;
    private final int[] byteTokens = new int[256];
    private final int unk;

    public SpmModel(String[] vocab, float[] scores, int unk) {
        this.ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) ids.putIfAbsent(vocab[i], i);
        this.scores = scores;
        this.unk = unk;
        for (int b = 0; b < 256; b++) {
            Integer id = ids.get(String.format("<0x%02X>", b));
            if (id == null && b < 0x80) id = ids.get(String.valueOf((char) b));
            byteTokens[b] = id == null ? -1 : id;
        }
    }

    /**
     * A candidate merge as one long, smallest first: the score negated in an order-preserving int encoding (high
     * word), then the left symbol index (ties: leftmost). On pop the pair is the left symbol and its current right
     * neighbour; an entry whose pair no longer gives a token of that score is stale and dropped (llama.cpp compares
     * sizes instead; a pair that changed but still has the same score has its own, equal entry anyway).
     */
    private static long key(float score, int left) {
        int bits = Float.floatToIntBits(-score);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // monotone in the float value
        return ((long) ordered << 32) | left;
    }

    /** Appends the ids of text. */
    public void encode(String text, IntList out) {
        int n = text.length();
        if (n == 0) return;
        // symbols are code points: start offset and length in chars
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        int count = 0;
        for (int i = 0; i < n; ) {
            int l = Character.charCount(text.codePointAt(i));
            start[count] = i;
            len[count] = l;
            prev[count] = count - 1;
            i += l;
            next[count] = i == n ? -1 : count + 1;
            count++;
        }
        long[] heap = new long[Math.max(4, count)];
        int[] heapSize = {0};
        for (int i = 1; i < count; i++) heap = tryAdd(text, start, len, i - 1, i, heap, heapSize);
        while (heapSize[0] > 0) {
            long top = pop(heap, heapSize);
            int l = (int) top;
            int r = next[l];
            if (r < 0 || len[l] == 0 || len[r] == 0) continue;
            float score = scoreOf(top);
            String merged = text.substring(start[l], start[l] + len[l] + len[r]);
            Integer id = ids.get(merged);
            if (id == null || scores[id] != score) continue; // stale: the pair at l changed since it was pushed
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            heap = tryAdd(text, start, len, prev[l], l, heap, heapSize);
            heap = tryAdd(text, start, len, l, next[l], heap, heapSize);
        }
        for (int i = 0; i != -1; i = next[i]) {
            String piece = text.substring(start[i], start[i] + len[i]);
            Integer id = ids.get(piece);
            if (id != null) {
                out.add(id);
                continue;
            }
            for (byte b : lumen.tokenizer.Utf8.encode(piece)) {
                int t = byteTokens[b & 0xFF];
                out.add(t >= 0 ? t : unk);
            }
        }
    }

    private static float scoreOf(long key) {
        int ordered = (int) (key >>> 32);
        int bits = ordered ^ ((ordered >> 31) & 0x7FFFFFFF);
        return -Float.intBitsToFloat(bits);
    }

    private long[] tryAdd(String text, int[] start, int[] len, int left, int right, long[] heap, int[] heapSize) {
        if (left == -1 || right == -1) return heap;
        int size = len[left] + len[right];
        Integer id = ids.get(text.substring(start[left], start[left] + size));
        if (id == null) return heap;
        if (heapSize[0] == heap.length) heap = java.util.Arrays.copyOf(heap, heap.length * 2);
        long v = key(scores[id], left);
        int i = heapSize[0]++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heap[p] <= v) break;
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = v;
        return heap;
    }

    private static long pop(long[] heap, int[] heapSize) {
        long top = heap[0];
        int n = --heapSize[0];
        long v = heap[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && heap[c + 1] < heap[c]) c++;
            if (heap[c] >= v) break;
            heap[i] = heap[c];
            i = c;
        }
        if (n > 0) heap[i] = v;
        return top;
    }
}
