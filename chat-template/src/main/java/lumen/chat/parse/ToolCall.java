package lumen.chat.parse;

/** One OpenAI-style tool call: {@code arguments} is a JSON object as a string. */
public record ToolCall(String id, String name, String arguments) {}
