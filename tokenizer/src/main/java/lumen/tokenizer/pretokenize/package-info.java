/**
 * Pre-tokenizers: regex splits (llama.cpp's {@code tokenizer.ggml.pre} table in {@link lumen.tokenizer.pretokenize.LlamaCppPre},
 * tokenizer.json's Split/Digits/Metaspace/ByteLevel), hand-written matchers for the common GPT-2 / Llama 3 / Qwen2
 * patterns ({@link lumen.tokenizer.pretokenize.FastSplit}) and GPT-2's byte-level alphabet.
 */
package lumen.tokenizer.pretokenize;
