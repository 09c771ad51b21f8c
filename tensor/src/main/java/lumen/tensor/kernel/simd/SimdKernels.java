package lumen.tensor.kernel.simd;

import static lumen.tensor.kernel.simd.Species.F;
import static lumen.tensor.kernel.simd.Species.I;
import static lumen.tensor.kernel.simd.Species.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.TensorException;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.kernel.ScalarKernels;

/**
 * Vector API kernels. Each weight row is first unpacked ({@link Expand}) into exact integer levels
 * in a per-thread scratch row, then multiplied with the activation rows, four tokens at a time so
 * the unpacked row is reused from L1 across the batch.
 *
 * <p>Per (row, token) the operations are always the same sequence — unit sums by FMA over L lanes
 * (exact integers), one FMA of each unit sum with its scale into a lane accumulator, lanes added in
 * index order, then the scalar min/offset terms in block order — whether the token is computed alone
 * or in a group of four, and whatever row range is asked for: a row's result does not depend on batch
 * size or thread split.
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

    @Override
    public void dequantizeRow(Tensor w, long row, float[] dst, int dstOffset) {
        ScalarKernels.dequantize(w, row, dst, dstOffset);
    }

    /**
     * Four L-lane accumulators over blocks of 4·L (element i goes to accumulator (i / L) mod 4, lane
     * i mod L), added pairwise, lanes in index order, then the tail in order: fixed by n alone.
     */
    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        ScalarKernels.checkRange(a, aOff, n, "a");
        ScalarKernels.checkRange(b, bOff, n, "b");
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(F, a, aOff + i + 2 * L).fma(FloatVector.fromArray(F, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(F, a, aOff + i + 3 * L).fma(FloatVector.fromArray(F, b, bOff + i + 3 * L), s3);
        }
        for (; i + L <= n; i += L) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        }
        float acc = sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) acc += a[aOff + i] * b[bOff + i];
        return acc;
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

    /** Per-thread unpacked row. */
    private static final class Scratch {
        float[] lev = new float[0];
        float[] ws = new float[0], wm = new float[0];
        float[] dd = new float[0];
        final float[] lanes = new float[128];
        int[] mins16 = new int[0];
        final int[] sc = new int[16], m = new int[16];
        final float[] scales16 = new float[16];

        void ensure(int k) {
            if (lev.length < k) {
                lev = new float[k];
                ws = new float[k / 32 + 1];
                wm = new float[k / 32 + 1];
                mins16 = new int[k / 16 + 1];
            }
        }
    }

    /** 16 shorts (Q8_K block sums of one super-block). */
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        ScalarKernels.checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        GgmlType type = w.type();
        int k = x.length();
        int n = x.rows();
        long rowBytes = w.rowBytes();
        MemorySegment seg = w.data();
        Scratch s = SCRATCH.get();
        s.ensure(k);
        if (n < 4 && fused(type)) {
            for (int r = rowStart; r < rowEnd; r++) {
                long off = r * rowBytes;
                for (int t = 0; t < n; t++) out[t * outStride + r] = fusedDot(type, seg, off, k, x, t, s);
            }
            return;
        }
        Scratch[] block = BLOCK.get();
        for (int rb = rowStart; rb < rowEnd; rb += ROW_BLOCK) {
            int re = Math.min(rowEnd, rb + ROW_BLOCK);
            for (int r = rb; r < re; r++) expand(type, seg, r * rowBytes, k, block[r - rb]);
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                int r = rb;
                for (; r + 2 <= re; r += 2) tile(type, block, r - rb, k, x, out, outStride, r, t, 4, 2);
                if (r < re) tile(type, block, r - rb, k, x, out, outStride, r, t, 4, 1);
            }
            for (; t < n; t++) {
                for (int r = rb; r < re; r++) tile(type, block, r - rb, k, x, out, outStride, r, t, 1, 1);
            }
        }
    }

    /**
     * Rows unpacked together: the activations of a group of tokens are then read once per block of
     * rows instead of once per row (with 64 tokens of 8192 they are 2 MB, more than L2).
     */
    private static final int ROW_BLOCK = 8;

    private static final ThreadLocal<Scratch[]> BLOCK = ThreadLocal.withInitial(() -> {
        Scratch[] b = new Scratch[ROW_BLOCK];
        for (int i = 0; i < b.length; i++) b[i] = new Scratch();
        return b;
    });

    private static void expand(GgmlType type, MemorySegment seg, long off, int k, Scratch s) {
        s.ensure(k);
        switch (type) {
            case F32 -> Expand.f32(seg, off, k, s.lev);
            case F16 -> Expand.f16(seg, off, k, s.lev);
            case BF16 -> Expand.bf16(seg, off, k, s.lev);
            case Q8_0 -> Expand.q8_0(seg, off, k, s.lev, s.ws);
            case Q4_0 -> Expand.q4_0(seg, off, k, s.lev, s.ws);
            case Q5_0 -> Expand.q5_0(seg, off, k, s.lev, s.ws);
            case Q4_1 -> Expand.q4_1(seg, off, k, s.lev, s.ws, s.wm);
            case Q5_1 -> Expand.q5_1(seg, off, k, s.lev, s.ws, s.wm);
            case Q2_K -> Expand.q2_k(seg, off, k, s.lev, s.ws, s.wm, s.mins16);
            case Q3_K -> Expand.q3_k(seg, off, k, s.lev, s.ws, s.sc);
            case Q4_K -> Expand.q4_k(seg, off, k, s.lev, s.ws, s.wm, s.mins16, s.sc, s.m);
            case Q5_K -> Expand.q5_k(seg, off, k, s.lev, s.ws, s.wm, s.mins16, s.sc, s.m);
            case Q6_K -> Expand.q6_k(seg, off, k, s.lev, s.ws);
            default -> throw new TensorException("no SIMD kernel for weight type " + type);
        }
    }

    /** Tokens t..t+count-1 (count 4 or 1) of unpacked rows r (and r+1 when rows == 2). */
    private static void tile(GgmlType type, Scratch[] block, int i, int k, Activations x, float[] out, int stride,
                             int r, int t, int count, int rows) {
        Scratch s = block[i];
        switch (type) {
            case F32, F16, BF16 -> {
                for (int j = 0; j < rows; j++) {
                    if (count == 4) float4(block[i + j].lev, k, x.values(), out, stride, r + j, t);
                    else float1(block[i + j].lev, k, x.values(), out, stride, r + j, t);
                }
            }
            case Q4_0, Q5_0, Q8_0, Q4_1, Q5_1 -> {
                if (count == 1) quant32r1x1(type, s, k, x, out, stride, r, t);
                else if (rows == 2 && L == 16) quant32x16r2x4(type, s, block[i + 1], k, x, out, stride, r, t);
                else if (rows == 2) quant32r2x4(type, s, block[i + 1], k, x, out, stride, r, t);
                else quant32r1x4(type, s, k, x, out, stride, r, t);
            }
            default -> {
                if (count == 1) quant256r1x1(type, s, k, x, out, stride, r, t);
                else if (rows == 2) quant256r2x4(type, s, block[i + 1], k, x, out, stride, r, t);
                else quant256r1x4(type, s, k, x, out, stride, r, t);
            }
        }
    }

    private static boolean fused(GgmlType type) {
        return type == GgmlType.Q4_0 || type == GgmlType.Q8_0 || type == GgmlType.Q4_K || type == GgmlType.Q6_K
                || type == GgmlType.Q3_K || type == GgmlType.Q5_K;
    }

    private static float fusedDot(GgmlType type, MemorySegment seg, long off, int k, Activations x, int t, Scratch s) {
        float[] xv = x.values(), xd = x.scales();
        return switch (type) {
            case Q4_0 -> Fused.q4_0(seg, off, k, xv, t * k, xd, t * (k / 32), s.lanes);
            case Q8_0 -> Fused.q8_0(seg, off, k, xv, t * k, xd, t * (k / 32), s.lanes);
            case Q4_K -> Fused.q4_k(seg, off, k, xv, t * k, xd, t * (k / 256), x.bsums(), s.sc, s.m, s.lanes);
            case Q6_K -> Fused.q6_k(seg, off, k, xv, t * k, xd, t * (k / 256), s.scales16, s.lanes);
            case Q5_K -> Fused.q5_k(seg, off, k, xv, t * k, xd, t * (k / 256), x.bsums(), s.sc, s.m);
            case Q3_K -> Fused.q3_k(seg, off, k, xv, t * k, xd, t * (k / 256), s.sc);
            default -> throw new IllegalStateException(type.toString());
        };
    }

    // ---- float weights: one FMA chain per (row, token), scalar tail ----------------------------------

    private static void float4(float[] w, int k, float[] xv, float[] out, int stride, int r, int t) {
        int x0 = t * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + L <= k; i += L) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            a0 = wv.fma(FloatVector.fromArray(F, xv, x0 + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, xv, x1 + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, xv, x2 + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, xv, x3 + i), a3);
        }
        out[t * stride + r] = tail(w, i, k, xv, x0, sum(a0));
        out[(t + 1) * stride + r] = tail(w, i, k, xv, x1, sum(a1));
        out[(t + 2) * stride + r] = tail(w, i, k, xv, x2, sum(a2));
        out[(t + 3) * stride + r] = tail(w, i, k, xv, x3, sum(a3));
    }

    private static void float1(float[] w, int k, float[] xv, float[] out, int stride, int r, int t) {
        int x0 = t * k;
        FloatVector a0 = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= k; i += L) a0 = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, xv, x0 + i), a0);
        out[t * stride + r] = tail(w, i, k, xv, x0, sum(a0));
    }

    private static float tail(float[] w, int i, int k, float[] xv, int xo, float acc) {
        for (; i < k; i++) acc += w[i] * xv[xo + i];
        return acc;
    }

    /** As {@link #sum(FloatVector)}, through {@code lanes} (≥ L floats): one store and L loads beat L lane extractions. */
    static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0;
        for (int i = 0; i < L; i++) s += lanes[i];
        return s;
    }

    /** Lanes added in index order (reduceLanes leaves the order open; see the style guide). */
    static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    // ---- quantized weights ---------------------------------------------------------------------------

    // The unit loops below have a constant trip count on purpose: with a variable one of 2 (32-value
    // blocks at 512 bits) C2 kept the vectors boxed and ran ~10x slower. Hence one copy per unit size.

    /** Rows r..r+1, tokens t..t+3; unit 32. */
    private static void quant32r2x4(GgmlType type, Scratch sc0, Scratch sc1, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 32;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        float[] lev1 = sc1.lev, ws1 = sc1.ws;
        int x0 = (t + 0) * k; int x1 = (t + 1) * k; int x2 = (t + 2) * k; int x3 = (t + 3) * k;
        int d0 = (t + 0) * units; int d1 = (t + 1) * units; int d2 = (t + 2) * units; int d3 = (t + 3) * units;
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F), a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00, b10 = a00, b11 = a00, b12 = a00, b13 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                    a10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), a10);
                    a11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), a11);
                    a12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), a12);
                    a13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), a13);
                }
            u++;
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                    b01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), b01);
                    b02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), b02);
                    b03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), b03);
                    b10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), b10);
                    b11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), b11);
                    b12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), b12);
                    b13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), b13);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                    a10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), a10);
                    a11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), a11);
                    a12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), a12);
                    a13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), a13);
                }
        }
        out[(t + 0) * stride + r + 0] = sum(a00.add(b00)) + minTerm(type, sc0, units, x, t + 0);
        out[(t + 1) * stride + r + 0] = sum(a01.add(b01)) + minTerm(type, sc0, units, x, t + 1);
        out[(t + 2) * stride + r + 0] = sum(a02.add(b02)) + minTerm(type, sc0, units, x, t + 2);
        out[(t + 3) * stride + r + 0] = sum(a03.add(b03)) + minTerm(type, sc0, units, x, t + 3);
        out[(t + 0) * stride + r + 1] = sum(a10.add(b10)) + minTerm(type, sc1, units, x, t + 0);
        out[(t + 1) * stride + r + 1] = sum(a11.add(b11)) + minTerm(type, sc1, units, x, t + 1);
        out[(t + 2) * stride + r + 1] = sum(a12.add(b12)) + minTerm(type, sc1, units, x, t + 2);
        out[(t + 3) * stride + r + 1] = sum(a13.add(b13)) + minTerm(type, sc1, units, x, t + 3);
    }

    /**
     * {@link #quant32r2x4} at 16 lanes (a unit is two vectors): the products of weight and activation
     * block scales for the 2 × 4 (row, token) pairs are multiplied first, 16 at a time, into
     * {@code dd[pair][unit]}, and the loop runs over pairs of units counted from 0, so C2 drops its
     * bounds checks and each scale is a broadcast load. Per (row, token) the operations and their
     * order are those of the other paths: unit sums (exact), even units into a, odd into b.
     */
    private static void quant32x16r2x4(GgmlType type, Scratch sc0, Scratch sc1, int k, Activations x, float[] out,
                                       int stride, int r, int t) {
        int units = k / 32;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, lev1 = sc1.lev;
        if (sc0.dd.length < 8 * units) sc0.dd = new float[8 * units];
        float[] dd = sc0.dd;
        for (int q = 0; q < 8; q++) {
            float[] ws = q < 4 ? sc0.ws : sc1.ws;
            int xo = (t + (q & 3)) * units, o = q * units;
            int u = 0;
            for (; u + L <= units; u += L) {
                FloatVector.fromArray(F, ws, u).mul(FloatVector.fromArray(F, xd, xo + u)).intoArray(dd, o + u);
            }
            for (; u < units; u++) dd[o + u] = ws[u] * xd[xo + u];
        }
        int x0 = t * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00, b10 = a00, b11 = a00, b12 = a00, b13 = a00;
        int pairs = units >> 1;
        for (int i = 0; i < pairs; i++) {
            int u = 2 * i, e = 64 * i;
            FloatVector w0a = FloatVector.fromArray(F, lev0, e), w0b = FloatVector.fromArray(F, lev0, e + 16);
            FloatVector w1a = FloatVector.fromArray(F, lev1, e), w1b = FloatVector.fromArray(F, lev1, e + 16);
            FloatVector va, vb;
            va = FloatVector.fromArray(F, xv, x0 + e); vb = FloatVector.fromArray(F, xv, x0 + e + 16);
            a00 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[u]), a00);
            a10 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[4 * units + u]), a10);
            va = FloatVector.fromArray(F, xv, x1 + e); vb = FloatVector.fromArray(F, xv, x1 + e + 16);
            a01 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[units + u]), a01);
            a11 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[5 * units + u]), a11);
            va = FloatVector.fromArray(F, xv, x2 + e); vb = FloatVector.fromArray(F, xv, x2 + e + 16);
            a02 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[2 * units + u]), a02);
            a12 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[6 * units + u]), a12);
            va = FloatVector.fromArray(F, xv, x3 + e); vb = FloatVector.fromArray(F, xv, x3 + e + 16);
            a03 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[3 * units + u]), a03);
            a13 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[7 * units + u]), a13);
            e += 32;
            u++;
            w0a = FloatVector.fromArray(F, lev0, e); w0b = FloatVector.fromArray(F, lev0, e + 16);
            w1a = FloatVector.fromArray(F, lev1, e); w1b = FloatVector.fromArray(F, lev1, e + 16);
            va = FloatVector.fromArray(F, xv, x0 + e); vb = FloatVector.fromArray(F, xv, x0 + e + 16);
            b00 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[u]), b00);
            b10 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[4 * units + u]), b10);
            va = FloatVector.fromArray(F, xv, x1 + e); vb = FloatVector.fromArray(F, xv, x1 + e + 16);
            b01 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[units + u]), b01);
            b11 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[5 * units + u]), b11);
            va = FloatVector.fromArray(F, xv, x2 + e); vb = FloatVector.fromArray(F, xv, x2 + e + 16);
            b02 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[2 * units + u]), b02);
            b12 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[6 * units + u]), b12);
            va = FloatVector.fromArray(F, xv, x3 + e); vb = FloatVector.fromArray(F, xv, x3 + e + 16);
            b03 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[3 * units + u]), b03);
            b13 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[7 * units + u]), b13);
        }
        if ((units & 1) != 0) {
            int u = units - 1, e = 32 * u;
            FloatVector w0a = FloatVector.fromArray(F, lev0, e), w0b = FloatVector.fromArray(F, lev0, e + 16);
            FloatVector w1a = FloatVector.fromArray(F, lev1, e), w1b = FloatVector.fromArray(F, lev1, e + 16);
            FloatVector va, vb;
            va = FloatVector.fromArray(F, xv, x0 + e); vb = FloatVector.fromArray(F, xv, x0 + e + 16);
            a00 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[u]), a00);
            a10 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[4 * units + u]), a10);
            va = FloatVector.fromArray(F, xv, x1 + e); vb = FloatVector.fromArray(F, xv, x1 + e + 16);
            a01 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[units + u]), a01);
            a11 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[5 * units + u]), a11);
            va = FloatVector.fromArray(F, xv, x2 + e); vb = FloatVector.fromArray(F, xv, x2 + e + 16);
            a02 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[2 * units + u]), a02);
            a12 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[6 * units + u]), a12);
            va = FloatVector.fromArray(F, xv, x3 + e); vb = FloatVector.fromArray(F, xv, x3 + e + 16);
            a03 = w0b.fma(vb, w0a.mul(va)).fma(FloatVector.broadcast(F, dd[3 * units + u]), a03);
            a13 = w1b.fma(vb, w1a.mul(va)).fma(FloatVector.broadcast(F, dd[7 * units + u]), a13);
        }
        // lanes added in index order as sum() does, from memory (cheaper than extracting 16 lanes 8 times)
        float[] lanes = sc0.lanes;
        a00.add(b00).intoArray(lanes, 0);
        a01.add(b01).intoArray(lanes, 16);
        a02.add(b02).intoArray(lanes, 32);
        a03.add(b03).intoArray(lanes, 48);
        a10.add(b10).intoArray(lanes, 64);
        a11.add(b11).intoArray(lanes, 80);
        a12.add(b12).intoArray(lanes, 96);
        a13.add(b13).intoArray(lanes, 112);
        for (int j = 0; j < 8; j++) {
            float acc = 0;
            for (int l = 0; l < 16; l++) acc += lanes[16 * j + l];
            Scratch sc = j < 4 ? sc0 : sc1;
            int tt = t + (j & 3);
            out[tt * stride + r + (j >> 2)] = acc + minTerm(type, sc, units, x, tt);
        }
    }

    /** Rows r..r+0, tokens t..t+3; unit 32. */
    private static void quant32r1x4(GgmlType type, Scratch sc0, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 32;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        int x0 = (t + 0) * k; int x1 = (t + 1) * k; int x2 = (t + 2) * k; int x3 = (t + 3) * k;
        int d0 = (t + 0) * units; int d1 = (t + 1) * units; int d2 = (t + 2) * units; int d3 = (t + 3) * units;
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                }
            u++;
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                    b01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), b01);
                    b02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), b02);
                    b03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), b03);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                }
        }
        out[(t + 0) * stride + r + 0] = sum(a00.add(b00)) + minTerm(type, sc0, units, x, t + 0);
        out[(t + 1) * stride + r + 0] = sum(a01.add(b01)) + minTerm(type, sc0, units, x, t + 1);
        out[(t + 2) * stride + r + 0] = sum(a02.add(b02)) + minTerm(type, sc0, units, x, t + 2);
        out[(t + 3) * stride + r + 0] = sum(a03.add(b03)) + minTerm(type, sc0, units, x, t + 3);
    }

    /** Rows r..r+0, tokens t..t+0; unit 32. */
    private static void quant32r1x1(GgmlType type, Scratch sc0, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 32;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        int x0 = (t + 0) * k;
        int d0 = (t + 0) * units;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector b00 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                }
            u++;
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 32;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 32; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                }
        }
        out[(t + 0) * stride + r + 0] = sum(a00.add(b00)) + minTerm(type, sc0, units, x, t + 0);
    }

    /** Rows r..r+1, tokens t..t+3; unit 256. */
    private static void quant256r2x4(GgmlType type, Scratch sc0, Scratch sc1, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 256;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        float[] lev1 = sc1.lev, ws1 = sc1.ws;
        int x0 = (t + 0) * k; int x1 = (t + 1) * k; int x2 = (t + 2) * k; int x3 = (t + 3) * k;
        int d0 = (t + 0) * units; int d1 = (t + 1) * units; int d2 = (t + 2) * units; int d3 = (t + 3) * units;
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F), a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00, b10 = a00, b11 = a00, b12 = a00, b13 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                    a10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), a10);
                    a11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), a11);
                    a12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), a12);
                    a13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), a13);
                }
            u++;
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                    b01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), b01);
                    b02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), b02);
                    b03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), b03);
                    b10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), b10);
                    b11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), b11);
                    b12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), b12);
                    b13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), b13);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F), s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector w1 = FloatVector.fromArray(F, lev1, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        s10 = w1.fma(v0, s10);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        s11 = w1.fma(v1, s11);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        s12 = w1.fma(v2, s12);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                        s13 = w1.fma(v3, s13);
                    }
                    float wd0 = ws0[u];
                    float wd1 = ws1[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                    a10 = s10.fma(FloatVector.broadcast(F, wd1 * xd[d0 + u]), a10);
                    a11 = s11.fma(FloatVector.broadcast(F, wd1 * xd[d1 + u]), a11);
                    a12 = s12.fma(FloatVector.broadcast(F, wd1 * xd[d2 + u]), a12);
                    a13 = s13.fma(FloatVector.broadcast(F, wd1 * xd[d3 + u]), a13);
                }
        }
        // lanes added in index order as sum() does, from memory (lane(i) in a loop costs more)
        float[] lanes = sc0.lanes;
        a00.add(b00).intoArray(lanes, 0);
        a01.add(b01).intoArray(lanes, L);
        a02.add(b02).intoArray(lanes, 2 * L);
        a03.add(b03).intoArray(lanes, 3 * L);
        a10.add(b10).intoArray(lanes, 4 * L);
        a11.add(b11).intoArray(lanes, 5 * L);
        a12.add(b12).intoArray(lanes, 6 * L);
        a13.add(b13).intoArray(lanes, 7 * L);
        for (int j = 0; j < 8; j++) {
            float acc = 0;
            for (int l = 0; l < L; l++) acc += lanes[L * j + l];
            Scratch sc = j < 4 ? sc0 : sc1;
            int tt = t + (j & 3);
            out[tt * stride + r + (j >> 2)] = acc + minTerm(type, sc, units, x, tt);
        }
    }

    /** Rows r..r+0, tokens t..t+3; unit 256. */
    private static void quant256r1x4(GgmlType type, Scratch sc0, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 256;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        int x0 = (t + 0) * k; int x1 = (t + 1) * k; int x2 = (t + 2) * k; int x3 = (t + 3) * k;
        int d0 = (t + 0) * units; int d1 = (t + 1) * units; int d2 = (t + 2) * units; int d3 = (t + 3) * units;
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                }
            u++;
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                    b01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), b01);
                    b02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), b02);
                    b03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), b03);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                        FloatVector v1 = FloatVector.fromArray(F, xv, x1 + i);
                        s01 = w0.fma(v1, s01);
                        FloatVector v2 = FloatVector.fromArray(F, xv, x2 + i);
                        s02 = w0.fma(v2, s02);
                        FloatVector v3 = FloatVector.fromArray(F, xv, x3 + i);
                        s03 = w0.fma(v3, s03);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                    a01 = s01.fma(FloatVector.broadcast(F, wd0 * xd[d1 + u]), a01);
                    a02 = s02.fma(FloatVector.broadcast(F, wd0 * xd[d2 + u]), a02);
                    a03 = s03.fma(FloatVector.broadcast(F, wd0 * xd[d3 + u]), a03);
                }
        }
        out[(t + 0) * stride + r + 0] = sum(a00.add(b00)) + minTerm(type, sc0, units, x, t + 0);
        out[(t + 1) * stride + r + 0] = sum(a01.add(b01)) + minTerm(type, sc0, units, x, t + 1);
        out[(t + 2) * stride + r + 0] = sum(a02.add(b02)) + minTerm(type, sc0, units, x, t + 2);
        out[(t + 3) * stride + r + 0] = sum(a03.add(b03)) + minTerm(type, sc0, units, x, t + 3);
    }

    /** Rows r..r+0, tokens t..t+0; unit 256. */
    private static void quant256r1x1(GgmlType type, Scratch sc0, int k, Activations x, float[] out, int stride, int r, int t) {
        int units = k / 256;
        float[] xv = x.values(), xd = x.scales();
        float[] lev0 = sc0.lev, ws0 = sc0.ws;
        int x0 = (t + 0) * k;
        int d0 = (t + 0) * units;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector b00 = a00;   // odd units
        int u = 0;
        for (; u + 2 <= units; u += 2) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                }
            u++;
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    b00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), b00);
                }
            u--;
        }
        if (u < units) {
                {
                    int base = u * 256;
                    FloatVector s00 = FloatVector.zero(F);
                    for (int j = 0; j < 256; j += L) {
                        int i = base + j;
                        FloatVector w0 = FloatVector.fromArray(F, lev0, i);
                        FloatVector v0 = FloatVector.fromArray(F, xv, x0 + i);
                        s00 = w0.fma(v0, s00);
                    }
                    float wd0 = ws0[u];
                    a00 = s00.fma(FloatVector.broadcast(F, wd0 * xd[d0 + u]), a00);
                }
        }
        out[(t + 0) * stride + r + 0] = sum(a00.add(b00)) + minTerm(type, sc0, units, x, t + 0);
    }

    /**
     * The terms not carried by the levels: Q4_1/Q5_1 add m·s per block (s = d_x·Σq_x from Q8_1);
     * Q2_K/Q4_K/Q5_K subtract dmin·d_x·Σ m·bsum per super-block (integer sum, as ggml).
     */
    private static float minTerm(GgmlType type, Scratch s, int units, Activations x, int t) {
        switch (type) {
            case Q4_1, Q5_1 -> {
                float[] xs = x.sums();
                float acc = 0;
                for (int u = 0; u < units; u++) acc += s.wm[u] * xs[t * units + u];
                return acc;
            }
            case Q2_K, Q4_K, Q5_K -> {
                short[] bs = x.bsums();
                float[] xd = x.scales();
                int[] mins = s.mins16;
                float acc = 0;
                for (int u = 0; u < units; u++) {
                    int g0 = (t * units + u) * 16;
                    int msum;
                    if (I.length() == 16) {
                        // an integer sum: the order of the lane additions does not matter
                        IntVector b = (IntVector) ShortVector.fromArray(S16, bs, g0).convertShape(VectorOperators.S2I, I, 0);
                        msum = IntVector.fromArray(I, mins, 16 * u).mul(b).reduceLanes(VectorOperators.ADD);
                    } else {
                        msum = 0;
                        for (int g = 0; g < 16; g++) msum += mins[16 * u + g] * bs[g0 + g];
                    }
                    acc -= (s.wm[u] * xd[t * units + u]) * msum;
                }
                return acc;
            }
            default -> {
                return 0f;
            }
        }
    }
}
