package lumen.tokenizer;

/** GGUF token types ({@code tokenizer.ggml.token_type}), numbered as llama.cpp's {@code llama_token_type}. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The type of a GGUF token_type value; unknown values are UNDEFINED, as in llama.cpp. */
    public static TokenType ofGguf(long value) {
        return value >= 0 && value < values().length ? values()[(int) value] : UNDEFINED;
    }

    /** Control, user-defined and unknown tokens are matched as whole strings before the model runs. */
    public boolean isSpecialText() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
