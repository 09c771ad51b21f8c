package lumen.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
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
    /**
     * Whether {@link #levels()} and {@link #values()} are written. Decoding rounds rows too short to
     * share between threads and writes only the bytes and shorts the interleaved kernels read; each float
     * form follows on its first use (the interleaved Q8_0 kernels read levels only, the float tiles values
     * only). Writing all four forms in the rounding pass cost ~5 % of a decoded token: after a matrix has
     * streamed through the caches, every array written is a cache miss (measured: the same rounding took
     * 5× longer in the engine than in a loop).
     */
    private volatile boolean levelsMade, valuesMade;

    /** Made on first use ({@link #q6Levels()}): only Q6_K matrices read it. */
    private volatile short[] q6Levels;
    /** An array for {@link #q6Levels()} to fill, from the spare this was written into. */
    private final short[] q6Spare;
    private final float[] scales, sums;
    private final short[] bsums;

    private Activations(ActivationFormat format, int rows, int length, float[] values, float[] levels, byte[] quants,
                        short[] shortLevels, float[] scales, float[] sums, short[] bsums, short[] q6Spare) {
        this(format, rows, length, values, levels, quants, shortLevels, scales, sums, bsums, q6Spare, true);
    }

    private Activations(ActivationFormat format, int rows, int length, float[] values, float[] levels, byte[] quants,
                        short[] shortLevels, float[] scales, float[] sums, short[] bsums, short[] q6Spare, boolean floatsMade) {
        this.levelsMade = floatsMade;
        this.valuesMade = floatsMade;
        this.format = format;
        this.rows = rows;
        this.length = length;
        this.values = values;
        this.levels = levels;
        this.quants = quants;
        this.shortLevels = shortLevels;
        this.q6Spare = q6Spare;
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
        return of(weightType, x, n, k, pool, null);
    }

    /**
     * As {@link #of(GgmlType, float[], int, int, ThreadPool)}, written into the arrays of {@code spare}
     * (an earlier result of the same format and size, no longer used: it then reads the new values)
     * where it fits, else into new ones. Decoding rounds the same shapes for every token: fresh arrays
     * each time cost more than the rounding (new memory is cold in the caches, measured).
     */
    public static Activations of(GgmlType weightType, float[] x, int n, int k, ThreadPool pool, Activations spare) {
        ActivationFormat f = ActivationFormat.forWeight(weightType);
        if (n < 0 || k <= 0 || (long) n * k > x.length) {
            throw new TensorException("activations: " + n + " rows of " + k + " need " + (long) n * k
                    + " floats, found " + x.length);
        }
        if (k % f.blockSize != 0) {
            throw new TensorException("activations for " + weightType + ": row length " + k
                    + " is not a multiple of the " + f + " block size " + f.blockSize);
        }
        Activations a = spare != null && spare.format == f && spare.rows == n && spare.length == k ? spare : buffers(f, n, k);
        int total = n * k, bs = f.blockSize;
        boolean floats = pool != null && total >= PARALLEL_ELEMENTS;   // prompts: every form now, on all threads
        float[] values = a.values, levels = a.levels, d = a.scales, sums = a.sums;
        byte[] q = a.quants;
        short[] sl = a.shortLevels, bsums = a.bsums;
        switch (f) {
            case F32 -> System.arraycopy(x, 0, values, 0, total);
            case F16 -> spread(total, 1, pool, (s, e) -> {
                for (int i = s; i < e; i++) values[i] = F16.round(x[i]);
            });
            case BF16 -> spread(total, 1, pool, (s, e) -> {
                for (int i = s; i < e; i++) values[i] = BF16.round(x[i]);
            });
            case Q8_0 -> spread(total, bs, pool, (s, e) -> roundQ8_0(x, s, e, q, d, bsums, levels, sl, values, floats));
            case Q8_1 -> spread(total, bs, pool, (s, e) -> {
                Q8_1.quantizeActivation(x, s, e - s, q, d, sums, s);
                widen(q, d, bs, s, e, levels, sl, values);
            });
            case Q8_K -> spread(total, bs, pool, (s, e) -> roundQ8_K(x, s, e, q, d, bsums, levels, sl, values, floats));
        }
        boolean lean = !floats && (f == ActivationFormat.Q8_0 || f == ActivationFormat.Q8_K);
        return new Activations(f, n, k, values, levels, q, sl, d, sums, bsums, a.q6Spare(), !lean);
    }

    /** Arrays for n rows of k in format f (what {@link #of} fills). */
    private static Activations buffers(ActivationFormat f, int n, int k) {
        int total = n * k, blocks = total / f.blockSize;
        return switch (f) {
            case F32, F16, BF16 -> new Activations(f, n, k, new float[total], null, null, null, null, null, null, null);
            case Q8_0 -> new Activations(f, n, k, new float[total], new float[total], new byte[total], new short[total],
                    new float[blocks], null, new short[blocks], null);
            case Q8_1 -> new Activations(f, n, k, new float[total], new float[total], new byte[total], new short[total],
                    new float[blocks], new float[blocks], null, null);
            case Q8_K -> new Activations(f, n, k, new float[total], new float[total], new byte[total], new short[total],
                    new float[blocks], null, new short[total / 16], null);
        };
    }

    /** The array of {@link #q6Levels()} for a result written over this one: filled or not, it is overwritten. */
    private short[] q6Spare() {
        short[] q6 = q6Levels;
        return q6 != null ? q6 : q6Spare;
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

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final VectorSpecies<Short> SL = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Byte> BL = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    /** x + 1.5·2^23 − 1.5·2^23 is x rounded half to even for |x| &lt; 2^22 (ggml's nearest_int, {@link Math#rint}). */
    private static final float RINT = 12582912f;

    /**
     * The blocks of [s, e) as {@link Q8_0#quantizeActivation} rounds them (the same bits; tested), with
     * shortLevels and the block sums made in the same pass, and levels and values too when {@code floats}.
     */
    private static void roundQ8_0(float[] x, int s, int e, byte[] q, float[] d, short[] sums, float[] levels,
                                  short[] sl, float[] values, boolean floats) {
        int bs = Q8_0.BLOCK;
        if (bs % L != 0) {
            Q8_0.quantizeActivation(x, s, e - s, q, d, s);
            for (int b = s; b < e; b += bs) {
                int sum = 0;
                for (int i = b; i < b + bs; i++) sum += q[i];
                sums[b / bs] = (short) sum;
            }
            widen(q, d, bs, s, e, levels, sl, values);
            return;
        }
        for (int b = s; b < e; b += bs) {
            FloatVector m = FloatVector.zero(F);
            for (int i = b; i < b + bs; i += L) m = m.max(FloatVector.fromArray(F, x, i).abs());
            float amax = m.reduceLanes(VectorOperators.MAX);
            float db = F16.round(amax / 127.f), id = amax != 0 ? 127.f / amax : 0.0f;
            d[b / bs] = db;
            FloatVector sum = FloatVector.zero(F);
            for (int i = b; i < b + bs; i += L) {
                FloatVector level = FloatVector.fromArray(F, x, i).mul(id).add(RINT).sub(RINT);
                store(level, db, i, q, levels, sl, values, floats);
                sum = sum.add(level);
            }
            sums[b / bs] = (short) sum.reduceLanes(VectorOperators.ADD);   // integers below 2^24: exact in any order
        }
    }

    /**
     * The blocks of [s, e) as {@link Q8_K#quantizeActivation} rounds them (the same bits; tested): the
     * scale from the first element of largest magnitude, NaN ignored as there.
     */
    private static void roundQ8_K(float[] x, int s, int e, byte[] q, float[] d, short[] bsums, float[] levels,
                                  short[] sl, float[] values, boolean floats) {
        int bs = Q8_K.BLOCK;
        if (16 % L != 0) {
            Q8_K.quantizeActivation(x, s, e - s, q, d, bsums, s);
            widen(q, d, bs, s, e, levels, sl, values);
            return;
        }
        for (int b = s; b < e; b += bs) {
            FloatVector m = FloatVector.zero(F);
            for (int i = b; i < b + bs; i += L) {
                FloatVector a = FloatVector.fromArray(F, x, i).abs();
                m = m.blend(a, a.compare(VectorOperators.GT, m));
            }
            float amax = m.reduceLanes(VectorOperators.MAX), max = 0;
            for (int i = b; i < b + bs; i += L) {
                VectorMask<Float> at = FloatVector.fromArray(F, x, i).abs().compare(VectorOperators.EQ, amax);
                if (at.anyTrue()) {
                    max = x[i + at.firstTrue()];
                    break;
                }
            }
            if (amax == 0) {
                d[b / bs] = 0;
                for (int i = b; i < b + bs; i++) {
                    q[i] = 0;
                    levels[i] = 0;
                    sl[i] = 0;
                    values[i] = 0;
                }
                for (int j = b / 16; j < (b + bs) / 16; j++) bsums[j] = 0;
                continue;
            }
            float iscale = -127.f / max, db = 1 / iscale;
            d[b / bs] = db;
            for (int j = b; j < b + bs; j += 16) {
                FloatVector sum = FloatVector.zero(F);
                for (int i = j; i < j + 16; i += L) {
                    FloatVector level = FloatVector.fromArray(F, x, i).mul(iscale).add(RINT).sub(RINT).min(127f);
                    store(level, db, i, q, levels, sl, values, floats);
                    sum = sum.add(level);
                }
                bsums[j / 16] = (short) sum.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /** L integer levels (as floats) at i: as bytes, shorts, and if asked as floats and times the block scale db. */
    private static void store(FloatVector level, float db, int i, byte[] q, float[] levels, short[] sl, float[] values, boolean floats) {
        if (floats) {
            level.intoArray(levels, i);
            level.mul(db).intoArray(values, i);
        }
        level.convertShape(VectorOperators.F2B, BL, 0).reinterpretAsBytes().intoArray(q, i);
        level.convertShape(VectorOperators.F2S, SL, 0).reinterpretAsShorts().intoArray(sl, i);
    }

    /** {@link #levels} from the int8 levels, once (decoding's lean rounding). */
    private synchronized void makeLevels() {
        if (levelsMade) return;
        for (int i = 0; i < quants.length; i++) levels[i] = quants[i];
        levelsMade = true;
    }

    /** {@link #values} from the int8 levels and block scales, once (decoding's lean rounding). */
    private synchronized void makeValues() {
        if (valuesMade) return;
        int bs = format.blockSize;
        for (int b = 0; b < quants.length; b += bs) {
            float db = scales[b / bs];
            for (int i = b; i < b + bs; i++) values[i] = quants[i] * db;   // as store: the float level times db, one rounding
        }
        valuesMade = true;
    }

    /** Below this many elements, rounding on the calling thread alone is quicker than waking the others. */
    private static final int PARALLEL_ELEMENTS = 65536;

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
        if (!valuesMade) makeValues();
        return values;
    }

    /** int8 levels as floats, [rows][length] (what the SIMD decoding kernels multiply with); null for the float formats. */
    public float[] levels() {
        if (!levelsMade) makeLevels();
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
     * null except for Q8_K. Made on the first call (only Q6_K matrices use it); safe from any thread.
     */
    public short[] q6Levels() {
        short[] q6 = q6Levels;
        if (q6 == null && format == ActivationFormat.Q8_K) {
            synchronized (this) {
                q6 = q6Levels;
                if (q6 == null) {
                    q6 = q6Spare != null ? q6Spare : new short[quants.length / 8 * 13];
                    q6Levels(quants, 0, quants.length, q6);
                    q6Levels = q6;
                }
            }
        }
        return q6;
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
