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

    /** From a tiktoken vocabulary ({@code tiktoken.model}, Kimi K2) and the tokenizer_config.json beside it, if any. */
    public static Tokenizer fromTiktoken(Path tiktokenModel) {
        return lumen.tokenizer.tiktoken.Tiktoken.load(tiktokenModel, tiktokenModel.resolveSibling("tokenizer_config.json"));
    }
}
