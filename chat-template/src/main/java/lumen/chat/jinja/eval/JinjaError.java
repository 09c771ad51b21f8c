package lumen.chat.jinja.eval;

/** A failure while rendering, typed like the Python exception Jinja2 would raise; the interpreter adds line:column. */
public final class JinjaError extends RuntimeException {
    private final String type;
    private int line;
    private int col;

    public JinjaError(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public String type() {
        return type;
    }

    public int line() {
        return line;
    }

    public int col() {
        return col;
    }

    void locate(int line, int col) {
        if (this.line == 0) {
            this.line = line;
            this.col = col;
        }
    }

    public static JinjaError type(String msg) {
        return new JinjaError("TypeError", msg);
    }

    public static JinjaError value(String msg) {
        return new JinjaError("ValueError", msg);
    }
}
