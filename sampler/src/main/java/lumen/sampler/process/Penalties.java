package lumen.sampler.process;

import java.util.HashMap;
import java.util.Map;

/** Repetition, presence and frequency penalties over the most recent tokens (llama.cpp's penalties sampler). */
public final class Penalties {
    private Penalties() {
    }

    /**
     * Applies the penalties in place. Repetition divides positive logits and multiplies negative ones
     * (CTRL paper, as llama.cpp does); presence and frequency subtract as the OpenAI API defines them.
     */
    public static void apply(float[] logits, int[] recent, int count, float repeat, float presence, float frequency) {
        if (count == 0 || (repeat == 1 && presence == 0 && frequency == 0)) return;
        Map<Integer, Integer> occurrences = new HashMap<>();
        for (int i = 0; i < count; i++) occurrences.merge(recent[i], 1, Integer::sum);
        for (var e : occurrences.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id >= logits.length) continue;
            float l = logits[id];
            if (repeat != 1) l = l > 0 ? l / repeat : l * repeat;
            l -= e.getValue() * frequency + presence;
            logits[id] = l;
        }
    }
}
