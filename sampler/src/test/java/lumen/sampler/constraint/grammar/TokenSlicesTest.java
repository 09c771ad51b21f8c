package lumen.sampler.constraint.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import lumen.sampler.constraint.Matcher;
import lumen.sampler.constraint.TokenVocabulary;
import lumen.sampler.constraint.gbnf.Gbnf;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import lumen.sampler.constraint.regex.Regex;
import org.junit.jupiter.api.Test;

/**
 * The fast mask (plain-text slices added at once, the rest of the trie walked) equals the reference
 * mask (the whole trie walked) along random walks, on a vocabulary with plain-text tokens of every slice
 * length, quotes, escapes, multi-byte and split UTF-8 characters.
 */
class TokenSlicesTest {
    static final int EOS = 0;

    static TokenVocabulary vocab() {
        Random rnd = new Random(5);
        String[] pieces = {"a", "b", "n", "na", "name", "id", "e", "x", "1", "0", "-", " ", "é", "中", "😀", "\"", "\\", "\\n", "\\u00e9",
                ",", ":", "{", "}", "[", "]", "\":", "\",\"", "true", "null", "2024", "T", "Z", "@", ".", "\t"};
        List<byte[]> t = new ArrayList<>();
        t.add("<|end|>".getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < 256; b++) t.add(new byte[] {(byte) b});
        byte[] zh = "中".getBytes(StandardCharsets.UTF_8);
        t.add(new byte[] {zh[0], zh[1]});
        t.add(new byte[] {zh[1], zh[2], 'a'});
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(i % 3 == 0 ? 45 : 8); // every slice level: 1-10, 11-30, over 30 characters
            while (sb.codePointCount(0, sb.length()) < len) sb.append(pieces[rnd.nextInt(i % 2 == 0 ? 15 : pieces.length)]);
            t.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        BitSet eos = new BitSet();
        eos.set(EOS);
        return new TokenVocabulary(t.toArray(byte[][]::new), eos, (BitSet) eos.clone());
    }

    static List<Grammar> grammars() {
        JsonSchemaCompiler.Options lenient = JsonSchemaCompiler.Options.lenientCompact();
        return List.of(
                JsonSchemaCompiler.compile("""
                        {"type":"object","properties":{"name":{"type":"string"},"nab":{"type":"string","maxLength":12},
                         "id":{"type":"string","minLength":3,"maxLength":40},"e":{"type":"string","pattern":"^[a-z ]+$"},
                         "d":{"type":"string","format":"date"},"x":{"type":"integer"}},"required":["name"]}""", lenient),
                JsonSchemaCompiler.compile("""
                        {"type":"array","items":{"type":"object","additionalProperties":{"type":"string","maxLength":50}}}""", lenient),
                Gbnf.parse("root ::= \"\\\"\" char* \"\\\"\"\nchar ::= [^\"\\\\] | \"\\\\\" [nt\\\"]"),
                Grammar.of(Regex.compile("[^\"]{0,35}\"[a-z]{2,}")),
                // loops whose branches die at different depths (the proof's assumptions about loops are taken back on failure)
                Grammar.of(Regex.compile("(?:[^\"\\\\]{2})*x|(?:ab|[^a\"]{5})*(?:\"|1)")),
                Grammar.of(Regex.compile("(?:[a-z ]+\\d|[^\"]{0,12})*\"")));
    }

    @Test
    void fastMasksEqualFullTrieWalks() {
        TokenVocabulary v = vocab();
        Random rnd = new Random(9);
        int sliced = 0;
        for (Grammar g : grammars()) {
            GrammarConstraint fast = new GrammarConstraint(g.compile(), v, true);
            GrammarConstraint reference = new GrammarConstraint(g.compile(), v, false);
            for (int walk = 0; walk < 25; walk++) {
                Matcher mf = fast.start(), mr = reference.start();
                BitSet a = new BitSet(), b = new BitSet();
                StringBuilder out = new StringBuilder();
                for (int step = 0; step < 30; step++) {
                    mf.fillMask(a);
                    mr.fillMask(b);
                    assertEquals(b, a, "mask after " + out);
                    int[] ids = a.stream().filter(x -> x != EOS).toArray();
                    if (ids.length == 0) break;
                    // short tokens keep strings open longer, so long tokens are tried in many states
                    int id = ids[rnd.nextInt(ids.length)];
                    if (v.tokenBytes()[id].length > 4 && rnd.nextInt(3) > 0) id = ids[rnd.nextInt(ids.length)];
                    mf.accept(id);
                    mr.accept(id);
                    out.append(new String(v.tokenBytes()[id], StandardCharsets.UTF_8));
                }
            }
            ByteParser p = fast.parser();
            int s = p.step(p.initial(), "{\"name\":\"ab".getBytes(StandardCharsets.UTF_8));
            if (s >= 0) {
                synchronized (p) {
                    if (TokenSlices.level(p, s) == TokenSlices.levels() - 1) sliced++;
                }
            }
        }
        assertTrue(sliced >= 1, "the plain string state is proven to take every slice");
    }

    @Test
    void levelsFollowTheFramesBounds() {
        Grammar g = JsonSchemaCompiler.compile("""
                {"type":"object","properties":{"s":{"type":"string","maxLength":20},"t":{"type":"string","pattern":"^[0-9]+$"}}}""",
                JsonSchemaCompiler.Options.strictCompact());
        ByteParser p = g.compile();
        synchronized (p) {
            int inS = p.step(p.initial(), "{\"s\":\"".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, TokenSlices.level(p, inS), "20 characters left: only tokens of up to 10");
            int late = p.step(inS, "abcdefghijklmn".getBytes(StandardCharsets.UTF_8));
            assertEquals(-1, TokenSlices.level(p, late), "6 characters left: no slice");
            int inT = p.step(p.initial(), "{\"t\":\"".getBytes(StandardCharsets.UTF_8));
            assertEquals(-1, TokenSlices.level(p, inT), "digits only: no slice");
        }
    }
}
