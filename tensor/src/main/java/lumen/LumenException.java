package lumen;

/**
 * The root of every error Lumen reports to a user. Each module has one subclass; its message names
 * the place (file, key or tensor, byte offset, line:column) and says what was found and what was expected.
 * The command line prints the message alone, without a stack trace.
 */
public class LumenException extends RuntimeException {
    public LumenException(String message) {
        super(message);
    }

    public LumenException(String message, Throwable cause) {
        super(message, cause);
    }
}
