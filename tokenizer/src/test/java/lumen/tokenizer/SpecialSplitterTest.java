package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The trie-based splitter grants the same occurrences as the literal llama.cpp algorithm, on random cases. */
class SpecialSplitterTest {
    @Test
    void sameAsLiteralAlgorithm() {
        Random r = new Random(11);
        String alphabet = "ab<>| \n";
        for (int iter = 0; iter < 3000; iter++) {
            List<SpecialSplitter.Special> sp = new ArrayList<>();
            int count = 1 + r.nextInt(6);
            for (int k = 0; k < count; k++) {
                String t = random(r, alphabet, 1 + r.nextInt(4));
                sp.add(new SpecialSplitter.Special(100 + k, t, r.nextBoolean(), r.nextInt(4) == 0, r.nextInt(4) == 0));
            }
            SpecialSplitter fast = new SpecialSplitter(sp);
            ReferenceSpecialSplitter ref = new ReferenceSpecialSplitter(sp);
            String text = random(r, alphabet, r.nextInt(30));
            for (boolean parse : new boolean[] {false, true}) {
                assertEquals(ref.split(text, parse), fast.split(text, parse), () -> sp + " on '" + text + "'");
            }
        }
    }

    private static String random(Random r, String alphabet, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }
}
