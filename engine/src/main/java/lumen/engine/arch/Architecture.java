package lumen.engine.arch;

import java.lang.foreign.Arena;
import lumen.engine.Compute;
import lumen.engine.EngineException;
import lumen.engine.cache.SequenceState;
import lumen.loader.ModelFile;

/**
 * A model family: its hyperparameters read from GGUF keys, its weights, and one forward function.
 * The single place that maps {@code general.architecture} to an implementation is {@link #load}.
 */
public sealed interface Architecture permits Llama {

    /**
     * Loads the architecture named by the file's {@code general.architecture}; its weight matrices are
     * repacked into the kernels' layout in {@code repackInto}, or used in place when it is null.
     */
    static Architecture load(ModelFile file, Arena repackInto) {
        String name = file.architecture();
        return switch (name) {
            case "llama" -> Llama.load(file, Llama.Variant.LLAMA, repackInto);
            case "qwen3" -> Llama.load(file, Llama.Variant.QWEN3, repackInto);
            // Next issue: "qwen3moe", "deepseek2" (MLA + MoE), "nemotron_h_moe" (Mamba-2 hybrid).
            default -> throw new EngineException(file.path().getFileName() + ": architecture '" + name
                    + "' is not supported (supported: llama, qwen3)");
        };
    }

    /** The architecture's GGUF name. */
    String name();

    /** Rows of the output matrix: the number of logits per position. */
    int vocabSize();

    /** The context length the model was trained with ({@code <arch>.context_length}). */
    int trainedContext();

    /** Bytes of per-sequence state one more position costs (KV cache), used to cap the default context. */
    long stateBytesPerPosition();

    /** Bytes of weights one decoded token reads: every matrix once, one row of the embedding table. */
    long weightBytesPerToken();

    /** Fresh per-sequence state (KV cache) for up to {@code contextSize} positions. */
    SequenceState newState(int contextSize);

    /**
     * Runs {@code tokens} at positions pos..pos+tokens.length-1 through the model in one batch,
     * updating the state. Writes the logits of every position ([n][vocab]) when {@code allRows},
     * else of the last position only ([vocab]).
     */
    void forward(Compute compute, SequenceState state, int[] tokens, int pos, float[] logits, boolean allRows);
}
