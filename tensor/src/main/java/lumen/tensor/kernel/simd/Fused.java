package lumen.tensor.kernel.simd;

import static lumen.tensor.kernel.simd.Expand.f16;
import static lumen.tensor.kernel.simd.Expand.load;
import static lumen.tensor.kernel.simd.Expand.part;
import static lumen.tensor.kernel.simd.Expand.shr;
import static lumen.tensor.kernel.simd.Species.BL;
import static lumen.tensor.kernel.simd.Species.F;
import static lumen.tensor.kernel.simd.Species.I;
import static lumen.tensor.kernel.simd.Species.L;
import static lumen.tensor.kernel.simd.Species.PARTS;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;
import jdk.incubator.vector.VectorOperators;

/**
 * Decode kernels (one token): unpack and multiply in registers, reading the packed row once.
 *
 * <p>They give the same bits as the unpack-then-multiply path of {@link SimdKernels}: a unit sum is
 * an exact integer in every lane (bounded far below 2^24, see each method), so the order inside a
 * unit does not matter, and the scaled unit sums go into the same two accumulators (even and odd
 * units) in the same order.
 */
final class Fused {
    private Fused() {}

    /** Q4_0 × Q8_0: lane sums ≤ 2·(32/L)·8·127, exact. */
    static float q4_0(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] lanes) {
        if (L == 16) return q4_0x16(w, off, k, xv, x0, xd, d0, lanes);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 32;
        for (int u = 0; u < units; u++) {
            long p = off + 18L * u;
            int base = x0 + 32 * u;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < 16; i += BL) {
                ByteVector v = load(w, p + 2 + i);
                ByteVector lo = v.and((byte) 0xF).sub((byte) 8);
                ByteVector hi = shr(v, 4, 0xF).sub((byte) 8);
                for (int pt = 0; pt < PARTS; pt++) {
                    s = part(lo, pt).fma(FloatVector.fromArray(F, xv, base + i + pt * L), s);
                    s = part(hi, pt).fma(FloatVector.fromArray(F, xv, base + 16 + i + pt * L), s);
                }
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    /** The float bits of the Q4_0 levels −8..7 by nibble (16 lanes: one vpermd looks a nibble up). */
    private static final IntVector Q4_0_LEVELS = IntVector.zero(I).addIndex(1).sub(8).convert(VectorOperators.I2F, 0)
            .reinterpretAsInts();

    /**
     * Q4_0 at 16 lanes: the 16 packed bytes of a block widened to ints once, each nibble turned into
     * its level's float by a table lookup (no byte masking, no int-to-float conversion). The lanes
     * hold the same values as in {@link #q4_0}'s generic path, so the sums are the same.
     */
    private static float q4_0x16(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 32;
        // pairs of units, counted from 0 by 1: C2 then hoists every bounds check out of the loop
        int pairs = units >> 1;
        for (int i = 0; i < pairs; i++) {
            int u = 2 * i;
            a0 = q4_0unit(w, off + 36L * i, xv, x0 + 64 * i, xd[d0 + u], a0);
            a1 = q4_0unit(w, off + 36L * i + 18, xv, x0 + 64 * i + 32, xd[d0 + u + 1], a1);
        }
        if ((units & 1) != 0) {
            int u = units - 1;
            a0 = q4_0unit(w, off + 18L * u, xv, x0 + 32 * u, xd[d0 + u], a0);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    /** One block: its 16 bytes widened to ints, each nibble looked up (vpermd), two FMAs, the scaled sum into acc. */
    private static FloatVector q4_0unit(MemorySegment w, long p, float[] xv, int base, float dx, FloatVector acc) {
        IntVector v = (IntVector) load(w, p + 2).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
        FloatVector lo = v.selectFrom(Q4_0_LEVELS).reinterpretAsFloats();   // selectFrom wraps: index & 15
        FloatVector hi = v.lanewise(VectorOperators.LSHR, 4).selectFrom(Q4_0_LEVELS).reinterpretAsFloats();
        FloatVector s = lo.mul(FloatVector.fromArray(F, xv, base));
        s = hi.fma(FloatVector.fromArray(F, xv, base + 16), s);
        return s.fma(FloatVector.broadcast(F, f16(w, p) * dx), acc);
    }

    /** Q8_0 × Q8_0: lane sums ≤ (32/L)·127·127, exact. */
    static float q8_0(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] lanes) {
        if (L == 16) return q8_0x16(w, off, k, xv, x0, xd, d0, lanes);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 32;
        for (int u = 0; u < units; u++) {
            long p = off + 34L * u;
            int base = x0 + 32 * u;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < 32; i += BL) {
                ByteVector v = load(w, p + 2 + i);
                for (int pt = 0; pt < PARTS; pt++) s = part(v, pt).fma(FloatVector.fromArray(F, xv, base + i + pt * L), s);
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;

    /**
     * Σ_j m[j]·(bsums[g0+2j] + bsums[g0+2j+1]), j &lt; 8: with 8 int lanes (each holding a pair of
     * block sums, split by shifts) where the platform has them; an integer sum, so its order is free.
     */
    private static int minSum(int[] m, short[] bsums, int g0) {
        if (I8.length() == 8 && L >= 8) {
            IntVector v = ShortVector.fromArray(S16, bsums, g0).reinterpretAsInts();
            IntVector pairs = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(v.lanewise(VectorOperators.ASHR, 16));
            return IntVector.fromArray(I8, m, 0).mul(pairs).reduceLanes(VectorOperators.ADD);
        }
        int msum = 0;
        for (int j = 0; j < 8; j++) msum += m[j] * (bsums[g0 + 2 * j] + bsums[g0 + 2 * j + 1]);
        return msum;
    }

    // get_scale_min_k4 on 16 int lanes: lanes 0..7 the scales, 8..15 the mins (12 scale bytes b):
    // j < 4: sc = b[j] & 63, m = b[j+4] & 63; j ≥ 4: sc = (b[j+4] & 15) | (b[j-4] >> 6) << 4,
    // m = (b[j+4] >> 4) | (b[j] >> 6) << 4
    private static final int[] SM_LOW_IDX = {0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SM_HIGH_IDX = {0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7};
    private static final IntVector SM_SHIFT = L == 16
            ? IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0) : null;
    private static final IntVector SM_MASK = L == 16
            ? IntVector.fromArray(I, new int[] {63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15}, 0) : null;
    private static final IntVector SM_HIGH_MASK = L == 16
            ? IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30, 0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30}, 0) : null;
    private static final jdk.incubator.vector.VectorShuffle<Integer> SM_LOW = L == 16
            ? jdk.incubator.vector.VectorShuffle.fromArray(I, SM_LOW_IDX, 0) : null;
    private static final jdk.incubator.vector.VectorShuffle<Integer> SM_HIGH = L == 16
            ? jdk.incubator.vector.VectorShuffle.fromArray(I, SM_HIGH_IDX, 0) : null;

    /**
     * As {@link Expand#scaleMin} at 16 lanes: the 8 scales as floats into f[16 .. 24); returned, the
     * scales in lanes 0..7 and the 8 mins in lanes 8..15 (kept in a register for {@link #minSum16}: read
     * back from memory, a wide store the loads cannot forward from stalled each super-block).
     */
    private static IntVector scaleMin16(MemorySegment w, long sp, float[] f) {
        IntVector b = widen(w, sp);   // bytes 12..15 belong to the quants and drop out below
        IntVector low = b.rearrange(SM_LOW).lanewise(VectorOperators.LSHR, SM_SHIFT).and(SM_MASK);
        IntVector high = b.rearrange(SM_HIGH).lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4).and(SM_HIGH_MASK);
        IntVector r = low.or(high);
        ((FloatVector) r.convert(VectorOperators.I2F, 0)).intoArray(f, 16);
        return r;
    }

    /** Lane i takes lane i ^ 1 (the other block sum of its pair). */
    private static final jdk.incubator.vector.VectorShuffle<Integer> PAIR_SWAP = L == 16
            ? jdk.incubator.vector.VectorShuffle.fromOp(I, i -> i ^ 1) : null;
    /** Lane i takes min i / 2 (lanes 8..15 of scaleMin16's vector). */
    private static final jdk.incubator.vector.VectorShuffle<Integer> MIN_SPREAD = L == 16
            ? jdk.incubator.vector.VectorShuffle.fromOp(I, i -> 8 + i / 2) : null;

    /**
     * Σ_j m_j·(bsums[g0+2j] + bsums[g0+2j+1]), j &lt; 8, with the mins in lanes 8..15 of {@code sm}: every
     * lane holds one pair sum times its min, each product twice, so the lane total is twice the sum (an
     * integer sum, exact in any order).
     */
    private static int minSum16(IntVector sm, short[] bsums, int g0) {
        IntVector b = (IntVector) ShortVector.fromArray(S16, bsums, g0).convertShape(VectorOperators.S2I, I, 0);
        IntVector pairs = b.add(b.rearrange(PAIR_SWAP));
        return pairs.mul(sm.rearrange(MIN_SPREAD)).reduceLanes(VectorOperators.ADD) >> 1;
    }

    /** Q8_0 at 16 lanes: pairs of blocks counted from 0 (no bounds checks in the loop), even blocks into a0, odd into a1. */
    private static float q8_0x16(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 32;
        int pairs = units >> 1;
        for (int i = 0; i < pairs; i++) {
            int u = 2 * i;
            a0 = q8_0unit(w, off + 68L * i, xv, x0 + 64 * i, xd[d0 + u], a0);
            a1 = q8_0unit(w, off + 68L * i + 34, xv, x0 + 64 * i + 32, xd[d0 + u + 1], a1);
        }
        if ((units & 1) != 0) {
            int u = units - 1;
            a0 = q8_0unit(w, off + 34L * u, xv, x0 + 32 * u, xd[d0 + u], a0);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    private static FloatVector q8_0unit(MemorySegment w, long p, float[] xv, int base, float dx, FloatVector acc) {
        FloatVector s = part(load(w, p + 2), 0).mul(FloatVector.fromArray(F, xv, base));
        s = part(load(w, p + 18), 0).fma(FloatVector.fromArray(F, xv, base + 16), s);
        return s.fma(FloatVector.broadcast(F, f16(w, p) * dx), acc);
    }

    /**
     * Q4_K × Q8_K: per sub-block lane sums times the 6-bit scale, ≤ 8·63·(32/L)·15·127 ≤ 7.7·10^6
     * at L = 4, exact. The min term is added as in {@link SimdKernels} (dmin·d_x·Σ m·bsum per block).
     */
    static float q4_k(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0,
                      short[] bsums, int[] sc, int[] m, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        float mins = 0;
        int units = k / 256;
        for (int u = 0; u < units; u++) {
            long p = off + 144L * u;
            int base = x0 + 256 * u;
            // 16 lanes: the scales and mins unpacked with a few vector ops, the scales kept as floats
            // in lanes[16 ..] (broadcast from memory); otherwise the scalar unpacking
            IntVector sm = null;
            if (L == 16) sm = scaleMin16(w, p + 4, lanes);
            else Expand.scaleMin(w, p + 4, sc, m);
            FloatVector s = FloatVector.zero(F);
            for (int pair = 0; pair < 4; pair++) {
                FloatVector sLo = FloatVector.zero(F), sHi = FloatVector.zero(F);
                for (int i = 0; i < 32; i += BL) {
                    ByteVector v = load(w, p + 16 + 32 * pair + i);
                    ByteVector lo = v.and((byte) 0xF);
                    ByteVector hi = shr(v, 4, 0xF);
                    for (int pt = 0; pt < PARTS; pt++) {
                        sLo = part(lo, pt).fma(FloatVector.fromArray(F, xv, base + 64 * pair + i + pt * L), sLo);
                        sHi = part(hi, pt).fma(FloatVector.fromArray(F, xv, base + 64 * pair + 32 + i + pt * L), sHi);
                    }
                }
                float scLo = L == 16 ? lanes[16 + 2 * pair] : sc[2 * pair];
                float scHi = L == 16 ? lanes[17 + 2 * pair] : sc[2 * pair + 1];
                s = sLo.fma(FloatVector.broadcast(F, scLo), s);
                s = sHi.fma(FloatVector.broadcast(F, scHi), s);
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
            int msum = L == 16 ? minSum16(sm, bsums, (d0 + u) * 16) : minSum(m, bsums, (d0 + u) * 16);
            mins -= (f16(w, p + 2) * xd[d0 + u]) * msum;
        }
        return SimdKernels.sum(a0.add(a1), lanes) + mins;
    }

    /**
     * Q6_K × Q8_K: lane sums of scale·level·x ≤ (256/L)·128·32·127; exact at L ≥ 8, and at L = 4
     * unless the values of a block are extreme and all of one sign.
     */
    static float q6_k(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] scales, float[] lanes) {
        if (L == 16) return q6_kx16(w, off, k, xv, x0, xd, d0, scales, lanes);
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 256;
        for (int u = 0; u < units; u++) {
            long p = off + 210L * u;
            int base = x0 + 256 * u;
            FloatVector s = FloatVector.zero(F);
            // one quarter (32 values) at a time: a loop, not four copies, keeps the method small
            // enough for C2 to inline every vector helper (otherwise the vectors get boxed)
            for (int h = 0; h < 2; h++) {
                for (int c = 0; c < 4; c++) {
                    for (int i = 0; i < 32; i += BL) {
                        ByteVector ql = load(w, p + 64 * h + 32 * (c & 1) + i);
                        ByteVector qh = load(w, p + 128 + 32 * h + i);
                        ByteVector low = c < 2 ? ql.and((byte) 0xF) : shr(ql, 4, 0xF);
                        ByteVector q = low.or(Expand.move(qh, 2 * c, 4, 0x30)).sub((byte) 32);
                        int o = 128 * h + 32 * c + i;
                        for (int pt = 0; pt < PARTS; pt++) {
                            float sc = w.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + 192 + (o + pt * L) / 16);
                            s = part(q, pt).mul(sc).fma(FloatVector.fromArray(F, xv, base + o + pt * L), s);
                        }
                    }
                }
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p + 208) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    /**
     * Q6_K at 16 lanes: the ql and qh bytes of each 16 values widened to ints once and the four
     * quarters cut from them with int shifts (no 16-bit shift tricks, one conversion per level
     * vector); the 16 scales of a block converted once into {@code scales}. Each lane adds the same
     * exact integers as {@link #q6_k}'s generic path (lane sums ≤ 16·128·32·127 &lt; 2^24), so the
     * order of the quarters does not change the sum.
     */
    private static float q6_kx16(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] scales, float[] lanes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 256;
        for (int u = 0; u < units; u++) {
            long p = off + 210L * u;
            int base = x0 + 256 * u;
            part(load(w, p + 192), 0).intoArray(scales, 0);
            FloatVector s = FloatVector.zero(F);
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 32; i += 16) {
                    IntVector ql0 = widen(w, p + 64 * h + i);
                    IntVector ql32 = widen(w, p + 64 * h + 32 + i);
                    IntVector qh4 = widen(w, p + 128 + 32 * h + i).lanewise(VectorOperators.LSHL, 4);
                    // a loop, not four copies, keeps the method small enough for C2 to inline the helpers
                    for (int c = 0; c < 4; c++) {
                        IntVector low = (c & 1) == 0 ? ql0 : ql32;
                        low = c < 2 ? low.and(0xF) : low.lanewise(VectorOperators.LSHR, 4);
                        IntVector q = low.or(qh4.lanewise(VectorOperators.LSHR, 2 * c).and(0x30)).sub(32);
                        FloatVector lev = (FloatVector) q.convert(VectorOperators.I2F, 0);
                        int o = base + 128 * h + 32 * c + i;
                        s = lev.mul(scales[8 * h + 2 * c + i / 16]).fma(FloatVector.fromArray(F, xv, o), s);
                    }
                }
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p + 208) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
        }
        return SimdKernels.sum(a0.add(a1), lanes);
    }

    /** 16 bytes widened to 16 int lanes (zero-extended). */
    private static IntVector widen(MemorySegment w, long p) {
        return (IntVector) load(w, p).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /** Q3_K × Q8_K: lane sums ≤ (256/L)·32·4·127, exact. */
    static float q3_k(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, int[] sc) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        int units = k / 256;
        for (int u = 0; u < units; u++) {
            long p = off + 110L * u;
            int base = x0 + 256 * u;
            Expand.q3Scales(w, p + 96, sc);
            FloatVector s = FloatVector.zero(F);
            for (int h = 0; h < 2; h++) {
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 32; i += BL) {
                        ByteVector v = load(w, p + 32 + 32 * h + i);
                        ByteVector hm = load(w, p + i);
                        ByteVector q = shr(v, 2 * j, 3).or(Expand.move(hm, 4 * h + j, 2, 0x04)).sub((byte) 4);
                        int e = 128 * h + 32 * j + i;
                        for (int pt = 0; pt < PARTS; pt++) {
                            s = part(q, pt).mul(sc[(e + pt * L) / 16]).fma(FloatVector.fromArray(F, xv, base + e + pt * L), s);
                        }
                    }
                }
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p + 108) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
        }
        return SimdKernels.sum(a0.add(a1));
    }

    /** Q5_K × Q8_K: as {@link #q4_k} with a fifth bit from qh; lane sums ≤ 8·63·(32/L)·31·127 &lt; 2^24, exact. */
    static float q5_k(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0,
                      short[] bsums, int[] sc, int[] m) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        float mins = 0;
        int units = k / 256;
        for (int u = 0; u < units; u++) {
            long p = off + 176L * u;
            int base = x0 + 256 * u;
            Expand.scaleMin(w, p + 4, sc, m);
            FloatVector s = FloatVector.zero(F);
            for (int pair = 0; pair < 4; pair++) {
                FloatVector sLo = FloatVector.zero(F), sHi = FloatVector.zero(F);
                for (int i = 0; i < 32; i += BL) {
                    ByteVector v = load(w, p + 48 + 32 * pair + i);
                    ByteVector qh = load(w, p + 16 + i);
                    ByteVector lo = v.and((byte) 0xF).or(Expand.move(qh, 2 * pair, 4, 0x10));
                    ByteVector hi = shr(v, 4, 0xF).or(Expand.move(qh, 2 * pair + 1, 4, 0x10));
                    for (int pt = 0; pt < PARTS; pt++) {
                        sLo = part(lo, pt).fma(FloatVector.fromArray(F, xv, base + 64 * pair + i + pt * L), sLo);
                        sHi = part(hi, pt).fma(FloatVector.fromArray(F, xv, base + 64 * pair + 32 + i + pt * L), sHi);
                    }
                }
                s = sLo.fma(FloatVector.broadcast(F, (float) sc[2 * pair]), s);
                s = sHi.fma(FloatVector.broadcast(F, (float) sc[2 * pair + 1]), s);
            }
            FloatVector dd = FloatVector.broadcast(F, f16(w, p) * xd[d0 + u]);
            if ((u & 1) == 0) a0 = s.fma(dd, a0);
            else a1 = s.fma(dd, a1);
            int msum = minSum(m, bsums, (d0 + u) * 16);
            mins -= (f16(w, p + 2) * xd[d0 + u]) * msum;
        }
        return SimdKernels.sum(a0.add(a1)) + mins;
    }
}
