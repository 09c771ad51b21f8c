package lumen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lumen.tokenizer.load.Tokenizers;

/**
 * Hugging Face tokenizer.json files (Qwen3, Llama 3, DeepSeek-V3, gpt-oss, Gemma 3) against ids produced once by
 * the oracle {@code shared/oracles} (@lenml/tokenizers 3.7.2, the transformers.js tokenizers) on
 * {@code hf/corpus.json}: multilingual text, emoji with ZWJ, code, digit and whitespace runs, contractions,
 * special-token text inside user text, lone surrogates. The oracle encodes with add_special_tokens=false and
 * always splits added tokens, i.e. encode(text, false, true) here. The corpus avoids U+0085 (NEL): JavaScript's
 * {@code \s} does not include it, while Rust's regex, Oniguruma and llama.cpp (and Lumen) treat it as whitespace.
 */
class HfTokenizerJsonTest {
    /**
     * A small SentencePiece-style tokenizer.json (Digits + Metaspace pre-tokenizers with prepend_scheme "first",
     * BPE with byte fallback, Llama-2's decoder sequence with Strip, a TemplateProcessing BOS), trained on a few
     * sentences so that every stage matters; ids and decodes from the same oracle.
     */
    @org.junit.jupiter.api.Test
    void metaspaceTokenizerMatchesOracle() throws Exception {
        Tokenizer tok = Tokenizers.fromTokenizerJson(Path.of(getClass().getResource("/hf/metaspace/tokenizer.json").toURI()));
        ObjectMapper om = new ObjectMapper();
        JsonNode corpus = om.readTree(getClass().getResource("/hf/metaspace/corpus.json"));
        JsonNode expected = om.readTree(getClass().getResource("/hf/metaspace/expected.json"));
        for (int i = 0; i < corpus.size(); i++) {
            String text = corpus.get(i).asText();
            JsonNode e = expected.get("ids").get(i);
            int[] want = new int[e.size()];
            for (int k = 0; k < want.length; k++) want[k] = e.get(k).asInt();
            int[] got = tok.encode(text, false, true);
            assertEquals(Arrays.toString(want), Arrays.toString(got), text);
            assertEquals(expected.get("decoded").get(i).asText(), tok.decode(got, true), text);
        }
        int[] withBos = tok.encode("Hello world", true, true);
        assertEquals(1, withBos[0]); // TemplateProcessing: <s> first
        assertEquals(tok.encode("Hello world", false, true).length + 1, withBos.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "llama3", "deepseek_v3", "gptoss", "gemma3"})
    void matchesOracle(String name) throws Exception {
        Tokenizer tok = Tokenizers.fromTokenizerJson(Path.of(getClass().getResource("/hf/" + name + "/tokenizer.json.gz").toURI()));
        ObjectMapper om = new ObjectMapper();
        JsonNode corpus = om.readTree(getClass().getResource("/hf/corpus.json"));
        JsonNode expected = om.readTree(getClass().getResource("/hf/" + name + "/expected.json"));
        assertEquals(corpus.size(), expected.get("ids").size());
        // With clean_up_tokenization_spaces the oracle's decode also removes spaces before punctuation; Lumen
        // decodes losslessly (as llama.cpp does), so there only the round trip is checked.
        var plain = getClass().getResource("/hf/" + name + "/tokenizer_config.json");
        JsonNode cfg;
        if (plain != null) {
            cfg = om.readTree(plain);
        } else {
            try (var in = new java.util.zip.GZIPInputStream(getClass().getResource("/hf/" + name + "/tokenizer_config.json.gz").openStream())) {
                cfg = om.readTree(in);
            }
        }
        boolean cleanup = cfg.path("clean_up_tokenization_spaces").asBoolean(false);
        List<String> failures = new ArrayList<>();
        int roundTrips = 0;
        for (int i = 0; i < corpus.size(); i++) {
            String text = corpus.get(i).asText();
            JsonNode e = expected.get("ids").get(i);
            int[] want = new int[e.size()];
            for (int k = 0; k < want.length; k++) want[k] = e.get(k).asInt();
            int[] got = tok.encode(text, false, true);
            if (!Arrays.equals(want, got)) {
                failures.add("case " + i + " " + LlamaCppVocabTest.repr(text) + "\n  expected " + Arrays.toString(want) + "\n  got      " + Arrays.toString(got));
                continue;
            }
            // Decoding: equal to the oracle's decode, and to the text itself where the tokenizer is lossless.
            String decoded = tok.decode(got, true);
            String oracleDecoded = expected.get("decoded").get(i).asText();
            if (!cleanup && !decoded.equals(oracleDecoded)) {
                failures.add("case " + i + " decode " + LlamaCppVocabTest.repr(text) + "\n  oracle " + LlamaCppVocabTest.repr(oracleDecoded) + "\n  got    " + LlamaCppVocabTest.repr(decoded));
            }
            String clean = Utf8.sanitize(text);
            if (decoded.equals(clean)) roundTrips++;
        }
        // The same vocabularies as llama.cpp's ggml-vocab-llama-bpe / -qwen2 (whose .gguf files are too big to be
        // present): their suites must pass through the tokenizer.json path too.
        String suite = switch (name) {
            case "llama3" -> "llama-bpe";
            case "qwen3" -> "qwen2";
            default -> null;
        };
        if (suite != null) {
            String inp = java.nio.file.Files.readString(LlamaCppVocabTest.resource("ggml-vocab-" + suite + ".gguf.inp"));
            List<String> texts = new ArrayList<>(Arrays.asList(inp.split(LlamaCppVocabTest.MARKER, -1)));
            texts.removeLast();
            List<String> lines = java.nio.file.Files.readAllLines(LlamaCppVocabTest.resource("ggml-vocab-" + suite + ".gguf.out"));
            assertEquals(texts.size(), lines.size());
            for (int i = 0; i < texts.size(); i++) {
                String line = lines.get(i).trim();
                int[] want = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
                int[] got = tok.encode(texts.get(i), false, false);
                if (!Arrays.equals(want, got)) failures.add(suite + " case " + i + " " + LlamaCppVocabTest.repr(texts.get(i))
                        + "\n  expected " + Arrays.toString(want) + "\n  got      " + Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, name);
        assertTrue(roundTrips > corpus.size() * 8 / 10, name + ": only " + roundTrips + " of " + corpus.size() + " round trips");
    }
}
