package lumen.tensor.kernel;

import lumen.tensor.GgmlType;
import lumen.tensor.TensorException;
import lumen.tensor.parallel.RangeTask;
import lumen.tensor.parallel.ThreadPool;
import lumen.tensor.quant.BF16;
import lumen.tensor.quant.F16;
import lumen.tensor.quant.Q8_0;
import lumen.tensor.quant.Q8_1;
import lumen.tensor.quant.Q8_K;

/**
 * Activation rows converted to the vec_dot_type of one weight type (opaque to callers). Row t covers
 * elements [t·length, (t+1)·length) of every array below.
 *
 * <p>For F32/F16/BF16, {@link #values()} holds the (rounded) values. For Q8_0/Q8_1/Q8_K it holds
 * each int8 level times its block scale (what the SIMD matrix kernels multiply with), {@link #levels()}
 * the levels as floats and {@link #quants()} as bytes, {@link #scales()} one scale per block (what the
 * decoding and scalar kernels use, as llama.cpp's integer dot products), {@link #sums()} Q8_1's s = fp16(d·Σq) per block, and
 * {@link #bsums()} sums of levels (Q8_K: of 16, Q8_0: of a block).
 */
public final class Activations {
    private final ActivationFormat format;
    private final int rows, length;
    private final float[] values, levels;
    private final byte[] quants;
    /** The int8 levels widened to shorts: broadcasting a short is cheaper in the interleaved kernels than a byte (measured 20 vs 13 GB/s). */
    private final short[] shortLevels;
    private final short[] q6Levels;
    private final float[] scales, sums;
    private final short[] bsums;

    private Activations(ActivationFormat format, int rows, int length, float[] values, float[] levels, byte[] quants,
                        short[] shortLevels, short[] q6Levels, float[] scales, float[] sums, short[] bsums) {
        this.format = format;
        this.rows = rows;
        this.length = length;
        this.values = values;
        this.levels = levels;
        this.quants = quants;
        this.shortLevels = shortLevels;
        this.q6Levels = q6Levels;
        this.scales = scales;
        this.sums = sums;
        this.bsums = bsums;
    }

    /** Rounds rows x[t·k .. t·k+k), t &lt; n, as llama.cpp does for weights of {@code weightType}. */
    public static Activations of(GgmlType weightType, float[] x, int n, int k) {
        return of(weightType, x, n, k, null);
    }

    /**
     * As {@link #of(GgmlType, float[], int, int)}, with the blocks split over {@code pool} (null: the
     * calling thread alone). Each block is rounded on its own, so the result does not depend on the split.
     */
    public static Activations of(GgmlType weightType, float[] x, int n, int k, ThreadPool pool) {
        ActivationFormat f = ActivationFormat.forWeight(weightType);
        if (n < 0 || k <= 0 || (long) n * k > x.length) {
            throw new TensorException("activations: " + n + " rows of " + k + " need " + (long) n * k
                    + " floats, found " + x.length);
        }
        if (k % f.blockSize != 0) {
            throw new TensorException("activations for " + weightType + ": row length " + k
                    + " is not a multiple of the " + f + " block size " + f.blockSize);
        }
        int total = n * k;
        float[] values = new float[total];
        int bs = f.blockSize;
        switch (f) {
            case F32 -> System.arraycopy(x, 0, values, 0, total);
            case F16 -> spread(total, 1, pool, (s, e) -> {
                for (int i = s; i < e; i++) values[i] = F16.round(x[i]);
            });
            case BF16 -> spread(total, 1, pool, (s, e) -> {
                for (int i = s; i < e; i++) values[i] = BF16.round(x[i]);
            });
            case Q8_0 -> {
                byte[] q = new byte[total];
                float[] levels = new float[total];
                float[] d = new float[total / bs];
                short[] sums = new short[total / bs], sl = new short[total];
                spread(total, bs, pool, (s, e) -> {
                    Q8_0.quantizeActivation(x, s, e - s, q, d, s);
                    for (int b = s; b < e; b += bs) {
                        float db = d[b / bs];
                        int sum = 0;
                        for (int i = b; i < b + bs; i++) {
                            levels[i] = q[i];
                            sl[i] = q[i];
                            values[i] = q[i] * db;
                            sum += q[i];
                        }
                        sums[b / bs] = (short) sum;
                    }
                });
                return new Activations(f, n, k, values, levels, q, sl, null, d, null, sums);
            }
            case Q8_1 -> {
                byte[] q = new byte[total];
                float[] levels = new float[total];
                float[] d = new float[total / bs], sums = new float[total / bs];
                short[] sl = new short[total];
                spread(total, bs, pool, (s, e) -> {
                    Q8_1.quantizeActivation(x, s, e - s, q, d, sums, s);
                    widen(q, d, bs, s, e, levels, sl, values);
                });
                return new Activations(f, n, k, values, levels, q, sl, null, d, sums, null);
            }
            case Q8_K -> {
                byte[] q = new byte[total];
                float[] levels = new float[total];
                float[] d = new float[total / bs];
                short[] sums = new short[total / 16], sl = new short[total], q6 = new short[total / 8 * 13];
                spread(total, bs, pool, (s, e) -> {
                    Q8_K.quantizeActivation(x, s, e - s, q, d, sums, s);
                    widen(q, d, bs, s, e, levels, sl, values);
                    q6Levels(q, s, e, q6);
                });
                return new Activations(f, n, k, values, levels, q, sl, q6, d, null, sums);
            }
        }
        return new Activations(f, n, k, values, null, null, null, null, null, null, null);
    }

