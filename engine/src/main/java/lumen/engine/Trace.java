package lumen.engine;

/**
 * Receives named intermediate activations of a forward pass, using llama.cpp's graph-node names
 * ({@code attn_norm}, {@code Qcur}, {@code ffn_out}, …), so a traced run can be diffed against llama.cpp's.
 */
public interface Trace {
    /** Called with {@code rows} rows of {@code values} ({@code rows × width} row-major) at a node of {@code layer} (-1 outside layers). */
    void at(String name, int layer, float[] values, int rows);

    Trace NONE = (name, layer, values, rows) -> { };
}
