package lumen.sampler.constraint;

import lumen.LumenException;

/** A constraint that cannot be compiled (names the place: line:column, schema path) or a token it forbids. */
public class ConstraintException extends LumenException {
    public ConstraintException(String message) {
        super(message);
    }

    /** An error in {@code text} at character {@code offset}, reported as "{@code what} at line:column: {@code message}". */
    public static ConstraintException at(String what, String text, int offset, String message) {
        int line = 1, col = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new ConstraintException(what + " at " + line + ":" + col + ": " + message);
    }
}