    /** {@link #q6Levels()} of the levels in [s, e) (whole runs of 8). */
    private static void q6Levels(byte[] q, int s, int e, short[] q6) {
        for (int i = s; i < e; i += 8) {
            int o = i / 8 * 13, sum = 0;
            for (int j = 0; j < 8; j++) sum += q[i + j];
            q6[o] = (short) (-32 * sum - 256);
            for (int g = 0; g < 2; g++) {
                int x0 = q[i + 4 * g], x1 = q[i + 4 * g + 1], x2 = q[i + 4 * g + 2], x3 = q[i + 4 * g + 3];
                int a = o + 1 + 6 * g;
                q6[a] = (short) x0;
                q6[a + 1] = (short) (x3 - 64 * x0);
                q6[a + 2] = (short) x1;
                q6[a + 3] = (short) (4 * x3 - 64 * x1);
                q6[a + 4] = (short) x2;
                q6[a + 5] = (short) (16 * x3 - 64 * x2);
            }
        }
    }

    /** levels, shortLevels and values of the blocks in [s, e) from their int8 levels q and scales d. */
    private static void widen(byte[] q, float[] d, int bs, int s, int e, float[] levels, short[] sl, float[] values) {
        for (int b = s; b < e; b += bs) {
            float db = d[b / bs];
            for (int i = b; i < b + bs; i++) {
                levels[i] = q[i];
                sl[i] = q[i];
                values[i] = q[i] * db;
            }
        }
    }

    /** Below this many elements, rounding on the calling thread alone is quicker than waking the others. */
    private static final int PARALLEL_ELEMENTS = 4096;

    /**
     * Runs task over element ranges [s, e) of [0, total) that start and end on whole blocks of
     * {@code unit} elements (blocks never cross rows, since rows are whole blocks): split over the pool
     * when there is one and the work is large enough. Each block is rounded on its own, so the result
     * does not depend on the split.
     */
    private static void spread(int total, int unit, ThreadPool pool, RangeTask task) {
        if (pool == null || total < PARALLEL_ELEMENTS) task.run(0, total);
        else pool.parallelFor(total / unit, (s, e) -> task.run(s * unit, e * unit));
    }

    /** Number of activation rows (tokens). */
    public int rows() {
        return rows;
    }

    /** Elements per row. */
    public int length() {
        return length;
    }

    public ActivationFormat format() {
        return format;
    }

    /** Rounded values (float formats) or int8 level × block scale (Q8 formats), [rows][length]. */
    public float[] values() {
        return values;
    }

    /** int8 levels as floats, [rows][length] (what the SIMD decoding kernels multiply with); null for the float formats. */
    public float[] levels() {
        return levels;
    }

    /** int8 levels as shorts, [rows][length] (what the interleaved kernels multiply with); null for the float formats. */
    public short[] shortLevels() {
        return shortLevels;
    }

    /**
     * What the interleaved Q6_K kernels multiply with (see {@code lumen.tensor.quant.Q6KernelOrder}): for
     * each run of 8 levels x, 13 shorts: −32·Σx − 256 (a 16-bit sum started there ends within range on
     * Σ (q−32)·x − 256), then per half x0, x3 − 64·x0, x1, 4·x3 − 64·x1, x2, 16·x3 − 64·x2. [rows][length/8·13];
     * null except for Q8_K.
     */
    public short[] q6Levels() {
        return q6Levels;
    }

    /** int8 levels, [rows][length]; null for the float formats. */
    public byte[] quants() {
        return quants;
    }

    /** One scale per block, [rows][length / blockSize]; null for the float formats. */
    public float[] scales() {
        return scales;
    }

    /** Q8_1's s = fp16(d·Σq) per block; null otherwise. */
    public float[] sums() {
        return sums;
    }

    /** Sums of the levels: Q8_K's of each 16 consecutive, [rows][length / 16]; Q8_0's per block, [rows][length / 32]; null otherwise. */
    public short[] bsums() {
        return bsums;
    }
}
