/** Entry points ({@link lumen.tokenizer.load.Tokenizers}): tokenizers from GGUF metadata, tokenizer.json or tiktoken files. */
package lumen.tokenizer.load;
