package lumen.tokenizer.load;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Token texts that end a turn in the families Lumen targets (llama.cpp's list in {@code llama_vocab::impl::load}). */
final class EndOfGeneration {
    private EndOfGeneration() {}

    /** llama.cpp's list; in GGUF vocabularies these tokens are also made control tokens, as llama.cpp does. */
    static final Set<String> LLAMA_CPP = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>");

    /** llama.cpp's texts of an end-of-turn token when the GGUF names none (tokenizer.ggml.eot_token_id). */
    static final List<String> EOT = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
            "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<end_of_utterance>");

    /**
     * llama.cpp's texts of fill-in-the-middle tokens by GGUF key, found by text when the key is absent and then
     * made control tokens; the pad, repo and file-separator ones also end generation.
     */
    static final Map<String, List<String>> FIM = Map.of(
            "tokenizer.ggml.fim_pre_token_id", List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<PRE>", "<|code_prefix|>", "<|prefix|>"),
            "tokenizer.ggml.fim_suf_token_id", List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<SUF>", "<|code_suffix|>", "<|suffix|>"),
            "tokenizer.ggml.fim_mid_token_id", List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<MID>", "<|code_middle|>", "<|middle|>"),
            "tokenizer.ggml.fim_pad_token_id", List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"),
            "tokenizer.ggml.fim_rep_token_id", List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
            "tokenizer.ggml.fim_sep_token_id", List.of("<|file_sep|>"));

    /** The fill-in-the-middle keys whose tokens end generation. */
    static final Set<String> FIM_ENDING = Set.of("tokenizer.ggml.fim_pad_token_id", "tokenizer.ggml.fim_rep_token_id",
            "tokenizer.ggml.fim_sep_token_id");

    /** All texts that end a turn: llama.cpp's list plus GLM's turn markers (a model that writes one is done). */
    static final Set<String> TEXTS;

    static {
        java.util.HashSet<String> all = new java.util.HashSet<>(LLAMA_CPP);
        all.add("<｜end▁of▁sentence｜>");   // DeepSeek's EOS (an end of generation as the EOS in any case)
        all.add("<|user|>");
        all.add("<|observation|>");
        TEXTS = Set.copyOf(all);
    }
}
