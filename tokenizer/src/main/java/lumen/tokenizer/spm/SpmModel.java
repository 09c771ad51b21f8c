package lumen.tokenizer.spm;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

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

    private record Bigram(float score, int left, int right, int size) {}

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
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> {
            int c = Float.compare(b.score, a.score);
            return c != 0 ? c : Integer.compare(a.left, b.left);
        });
        for (int i = 1; i < count; i++) tryAdd(text, start, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            int l = bg.left, r = bg.right;
            if (len[l] == 0 || len[r] == 0 || len[l] + len[r] != bg.size) continue;
            len[l] += len[r];
            len[r] = 0;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            tryAdd(text, start, len, prev[l], l, queue);
            tryAdd(text, start, len, l, next[l], queue);
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

    private void tryAdd(String text, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left == -1 || right == -1) return;
        int size = len[left] + len[right];
        Integer id = ids.get(text.substring(start[left], start[left] + size));
        if (id == null) return;
        queue.add(new Bigram(scores[id], left, right, size));
    }
}
