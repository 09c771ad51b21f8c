/**
 * Chat templates: {@link lumen.chat.ChatTemplate} renders a model's Jinja2 chat template exactly as Hugging Face
 * transformers does (checked byte for byte against Jinja2 on 62 real templates). The engine lives in
 * {@code lumen.chat.jinja} ({@code lex} → {@code parse} → {@code ast} → {@code eval}, with {@code builtins});
 * {@code lumen.chat.parse} turns the model's reply back into content, reasoning and tool calls.
 */
package lumen.chat;
