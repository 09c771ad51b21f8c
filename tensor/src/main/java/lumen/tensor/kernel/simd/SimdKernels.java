package lumen.tensor.kernel.simd;

import static lumen.tensor.kernel.simd.Species.F;
import static lumen.tensor.kernel.simd.Species.L;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.TensorException;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.kernel.ScalarKernels;
import lumen.tensor.quant.Interleaved;

/**
 * Vector API kernels, three formulations.
 *
 * <p>Interleaved weights ({@link #repack}: Q4_0, Q8_0, Q4_K, Q6_K where 512-bit vectors are native, as
 * models load them by default): {@link InterleavedDot} multiplies 32 rows at a time with llama.cpp's
 * exact integer block sums, reusing each unpacked weight vector for several tokens of a batch; a token
 * gives the same bits alone and in any batch. The two formulations below serve the file's layout.
 *
 * <p>Batches (four tokens or more): each weight row is first unpacked ({@link Expand}) into floats in
 * a per-thread scratch row — level × scale, exact for every type, minus the min where the type has
 * one — and then multiplied with the activation values (int8 level × block scale for the Q8 formats)
 * as a plain float matrix product in register tiles of 4 rows × 4 tokens: 16 FMAs per 16 loads, no
 * per-block scale work in the inner loop. Per (row, token) it is always one FMA chain over L-lane
 * steps, lanes added in index order, then the elements past the last full vector, whatever the
 * tile shape (4 × 4, 4 × 1 for leftover tokens, 1 × 1 for leftover rows).
 *
 * <p>Single tokens (fewer than four) of Q4_0, Q8_0, Q3_K–Q6_K: {@link Fused} reads the packed blocks
 * once and sums each block exactly (integer levels times int8 activation levels, as llama.cpp's
 * integer dot products) before its scales. Other types take the batch path.
 *
 * <p>The two agree within float rounding (each product rounded once against once per block, relative
 * differences of order 1e-7), so a token decoded alone may differ in the last bits from the same token
 * in a batch. A single formulation for both was tried: the decoding kernels then need several rows per
 * loop to hide the FMA latency of one chain, and C2 stops inlining those loops (node count) and boxes
 * the vectors.
 */
public final class SimdKernels implements Kernels {

    /** Entry point for {@code KernelProvider}; fails if the Vector API cannot be used here. */
    public static SimdKernels create() {
        return new SimdKernels();
    }

    private SimdKernels() {
        if (L < 4) throw new UnsupportedOperationException("float vectors of " + L + " lanes");
    }

    @Override
    public String name() {
        return "simd-" + Species.BITS;
    }

    @Override
    public Activations prepare(GgmlType weightType, float[] x, int n, int k) {
        return Activations.of(weightType, x, n, k);
    }

    /**
     * Q4_0, Q8_0, Q4_K and Q6_K matrices of whole 32-row groups are interleaved ({@link Interleaved})
     * where 512-bit vectors are native: {@link InterleavedDot} then multiplies 32 rows per lane-wise
     * operation, for single tokens and batches alike.
     */
    @Override
    public Tensor repack(Tensor w, Arena arena) {
        boolean typed = switch (w.type()) {
            case Q4_0, Q8_0, Q4_K, Q6_K -> true;
            default -> false;
        };
        return Species.BITS == 512 && typed && Interleaved.fits(w) ? Interleaved.repack(w, arena) : w;
    }

