package lumen.chat.jinja.eval;

/**
 * Jinja2's default {@code Undefined}: prints as "", is falsy and iterates as empty, but any
 * attribute, item, call or arithmetic on it raises {@code UndefinedError} with {@link #message()}.
 */
public record Undefined(String message, boolean security) {
    public static Undefined named(String name) {
        return new Undefined("'" + name + "' is undefined", false);
    }

    public JinjaError fail() {
        return new JinjaError(security ? "SecurityError" : "UndefinedError", message);
    }
}
