package lumen.chat.jinja.lex;

/** One lexical token of a Jinja template, with the 1-based line and column where it starts. */
public record Token(Kind kind, String text, int line, int column) {
    public enum Kind { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF }

    public boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    public boolean isOp(String s) {
        return is(Kind.OP, s);
    }

    public boolean isName(String s) {
        return is(Kind.NAME, s);
    }
}
