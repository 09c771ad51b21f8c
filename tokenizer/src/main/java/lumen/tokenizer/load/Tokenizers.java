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
        if (name.endsWith(".model") || name.endsWith(".tiktoken") || name.endsWith(".model.gz")) return fromTiktoken(file);
        throw new lumen.tokenizer.TokenizerException(file + ": unknown tokenizer file type, expected tokenizer.json or a tiktoken .model file");
    }

    /** From a tiktoken vocabulary ({@code tiktoken.model}, Kimi K2) and the tokenizer_config.json beside it, if any. */
    public static Tokenizer fromTiktoken(Path tiktokenModel) {
        return lumen.tokenizer.tiktoken.Tiktoken.load(tiktokenModel, tiktokenModel.resolveSibling("tokenizer_config.json"));
    }
}
