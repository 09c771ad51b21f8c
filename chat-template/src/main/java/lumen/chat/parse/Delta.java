package lumen.chat.parse;

/**
 * A piece of a streamed reply, emitted as soon as it is certain. Each tool call arrives as one
 * {@link CallStart}, then {@link CallArguments} pieces whose concatenation is its arguments, then
 * {@link Call} with the whole call (a consumer may use either the pieces or the whole).
 */
public sealed interface Delta {
    /** More visible text. */
    record Content(String text) implements Delta {}

    /** More reasoning text. */
    record Reasoning(String text) implements Delta {}

    /** The {@code index}-th tool call of the reply begins: its id and function name are known. */
    record CallStart(int index, String id, String name) implements Delta {}

    /** More of the arguments (JSON text) of the {@code index}-th tool call. */
    record CallArguments(int index, String text) implements Delta {}

    /** The {@code index}-th tool call is complete. */
    record Call(int index, ToolCall call) implements Delta {}
}