    @Override
    public void dequantizeRow(Tensor w, long row, float[] dst, int dstOffset) {
        ScalarKernels.dequantize(w, row, dst, dstOffset);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        ScalarKernels.checkRange(x, xOff, n, "x");
        ScalarKernels.checkRange(y, yOff, n, "y");
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            av.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /**
     * Four rows of a at a time over blocks of 2·L columns, each row of m read once for the four (eight
     * accumulators: fits AVX2's sixteen registers too); leftover rows one at a time over blocks of up to
     * 4·L columns: four independent FMA chains or more hide the FMA latency.
     */
    @Override
    public void addMatrixProduct(float[] a, int aOff, int aStride, int rows, int count, float[] m, int mOff, int mStride,
                                 float[] y, int yOff, int yStride, int n) {
        ScalarKernels.checkMatrixProduct(a, aOff, aStride, rows, count, m, mOff, mStride, y, yOff, yStride, n);
        if (count <= 0 || n <= 0) return;
        int r = 0;
        for (; r + 4 <= rows; r += 4) product4(a, aOff + r * aStride, aStride, count, m, mOff, mStride, y, yOff + r * yStride, yStride, n);
        for (; r < rows; r++) product1(a, aOff + r * aStride, count, m, mOff, mStride, y, yOff + r * yStride, n);
    }

    private static void product4(float[] a, int a0, int as, int count, float[] m, int mOff, int mStride,
                                 float[] y, int y0, int ys, int n) {
        int a1 = a0 + as, a2 = a1 + as, a3 = a2 + as, y1 = y0 + ys, y2 = y1 + ys, y3 = y2 + ys;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector s0 = FloatVector.fromArray(F, y, y0 + i), t0 = FloatVector.fromArray(F, y, y0 + i + L);
            FloatVector s1 = FloatVector.fromArray(F, y, y1 + i), t1 = FloatVector.fromArray(F, y, y1 + i + L);
            FloatVector s2 = FloatVector.fromArray(F, y, y2 + i), t2 = FloatVector.fromArray(F, y, y2 + i + L);
            FloatVector s3 = FloatVector.fromArray(F, y, y3 + i), t3 = FloatVector.fromArray(F, y, y3 + i + L);
            for (int j = 0; j < count; j++) {
                int mo = mOff + j * mStride + i;
                FloatVector u = FloatVector.fromArray(F, m, mo), v = FloatVector.fromArray(F, m, mo + L);
                FloatVector c0 = FloatVector.broadcast(F, a[a0 + j]), c1 = FloatVector.broadcast(F, a[a1 + j]);
                FloatVector c2 = FloatVector.broadcast(F, a[a2 + j]), c3 = FloatVector.broadcast(F, a[a3 + j]);
                s0 = c0.fma(u, s0);
                t0 = c0.fma(v, t0);
                s1 = c1.fma(u, s1);
                t1 = c1.fma(v, t1);
                s2 = c2.fma(u, s2);
                t2 = c2.fma(v, t2);
                s3 = c3.fma(u, s3);
                t3 = c3.fma(v, t3);
            }
            s0.intoArray(y, y0 + i);
            t0.intoArray(y, y0 + i + L);
            s1.intoArray(y, y1 + i);
            t1.intoArray(y, y1 + i + L);
            s2.intoArray(y, y2 + i);
            t2.intoArray(y, y2 + i + L);
            s3.intoArray(y, y3 + i);
            t3.intoArray(y, y3 + i + L);
        }
        if (i < n) {
            for (int ar = a0, yr = y0; yr <= y3; ar += as, yr += ys) product1(a, ar, count, m, mOff + i, mStride, y, yr + i, n - i);
        }
    }

