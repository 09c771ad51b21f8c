/** SentencePiece BPE by score with byte fallback, as llama.cpp runs {@code tokenizer.ggml.model = llama}. */
package lumen.tokenizer.spm;
