/**
 * Reading a model's reply: {@link lumen.chat.parse.OutputParser} splits it into content, {@code reasoning_content}
 * ({@code <think>} blocks, or harmony's analysis channel) and OpenAI-style tool calls, for the formats in
 * {@link lumen.chat.parse.ToolCallFormat}; whole or streamed, never throwing on malformed output.
 * Pick the format with {@link lumen.chat.parse.OutputFormat#forTemplate}.
 */
package lumen.chat.parse;
