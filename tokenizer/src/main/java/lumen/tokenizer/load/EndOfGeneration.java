package lumen.tokenizer.load;

import java.util.Set;

/** Token texts that end a turn in the families Lumen targets (llama.cpp's list in {@code llama_vocab::impl::load}). */
final class EndOfGeneration {
    private EndOfGeneration() {}

    static final Set<String> TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>", "<|user|>", "<|observation|>");
}
