package lumen.sampler.constraint;

import lumen.LumenException;

/** A constraint that cannot be compiled (names the place: line:column, schema path) or a token it forbids. */
public class ConstraintException extends LumenException {
    public ConstraintException(String message) {
        super(message);
    }
}
