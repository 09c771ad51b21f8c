/** WordPiece (BERT) as llama.cpp runs {@code tokenizer.ggml.model = bert}. */
package lumen.tokenizer.wpm;
