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
        float[] g = c.scratch().floats("ffn.gate", n * hidden);
        float[] u = c.scratch().floats("ffn.up", n * hidden);
        c.ops().matmul(new Tensor[] {gate, up}, x, n, new float[][] {g, u});
        gateInPlace(c, g, u);
        c.ops().matmul(down, g, n, out);
    }

    /**
     * g[i] = silu(g[i])·u[i], on all threads from 4096 elements (one decoded token of a 1B model's FFN is
     * 8192: alone it took ~2 % of the token while the other thread waited; half of g and u was written by
     * the other thread anyway).
     */
    private static void gateInPlace(Compute c, float[] g, float[] u) {
        int chunk = 2048;
        if (g.length < 2 * chunk) {
            c.ops().kernels().swiglu(g, u, 0, g.length);
            return;
        }
        c.pool().parallelFor((g.length + chunk - 1) / chunk, (s, e) -> {
            int from = s * chunk;
            c.ops().kernels().swiglu(g, u, from, Math.min(g.length, e * chunk) - from);
        });
    }
}
