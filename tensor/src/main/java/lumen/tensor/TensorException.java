package lumen.tensor;

import lumen.LumenException;

/** An error of the tensor module: a shape, type or size that a kernel cannot work with. */
public class TensorException extends LumenException {
    public TensorException(String message) {
        super(message);
    }

    public TensorException(String message, Throwable cause) {
        super(message, cause);
    }
}
