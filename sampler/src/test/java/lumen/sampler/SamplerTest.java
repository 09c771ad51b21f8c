package lumen.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {
    static final float[] LOGITS = {1.0f, 3.0f, 3.0f, 2.0f, -1.0f};

    @Test
    void greedyPicksTheLargestLogitAndTheLowestIdOnTies() {
        assertEquals(1, new Sampler(SamplingParams.greedy()).sample(LOGITS, null));
    }

    @Test
    void maskRestrictsTheChoice() {
        BitSet allowed = new BitSet();
        allowed.set(0);
        allowed.set(4);
        assertEquals(0, new Sampler(SamplingParams.greedy()).sample(LOGITS, allowed));
        assertThrows(IllegalStateException.class, () -> new Sampler(SamplingParams.greedy()).sample(LOGITS, new BitSet()));
    }

    @Test
    void logitBiasIsAddedBeforeChoosing() {
        var p = new SamplingParams(0, 0, 1, 0, 1, 0, 0, 64, 0, Map.of(4, 10f));
        assertEquals(4, new Sampler(p).sample(LOGITS, null));
    }

    @Test
    void topKOneIsGreedyAtAnyTemperature() {
        var p = SamplingParams.defaults(7).withTopK(1).withTemperature(5);
        for (int i = 0; i < 20; i++) assertEquals(1, new Sampler(p.withSeed(i)).sample(LOGITS, null));
    }

    @Test
    void sameSeedSameTokensAndTheDrawFollowsTheSoftmax() {
        var p = new SamplingParams(1, 0, 1, 0, 1, 0, 0, 64, 42, Map.of());
        Sampler a = new Sampler(p), b = new Sampler(p);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < 20000; i++) {
            int x = a.sample(LOGITS, null);
            assertEquals(x, b.sample(LOGITS, null));
            counts[x]++;
        }
        // softmax([1,3,3,2,-1]) = [0.0537, 0.3966, 0.3966, 0.1459, 0.0073]
        assertEquals(0.3966, counts[1] / 20000.0, 0.015);
        assertEquals(0.1459, counts[3] / 20000.0, 0.01);
        assertEquals(0.0073, counts[4] / 20000.0, 0.003);
    }

    @Test
    void topPKeepsTheSmallestSetReachingTheMass() {
        // With top-p 0.75 only ids 1 and 2 (0.79 together) remain.
        var p = new SamplingParams(1, 0, 0.75f, 0, 1, 0, 0, 64, 3, Map.of());
        Sampler s = new Sampler(p);
        for (int i = 0; i < 2000; i++) {
            int x = s.sample(LOGITS, null);
            assertTrue(x == 1 || x == 2, "drew " + x);
        }
    }

    @Test
    void minPDropsUnlikelyTokens() {
        // min-p 0.3: p(3)/p(1) = e^-1 = 0.37 stays, p(0)/p(1) = e^-2 = 0.14 goes.
        var p = new SamplingParams(1, 0, 1, 0.3f, 1, 0, 0, 64, 5, Map.of());
        Sampler s = new Sampler(p);
        for (int i = 0; i < 2000; i++) assertNotEquals(0, s.sample(LOGITS, null));
    }

    @Test
    void penaltiesLowerRecentTokens() {
        var p = new SamplingParams(0, 0, 1, 0, 1, 0.5f, 1.0f, 64, 0, Map.of());
        Sampler s = new Sampler(p);
        s.accept(1);
        s.accept(1);
        // id 1: 3 - 2*1.0 - 0.5 = 0.5; id 2 stays 3.
        assertEquals(2, s.sample(LOGITS, null));
        var repeat = new SamplingParams(0, 0, 1, 0, 2f, 0, 0, 64, 0, Map.of());
        Sampler r = new Sampler(repeat);
        r.accept(1);
        r.accept(2);
        // 3/2 = 1.5 for ids 1 and 2; id 3 keeps 2.
        assertEquals(3, r.sample(LOGITS, null));
    }
}
