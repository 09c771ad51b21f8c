package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lumen.tokenizer.load.Tokenizers;

/** The Tokenizer contract: special tokens, BOS/EOS, token bytes, streaming decode, end of generation, errors. */
class TokenizerApiTest {
    static Tokenizer gguf(String resource) throws Exception {
        return Tokenizers.fromGguf(GgufMeta.read(Path.of(TokenizerApiTest.class.getResource(resource).toURI())));
    }

    static final String LLAMA_SPM = "/llama.cpp-vocab/ggml-vocab-llama-spm.gguf.gz";
    static final String GPT2 = "/llama.cpp-vocab/ggml-vocab-gpt-2.gguf.gz";
    static final String DEMO = "/fixtures/lumen-demo-f32.tokenizer.gguf";
    static final String QWEN3_T64 = "/fixtures/qwen3-t64-f32.tokenizer.gguf";

    @Test
    void bosAndEosFollowTheModelSettings() throws Exception {
        Tokenizer t = gguf(LLAMA_SPM);
        assertEquals(1, t.bos());
        assertEquals(2, t.eos());
        int[] with = t.encode("Hello", true, false);
        int[] without = t.encode("Hello", false, false);
        assertEquals(1, with[0]);
        assertEquals(without.length + 1, with.length);
        assertArrayEquals(new int[] {1}, t.encode("", true, false)); // as llama.cpp: BOS alone
        assertArrayEquals(new int[0], t.encode("", false, false));
        // gpt-2 sets no add_bos_token and its pre-tokenizer implies none
        Tokenizer g = gguf(GPT2);
        assertArrayEquals(g.encode("Hello", false, false), g.encode("Hello", true, false));
    }

    @Test
    void specialTokenTextIsMatchedOnlyWhenAsked() throws Exception {
        Tokenizer t = gguf(QWEN3_T64);
        int imStart = indexOf(t, "<|im_start|>");
        assertTrue(imStart >= 0 && t.isSpecial(imStart));
        int[] parsed = t.encode("<|im_start|>user", false, true);
        assertEquals(imStart, parsed[0]);
        int[] plain = t.encode("<|im_start|>user", false, false);
        assertTrue(plain.length > parsed.length);
        for (int id : plain) assertFalse(id == imStart);
        assertEquals("<|im_start|>user", t.decode(plain, false));
    }

    @Test
    void decodeHidesControlTokensUnlessAsked() throws Exception {
        Tokenizer t = gguf(QWEN3_T64);
        int[] ids = t.encode("<|im_start|>hi<|im_end|>", false, true);
        assertEquals("<|im_start|>hi<|im_end|>", t.decode(ids, true));
        assertEquals("hi", t.decode(ids, false));
    }

    @Test
    void endOfGeneration() throws Exception {
        Tokenizer demo = gguf(DEMO);
        assertTrue(demo.isEndOfGeneration(demo.eos()));
        int imEnd = indexOf(demo, "<|im_end|>");
        assertTrue(demo.isEndOfGeneration(imEnd)); // tokenizer.ggml.eot_token_id
        assertFalse(demo.isEndOfGeneration(demo.bos()));
        assertFalse(demo.isEndOfGeneration(demo.encode("Hello", false, false)[0]));
        Tokenizer q = gguf(QWEN3_T64);
        assertTrue(q.isEndOfGeneration(indexOf(q, "<|im_end|>")));
        assertTrue(q.isEndOfGeneration(indexOf(q, "<|endoftext|>")));
    }

