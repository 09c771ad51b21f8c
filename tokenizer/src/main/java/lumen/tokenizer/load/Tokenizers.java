package lumen.tokenizer.load;

import java.nio.file.Path;
import java.util.Map;

import lumen.tokenizer.Tokenizer;

/** Entry points: a tokenizer from GGUF metadata or from a Hugging Face tokenizer.json. */
public final class Tokenizers {
    private Tokenizers() {}

    /**
     * From GGUF metadata as plain Java values (String, Boolean, Long for all ints, Double for floats, List&lt;Object&gt;
     * for arrays): tokenizer.ggml.model/pre/tokens/scores/token_type/merges/bos_token_id/add_bos_token/add_space_prefix...
     */
    public static Tokenizer fromGguf(Map<String, Object> metadata) {
        return GgufTokenizers.load(metadata);
    }

    /** From a Hugging Face tokenizer.json (+ optional tokenizer_config.json beside it for add_bos etc.). */
    public static Tokenizer fromTokenizerJson(Path tokenizerJson) {
        return HfTokenizers.load(tokenizerJson);
    }

    /**
     * From a tokenizer file, by its name: {@code *.json} / {@code *.json.gz} as tokenizer.json, {@code *.model} /
     * {@code *.tiktoken} as a tiktoken vocabulary. (GGUF files go through the model loader and {@link #fromGguf}.)
     */
    public static Tokenizer fromFile(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") || name.endsWith(".json.gz")) return fromTokenizerJson(file);
        if (name.endsWith(".tiktoken") || name.endsWith(".model.gz")) return fromTiktoken(file);
        if (name.endsWith(".model")) return isTiktoken(file) ? fromTiktoken(file) : fromSentencePiece(file);
        throw new lumen.tokenizer.TokenizerException(file + ": unknown tokenizer file type, expected tokenizer.json, a tiktoken or a SentencePiece .model file");
    }

    /** From a SentencePiece BPE {@code .model} file, tokenizing as llama.cpp does with the GGUF converted from it. */
    public static Tokenizer fromSentencePiece(Path modelFile) {
        return fromGguf(lumen.tokenizer.spm.SentencePieceModelFile.read(modelFile));
    }

    /** tiktoken files are text lines "base64 rank"; SentencePiece models are binary protobuf. */
    private static boolean isTiktoken(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(256);
            int nl = 0;
            while (nl < head.length && head[nl] != '\n') nl++;
            return new String(head, 0, nl, java.nio.charset.StandardCharsets.ISO_8859_1).matches("[A-Za-z0-9+/=]+ [0-9]+");
        } catch (java.io.IOException e) {
            throw new lumen.tokenizer.TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** From a tiktoken vocabulary ({@code tiktoken.model}, Kimi K2) and the tokenizer_config.json beside it, if any. */
    public static Tokenizer fromTiktoken(Path tiktokenModel) {
        return lumen.tokenizer.tiktoken.Tiktoken.load(tiktokenModel, tiktokenModel.resolveSibling("tokenizer_config.json"));
    }
}
