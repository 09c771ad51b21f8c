package lumen.loader;

import lumen.LumenException;

/**
 * A model file could not be opened or read, or a key or tensor a caller asked for is absent or of the
 * wrong type. The message names the file, the field (metadata key, tensor info, header field) and, for
 * malformed files, the byte offset where the field was read, and says what was found and what was expected.
 */
public class LoaderException extends LumenException {
    public LoaderException(String message) {
        super(message);
    }

    public LoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
