/** Byte-pair encoding by merge rank (GPT-2 merges, tokenizer.json merges, tiktoken ranks), with a per-piece cache. */
package lumen.tokenizer.bpe;
