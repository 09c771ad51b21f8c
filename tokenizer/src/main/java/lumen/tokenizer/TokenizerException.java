package lumen.tokenizer;

import lumen.LumenException;

/** A tokenizer definition that cannot be used: names the key or file and what was found vs expected. */
public class TokenizerException extends LumenException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
