package lumen.sampler.constraint;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.grammar.Grammar;

/** Test helpers: feed text byte by byte through a compiled grammar; a vocabulary of single bytes. */
final class Bytes {
    private Bytes() {}

    static boolean matches(ByteParser p, String text) {
        int s = p.step(p.initial(), text.getBytes(StandardCharsets.UTF_8));
        return p.isComplete(s);
    }

    static boolean matches(Grammar g, String text) {
        return matches(g.compile(), text);
    }

    /** True if {@code text} is a prefix of some sentence. */
    static boolean prefix(ByteParser p, String text) {
        return p.step(p.initial(), text.getBytes(StandardCharsets.UTF_8)) != ByteParser.DEAD;
    }

    /** 256 one-byte tokens (id = byte value) and an end-of-generation token 256. */
    static TokenVocabulary byteVocab() {
        byte[][] t = new byte[257][];
        for (int i = 0; i < 256; i++) t[i] = new byte[] {(byte) i};
        t[256] = "</s>".getBytes(StandardCharsets.UTF_8);
        BitSet eos = new BitSet();
        eos.set(256);
        BitSet special = new BitSet();
        special.set(256);
        return new TokenVocabulary(t, eos, special);
    }
}
