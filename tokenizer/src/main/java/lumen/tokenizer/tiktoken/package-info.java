/** tiktoken vocabularies (Kimi K2): base64 ranks, rank merging, reserved special tokens, long-input chunking. */
package lumen.tokenizer.tiktoken;
