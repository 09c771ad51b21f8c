package lumen.tensor.kernel.simd;

import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2F;
import static jdk.incubator.vector.VectorOperators.XOR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_S2I;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import lumen.tensor.quant.Interleaved;
import lumen.tensor.quant.Q6KernelOrder;

/**
 * One token times a group of 32 interleaved rows ({@link Interleaved}): every lane-wise operation works
 * on the same element of 32 rows, so there is no reduction across lanes, and each block's sum is an
 * exact integer per row before its scales, as llama.cpp's integer dot products.
 *
 * <p>Fixed 512-bit shapes (32 shorts, 16 floats): the weights are only interleaved where 512-bit
 * vectors are the platform's own. The bodies are written out (no vector-valued helpers): C2 stops
 * inlining small helpers in loops this size (NodeCountInliningCutoff) and then boxes every vector.
 */
final class InterleavedDot {
    private InterleavedDot() {}

    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * fp16 bits without the sign, shifted into a float's place, times this give the fp16's magnitude
     * (normal and subnormal); the scales below multiply by 2^112·d_x at once (one rounding, as
     * fp16(d_w)·d_x) and then flip the sign bit where d_w is negative.
     */
    private static final float F16_SCALE = 0x1p112f;

    /**
     * Q4_0 × Q8_0. Per block and row Σ q·x (q in 0..15) is accumulated in 16-bit lanes, which may wrap,
     * then 8·Σx is subtracted: the true Σ (q−8)·x lies within ±32·8·127 = ±32,512, so the wrapped
     * arithmetic ends on the exact value. out[o + j] = row j's dot product.
     */
    static void q4_0(MemorySegment w, long off, int k, short[] xq, int x0, float[] xd, short[] xs, int d0,
                     float[] out, int o) {
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F);
        int blocks = k / 32;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 18);
            int xo = x0 + 32 * b;
            ShortVector h = ShortVector.fromMemorySegment(S, w, p, LE);     // first: the column is read in order
            ShortVector acc0 = ShortVector.zero(S), acc1 = ShortVector.zero(S);
            for (int j = 0; j < 16; j++) {
                ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B32, w, p + 64 + 32 * j, LE)
                        .convertShape(ZERO_EXTEND_B2S, S, 0);
                acc0 = acc0.add(q.and((short) 0xF).mul(xq[xo + j]));
                acc1 = acc1.add(q.lanewise(LSHR, 4).mul(xq[xo + 16 + j]));
            }
            ShortVector sum = acc0.add(acc1).sub((short) (8 * xs[d0 + b]));
            FloatVector s0 = (FloatVector) sum.convertShape(S2F, F, 0);
            FloatVector s1 = (FloatVector) sum.convertShape(S2F, F, 1);
            float dx = xd[d0 + b] * F16_SCALE;
            IntVector h0 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector h1 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 1);
            FloatVector dw0 = h0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            FloatVector dw1 = h1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            t0 = s0.fma(dw0, t0);
            t1 = s1.fma(dw1, t1);
        }
        t0.intoArray(out, o);
        t1.intoArray(out, o + 16);
    }

    /**
     * Q8_0 × Q8_0. Per block and row Σ q·x is at most 32·128·127 in magnitude, an integer that float
     * sums hold exactly in any order: two chains (even and odd elements) hide the FMA latency.
     */
    static void q8_0(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0, float[] out, int o) {
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F);
        int blocks = k / 32;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 34);
            int xo = x0 + 32 * b;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
            ShortVector h = ShortVector.fromMemorySegment(S, w, p, LE);
            for (int j = 0; j < 32; j += 2) {
                long q = p + 64 + 32L * j;
                FloatVector xa = FloatVector.broadcast(F, xv[xo + j]), xb = FloatVector.broadcast(F, xv[xo + j + 1]);
                a0 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q, LE).convertShape(B2F, F, 0)).fma(xa, a0);
                a1 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 16, LE).convertShape(B2F, F, 0)).fma(xa, a1);
                c0 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 32, LE).convertShape(B2F, F, 0)).fma(xb, c0);
                c1 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 48, LE).convertShape(B2F, F, 0)).fma(xb, c1);
            }
            float dx = xd[d0 + b] * F16_SCALE;
            IntVector h0 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector h1 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 1);
            FloatVector dw0 = h0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            FloatVector dw1 = h1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            t0 = a0.add(c0).fma(dw0, t0);
            t1 = a1.add(c1).fma(dw1, t1);
        }
        t0.intoArray(out, o);
        t1.intoArray(out, o + 16);
    }

    /**
     * {@link #q4_0} for four tokens at x0, x0 + k, x0 + 2k, x0 + 3k (scales at d0, d0 + k/32, …), each
     * unpacked weight vector used four times; per token the same operations in the same order, so
     * out[o + t·stride + j] has the bits {@link #q4_0} gives for token t alone.
     */
    static void q4_0x4(MemorySegment w, long off, int k, short[] xq, int x0, float[] xd, short[] xs, int d0,
                       float[] out, int o, int stride) {
        FloatVector z = FloatVector.zero(F);
        FloatVector t00 = z, t01 = z, t10 = z, t11 = z, t20 = z, t21 = z, t30 = z, t31 = z;
        int blocks = k / 32;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 18);
            int xa = x0 + 32 * b, xb = xa + k, xc = xb + k, xe = xc + k;
            ShortVector zs = ShortVector.zero(S);
            ShortVector a0 = zs, a1 = zs, b0 = zs, b1 = zs, c0 = zs, c1 = zs, e0 = zs, e1 = zs;
            ShortVector h = ShortVector.fromMemorySegment(S, w, p, LE);
            for (int j = 0; j < 16; j++) {
                ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B32, w, p + 64 + 32 * j, LE)
                        .convertShape(ZERO_EXTEND_B2S, S, 0);
                ShortVector lo = q.and((short) 0xF), hi = q.lanewise(LSHR, 4);
                a0 = a0.add(lo.mul(xq[xa + j]));
                a1 = a1.add(hi.mul(xq[xa + 16 + j]));
                b0 = b0.add(lo.mul(xq[xb + j]));
                b1 = b1.add(hi.mul(xq[xb + 16 + j]));
                c0 = c0.add(lo.mul(xq[xc + j]));
                c1 = c1.add(hi.mul(xq[xc + 16 + j]));
                e0 = e0.add(lo.mul(xq[xe + j]));
                e1 = e1.add(hi.mul(xq[xe + 16 + j]));
            }
            IntVector h0 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector h1 = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, 1);
            FloatVector m0 = h0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats();
            FloatVector m1 = h1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats();
            IntVector sg0 = h0.and(0x8000).lanewise(LSHL, 16), sg1 = h1.and(0x8000).lanewise(LSHL, 16);
            int db = d0 + b, ds = k / 32;
            ShortVector sa = a0.add(a1).sub((short) (8 * xs[db]));
            t00 = ((FloatVector) sa.convertShape(S2F, F, 0)).fma(m0.mul(xd[db] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg0).reinterpretAsFloats(), t00);
            t01 = ((FloatVector) sa.convertShape(S2F, F, 1)).fma(m1.mul(xd[db] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg1).reinterpretAsFloats(), t01);
            ShortVector sb = b0.add(b1).sub((short) (8 * xs[db + ds]));
            t10 = ((FloatVector) sb.convertShape(S2F, F, 0)).fma(m0.mul(xd[db + ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg0).reinterpretAsFloats(), t10);
            t11 = ((FloatVector) sb.convertShape(S2F, F, 1)).fma(m1.mul(xd[db + ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg1).reinterpretAsFloats(), t11);
            ShortVector sc = c0.add(c1).sub((short) (8 * xs[db + 2 * ds]));
            t20 = ((FloatVector) sc.convertShape(S2F, F, 0)).fma(m0.mul(xd[db + 2 * ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg0).reinterpretAsFloats(), t20);
            t21 = ((FloatVector) sc.convertShape(S2F, F, 1)).fma(m1.mul(xd[db + 2 * ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg1).reinterpretAsFloats(), t21);
            ShortVector se = e0.add(e1).sub((short) (8 * xs[db + 3 * ds]));
            t30 = ((FloatVector) se.convertShape(S2F, F, 0)).fma(m0.mul(xd[db + 3 * ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg0).reinterpretAsFloats(), t30);
            t31 = ((FloatVector) se.convertShape(S2F, F, 1)).fma(m1.mul(xd[db + 3 * ds] * F16_SCALE).reinterpretAsInts().lanewise(XOR, sg1).reinterpretAsFloats(), t31);
        }
        t00.intoArray(out, o);
        t01.intoArray(out, o + 16);
        t10.intoArray(out, o + stride);
        t11.intoArray(out, o + stride + 16);
        t20.intoArray(out, o + 2 * stride);
        t21.intoArray(out, o + 2 * stride + 16);
        t30.intoArray(out, o + 3 * stride);
        t31.intoArray(out, o + 3 * stride + 16);
    }

    /**
     * {@link #q8_0} for eight tokens at x0, x0 + k, …, x0 + 7k: each unpacked weight vector used eight
     * times, one exact block sum per (token, 16 rows) in registers, the scaled sums added to out[o + t·stride + j]
     * (zeroed first) in block order: the bits {@link #q8_0} gives each token alone. The block sums pass
     * through {@code sums} (256 floats) to a short scaling loop: written out eight times, the scaling made
     * C2 stop inlining (NodeCountInliningCutoff) and the kernel ran 15× slower.
     */
    static void q8_0x8(MemorySegment w, long off, int k, float[] xv, int x0, float[] xd, int d0,
                       float[] out, int o, int stride, float[] sums) {
        for (int t = 0; t < 8; t++) java.util.Arrays.fill(out, o + t * stride, o + t * stride + 32, 0f);
        FloatVector z = FloatVector.zero(F);
        int blocks = k / 32, ds = k / 32;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 34);
            int x1 = x0 + 32 * b;
            FloatVector a0 = z, a1 = z, b0 = z, b1 = z, c0 = z, c1 = z, e0 = z, e1 = z;
            FloatVector f0 = z, f1 = z, g0 = z, g1 = z, h0 = z, h1 = z, i0 = z, i1 = z;
            ShortVector hs = ShortVector.fromMemorySegment(S, w, p, LE);
            for (int j = 0; j < 32; j++) {
                long q = p + 64 + 32L * j;
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q, LE).convertShape(B2F, F, 0);
                FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B16, w, q + 16, LE).convertShape(B2F, F, 0);
                int xj = x1 + j;
                FloatVector v;
                v = FloatVector.broadcast(F, xv[xj]); a0 = w0.fma(v, a0); a1 = w1.fma(v, a1);
                v = FloatVector.broadcast(F, xv[xj + k]); b0 = w0.fma(v, b0); b1 = w1.fma(v, b1);
                v = FloatVector.broadcast(F, xv[xj + 2 * k]); c0 = w0.fma(v, c0); c1 = w1.fma(v, c1);
                v = FloatVector.broadcast(F, xv[xj + 3 * k]); e0 = w0.fma(v, e0); e1 = w1.fma(v, e1);
                v = FloatVector.broadcast(F, xv[xj + 4 * k]); f0 = w0.fma(v, f0); f1 = w1.fma(v, f1);
                v = FloatVector.broadcast(F, xv[xj + 5 * k]); g0 = w0.fma(v, g0); g1 = w1.fma(v, g1);
                v = FloatVector.broadcast(F, xv[xj + 6 * k]); h0 = w0.fma(v, h0); h1 = w1.fma(v, h1);
                v = FloatVector.broadcast(F, xv[xj + 7 * k]); i0 = w0.fma(v, i0); i1 = w1.fma(v, i1);
            }
            a0.intoArray(sums, 0); a1.intoArray(sums, 16); b0.intoArray(sums, 32); b1.intoArray(sums, 48);
            c0.intoArray(sums, 64); c1.intoArray(sums, 80); e0.intoArray(sums, 96); e1.intoArray(sums, 112);
            f0.intoArray(sums, 128); f1.intoArray(sums, 144); g0.intoArray(sums, 160); g1.intoArray(sums, 176);
            h0.intoArray(sums, 192); h1.intoArray(sums, 208); i0.intoArray(sums, 224); i1.intoArray(sums, 240);
            IntVector s0 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector s1 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 1);
            FloatVector m0 = s0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats();
            FloatVector m1 = s1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats();
            IntVector sg0 = s0.and(0x8000).lanewise(LSHL, 16), sg1 = s1.and(0x8000).lanewise(LSHL, 16);
            for (int t = 0; t < 8; t++) {
                float d = xd[d0 + b + t * ds] * F16_SCALE;
                int ot = o + t * stride;
                FloatVector.fromArray(F, sums, 32 * t).fma(m0.mul(d).reinterpretAsInts().lanewise(XOR, sg0).reinterpretAsFloats(),
                        FloatVector.fromArray(F, out, ot)).intoArray(out, ot);
                FloatVector.fromArray(F, sums, 32 * t + 16).fma(m1.mul(d).reinterpretAsInts().lanewise(XOR, sg1).reinterpretAsFloats(),
                        FloatVector.fromArray(F, out, ot + 16)).intoArray(out, ot + 16);
            }
        }
    }

    /**
     * Q6_K × Q8_K, as ggml_vec_dot_q6_K_q8_K: per row, Σ over the 16 sub-blocks of scale × Σ (q−32)·x as an
     * exact int32, then × d_w·d_x in float. The blocks are re-encoded ({@link Q6KernelOrder}: three bytes per
     * four levels, in the order read here): each byte is multiplied whole, and its top two bits once more,
     * by {@code x6} ({@link lumen.tensor.kernel.Activations#q6Levels}) — six 16-bit multiplies per four
     * levels. A run of 8 levels is summed in 16-bit lanes from −32·Σx − 256 and ends exactly on
     * Σ (q−32)·x − 256 (within −32,768..32,512, whatever wrapped on the way); two runs are widened, 512
     * added back, and multiplied by the sub-block's scale.
     */
    static void q6_k(MemorySegment w, long off, int k, short[] x6, int x0, float[] xd, int d0, float[] out, int o, int[] ints) {
        java.util.Arrays.fill(out, o, o + 32, 0f);
        int blocks = k / 256;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 210);
            IntVector tot0 = IntVector.zero(I), tot1 = tot0;
            for (int s = 0; s < 16; s++) {
                long q = p + 416L * s;
                int c = (x0 + 256 * b + 16 * s) / 8 * 13;   // the sub-block's two runs: c and c + 13
                ShortVector u = ShortVector.broadcast(S, x6[c]), v = ShortVector.broadcast(S, x6[c + 13]);
                ShortVector b0, b1, b2;
                b0 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b1 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 32, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b2 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 64, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                u = u.add(b0.mul(x6[c + 1])).add(b0.lanewise(LSHR, 6).mul(x6[c + 2])).add(b1.mul(x6[c + 3]))
                        .add(b1.lanewise(LSHR, 6).mul(x6[c + 4])).add(b2.mul(x6[c + 5])).add(b2.lanewise(LSHR, 6).mul(x6[c + 6]));
                b0 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 96, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b1 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 128, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b2 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 160, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                u = u.add(b0.mul(x6[c + 7])).add(b0.lanewise(LSHR, 6).mul(x6[c + 8])).add(b1.mul(x6[c + 9]))
                        .add(b1.lanewise(LSHR, 6).mul(x6[c + 10])).add(b2.mul(x6[c + 11])).add(b2.lanewise(LSHR, 6).mul(x6[c + 12]));
                b0 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 192, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b1 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 224, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b2 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 256, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                v = v.add(b0.mul(x6[c + 14])).add(b0.lanewise(LSHR, 6).mul(x6[c + 15])).add(b1.mul(x6[c + 16]))
                        .add(b1.lanewise(LSHR, 6).mul(x6[c + 17])).add(b2.mul(x6[c + 18])).add(b2.lanewise(LSHR, 6).mul(x6[c + 19]));
                b0 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 288, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b1 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 320, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                b2 = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 352, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                v = v.add(b0.mul(x6[c + 20])).add(b0.lanewise(LSHR, 6).mul(x6[c + 21])).add(b1.mul(x6[c + 22]))
                        .add(b1.lanewise(LSHR, 6).mul(x6[c + 23])).add(b2.mul(x6[c + 24])).add(b2.lanewise(LSHR, 6).mul(x6[c + 25]));
                ByteVector sc = ByteVector.fromMemorySegment(B32, w, q + 384, LE);
                tot0 = tot0.add(((IntVector) u.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) v.convertShape(VectorOperators.S2I, I, 0))
                        .add(512).mul((IntVector) sc.convertShape(VectorOperators.B2I, I, 0)));
                tot1 = tot1.add(((IntVector) u.convertShape(VectorOperators.S2I, I, 1)).add((IntVector) v.convertShape(VectorOperators.S2I, I, 1))
                        .add(512).mul((IntVector) sc.convertShape(VectorOperators.B2I, I, 1)));
            }
            tot0.intoArray(ints, 0);
            tot1.intoArray(ints, 16);
            finishQ6_k(w, p, xd[d0 + b], ints, 0, out, o);   // the float step of q6_kx4 too: one place for it, the same bits
        }
    }

    /**
     * Q4_K × Q8_K, as ggml_vec_dot_q4_K_q8_K: per row, d_w·d_x·Σ_s sc_s·Σ q·x − dmin·d_x·Σ_s m_s·Σ x over
     * the 8 sub-blocks of 32, both sums exact int32. Σ q·x over a sub-block is summed in 16-bit lanes,
     * which may wrap; 8·Σx is subtracted there (Σ (q−8)·x lies within ±32·8·127, so the lanes then hold it
     * exactly), and added back after widening. The 6-bit scales and mins
     * of the 32 rows are unpacked once per super-block into {@code scm} (512 ints: sc_s rows 0..31 at
     * 32s, m_s at 256 + 32s), which keeps the unpacking out of the loops. Group layout (32 rows each):
     * d, dmin, scales[12], qs[128].
     */
    static void q4_k(MemorySegment w, long off, int k, short[] xq, int x0, float[] xd, short[] xs, int d0,
                     float[] out, int o, int[] scm) {
        FloatVector t0 = FloatVector.zero(F), t1 = t0, u0 = t0, u1 = t0;
        int blocks = k / 256;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 144);
            ShortVector hd = ShortVector.fromMemorySegment(S, w, p, LE), hm = ShortVector.fromMemorySegment(S, w, p + 64, LE);
            unpackScalesMins(w, p + 128, scm);
            IntVector tot0 = IntVector.zero(I), tot1 = tot0, min0 = tot0, min1 = tot0;
            for (int j = 0; j < 4; j++) {
                long q = p + 512 + 32L * 32 * j;
                int xe = x0 + 256 * b + 64 * j;
                int s0 = 2 * j, bs = d0 * 16 + 16 * b + 4 * j;
                int xlo = xs[bs] + xs[bs + 1], xhi = xs[bs + 2] + xs[bs + 3];
                ShortVector accLo = ShortVector.zero(S), accHi = accLo;
                for (int l = 0; l < 32; l++) {
                    ShortVector v = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 32 * l, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                    accLo = accLo.add(v.and((short) 0xF).mul(xq[xe + l]));
                    accHi = accHi.add(v.lanewise(LSHR, 4).mul(xq[xe + 32 + l]));
                }
                // Σ (q−8)·x over the 32 elements of a sub-block lies within ±32·8·127: exact after the wrapped sums
                accLo = accLo.sub((short) (8 * xlo));
                accHi = accHi.sub((short) (8 * xhi));
                IntVector lo0 = ((IntVector) accLo.convertShape(VectorOperators.S2I, I, 0)).add(8 * xlo);
                IntVector lo1 = ((IntVector) accLo.convertShape(VectorOperators.S2I, I, 1)).add(8 * xlo);
                IntVector hi0 = ((IntVector) accHi.convertShape(VectorOperators.S2I, I, 0)).add(8 * xhi);
                IntVector hi1 = ((IntVector) accHi.convertShape(VectorOperators.S2I, I, 1)).add(8 * xhi);
                tot0 = tot0.add(lo0.mul(IntVector.fromArray(I, scm, 32 * s0))).add(hi0.mul(IntVector.fromArray(I, scm, 32 * s0 + 32)));
                tot1 = tot1.add(lo1.mul(IntVector.fromArray(I, scm, 32 * s0 + 16))).add(hi1.mul(IntVector.fromArray(I, scm, 32 * s0 + 48)));
                min0 = min0.add(IntVector.fromArray(I, scm, 256 + 32 * s0).mul(xlo)).add(IntVector.fromArray(I, scm, 288 + 32 * s0).mul(xhi));
                min1 = min1.add(IntVector.fromArray(I, scm, 272 + 32 * s0).mul(xlo)).add(IntVector.fromArray(I, scm, 304 + 32 * s0).mul(xhi));
            }
            float dx = xd[d0 + b] * F16_SCALE;
            IntVector h0 = (IntVector) hd.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector h1 = (IntVector) hd.convertShape(ZERO_EXTEND_S2I, I, 1);
            IntVector g0 = (IntVector) hm.convertShape(ZERO_EXTEND_S2I, I, 0);
            IntVector g1 = (IntVector) hm.convertShape(ZERO_EXTEND_S2I, I, 1);
            FloatVector dw0 = h0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            FloatVector dw1 = h1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                    .lanewise(XOR, h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            FloatVector dm0 = g0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(-dx).reinterpretAsInts()
                    .lanewise(XOR, g0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            FloatVector dm1 = g1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(-dx).reinterpretAsInts()
                    .lanewise(XOR, g1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
            t0 = ((FloatVector) tot0.convert(VectorOperators.I2F, 0)).fma(dw0, t0);
            t1 = ((FloatVector) tot1.convert(VectorOperators.I2F, 0)).fma(dw1, t1);
            u0 = ((FloatVector) min0.convert(VectorOperators.I2F, 0)).fma(dm0, u0);
            u1 = ((FloatVector) min1.convert(VectorOperators.I2F, 0)).fma(dm1, u1);
        }
        t0.add(u0).intoArray(out, o);
        t1.add(u1).intoArray(out, o + 16);
    }

    /**
     * {@link #q4_k} for four tokens at x0, x0 + k, x0 + 2k, x0 + 3k, each unpacked weight vector used four
     * times. The same integer sums (each half sub-block's sum times its scale is the same int32 as the
     * whole sub-block's), the same float steps ({@link #finishQ4_k}): the bits {@link #q4_k} gives each
     * token alone. {@code scm}: 512 ints of scratch, {@code ints} 128, {@code aux} 128, {@code acc}: 256 floats.
     */
    static void q4_kx4(MemorySegment w, long off, int k, short[] xq, int x0, float[] xd, short[] xs, int d0,
                       float[] out, int o, int stride, int[] scm, int[] ints, int[] aux, float[] acc) {
        java.util.Arrays.fill(acc, 0, 256, 0f);
        int blocks = k / 256;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 144);
            unpackScalesMins(w, p + 128, scm);
            IntVector z = IntVector.zero(I);
            IntVector a0 = z, a1 = z, b0 = z, b1 = z, c0 = z, c1 = z, e0 = z, e1 = z;
            for (int j = 0; j < 4; j++) {
                long q = p + 512 + 32L * 32 * j;
                int xa = x0 + 256 * b + 64 * j, xb = xa + k, xc = xb + k, xe = xc + k;
                ShortVector zs = ShortVector.zero(S);
                ShortVector al = zs, ah = zs, bl = zs, bh = zs, cl = zs, ch = zs, el = zs, eh = zs;
                for (int l = 0; l < 32; l++) {
                    ShortVector v = (ShortVector) ByteVector.fromMemorySegment(B32, w, q + 32 * l, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                    ShortVector lo = v.and((short) 0xF), hi = v.lanewise(LSHR, 4);
                    al = al.add(lo.mul(xq[xa + l]));
                    ah = ah.add(hi.mul(xq[xa + 32 + l]));
                    bl = bl.add(lo.mul(xq[xb + l]));
                    bh = bh.add(hi.mul(xq[xb + 32 + l]));
                    cl = cl.add(lo.mul(xq[xc + l]));
                    ch = ch.add(hi.mul(xq[xc + 32 + l]));
                    el = el.add(lo.mul(xq[xe + l]));
                    eh = eh.add(hi.mul(xq[xe + 32 + l]));
                }
                // as in q4_k: 8·Σx out in 16 bits (then exact), back in after widening
                int ds = (k / 256) * 16, bs = d0 * 16 + 16 * b + 4 * j;
                int xal = 8 * (xs[bs] + xs[bs + 1]), xah = 8 * (xs[bs + 2] + xs[bs + 3]);
                int xbl = 8 * (xs[bs + ds] + xs[bs + ds + 1]), xbh = 8 * (xs[bs + ds + 2] + xs[bs + ds + 3]);
                int xcl = 8 * (xs[bs + 2 * ds] + xs[bs + 2 * ds + 1]), xch = 8 * (xs[bs + 2 * ds + 2] + xs[bs + 2 * ds + 3]);
                int xel = 8 * (xs[bs + 3 * ds] + xs[bs + 3 * ds + 1]), xeh = 8 * (xs[bs + 3 * ds + 2] + xs[bs + 3 * ds + 3]);
                al = al.sub((short) xal); ah = ah.sub((short) xah); bl = bl.sub((short) xbl); bh = bh.sub((short) xbh);
                cl = cl.sub((short) xcl); ch = ch.sub((short) xch); el = el.sub((short) xel); eh = eh.sub((short) xeh);
                IntVector sl0 = IntVector.fromArray(I, scm, 64 * j), sl1 = IntVector.fromArray(I, scm, 64 * j + 16);
                IntVector sh0 = IntVector.fromArray(I, scm, 64 * j + 32), sh1 = IntVector.fromArray(I, scm, 64 * j + 48);
                a0 = a0.add(((IntVector) al.convertShape(VectorOperators.S2I, I, 0)).add(xal).mul(sl0)).add(((IntVector) ah.convertShape(VectorOperators.S2I, I, 0)).add(xah).mul(sh0));
                a1 = a1.add(((IntVector) al.convertShape(VectorOperators.S2I, I, 1)).add(xal).mul(sl1)).add(((IntVector) ah.convertShape(VectorOperators.S2I, I, 1)).add(xah).mul(sh1));
                b0 = b0.add(((IntVector) bl.convertShape(VectorOperators.S2I, I, 0)).add(xbl).mul(sl0)).add(((IntVector) bh.convertShape(VectorOperators.S2I, I, 0)).add(xbh).mul(sh0));
                b1 = b1.add(((IntVector) bl.convertShape(VectorOperators.S2I, I, 1)).add(xbl).mul(sl1)).add(((IntVector) bh.convertShape(VectorOperators.S2I, I, 1)).add(xbh).mul(sh1));
                c0 = c0.add(((IntVector) cl.convertShape(VectorOperators.S2I, I, 0)).add(xcl).mul(sl0)).add(((IntVector) ch.convertShape(VectorOperators.S2I, I, 0)).add(xch).mul(sh0));
                c1 = c1.add(((IntVector) cl.convertShape(VectorOperators.S2I, I, 1)).add(xcl).mul(sl1)).add(((IntVector) ch.convertShape(VectorOperators.S2I, I, 1)).add(xch).mul(sh1));
                e0 = e0.add(((IntVector) el.convertShape(VectorOperators.S2I, I, 0)).add(xel).mul(sl0)).add(((IntVector) eh.convertShape(VectorOperators.S2I, I, 0)).add(xeh).mul(sh0));
                e1 = e1.add(((IntVector) el.convertShape(VectorOperators.S2I, I, 1)).add(xel).mul(sl1)).add(((IntVector) eh.convertShape(VectorOperators.S2I, I, 1)).add(xeh).mul(sh1));
            }
            a0.intoArray(ints, 0); a1.intoArray(ints, 16); b0.intoArray(ints, 32); b1.intoArray(ints, 48);
            c0.intoArray(ints, 64); c1.intoArray(ints, 80); e0.intoArray(ints, 96); e1.intoArray(ints, 112);
            blockScalesQ4_k(w, p, aux);
            for (int t = 0; t < 4; t++) finishQ4_k(xd[d0 + b + t * (k / 256)], xs, (d0 + t * (k / 256)) * 16 + 16 * b, aux, scm, ints, 32 * t, acc, 64 * t);
        }
        for (int t = 0; t < 4; t++) {
            int ot = o + t * stride;
            FloatVector.fromArray(F, acc, 64 * t).add(FloatVector.fromArray(F, acc, 64 * t + 32)).intoArray(out, ot);
            FloatVector.fromArray(F, acc, 64 * t + 16).add(FloatVector.fromArray(F, acc, 64 * t + 48)).intoArray(out, ot + 16);
        }
    }

    /**
     * What {@link #finishQ4_k} needs of a super-block's fp16 scales, shared by the four tokens: aux[0..32)
     * the bits of d's magnitude moved into a float's place, aux[32..64) d's sign bits, aux[64..128) the
     * same for dmin.
     */
    private static void blockScalesQ4_k(MemorySegment w, long p, int[] aux) {
        for (int f = 0; f < 2; f++) {
            ShortVector h = ShortVector.fromMemorySegment(S, w, p + 64 * f, LE);
            for (int part = 0; part < 2; part++) {
                IntVector v = (IntVector) h.convertShape(ZERO_EXTEND_S2I, I, part);
                v.and(0x7fff).lanewise(LSHL, 13).intoArray(aux, 64 * f + 16 * part);
                v.and(0x8000).lanewise(LSHL, 16).intoArray(aux, 64 * f + 32 + 16 * part);
            }
        }
    }

    /**
     * One super-block's float step of {@link #q4_kx4} for one token, as {@link #q4_k} does it: the scale
     * sums at ints[i], the min term from the mins in {@code scm} ({@link #unpackScalesMins}) and the
     * token's bsums (from {@code bs}), both scaled and added to acc[a ..] (scale sums of rows 0..31) and
     * acc[a + 32 ..] (min terms).
     */
    private static void finishQ4_k(float xd, short[] xs, int bs, int[] aux, int[] scm, int[] ints, int i, float[] acc, int a) {
        IntVector min0 = IntVector.zero(I), min1 = min0;
        for (int j = 0; j < 4; j++) {
            int xlo = xs[bs + 4 * j] + xs[bs + 4 * j + 1], xhi = xs[bs + 4 * j + 2] + xs[bs + 4 * j + 3];
            min0 = min0.add(IntVector.fromArray(I, scm, 256 + 64 * j).mul(xlo)).add(IntVector.fromArray(I, scm, 288 + 64 * j).mul(xhi));
            min1 = min1.add(IntVector.fromArray(I, scm, 272 + 64 * j).mul(xlo)).add(IntVector.fromArray(I, scm, 304 + 64 * j).mul(xhi));
        }
        float dx = xd * F16_SCALE;
        FloatVector dw0 = IntVector.fromArray(I, aux, 0).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                .lanewise(XOR, IntVector.fromArray(I, aux, 32)).reinterpretAsFloats();
        FloatVector dw1 = IntVector.fromArray(I, aux, 16).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                .lanewise(XOR, IntVector.fromArray(I, aux, 48)).reinterpretAsFloats();
        FloatVector dm0 = IntVector.fromArray(I, aux, 64).reinterpretAsFloats().mul(-dx).reinterpretAsInts()
                .lanewise(XOR, IntVector.fromArray(I, aux, 96)).reinterpretAsFloats();
        FloatVector dm1 = IntVector.fromArray(I, aux, 80).reinterpretAsFloats().mul(-dx).reinterpretAsInts()
                .lanewise(XOR, IntVector.fromArray(I, aux, 112)).reinterpretAsFloats();
        ((FloatVector) IntVector.fromArray(I, ints, i).convert(VectorOperators.I2F, 0)).fma(dw0, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        ((FloatVector) IntVector.fromArray(I, ints, i + 16).convert(VectorOperators.I2F, 0)).fma(dw1, FloatVector.fromArray(F, acc, a + 16)).intoArray(acc, a + 16);
        ((FloatVector) min0.convert(VectorOperators.I2F, 0)).fma(dm0, FloatVector.fromArray(F, acc, a + 32)).intoArray(acc, a + 32);
        ((FloatVector) min1.convert(VectorOperators.I2F, 0)).fma(dm1, FloatVector.fromArray(F, acc, a + 48)).intoArray(acc, a + 48);
    }

    /**
     * {@link #q6_k} for four tokens at x0, x0 + k, x0 + 2k, x0 + 3k. Each level (0..63) is put together once,
     * shared by the four tokens, and multiplied whole; per run of 8 levels each token's 16-bit sum starts
     * at its −32·Σx − 256 as in {@link #q6_k} and is handed, through {@code s16} (512 shorts), to
     * {@link #subBlockQ6_k}, which adds scale × (the two runs + 512) to the token's int32 totals in
     * {@code ints} (128). The integer totals equal {@link #q6_k}'s, and {@link #finishQ6_k} takes the same
     * float steps, so each token gets the bits it gets alone. {@code acc}: 128 floats of scratch.
     */
    static void q6_kx4(MemorySegment w, long off, int k, short[] xq, short[] x6, int x0, float[] xd, int d0,
                       float[] out, int o, int stride, short[] s16, int[] ints, float[] acc) {
        java.util.Arrays.fill(acc, 0, 128, 0f);
        int blocks = k / 256;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 210);
            java.util.Arrays.fill(ints, 0, 128, 0);
            for (int u = 0; u < 32; u++) {   // runs of 8 levels; sub-block u / 2 at p + 416·(u / 2)
                long r = p + 416L * (u >> 1) + 192 * (u & 1);
                int xa = x0 + 256 * b + 8 * u, xb = xa + k, xc = xb + k, xe = xc + k;
                ShortVector ta = ShortVector.broadcast(S, x6[xa / 8 * 13]), tb = ShortVector.broadcast(S, x6[xb / 8 * 13]);
                ShortVector tc = ShortVector.broadcast(S, x6[xc / 8 * 13]), te = ShortVector.broadcast(S, x6[xe / 8 * 13]);
                for (int g = 0; g < 2; g++) {
                    long gr = r + 96L * g;
                    int l = 4 * g;
                    ShortVector b0 = (ShortVector) ByteVector.fromMemorySegment(B32, w, gr, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                    ShortVector b1 = (ShortVector) ByteVector.fromMemorySegment(B32, w, gr + 32, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                    ShortVector b2 = (ShortVector) ByteVector.fromMemorySegment(B32, w, gr + 64, LE).convertShape(ZERO_EXTEND_B2S, S, 0);
                    ShortVector q0 = b0.and((short) 63), q1 = b1.and((short) 63), q2 = b2.and((short) 63);
                    ShortVector q3 = b0.lanewise(LSHR, 6).or(b1.lanewise(LSHR, 4).and((short) 0xC)).or(b2.lanewise(LSHR, 2).and((short) 0x30));
                    ta = ta.add(q0.mul(xq[xa + l])).add(q1.mul(xq[xa + l + 1])).add(q2.mul(xq[xa + l + 2])).add(q3.mul(xq[xa + l + 3]));
                    tb = tb.add(q0.mul(xq[xb + l])).add(q1.mul(xq[xb + l + 1])).add(q2.mul(xq[xb + l + 2])).add(q3.mul(xq[xb + l + 3]));
                    tc = tc.add(q0.mul(xq[xc + l])).add(q1.mul(xq[xc + l + 1])).add(q2.mul(xq[xc + l + 2])).add(q3.mul(xq[xc + l + 3]));
                    te = te.add(q0.mul(xq[xe + l])).add(q1.mul(xq[xe + l + 1])).add(q2.mul(xq[xe + l + 2])).add(q3.mul(xq[xe + l + 3]));
                }
                int h = 32 * (u & 1);
                ta.intoArray(s16, h); tb.intoArray(s16, 128 + h); tc.intoArray(s16, 256 + h); te.intoArray(s16, 384 + h);
                if ((u & 1) == 1) subBlockQ6_k(s16, w, p + 416L * (u >> 1) + 384, ints);
            }
            for (int t = 0; t < 4; t++) finishQ6_k(w, p, xd[d0 + b + t * (k / 256)], ints, 32 * t, acc, 32 * t);
        }
        for (int t = 0; t < 4; t++) {
            FloatVector.fromArray(F, acc, 32 * t).intoArray(out, o + t * stride);
            FloatVector.fromArray(F, acc, 32 * t + 16).intoArray(out, o + t * stride + 16);
        }
    }

    /** ints[32t ..] += scale × (widened s16[128t ..] + s16[128t + 32 ..] + 512) for the four tokens t; the sub-block's int8 scales of 32 rows at sc. */
    private static void subBlockQ6_k(short[] s16, MemorySegment w, long sc, int[] ints) {
        ByteVector scale = ByteVector.fromMemorySegment(B32, w, sc, LE);
        IntVector s0 = (IntVector) scale.convertShape(VectorOperators.B2I, I, 0), s1 = (IntVector) scale.convertShape(VectorOperators.B2I, I, 1);
        for (int t = 0; t < 4; t++) {
            ShortVector u = ShortVector.fromArray(S, s16, 128 * t), v = ShortVector.fromArray(S, s16, 128 * t + 32);
            IntVector sum0 = ((IntVector) u.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) v.convertShape(VectorOperators.S2I, I, 0)).add(512);
            IntVector sum1 = ((IntVector) u.convertShape(VectorOperators.S2I, I, 1)).add((IntVector) v.convertShape(VectorOperators.S2I, I, 1)).add(512);
            IntVector.fromArray(I, ints, 32 * t).add(sum0.mul(s0)).intoArray(ints, 32 * t);
            IntVector.fromArray(I, ints, 32 * t + 16).add(sum1.mul(s1)).intoArray(ints, 32 * t + 16);
        }
    }

    /** acc[a ..] = fma(the int32 totals at ints[i ..], d_w·d_x, acc[a ..]) for 32 rows, as {@link #q6_k}'s last step. */
    private static void finishQ6_k(MemorySegment w, long p, float xd, int[] ints, int i, float[] acc, int a) {
        ShortVector hs = ShortVector.fromMemorySegment(S, w, p + 32L * 208, LE);
        float dx = xd * F16_SCALE;
        IntVector h0 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 0);
        IntVector h1 = (IntVector) hs.convertShape(ZERO_EXTEND_S2I, I, 1);
        FloatVector dw0 = h0.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                .lanewise(XOR, h0.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
        FloatVector dw1 = h1.and(0x7fff).lanewise(LSHL, 13).reinterpretAsFloats().mul(dx).reinterpretAsInts()
                .lanewise(XOR, h1.and(0x8000).lanewise(LSHL, 16)).reinterpretAsFloats();
        ((FloatVector) IntVector.fromArray(I, ints, i).convert(VectorOperators.I2F, 0)).fma(dw0, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        ((FloatVector) IntVector.fromArray(I, ints, i + 16).convert(VectorOperators.I2F, 0)).fma(dw1, FloatVector.fromArray(F, acc, a + 16)).intoArray(acc, a + 16);
    }

    /**
     * get_scale_min_k4 for 32 rows: the 12 scale bytes of each row (interleaved at {@code sp}) to
     * scm[32s + j] = sc_s, scm[256 + 32s + j] = m_s of row j, as ints (what the kernels multiply with).
     * s &lt; 4: sc = b[s] &amp; 63, m = b[s+4] &amp; 63; s ≥ 4: sc = (b[s+4] &amp; 15) | (b[s−4] &gt;&gt; 6) &lt;&lt; 4,
     * m = (b[s+4] &gt;&gt; 4) | (b[s] &gt;&gt; 6) &lt;&lt; 4. The bytes are widened to int lanes first: bytes have no
     * vector shifts on x86, and C2's emulation of them made this unpacking cost as much as the
     * super-block's dot products. A method of its own (no vectors cross its boundary): inside
     * {@link #q4_k} it made the method too large for C1, and calls then ran the unpacking in the
     * interpreter (measured 1.8 instead of 13 GB/s).
     */
    private static void unpackScalesMins(MemorySegment w, long sp, int[] scm) {
        for (int half = 0; half < 2; half++) {   // rows 0..15, then 16..31
            long f = sp + 16 * half;
            int r = 16 * half;
            for (int s = 0; s < 4; s++) {
                IntVector b0 = (IntVector) ByteVector.fromMemorySegment(B16, w, f + 32 * s, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector b4 = (IntVector) ByteVector.fromMemorySegment(B16, w, f + 32 * (s + 4), LE).convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector b8 = (IntVector) ByteVector.fromMemorySegment(B16, w, f + 32 * (s + 8), LE).convertShape(ZERO_EXTEND_B2I, I, 0);
                b0.and(63).intoArray(scm, 32 * s + r);
                b4.and(63).intoArray(scm, 256 + 32 * s + r);
                b8.and(15).or(b0.lanewise(LSHR, 6).lanewise(LSHL, 4)).intoArray(scm, 32 * (s + 4) + r);
                b8.lanewise(LSHR, 4).or(b4.lanewise(LSHR, 6).lanewise(LSHL, 4)).intoArray(scm, 256 + 32 * (s + 4) + r);
            }
        }
    }
}