    /** One row of a: y in registers for blocks of up to 4·L columns while the rows of m go by. */
    private static void product1(float[] a, int aOff, int count, float[] m, int mOff, int mStride, float[] y, int yOff, int n) {
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            FloatVector s0 = FloatVector.fromArray(F, y, yOff + i), s1 = FloatVector.fromArray(F, y, yOff + i + L);
            FloatVector s2 = FloatVector.fromArray(F, y, yOff + i + 2 * L), s3 = FloatVector.fromArray(F, y, yOff + i + 3 * L);
            for (int j = 0; j < count; j++) {
                FloatVector c = FloatVector.broadcast(F, a[aOff + j]);
                int mo = mOff + j * mStride + i;
                s0 = c.fma(FloatVector.fromArray(F, m, mo), s0);
                s1 = c.fma(FloatVector.fromArray(F, m, mo + L), s1);
                s2 = c.fma(FloatVector.fromArray(F, m, mo + 2 * L), s2);
                s3 = c.fma(FloatVector.fromArray(F, m, mo + 3 * L), s3);
            }
            s0.intoArray(y, yOff + i);
            s1.intoArray(y, yOff + i + L);
            s2.intoArray(y, yOff + i + 2 * L);
            s3.intoArray(y, yOff + i + 3 * L);
        }
        for (; i + L <= n; i += L) {
            FloatVector s0 = FloatVector.fromArray(F, y, yOff + i);
            for (int j = 0; j < count; j++) s0 = FloatVector.broadcast(F, a[aOff + j]).fma(FloatVector.fromArray(F, m, mOff + j * mStride + i), s0);
            s0.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float acc = y[yOff + i];
            for (int j = 0; j < count; j++) acc = Math.fma(a[aOff + j], m[mOff + j * mStride + i], acc);
            y[yOff + i] = acc;
        }
    }

    @Override
    public void softmax(float[] x, int off, int n, float scale) {
        ScalarKernels.checkRange(x, off, n, "x");
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i + L <= n; i += L) {
            FloatVector y = FloatVector.fromArray(F, x, off + i).mul(scale);
            y.intoArray(x, off + i);
            vmax = vmax.max(y);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            x[off + i] *= scale;
            max = Math.max(max, x[off + i]);
        }
        FloatVector vsum = FloatVector.zero(F);
        for (i = 0; i + L <= n; i += L) {
            FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = treeSum(vsum);
        for (; i < n; i++) {
            x[off + i] = (float) Math.exp(x[off + i] - max);
            sum += x[off + i];
        }
        float inv = 1 / sum;
        for (i = 0; i + L <= n; i += L) FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= inv;
    }

    @Override
    public void swiglu(float[] gate, float[] up, int off, int n) {
        ScalarKernels.checkRange(gate, off, n, "gate");
        ScalarKernels.checkRange(up, off, n, "up");
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, off + i);
            g.div(g.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(F, up, off + i)).intoArray(gate, off + i);
        }
        for (; i < n; i++) gate[off + i] = gate[off + i] / (1.0f + (float) Math.exp(-gate[off + i])) * up[off + i];
    }

    /** Per-thread unpacked row: the weights as floats ({@link Expand}), and the K-quant scale scratch. */
    private static final class Scratch {
        float[] lev = new float[0];
        /** Q4_1/Q5_1: each block's min, kept out of {@link #lev} (see {@link #addMinTerms}). */
        float[] mins = new float[0];
        final int[] sc = new int[16], m = new int[16];
        final float[] scales16 = new float[16];
        /** The decoding kernels' lane scratch (Q4_K keeps its scales here): its own array, not the tiles' —
         *  sharing LANES halved Q4_K decoding (measured; C2 compiled the kernel differently). */
        final float[] lanes = new float[128];
        void ensure(int k) {
            if (lev.length < k) lev = new float[k];
            if (mins.length < k / 32) mins = new float[k / 32];
        }
    }

    /**
     * Rows unpacked together: a group of four tokens' activations is then read once per block of rows
     * instead of once per four rows, and decoding streams ROW_BLOCK weight rows before multiplying.
     */
    private static final int ROW_BLOCK = 8;

    private static final ThreadLocal<Scratch[]> BLOCK = ThreadLocal.withInitial(() -> {
        Scratch[] b = new Scratch[ROW_BLOCK];
        for (int i = 0; i < b.length; i++) b[i] = new Scratch();
        return b;
    });

    /**
     * Every weight type the same way: a block of rows is unpacked into float weights (level × scale,
     * exact, minus the min where the type has one), then multiplied with the activation values in
     * 4 × 4 tiles of (row, token), 4 × 1 for tokens left over. Each (row, token) is one FMA chain
     * over L-lane steps, its lanes added in index order, then the tail: the same operations in every
     * tile shape, so a row's result depends neither on the batch size nor on the row range.
     */
    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        ScalarKernels.checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        GgmlType type = w.type();
        int k = x.length();
        int n = x.rows();
        float[] xv = x.values();
        long rowBytes = w.rowBytes();
        MemorySegment seg = w.data();
        if (w.layout() == Tensor.Layout.INTERLEAVED) {
            interleaved(w, x, out, outStride, rowStart, rowEnd);
            return;
        }
        Scratch[] block = BLOCK.get();
        float[] lanes = LANES.get();
        if (n < 4 && fused(type)) {
            Scratch s = block[0];
            for (int r = rowStart; r < rowEnd; r++) {
                long off = r * rowBytes;
                for (int t = 0; t < n; t++) out[t * outStride + r] = fusedDot(type, seg, off, k, x, t, s);
            }
            return;
        }
        for (int rb = rowStart; rb < rowEnd; rb += ROW_BLOCK) {
            int re = Math.min(rowEnd, rb + ROW_BLOCK);
            for (int r = rb; r < re; r++) expand(type, seg, r * rowBytes, k, block[r - rb]);
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                int r = rb;
                for (; r + 4 <= re; r += 4) {
                    tile4x4(block[r - rb].lev, block[r - rb + 1].lev, block[r - rb + 2].lev, block[r - rb + 3].lev,
                            k, xv, t * k, out, t * outStride + r, outStride, lanes);
                }
                for (; r < re; r++) {
                    for (int j = 0; j < 4; j++) out[(t + j) * outStride + r] = tile1x1(block[r - rb].lev, k, xv, (t + j) * k);
                }
            }
            for (; t < n; t++) {
                int r = rb;
                for (; r + 4 <= re; r += 4) {
                    tile4x1(block[r - rb].lev, block[r - rb + 1].lev, block[r - rb + 2].lev, block[r - rb + 3].lev,
                            k, xv, t * k, out, t * outStride + r, lanes);
                }
                for (; r < re; r++) out[t * outStride + r] = tile1x1(block[r - rb].lev, k, xv, t * k);
            }
            if (x.sums() != null) addMinTerms(block, rb, re, x.sums(), k / 32, n, out, outStride);
        }
    }

    /**
     * Q4_1/Q5_1 weights times Q8_1 activations: llama.cpp adds each block's m_w · s_x, with s_x =
     * fp16(d'·Σq) rounded on its own; folding m into the unpacked weights would multiply it with Σ d·q
     * instead, and that 2^-11 difference per block, summed over the blocks of every row, moved the logits
     * of a Q4_1 model ~1 % away from llama.cpp's. Added per (row, token) in block order, whatever the tile.
     */
    private static void addMinTerms(Scratch[] block, int rb, int re, float[] sums, int blocks, int n, float[] out, int outStride) {
        for (int r = rb; r < re; r++) {
            float[] mins = block[r - rb].mins;
            for (int t = 0; t < n; t++) {
                float m = 0;
                for (int b = 0; b < blocks; b++) m += mins[b] * sums[t * blocks + b];
                out[t * outStride + r] += m;
            }
        }
    }

    /** Each token times each 32-row group, as llama.cpp's integer block sums; the same for every batch size. */
    private static void interleaved(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        int g = Interleaved.ROWS;
        if (rowStart % g != 0 || (rowEnd % g != 0 && rowEnd != w.rowCount())) {
            throw new TensorException("tensor " + w.name() + ": rows [" + rowStart + ", " + rowEnd
                    + ") do not start and end on groups of " + g);
        }
        // Tokens in chunks whose activations (~256 KiB) stay in L2 while every group of these rows
        // meets them: all 512 tokens' of an 8192-wide matrix are 8 MiB, read again for each group
        // (pp512 of the 1B Q4_0 and Q4_K_M ~10–15 % faster). Chunks are whole multiples of 8 tokens,
        // so the batch kernels see the same token groups.
        int n = x.rows(), k = x.length();
        int perElement = w.type() == GgmlType.Q8_0 ? 4 : 2;   // float levels, or short ones
        int chunk = Math.max(8, 256 * 1024 / (perElement * k) / 8 * 8);
        for (int t0 = 0; t0 < n; t0 += chunk) groupsTimesTokens(w, x, out, outStride, rowStart, rowEnd, t0, Math.min(n, t0 + chunk));
    }

    /** Tokens [t0, t1) times each 32-row group in [rowStart, rowEnd): four or eight tokens at a time, then one by one. */
    private static void groupsTimesTokens(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd,
                                          int t0, int t1) {
        int g = Interleaved.ROWS;
        int k = x.length(), ds = k / 32;
        long groupBytes = g * w.rowBytes();
        MemorySegment seg = w.data();
        GroupScratch gs = GROUP_SCRATCH.get();
        float[] sums = gs.floats;
        int[] scm = gs.scalesMins;
        int[] ints = gs.totals, aux = gs.blockScales;
        short[] s16 = gs.shortSums;
        for (int r = rowStart; r < rowEnd; r += g) {
            long off = r / g * groupBytes;
            int t = t0;
            if (w.type() == GgmlType.Q8_0) {
                for (; t + 8 <= t1; t += 8) {
                    InterleavedDot.q8_0x8(seg, off, k, x.levels(), t * k, x.scales(), t * ds, out, t * outStride + r, outStride, sums);
                }
            } else if (w.type() == GgmlType.Q4_K) {
                for (; t + 4 <= t1; t += 4) {
                    InterleavedDot.q4_kx4(seg, off, k, x.shortLevels(), t * k, x.scales(), x.bsums(), t * (k / 256), out,
                            t * outStride + r, outStride, scm, ints, aux, sums);
                }
            } else if (w.type() == GgmlType.Q6_K) {
                for (; t + 4 <= t1; t += 4) {
                    InterleavedDot.q6_kx4(seg, off, k, x.shortLevels(), x.q6Levels(), t * k, x.scales(), t * (k / 256), out,
                            t * outStride + r, outStride, s16, ints, sums);
                }
            } else if (w.type() == GgmlType.Q4_0) {
                for (; t + 4 <= t1; t += 4) {
                    InterleavedDot.q4_0x4(seg, off, k, x.shortLevels(), t * k, x.scales(), x.bsums(), t * ds, out, t * outStride + r, outStride);
                }
            }
            for (; t < t1; t++) {
                int o = t * outStride + r;
                switch (w.type()) {
                    case Q4_K -> InterleavedDot.q4_k(seg, off, k, x.shortLevels(), t * k, x.scales(), x.bsums(), t * (k / 256), out, o, scm);
                    case Q6_K -> InterleavedDot.q6_k(seg, off, k, x.q6Levels(), t * k, x.scales(), t * (k / 256), out, o, gs.totals);
                    case Q4_0 -> InterleavedDot.q4_0(seg, off, k, x.shortLevels(), t * k, x.scales(), x.bsums(), t * ds, out, o);
                    case Q8_0 -> InterleavedDot.q8_0(seg, off, k, x.levels(), t * k, x.scales(), t * ds, out, o);
                    default -> throw new TensorException("no interleaved kernel for " + w.type());
                }
            }
        }
    }

    private static boolean fused(GgmlType type) {
        return type == GgmlType.Q4_0 || type == GgmlType.Q8_0 || type == GgmlType.Q4_K || type == GgmlType.Q6_K
                || type == GgmlType.Q3_K || type == GgmlType.Q5_K;
    }

    /** One row times one token straight from the packed blocks, as llama.cpp's integer dot products ({@link Fused}). */
    private static float fusedDot(GgmlType type, MemorySegment seg, long off, int k, Activations x, int t, Scratch s) {
        float[] xv = x.levels(), xd = x.scales(), lanes = s.lanes;
        return switch (type) {
            case Q4_0 -> Fused.q4_0(seg, off, k, xv, t * k, xd, t * (k / 32), lanes);
            case Q8_0 -> Fused.q8_0(seg, off, k, xv, t * k, xd, t * (k / 32), lanes);
            case Q4_K -> Fused.q4_k(seg, off, k, xv, t * k, xd, t * (k / 256), x.bsums(), s.sc, s.m, lanes);
            case Q6_K -> Fused.q6_k(seg, off, k, xv, t * k, xd, t * (k / 256), s.scales16, lanes);
            case Q5_K -> Fused.q5_k(seg, off, k, xv, t * k, xd, t * (k / 256), x.bsums(), s.sc, s.m);
            case Q3_K -> Fused.q3_k(seg, off, k, xv, t * k, xd, t * (k / 256), s.sc);
            default -> throw new IllegalStateException(type.toString());
        };
    }

    /** Per-thread scratch of the {@link InterleavedDot} kernels (sizes as their docs ask). */
    private static final class GroupScratch {
        /** Q4_K's unpacked scales and mins of a super-block. */
        final int[] scalesMins = new int[512];
        /** Four tokens' int32 totals of 32 rows. */
        final int[] totals = new int[128];
        /** Q4_K's scales of a super-block, shared by four tokens. */
        final int[] blockScales = new int[128];
        /** Q6_K's 16-bit sums of four tokens. */
        final short[] shortSums = new short[512];
        /** Float block sums and totals of several tokens. */
        final float[] floats = new float[256];
    }

    private static final ThreadLocal<GroupScratch> GROUP_SCRATCH = ThreadLocal.withInitial(GroupScratch::new);

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[16 * 16]);

    private static void expand(GgmlType type, MemorySegment seg, long off, int k, Scratch s) {
        s.ensure(k);
        float[] lev = s.lev;
        switch (type) {
            case F32 -> Expand.f32(seg, off, k, lev);
            case F16 -> Expand.f16(seg, off, k, lev);
            case BF16 -> Expand.bf16(seg, off, k, lev);
            case Q8_0 -> Expand.q8_0(seg, off, k, lev);
            case Q4_0 -> Expand.q4_0(seg, off, k, lev);
            case Q5_0 -> Expand.q5_0(seg, off, k, lev);
            case Q4_1 -> Expand.q4_1(seg, off, k, lev, s.mins);
            case Q5_1 -> Expand.q5_1(seg, off, k, lev, s.mins);
            case Q2_K -> Expand.q2_k(seg, off, k, lev);
            case Q3_K -> Expand.q3_k(seg, off, k, lev, s.sc);
            case Q4_K -> Expand.q4_k(seg, off, k, lev, s.sc, s.m);
            case Q5_K -> Expand.q5_k(seg, off, k, lev, s.sc, s.m);
            case Q6_K -> Expand.q6_k(seg, off, k, lev);
            default -> throw new TensorException("no SIMD kernel for weight type " + type);
        }
    }

    // ---- tiles: one FMA chain per (row, token); lanes in index order; then the tail ---------------------

    /** Rows w0..w3 × tokens at x[x0], x[x0+k], x[x0+2k], x[x0+3k]; out[o + j·stride + i] for token j, row i. */
    private static void tile4x4(float[] w0, float[] w1, float[] w2, float[] w3, int k, float[] xv, int x0,
                                float[] out, int o, int stride, float[] lanes) {
        int x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        int steps = k / L;
        for (int s = 0; s < steps; s++) {
            int i = s * L;
            FloatVector v0 = FloatVector.fromArray(F, w0, i), v1 = FloatVector.fromArray(F, w1, i);
            FloatVector v2 = FloatVector.fromArray(F, w2, i), v3 = FloatVector.fromArray(F, w3, i);
            FloatVector x;
            x = FloatVector.fromArray(F, xv, x0 + i);
            a00 = v0.fma(x, a00); a10 = v1.fma(x, a10); a20 = v2.fma(x, a20); a30 = v3.fma(x, a30);
            x = FloatVector.fromArray(F, xv, x1 + i);
            a01 = v0.fma(x, a01); a11 = v1.fma(x, a11); a21 = v2.fma(x, a21); a31 = v3.fma(x, a31);
            x = FloatVector.fromArray(F, xv, x2 + i);
            a02 = v0.fma(x, a02); a12 = v1.fma(x, a12); a22 = v2.fma(x, a22); a32 = v3.fma(x, a32);
            x = FloatVector.fromArray(F, xv, x3 + i);
            a03 = v0.fma(x, a03); a13 = v1.fma(x, a13); a23 = v2.fma(x, a23); a33 = v3.fma(x, a33);
        }
        a00.intoArray(lanes, 0); a10.intoArray(lanes, L); a20.intoArray(lanes, 2 * L); a30.intoArray(lanes, 3 * L);
        a01.intoArray(lanes, 4 * L); a11.intoArray(lanes, 5 * L); a21.intoArray(lanes, 6 * L); a31.intoArray(lanes, 7 * L);
        a02.intoArray(lanes, 8 * L); a12.intoArray(lanes, 9 * L); a22.intoArray(lanes, 10 * L); a32.intoArray(lanes, 11 * L);
        a03.intoArray(lanes, 12 * L); a13.intoArray(lanes, 13 * L); a23.intoArray(lanes, 14 * L); a33.intoArray(lanes, 15 * L);
        int tail = steps * L;
        for (int j = 0; j < 4; j++) {
            int xj = x0 + j * k;
            out[o + j * stride] = tail(w0, tail, k, xv, xj, laneSum(lanes, (4 * j) * L));
            out[o + j * stride + 1] = tail(w1, tail, k, xv, xj, laneSum(lanes, (4 * j + 1) * L));
            out[o + j * stride + 2] = tail(w2, tail, k, xv, xj, laneSum(lanes, (4 * j + 2) * L));
            out[o + j * stride + 3] = tail(w3, tail, k, xv, xj, laneSum(lanes, (4 * j + 3) * L));
        }
    }

    /** Rows w0..w3 × the token at x[x0]; out[o + i] for row i. */
    private static void tile4x1(float[] w0, float[] w1, float[] w2, float[] w3, int k, float[] xv, int x0,
                                float[] out, int o, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int steps = k / L;
        for (int s = 0; s < steps; s++) {
            int i = s * L;
            FloatVector x = FloatVector.fromArray(F, xv, x0 + i);
            a0 = FloatVector.fromArray(F, w0, i).fma(x, a0);
            a1 = FloatVector.fromArray(F, w1, i).fma(x, a1);
            a2 = FloatVector.fromArray(F, w2, i).fma(x, a2);
            a3 = FloatVector.fromArray(F, w3, i).fma(x, a3);
        }
        a0.intoArray(lanes, 0); a1.intoArray(lanes, L); a2.intoArray(lanes, 2 * L); a3.intoArray(lanes, 3 * L);
        int tail = steps * L;
        out[o] = tail(w0, tail, k, xv, x0, laneSum(lanes, 0));
        out[o + 1] = tail(w1, tail, k, xv, x0, laneSum(lanes, L));
        out[o + 2] = tail(w2, tail, k, xv, x0, laneSum(lanes, 2 * L));
        out[o + 3] = tail(w3, tail, k, xv, x0, laneSum(lanes, 3 * L));
    }

    /** One row × one token. */
    private static float tile1x1(float[] w, int k, float[] xv, int x0) {
        FloatVector a = FloatVector.zero(F);
        int steps = k / L;
        for (int s = 0; s < steps; s++) {
            int i = s * L;
            a = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, xv, x0 + i), a);
        }
        return tail(w, steps * L, k, xv, x0, sum(a));
    }

    /** lanes[o .. o+L) added in index order, as {@link #sum(FloatVector)}. */
    private static float laneSum(float[] lanes, int o) {
        float s = 0;
        for (int i = 0; i < L; i++) s += lanes[o + i];
        return s;
    }

    private static float tail(float[] w, int i, int k, float[] xv, int xo, float acc) {
        for (; i < k; i++) acc += w[i] * xv[xo + i];
        return acc;
    }

    /** As {@link #sum(FloatVector)}, through {@code lanes} (≥ L floats): one store and L loads beat L lane extractions. */
    static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        return laneSum(lanes, 0);
    }

    /** Lane i + L/2 added to lane i, then i + L/4, …: a fixed order (reduceLanes leaves its order open). */
    static float treeSum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(UP8));
        if (L >= 8) v = v.add(v.rearrange(UP4));
        v = v.add(v.rearrange(UP2));
        v = v.add(v.rearrange(UP1));
        return v.lane(0);
    }

    /** Lane i takes lane i + h (wrapping), for {@link #treeSum}. */
    private static final VectorShuffle<Float> UP8 = VectorShuffle.iota(F, 8, 1, true), UP4 = VectorShuffle.iota(F, 4, 1, true),
            UP2 = VectorShuffle.iota(F, 2, 1, true), UP1 = VectorShuffle.iota(F, 1, 1, true);

    /** Lanes added in index order (reduceLanes leaves the order open; see the style guide). */
    static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }
}
