package lumen.sampler.process;

import java.util.Arrays;

/**
 * The tokens still in the running and their logits, sorted by logit (highest first, ties by lower id)
 * once a truncating step needs the order. Each step below narrows {@link #size}.
 */
public final class Candidates {
    final int[] ids;
    final float[] logits;
    int size;
    boolean sorted;

    /** All tokens whose logit is finite (a -inf logit is a masked token). */
    public Candidates(float[] logitsByToken) {
        ids = new int[logitsByToken.length];
        logits = new float[logitsByToken.length];
        for (int id = 0; id < logitsByToken.length; id++) {
            if (logitsByToken[id] == Float.NEGATIVE_INFINITY || Float.isNaN(logitsByToken[id])) continue;
            ids[size] = id;
            logits[size] = logitsByToken[id];
            size++;
        }
    }

    public int size() {
        return size;
    }

    void sort() {
        if (sorted) return;
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(ids[a], ids[b]));
        int[] newIds = new int[size];
        float[] newLogits = new float[size];
        for (int i = 0; i < size; i++) {
            newIds[i] = ids[order[i]];
            newLogits[i] = logits[order[i]];
        }
        System.arraycopy(newIds, 0, ids, 0, size);
        System.arraycopy(newLogits, 0, logits, 0, size);
        sorted = true;
    }

    /** Keeps the k highest. */
    public void topK(int k) {
        if (k <= 0 || k >= size) return;
        sort();
        size = k;
    }

    /** Divides logits by the temperature. */
    public void temperature(float t) {
        for (int i = 0; i < size; i++) logits[i] /= t;
    }

    /** Softmax probabilities of the candidates, in candidate order. */
    public double[] probabilities() {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) max = Math.max(max, logits[i]);
        double[] p = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < size; i++) p[i] /= sum;
        return p;
    }

    /** Keeps the smallest prefix (by probability) whose mass reaches p, and at least one token. */
    public void topP(float p) {
        if (p >= 1 || size <= 1) return;
        sort();
        double[] prob = probabilities();
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += prob[i];
            if (cumulative >= p) {
                size = i + 1;
                return;
            }
        }
    }

    /** Drops tokens whose probability is below minP times the most likely token's. */
    public void minP(float minP) {
        if (minP <= 0 || size <= 1) return;
        sort();
        double threshold = logits[0] + Math.log(minP);
        int keep = 1;
        while (keep < size && logits[keep] >= threshold) keep++;
        size = keep;
    }

    /** The highest-logit candidate (lowest id among ties). */
    public int argmax() {
        int best = -1;
        for (int i = 0; i < size; i++) {
            if (best < 0 || logits[i] > logits[best] || (logits[i] == logits[best] && ids[i] < ids[best])) best = i;
        }
        return ids[best];
    }

    /** Draws a candidate with probability softmax(logit), using a uniform number u in [0, 1). */
    public int draw(double u) {
        double[] p = probabilities();
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += p[i];
            if (u < cumulative) return ids[i];
        }
        return ids[size - 1];
    }
}
