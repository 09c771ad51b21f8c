package lumen.engine.arch;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Optional;
import lumen.engine.EngineException;
import lumen.loader.ModelFile;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.Tensor;

/**
 * Looks up weights by GGUF name and checks their shape and type, so a bad file fails at load, not
 * mid-run. Matrices are handed out in the kernels' own layout when a repacking arena is given
 * ({@link lumen.tensor.kernel.Kernels#repack}), else as views of the file.
 */
final class Weights {
    private final ModelFile file;
    private final Arena repackInto;

    /** {@code repackInto}: memory for repacked matrices, or null to use the file's layout. */
    Weights(ModelFile file, Arena repackInto) {
        this.file = file;
        this.repackInto = repackInto;
    }

    /** The matrix {@code name} with exactly the dimensions {@code ne} (ggml order: row length first). */
    Tensor matrix(String name, long... ne) {
        return repack(check(file.tensor(name), ne));
    }

    Optional<Tensor> optionalMatrix(String name, long... ne) {
        return file.findTensor(name).map(t -> repack(check(t, ne)));
    }

    /** t in the kernels' layout; when that is a copy, the file's pages of t leave resident memory. */
    private Tensor repack(Tensor t) {
        if (repackInto == null) return t;
        Tensor packed = KernelProvider.get().repack(t, repackInto);
        if (packed != t) file.release(t.name());
        return packed;
    }

    /** A 1-D weight (norm, frequency factors) of length n, dequantized onto the heap (it is tiny). */
    float[] vector(String name, int n) {
        return dequantize(check(file.tensor(name), new long[] {n}));
    }

    Optional<float[]> optionalVector(String name, int n) {
        return file.findTensor(name).map(t -> dequantize(check(t, new long[] {n})));
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
