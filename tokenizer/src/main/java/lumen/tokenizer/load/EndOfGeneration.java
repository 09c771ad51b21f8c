package lumen.tokenizer.load;

import java.util.Set;

/** Token texts that end a turn in the families Lumen targets (llama.cpp's list in {@code llama_vocab::impl::load}). */
final class EndOfGeneration {
    private EndOfGeneration() {}

    /** llama.cpp's list; in GGUF vocabularies these tokens are also made control tokens, as llama.cpp does. */
    static final Set<String> LLAMA_CPP = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>");

    /** All texts that end a turn: llama.cpp's list plus GLM's turn markers (a model that writes one is done). */
    static final Set<String> TEXTS;

    static {
        java.util.HashSet<String> all = new java.util.HashSet<>(LLAMA_CPP);
        all.add("<|user|>");
        all.add("<|observation|>");
        TEXTS = Set.copyOf(all);
    }
}
