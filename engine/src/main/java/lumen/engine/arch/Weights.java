package lumen.engine.arch;

import java.util.Arrays;
import java.util.Optional;
import lumen.engine.EngineException;
import lumen.loader.ModelFile;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.Tensor;

/** Looks up weights by GGUF name and checks their shape and type, so a bad file fails at load, not mid-run. */
final class Weights {
    private final ModelFile file;

    Weights(ModelFile file) {
        this.file = file;
    }

    /** The tensor {@code name} with exactly the dimensions {@code ne} (ggml order: row length first). */
    Tensor matrix(String name, long... ne) {
        return check(file.tensor(name), ne);
    }

    Optional<Tensor> optionalMatrix(String name, long... ne) {
        return file.findTensor(name).map(t -> check(t, ne));
    }

    /** A 1-D weight (norm, frequency factors) of length n, dequantized onto the heap (it is tiny). */
    float[] vector(String name, int n) {
        return dequantize(matrix(name, n));
    }

    Optional<float[]> optionalVector(String name, int n) {
        return optionalMatrix(name, n).map(this::dequantize);
    }

    private float[] dequantize(Tensor t) {
        float[] out = new float[t.rowLength()];
        KernelProvider.get().dequantizeRow(t, 0, out, 0);
        return out;
    }

    private Tensor check(Tensor t, long[] ne) {
        if (!Arrays.equals(t.ne(), ne)) {
            throw new EngineException(file.path().getFileName() + ": tensor '" + t.name() + "' has shape "
                    + Arrays.toString(t.ne()) + ", expected " + Arrays.toString(ne));
        }
        if (!t.type().computable()) {
            throw new EngineException(file.path().getFileName() + ": tensor '" + t.name() + "' has type " + t.type()
                    + ", which Lumen cannot compute with yet");
        }
        return t;
    }
}
