package lumen.engine.block;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer), computed the way ggml's rope op does it so that
 * results match llama.cpp: the angle of pair i is pos·base^(-2i/nDims), built by repeated float
 * multiplication, divided by an optional per-pair frequency factor (llama 3's {@code rope_freqs}),
 * and mixed with the interpolated angle by YaRN's ramp (Peng et al. 2023) when YaRN is on.
 *
 * @param neox       NEOX layout rotates (i, i + nDims/2); the normal layout rotates adjacent pairs (2i, 2i+1)
 * @param dims       how many leading dimensions of a head rotate ({@code rope.dimension_count})
 * @param base       {@code rope.freq_base}
 * @param freqScale  1 / {@code rope.scaling.factor} for linear and YaRN scaling, else 1
 * @param freqFactors per-pair divisors of the angle (length dims/2), or an empty array
 * @param yarn       YaRN's extrapolation mix; {@link Yarn#OFF} when not scaling with YaRN
 */
public record Rope(boolean neox, int dims, float base, float freqScale, float[] freqFactors, Yarn yarn) {

    /**
     * YaRN parameters (ggml's ext_factor, attn_factor and the correction range from beta_fast/beta_slow).
     * {@code low}/{@code high} are ggml_rope_yarn_corr_dims of the original context length.
     */
    public record Yarn(float extFactor, float attnFactor, float low, float high) {
        public static final Yarn OFF = new Yarn(0, 1, 0, 0);

        /** ggml_rope_yarn_corr_dims: the pair range over which extrapolation turns into interpolation. */
        public static Yarn of(int dims, int originalContext, float base, float betaFast, float betaSlow, float attnFactor) {
            float low = (float) Math.floor(correctionDim(dims, originalContext, betaFast, base));
            float high = (float) Math.ceil(correctionDim(dims, originalContext, betaSlow, base));
            return new Yarn(1, attnFactor, Math.max(0, low), Math.min(dims - 1, high));
        }

        private static float correctionDim(int dims, int originalContext, float rotations, float base) {
            return dims * (float) Math.log(originalContext / (rotations * 2 * (float) Math.PI)) / (2 * (float) Math.log(base));
        }
    }

    /** Rotates {@code heads} heads of width {@code headDim} stored at x[offset ..] for position pos. */
    public void apply(float[] x, int offset, int heads, int headDim, int pos) {
        float[] cos = new float[dims / 2];
        float[] sin = new float[dims / 2];
        angles(pos, cos, sin);
        for (int h = 0; h < heads; h++) {
            int o = offset + h * headDim;
            for (int i = 0; i < dims / 2; i++) {
                int a = neox ? o + i : o + 2 * i;
                int b = neox ? o + i + dims / 2 : o + 2 * i + 1;
                float x0 = x[a], x1 = x[b];
                x[a] = x0 * cos[i] - x1 * sin[i];
                x[b] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }

    /** ggml_rope_cache_init + rope_yarn. */
    private void angles(int pos, float[] cos, float[] sin) {
        float thetaScale = (float) Math.pow(base, -2.0f / dims);
        float theta = pos;
        for (int i = 0; i < dims / 2; i++) {
            float extrapolated = freqFactors.length > 0 ? theta / freqFactors[i] : theta;
            float interpolated = freqScale * extrapolated;
            float angle = interpolated;
            float mscale = yarn.attnFactor();
            if (yarn.extFactor() != 0) {
                float y = (i - yarn.low()) / Math.max(0.001f, yarn.high() - yarn.low());
                float rampMix = (1 - Math.min(1, Math.max(0, y))) * yarn.extFactor();
                angle = interpolated * (1 - rampMix) + extrapolated * rampMix;
                mscale *= 1.0f + 0.1f * (float) Math.log(1.0f / freqScale);
            }
            cos[i] = (float) Math.cos(angle) * mscale;
            sin[i] = (float) Math.sin(angle) * mscale;
            theta *= thetaScale;
        }
    }
}
