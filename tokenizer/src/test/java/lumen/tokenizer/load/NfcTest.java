package lumen.tokenizer.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The stretch-wise NFC equals java.text.Normalizer's on random text rich in combining marks, Hangul and CJK. */
class NfcTest {
    @Test
    void sameAsFullNormalization() {
        String[] alphabet = {"a", "e", "o", "A", " ", "\n", "1", "\u0301", "\u0308", "\u0327", "\u0323", "\u0302", "\u0338", "=", "<",
                "é", "\u1100", "\u1161", "\u11A8", "한", "日", "\uFA10", "\u2126", "\u212B", "\u0958", "\u0915", "\u093C", "ﬁ", "🦊", "\u1E9B", "\u0345"};
        Random r = new Random(3);
        for (int iter = 0; iter < 20000; iter++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--) sb.append(alphabet[r.nextInt(alphabet.length)]);
            String s = sb.toString();
            assertEquals(Normalizer.normalize(s, Normalizer.Form.NFC), HfTokenizers.nfc(s), s);
        }
    }
}
