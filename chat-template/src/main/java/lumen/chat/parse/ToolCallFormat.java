package lumen.chat.parse;

/** How a model family writes tool calls in its output. */
public enum ToolCallFormat {
    /** No tool calls: everything outside reasoning is content. */
    NONE,
    /** Qwen3 / Hermes: {@code <tool_call>{"name": …, "arguments": {…}}</tool_call>}. */
    HERMES,
    /** Qwen3-Coder / Nemotron 3: {@code <tool_call><function=NAME><parameter=ARG>VALUE</parameter></function></tool_call>}. */
    QWEN3_CODER,
    /** GLM-4.5/4.6/4.7: {@code <tool_call>NAME<arg_key>k</arg_key><arg_value>v</arg_value></tool_call>}. */
    GLM,
    /** Kimi K2 / K2.5: {@code <|tool_calls_section_begin|><|tool_call_begin|>functions.NAME:IDX<|tool_call_argument_begin|>{json}<|tool_call_end|>…}. */
    KIMI_K2,
    /** Llama 3.x: the whole reply is {@code {"name": …, "parameters": {…}}} (optionally after {@code <|python_tag|>}). */
    LLAMA3_JSON,
    /** gpt-oss harmony: {@code <|channel|>analysis|commentary to=functions.X|final<|message|>…}. */
    HARMONY;

    /** Guesses the format from a chat template's source (the markers it renders for assistant tool calls). */
    public static ToolCallFormat detect(String templateSource) {
        String t = templateSource;
        if (t.contains("<|channel|>") && t.contains("<|message|>")) {
            return HARMONY;
        }
        if (t.contains("<|tool_calls_section_begin|>")) {
            return KIMI_K2;
        }
        if (t.contains("<arg_key>")) {
            return GLM;
        }
        if (t.contains("<function=") && t.contains("<parameter=")) {
            return QWEN3_CODER;
        }
        if (t.contains("<tool_call>")) {
            return HERMES;
        }
        if (t.contains("<|python_tag|>") || (t.contains("<|start_header_id|>") && t.contains("\"parameters\""))) {
            return LLAMA3_JSON;
        }
        return NONE;
    }
}
