package lumen.chat.parse;

/** A piece of a streamed reply, emitted as soon as it is certain. */
public sealed interface Delta {
    /** More visible text. */
    record Content(String text) implements Delta {}

    /** More reasoning text. */
    record Reasoning(String text) implements Delta {}

    /** A complete tool call, the {@code index}-th of the reply. */
    record Call(int index, ToolCall call) implements Delta {}
}
