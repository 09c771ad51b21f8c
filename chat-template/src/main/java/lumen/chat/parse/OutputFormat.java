package lumen.chat.parse;

import java.util.List;
import java.util.Map;

/**
 * How to read one model's replies: its tool-call format, whether it writes {@code <think>…</think>},
 * whether the prompt already opened {@code <think>} (GLM-4.7, Nemotron 3, Qwen3 thinking templates),
 * and the request's tools (to type Qwen3-Coder/GLM arguments: a string parameter stays raw, others are JSON).
 */
public record OutputFormat(ToolCallFormat toolCalls, boolean thinkTags, boolean startsInReasoning, List<?> tools) {
    public OutputFormat {
        tools = tools == null ? List.of() : tools;
    }

    public static OutputFormat of(ToolCallFormat toolCalls, boolean thinkTags) {
        return new OutputFormat(toolCalls, thinkTags, false, List.of());
    }

    /**
     * The format for a template and the prompt rendered from it: {@code <think>} parsing when the template
     * mentions it, starting inside reasoning when the prompt ends with an open {@code <think>}.
     */
    public static OutputFormat forTemplate(String templateSource, String renderedPrompt, List<?> tools) {
        ToolCallFormat f = ToolCallFormat.detect(templateSource);
        boolean think = f != ToolCallFormat.HARMONY && templateSource.contains("<think>");
        String p = renderedPrompt.stripTrailing();
        boolean open = think && p.endsWith("<think>");
        return new OutputFormat(f, think, open, tools);
    }

    /** The JSON-schema type of a tool's parameter, or null when the tools do not say. */
    String paramType(String function, String param) {
        for (Object t : tools) {
            if (!(t instanceof Map<?, ?> tool)) {
                continue;
            }
            Object fn = tool.get("function") instanceof Map<?, ?> m ? m : tool;
            if (fn instanceof Map<?, ?> f && function.equals(f.get("name"))
                && f.get("parameters") instanceof Map<?, ?> params
                && params.get("properties") instanceof Map<?, ?> props
                && props.get(param) instanceof Map<?, ?> schema) {
                Object type = schema.get("type");
                return type instanceof String s ? s : null;
            }
        }
        return null;
    }
}
