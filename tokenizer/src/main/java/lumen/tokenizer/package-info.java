/**
 * Tokenizers that match the reference implementations token for token. {@link lumen.tokenizer.Tokenizer} is the
 * contract; {@link lumen.tokenizer.PipelineTokenizer} runs the stages every loader assembles: special-token split
 * ({@link lumen.tokenizer.SpecialSplitter}, as llama.cpp's {@code tokenizer_st_partition}) → normalizer →
 * pre-tokenizer ({@code .pretokenize}) → model ({@code .bpe}, {@code .spm}, {@code .wpm}) → BOS/EOS. Decoding
 * joins token bytes ({@link lumen.tokenizer.Vocab}) and decodes UTF-8 once. Loaders live in {@code .load}
 * (GGUF metadata, tokenizer.json) and {@code .tiktoken}.
 */
package lumen.tokenizer;
