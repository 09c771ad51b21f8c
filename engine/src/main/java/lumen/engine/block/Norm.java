package lumen.engine.block;

/** Root-mean-square layer normalisation (Zhang & Sennrich 2019), as ggml's rms_norm followed by a weight multiply. */
public final class Norm {
    private Norm() {
    }

    /**
     * out[r] = x[r] / sqrt(mean(x[r]²) + eps) * weight, for {@code rows} rows of width {@code weight.length}
     * starting at the given offsets. The sum of squares is kept in double, as ggml does.
     */
    public static void rms(float[] x, int xOffset, float[] out, int outOffset, int rows, float[] weight, float eps) {
        int n = weight.length;
        for (int r = 0; r < rows; r++) {
            int xo = xOffset + r * n, oo = outOffset + r * n;
            double sum = 0;
            for (int i = 0; i < n; i++) sum += (double) (x[xo + i] * x[xo + i]);
            float mean = (float) (sum / n);
            float scale = 1.0f / (float) Math.sqrt(mean + eps); // float ops in ggml's order: 1.0f/sqrtf(mean + eps)
            for (int i = 0; i < n; i++) out[oo + i] = (x[xo + i] * scale) * weight[i];
        }
    }

    /** In-place RMSNorm of every {@code weight.length}-wide slice of x (used per attention head: Qwen3's q/k norm). */
    public static void rmsInPlace(float[] x, int slices, float[] weight, float eps) {
        rms(x, 0, x, 0, slices, weight, eps);
    }
}
