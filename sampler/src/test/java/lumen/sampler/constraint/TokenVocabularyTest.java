package lumen.sampler.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import lumen.tokenizer.StreamDecoder;
import lumen.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

class TokenVocabularyTest {
    /** A three-token tokenizer: "a", "bc", and an end-of-turn special token. */
    static final class Tiny implements Tokenizer {
        final String[] t = {"a", "bc", "<|end|>"};

        public int[] encode(String text, boolean addSpecial, boolean parseSpecial) { throw new UnsupportedOperationException(); }
        public String decode(int[] ids, boolean showSpecial) { throw new UnsupportedOperationException(); }
        public StreamDecoder streamDecoder(boolean showSpecial) { throw new UnsupportedOperationException(); }
        public byte[] tokenBytes(int id) { return t[id].getBytes(StandardCharsets.UTF_8); }
        public String tokenText(int id) { return t[id]; }
        public int vocabSize() { return t.length; }
        public int bos() { return -1; }
        public int eos() { return 2; }
        public boolean isEndOfGeneration(int id) { return id == 2; }
        public boolean isSpecial(int id) { return id == 2; }
    }

    @Test
    void fromTokenizer() {
        TokenVocabulary v = TokenVocabulary.of(new Tiny());
        assertEquals(3, v.size());
        assertArrayEquals("bc".getBytes(StandardCharsets.UTF_8), v.tokenBytes()[1]);
        BitSet two = new BitSet();
        two.set(2);
        assertEquals(two, v.endOfGeneration());
        assertEquals(two, v.special());
        Matcher m = Constraints.regex("(a|bc)+", v).start();
        BitSet mask = new BitSet();
        m.fillMask(mask);
        assertEquals(BitSet.valueOf(new long[] {0b011}), mask);
        m.accept(1);
        m.fillMask(mask);
        assertEquals(BitSet.valueOf(new long[] {0b111}), mask);
    }

    @Test
    void endOfGenerationOutsideVocabularyIsAnError() {
        BitSet eog = new BitSet();
        eog.set(5);
        assertThrows(ConstraintException.class, () -> new TokenVocabulary(new byte[2][], eog, new BitSet()));
    }
}