    @Test
    void tokenBytes() throws Exception {
        Tokenizer spm = gguf(LLAMA_SPM);
        assertArrayEquals(new byte[] {(byte) 0xF0}, spm.tokenBytes(indexOf(spm, "<0xF0>")));
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), spm.tokenBytes(indexOf(spm, "\u2581the")));
        assertEquals("\u2581the", spm.tokenText(indexOf(spm, "\u2581the")));
        Tokenizer g = gguf(GPT2);
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), g.tokenBytes(indexOf(g, "\u0120the")));
        assertArrayEquals(new byte[] {(byte) 0xE6}, g.tokenBytes(indexOf(g, String.valueOf(pretokenizeChar(0xE6)))));
        // decode is the concatenation of token bytes
        int[] ids = g.encode("naïve 日本 🦊", false, false);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int id : ids) all.writeBytes(g.tokenBytes(id));
        assertEquals("naïve 日本 🦊", all.toString(StandardCharsets.UTF_8));
    }

    private static char pretokenizeChar(int b) {
        return lumen.tokenizer.pretokenize.ByteLevel.charOf(b);
    }

    @Test
    void streamingHoldsBackSplitCharacters() throws Exception {
        Tokenizer spm = gguf(LLAMA_SPM);
        // 🦊 is not in the llama vocab: four byte tokens
        int[] ids = spm.encode("a🦊b", false, false);
        StreamDecoder sd = spm.streamDecoder(false);
        List<String> pieces = new ArrayList<>();
        for (int id : ids) pieces.add(sd.push(id));
        pieces.add(sd.flush());
        assertEquals("a🦊b", String.join("", pieces));
        for (String p : pieces) assertFalse(p.contains("\uFFFD"), "a piece holds half a character: " + pieces);
        assertTrue(pieces.contains("🦊"), pieces.toString());
        // an incomplete sequence at the end is flushed as U+FFFD
        StreamDecoder sd2 = spm.streamDecoder(false);
        assertEquals("", sd2.push(indexOf(spm, "<0xF0>")));
        assertEquals("", sd2.push(indexOf(spm, "<0x9F>")));
        assertEquals("\uFFFD", sd2.flush());
        // an invalid byte is not held back
        assertEquals("\uFFFD", spm.streamDecoder(false).push(indexOf(spm, "<0xFF>")));
    }

    @Test
    void utf8CompletePrefix() {
        byte[] fox = "a🦊".getBytes(StandardCharsets.UTF_8); // 61 F0 9F A6 8A
        for (int len = 2; len <= 4; len++) assertEquals(1, Utf8.completePrefix(fox, len), "len " + len);
        assertEquals(5, Utf8.completePrefix(fox, 5));
        assertEquals(1, Utf8.completePrefix(new byte[] {'a'}, 1));
        assertEquals(2, Utf8.completePrefix(new byte[] {'a', (byte) 0x80}, 2)); // stray continuation: emit (as U+FFFD)
        assertEquals(2, Utf8.completePrefix(new byte[] {(byte) 0xE0, (byte) 0x80}, 2)); // E0 80 can never complete
        assertEquals(0, Utf8.completePrefix(new byte[] {(byte) 0xE2, (byte) 0x82}, 2));
        assertEquals("\uFFFD", Utf8.sanitize("\uD800"));
        assertEquals("🦊", Utf8.sanitize("🦊"));
    }

    @Test
    void lossyDecodingReplacesMaximalSubparts() {
        // expected values: the WHATWG TextDecoder / Python / Rust from_utf8_lossy results for these bytes
        assertEquals("\uFFFDA", dec(0xF0, 0x9F, 0x41));
        assertEquals("\uFFFD", dec(0xE2, 0x82));
        assertEquals("\uFFFD\uFFFDA", dec(0xC0, 0x80, 0x41));
        assertEquals("\uFFFD\uFFFD\uFFFD", dec(0xED, 0xA0, 0x80));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", dec(0xF4, 0x90, 0x80, 0x80));
        assertEquals("\uFFFDA\uFFFD", dec(0xE2, 0x82, 0x41, 0x80));
        assertEquals("a🦊é€", dec(0x61, 0xF0, 0x9F, 0xA6, 0x8A, 0xC3, 0xA9, 0xE2, 0x82, 0xAC));
    }

    private static String dec(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        return Utf8.decode(b, 0, b.length);
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() throws Exception {
        Tokenizer t = gguf(DEMO);
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.decode(new int[] {t.vocabSize()}, false));
        assertTrue(e.getMessage().contains(String.valueOf(t.vocabSize())), e.getMessage());
    }

    @Test
    void badMetadataIsReportedByKey() throws Exception {
        Map<String, Object> md = new HashMap<>(GgufMeta.read(Path.of(getClass().getResource(GPT2).toURI())));
        Map<String, Object> noModel = new HashMap<>(md);
        noModel.remove("tokenizer.ggml.model");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(noModel)).getMessage().contains("tokenizer.ggml.model"));
        Map<String, Object> badPre = new HashMap<>(md);
        badPre.put("tokenizer.ggml.pre", "no-such-pre");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(badPre)).getMessage().contains("no-such-pre"));
        Map<String, Object> badModel = new HashMap<>(md);
        badModel.put("tokenizer.ggml.model", "rwkv");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(badModel)).getMessage().contains("rwkv"));
        Map<String, Object> badBos = new HashMap<>(md);
        badBos.put("tokenizer.ggml.bos_token_id", 1_000_000L);
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(badBos)).getMessage().contains("bos_token_id"));
        Map<String, Object> badTokens = new HashMap<>(md);
        badTokens.put("tokenizer.ggml.tokens", "not a list");
        assertTrue(assertThrows(TokenizerException.class, () -> Tokenizers.fromGguf(badTokens)).getMessage().contains("tokenizer.ggml.tokens"));
    }

    static int indexOf(Tokenizer t, String text) {
        for (int i = 0; i < t.vocabSize(); i++) if (t.tokenText(i).equals(text)) return i;
        throw new AssertionError("no token " + text);
    }
}
