package lumen.tensor.kernel.simd;

import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2F;
import static jdk.incubator.vector.VectorOperators.XOR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2S;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_S2I;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;
import lumen.tensor.quant.Interleaved;

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
    static void q4_0(MemorySegment w, long off, int k, byte[] xq, int x0, float[] xd, short[] xs, int d0,
                     float[] out, int o) {
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F);
        int blocks = k / 32;
        for (int b = 0; b < blocks; b++) {
            long p = off + (long) b * (32 * 18);
            int xo = x0 + 32 * b;
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
            ShortVector h = ShortVector.fromMemorySegment(S, w, p, LE);
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
            for (int j = 0; j < 32; j += 2) {
                long q = p + 64 + 32L * j;
                FloatVector xa = FloatVector.broadcast(F, xv[xo + j]), xb = FloatVector.broadcast(F, xv[xo + j + 1]);
                a0 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q, LE).convertShape(B2F, F, 0)).fma(xa, a0);
                a1 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 16, LE).convertShape(B2F, F, 0)).fma(xa, a1);
                c0 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 32, LE).convertShape(B2F, F, 0)).fma(xb, c0);
                c1 = ((FloatVector) ByteVector.fromMemorySegment(B16, w, q + 48, LE).convertShape(B2F, F, 0)).fma(xb, c1);
            }
            ShortVector h = ShortVector.fromMemorySegment(S, w, p, LE);
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
}
