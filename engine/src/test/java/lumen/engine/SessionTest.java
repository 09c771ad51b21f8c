package lumen.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import lumen.api.Model;
import lumen.api.ModelOptions;
import lumen.api.Session;
import lumen.sampler.SamplingParams;
import org.junit.jupiter.api.Test;

class SessionTest {
    /** Streamed text is the decoded whole sequence minus the decoded prompt, also where SentencePiece adds a space prefix. */
    @Test
    void streamedTextContinuesThePrompt() {
        for (String stem : new String[] {"llama-t64-f32", "lumen-demo-q8_0", "qwen3-t64-q8_0"}) {
            try (Model model = Model.load(Fixtures.model(stem), new ModelOptions(2, 128, 512))) {
                int[] prompt = model.encode("Once upon a time", true);
                StringBuilder streamed = new StringBuilder();
                Session.Generation g = model.newSession().generate(prompt, 12, SamplingParams.greedy(), streamed::append);
                assertEquals(g.text(), streamed.toString());
                int[] all = IntStream.concat(Arrays.stream(prompt), Arrays.stream(g.tokens())).toArray();
                String whole = model.decode(all), head = model.decode(prompt);
                assertTrue(whole.startsWith(head), stem);
                assertEquals(whole.substring(head.length()), g.text(), stem);
            }
        }
    }

    /** Sessions of one model on several threads at once: each gets the logits it gets alone (forward passes take turns). */
    @Test
    void sessionsOnSeveralThreadsGetTheirOwnLogits() throws Exception {
        try (Model model = Model.load(Fixtures.model("llama-t64-q4_0"), new ModelOptions(2, 128, 512))) {
            int[][] prompts = new int[4][];
            float[][] alone = new float[4][];
            for (int i = 0; i < 4; i++) {
                prompts[i] = new int[20 + 7 * i];
                for (int t = 0; t < prompts[i].length; t++) prompts[i][t] = 1 + (t * 31 + i * 17) % 500;
                Session s = model.newSession();
                alone[i] = s.evaluate(prompts[i]);
                for (int t = 0; t < 8; t++) alone[i] = s.evaluate(new int[] {1 + (t * 13 + i) % 500});
            }
            float[][] together = new float[4][];
            Thread[] threads = new Thread[4];
            for (int i = 0; i < 4; i++) {
                int n = i;
                threads[i] = new Thread(() -> {
                    Session s = model.newSession();
                    float[] l = s.evaluate(prompts[n]);
                    for (int t = 0; t < 8; t++) l = s.evaluate(new int[] {1 + (t * 13 + n) % 500});
                    together[n] = l;
                });
                threads[i].start();
            }
            for (Thread t : threads) t.join();
            for (int i = 0; i < 4; i++) assertArrayEquals(alone[i], together[i], "session " + i);
        }
    }

    @Test
    void tokensOutsideTheVocabularyAreRejectedWithTheirPosition() {
        try (Model model = Model.load(Fixtures.model("llama-t64-q4_0"), new ModelOptions(1, 64, 512))) {
            var e = assertThrows(EngineException.class, () -> model.newSession().evaluate(new int[] {1, 512}));
            assertEquals("token #1 is 512, outside the vocabulary [0, 512)", e.getMessage());
        }
    }
}
