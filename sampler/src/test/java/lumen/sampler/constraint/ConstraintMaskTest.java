package lumen.sampler.constraint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.grammar.GrammarConstraint;
import lumen.sampler.constraint.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Masks from the token trie compared with a brute-force check of every token, on a toy vocabulary
 * with multi-byte tokens, tokens that span several JSON tokens ({@code "},{"}), UTF-8 characters split
 * across tokens, an end-of-generation token and a special token.
 */
class ConstraintMaskTest {
    static final int EOS = 0, SPECIAL = 1;

    static TokenVocabulary toyVocab() {
        List<byte[]> t = new ArrayList<>();
        t.add("<|im_end|>".getBytes(StandardCharsets.UTF_8));
        t.add("<tool_call>".getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < 256; b++) t.add(new byte[] {(byte) b});
        byte[] zh = "中".getBytes(StandardCharsets.UTF_8);
        t.add(new byte[] {zh[0], zh[1]}); // a partial character
        for (String s : List.of("{\"", "\":", "\",\"", "},{", "\"}", "\"}}", "true", "false", "null", "12", "3.", "e+", "é", "中文",
                "name", "\"name\":\"", " ", "\n", "abc", "yes", "no", "maybe", "[{", "}]", "\":[", "\"age\":", "00", "-1", "\\n", "\\u00"))
            t.add(s.getBytes(StandardCharsets.UTF_8));
        BitSet eos = new BitSet();
        eos.set(EOS);
        BitSet special = new BitSet();
        special.set(EOS);
        special.set(SPECIAL);
        return new TokenVocabulary(t.toArray(byte[][]::new), eos, special);
    }

    static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string","maxLength":8},"age":{"type":"integer","minimum":0,"maximum":120},
             "tags":{"type":"array","items":{"enum":["a","中文"]},"maxItems":3}},"required":["name"],"additionalProperties":false}""";

    static List<Constraint> constraints(TokenVocabulary v) {
        return List.of(Constraints.jsonSchema(SCHEMA, true, v), Constraints.jsonObject(v), Constraints.regex("(yes|no)+[0-9]{0,3}", v),
                Constraints.choice(List.of("yes", "no", "maybe"), v), Constraints.gbnf(GrammarFrontEndTest.JSON_GBNF, v),
                Constraints.lark("start: \"x\" INT\nINT: /[0-9]+/", v));
    }

    @Test
    void trieMaskEqualsBruteForceAlongRandomWalks() {
        TokenVocabulary v = toyVocab();
        Random rnd = new Random(7);
        for (Constraint c : constraints(v)) {
            ByteParser p = ((GrammarConstraint) c).parser();
            for (int walk = 0; walk < 20; walk++) {
                Matcher m = c.start();
                int state = p.initial();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BitSet mask = new BitSet();
                for (int step = 0; step < 40; step++) {
                    m.fillMask(mask);
                    BitSet expected = new BitSet();
                    for (int id = 0; id < v.size(); id++) {
                        if (v.special().get(id)) continue;
                        if (p.step(state, v.tokenBytes()[id]) != ByteParser.DEAD) expected.set(id);
                    }
                    if (p.isComplete(state)) expected.set(EOS);
                    assertEquals(expected, mask, "mask after " + out.toString(StandardCharsets.UTF_8));
                    assertFalse(mask.get(SPECIAL));
                    assertEquals(m.isComplete(), mask.get(EOS));
                    if (mask.isEmpty()) break;
                    // prefer finishing once long enough
                    int id;
                    if (mask.get(EOS) && (step > 25 || rnd.nextInt(4) == 0)) id = EOS;
                    else {
                        int[] ids = mask.stream().filter(x -> x != EOS).toArray();
                        if (ids.length == 0) id = EOS;
                        else id = ids[rnd.nextInt(ids.length)];
                    }
                    m.accept(id);
                    if (id == EOS) {
                        assertTrue(m.isFinished());
                        break;
                    }
                    state = p.step(state, v.tokenBytes()[id]);
                    out.writeBytes(v.tokenBytes()[id]);
                }
            }
        }
    }

    @Test
    void completedJsonOutputsParse() {
        TokenVocabulary v = toyVocab();
        Random rnd = new Random(11);
        Constraint c = Constraints.jsonSchema(SCHEMA, true, v);
        int finished = 0;
        for (int walk = 0; walk < 200; walk++) {
            Matcher m = c.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitSet mask = new BitSet();
            for (int step = 0; step < 80; step++) {
                m.fillMask(mask);
                if (mask.get(EOS)) {
                    m.accept(EOS);
                    break;
                }
                int[] ids = mask.stream().toArray();
                int id = ids[rnd.nextInt(ids.length)];
                m.accept(id);
                out.writeBytes(v.tokenBytes()[id]);
            }
            if (!m.isFinished()) continue;
            finished++;
            Object doc = Json.parse(out.toString(StandardCharsets.UTF_8));
            java.util.Map<?, ?> obj = (java.util.Map<?, ?>) doc;
            assertTrue(obj.containsKey("name"), out.toString(StandardCharsets.UTF_8));
            String name = (String) obj.get("name");
            assertTrue(name.codePointCount(0, name.length()) <= 8, name);
            if (obj.get("age") instanceof Json.Num n) assertTrue(n.value().intValueExact() >= 0 && n.value().intValueExact() <= 120);
        }
        assertTrue(finished > 50, "finished " + finished);
    }

    @Test
    void acceptRejectsWhatTheMaskForbids() {
        TokenVocabulary v = toyVocab();
        Matcher m = Constraints.choice(List.of("yes", "no"), v).start();
        int yes = indexOf(v, "yes");
        assertThrows(ConstraintException.class, () -> m.accept(EOS));
        assertThrows(ConstraintException.class, () -> m.accept(SPECIAL));
        assertThrows(ConstraintException.class, () -> m.accept(indexOf(v, "abc")));
        m.accept(yes);
        assertTrue(m.isComplete());
        assertTrue(m.isFinished());
        BitSet mask = new BitSet();
        m.fillMask(mask);
        assertEquals(BitSet.valueOf(new long[] {1L << EOS}), mask);
        m.accept(EOS);
        assertThrows(ConstraintException.class, () -> m.accept(yes));
    }

    @Test
    void splitUtf8CharacterIsFollowedOnlyByItsContinuation() {
        TokenVocabulary v = toyVocab();
        Matcher m = Constraints.regex("中+", v).start();
        int partial = 258;
        m.accept(partial);
        BitSet mask = new BitSet();
        m.fillMask(mask);
        byte last = "中".getBytes(StandardCharsets.UTF_8)[2];
        BitSet expected = new BitSet();
        expected.set(2 + (last & 0xFF));
        assertEquals(expected, mask);
    }

    static int indexOf(TokenVocabulary v, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < v.size(); i++) if (java.util.Arrays.equals(v.tokenBytes()[i], b)) return i;
        throw new IllegalArgumentException(s);
    }
}
