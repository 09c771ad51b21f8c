package lumen.engine;

import lumen.LumenException;

/** A model that cannot be run as asked: unsupported architecture or tensor type, full context, bad shapes. */
public class EngineException extends LumenException {
    public EngineException(String message) {
        super(message);
    }
}
