package lumen.chat.parse;

import java.util.List;

/** A model's reply split into visible content, reasoning and tool calls (content/reasoning empty when absent). */
public record ParsedOutput(String content, String reasoningContent, List<ToolCall> toolCalls) {
    public ParsedOutput {
        toolCalls = List.copyOf(toolCalls);
    }
}
