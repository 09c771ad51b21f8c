package lumen.engine.block;

import lumen.engine.Compute;
import lumen.tensor.Tensor;

/** The gated feed-forward block: down(silu(gate·x) ⊙ up·x) (SwiGLU, Shazeer 2020). */
public final class Ffn {
    private Ffn() {
    }

    /** Writes ffn(x) for n rows into out ([n][rows of down]). */
    public static void swiglu(Compute c, Tensor gate, Tensor up, Tensor down, float[] x, int n, float[] out) {
        int hidden = Math.toIntExact(gate.rowCount());
        float[] g = new float[n * hidden];
        float[] u = new float[n * hidden];
        c.ops().matmul(new Tensor[] {gate, up}, x, n, new float[][] {g, u});
        for (int i = 0; i < g.length; i++) g[i] = silu(g[i]) * u[i];
        c.ops().matmul(down, g, n, out);
    }

    /** x·sigmoid(x), as ggml_silu_f32. */
    public static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
    }
}
