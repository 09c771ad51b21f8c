package lumen.tensor.kernel.simd;

import static lumen.tensor.kernel.simd.Species.B;
import static lumen.tensor.kernel.simd.Species.BL;
import static lumen.tensor.kernel.simd.Species.F;
import static lumen.tensor.kernel.simd.Species.I;
import static lumen.tensor.kernel.simd.Species.L;
import static lumen.tensor.kernel.simd.Species.PARTS;
import static lumen.tensor.kernel.simd.Species.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Unpacks one weight row into floats: level × scale, minus the min where the type has one. The
 * product of an integer level (times a K-quant's 6- or 8-bit sub-block scale) with an fp16 scale
 * has at most 24 significant bits, so it is exact in float32 and its bits do not depend on the order
 * of the multiplications; a min is then subtracted with one rounding (fused multiply-add).
 */
final class Expand {
    private Expand() {}

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(SHORT, off));
    }

    static ByteVector load(MemorySegment s, long off) {
        return ByteVector.fromMemorySegment(B, s, off, LE);
    }

    static FloatVector part(ByteVector v, int part) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, part);
    }

    /** (v &gt;&gt;&gt; n) &amp; mask per byte, through 16-bit shifts (x86 has no byte shifts); exact while mask &lt; 2^(8−n). */
    static ByteVector shr(ByteVector v, int n, int mask) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes().and((byte) mask);
    }

    /**
     * Bit {@code from} (and the bits above it under the mask) of each byte moved to bit {@code to},
     * masked: (v &gt;&gt; (from − to)) or (v &lt;&lt; (to − from)) through 16-bit shifts (x86 has no byte
     * shifts and the Vector API falls back to scalar code for them). {@code mask} is in the target position.
     */
    static ByteVector move(ByteVector v, int from, int to, int mask) {
        // kept tiny (as are shr and shl) so that C2 inlines it: a vector helper it does not inline
        // passes boxed vectors and runs the Vector API's scalar fallback, ~50x slower
        return from >= to ? shr(v, from - to, mask) : shl(v, to - from, mask);
    }

    /** (v &lt;&lt; n) &amp; mask per byte, through 16-bit shifts; exact while mask has no bit below n. */
    static ByteVector shl(ByteVector v, int n, int mask) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes().and((byte) mask);
    }

    /** Stores the L·PARTS levels of v times scale at lev[o ..] (exact). */
    static void store(ByteVector v, float scale, float[] lev, int o) {
        for (int p = 0; p < PARTS; p++) part(v, p).mul(scale).intoArray(lev, o + p * L);
    }

    /** Stores level × scale − min for the L·PARTS levels of v at lev[o ..]: the product exact, one rounding. */
    static void store(ByteVector v, float scale, float min, float[] lev, int o) {
        for (int p = 0; p < PARTS; p++) part(v, p).fma(scale, -min).intoArray(lev, o + p * L);
    }

    /** lev[o .. o+n) = lev · scale: integer levels already there, scaled in place (n a multiple of L). */
    private static void scale(float[] lev, int o, int n, float scale) {
        for (int j = 0; j < n; j += L) FloatVector.fromArray(F, lev, o + j).mul(scale).intoArray(lev, o + j);
    }

    // ---- plain floats -------------------------------------------------------------------------

    static void f32(MemorySegment s, long off, int k, float[] lev) {
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED, off, lev, 0, k);
    }

    /** IEEE half to float with integer ops: (bits &amp; 0x7fff) &lt;&lt; 13 scaled by 2^112 is exact for normals and subnormals. */
    static void f16(MemorySegment s, long off, int k, float[] lev) {
        int i = 0;
        for (; i + L <= k; i += L) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S, s, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
            IntVector mag = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
            FloatVector f = mag.reinterpretAsFloats().mul(0x1p112f);
            var special = h.and(0x7c00).compare(VectorOperators.EQ, 0x7c00);   // inf / NaN
            FloatVector inf = mag.or(0x7f800000).reinterpretAsFloats();
            f = f.blend(inf, special.cast(F));
            IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            f.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(lev, i);
        }
        for (; i < k; i++) lev[i] = f16(s, off + 2L * i);
    }

    static void bf16(MemorySegment s, long off, int k, float[] lev) {
        int i = 0;
        for (; i + L <= k; i += L) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S, s, off + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0);
            h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(lev, i);
        }
        for (; i < k; i++) lev[i] = Float.intBitsToFloat((s.get(SHORT, off + 2L * i) & 0xFFFF) << 16);
    }

    // ---- 32-value blocks ------------------------------------------------------------------------

    static void q8_0(MemorySegment s, long off, int k, float[] lev) {
        for (int b = 0; b < k / 32; b++) {
            long p = off + 34L * b;
            float d = f16(s, p);
            for (int i = 0; i < 32; i += BL) store(load(s, p + 2 + i), d, lev, 32 * b + i);
        }
    }

    static void q4_0(MemorySegment s, long off, int k, float[] lev) {
        for (int b = 0; b < k / 32; b++) {
            long p = off + 18L * b;
            float d = f16(s, p);
            for (int i = 0; i < 16; i += BL) {
                ByteVector v = load(s, p + 2 + i);
                store(v.and((byte) 0xF).sub((byte) 8), d, lev, 32 * b + i);
                store(shr(v, 4, 0xF).sub((byte) 8), d, lev, 32 * b + 16 + i);
            }
        }
    }

    /**
     * d · q (exact), without the min: each block's m goes to mins[b]. llama.cpp adds m · s per block with
     * the activations' s = fp16(d'·Σq) (Q8_1), not m · Σ d·q; the caller adds that term ({@link SimdKernels}).
     */
    static void q4_1(MemorySegment s, long off, int k, float[] lev, float[] mins) {
        for (int b = 0; b < k / 32; b++) {
            long p = off + 20L * b;
            float d = f16(s, p);
            mins[b] = f16(s, p + 2);
            for (int i = 0; i < 16; i += BL) {
                ByteVector v = load(s, p + 4 + i);
                store(v.and((byte) 0xF), d, lev, 32 * b + i);
                store(shr(v, 4, 0xF), d, lev, 32 * b + 16 + i);
            }
        }
    }

    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /** Adds 16 · bit (j0 + lane) of qh to lev[o .. o+count), L at a time. */
    private static void addHighBits(int qh, int j0, int count, float[] lev, int o) {
        for (int j = 0; j < count; j += L) {
            IntVector bits = IntVector.broadcast(I, qh).lanewise(VectorOperators.LSHR, IOTA.add(j0 + j)).and(1);
            FloatVector hb = (FloatVector) bits.convert(VectorOperators.I2F, 0);
            FloatVector.fromArray(F, lev, o + j).add(hb.mul(16f)).intoArray(lev, o + j);
        }
    }

    /** The 5-bit levels (low nibble, high bit from qh) of one block at lev[o ..], unscaled. */
    private static void q5Levels(MemorySegment s, long qs, int qh, int sub, float[] lev, int o) {
        for (int i = 0; i < 16; i += BL) {
            ByteVector v = load(s, qs + i);
            store(v.and((byte) 0xF).sub((byte) sub), 1f, lev, o + i);
            store(shr(v, 4, 0xF).sub((byte) sub), 1f, lev, o + 16 + i);
        }
        addHighBits(qh, 0, 32, lev, o);
    }

    static void q5_0(MemorySegment s, long off, int k, float[] lev) {
        for (int b = 0; b < k / 32; b++) {
            long p = off + 22L * b;
            q5Levels(s, p + 6, s.get(ValueLayout.JAVA_INT_UNALIGNED, p + 2), 16, lev, 32 * b);
            scale(lev, 32 * b, 32, f16(s, p));
        }
    }

    /** d · q without the min (in mins[b]), as {@link #q4_1}. */
    static void q5_1(MemorySegment s, long off, int k, float[] lev, float[] mins) {
        for (int b = 0; b < k / 32; b++) {
            long p = off + 24L * b;
            q5Levels(s, p + 8, s.get(ValueLayout.JAVA_INT_UNALIGNED, p + 4), 0, lev, 32 * b);
            scale(lev, 32 * b, 32, f16(s, p));
            mins[b] = f16(s, p + 2);
        }
    }

    // ---- K-quants: 256-value super-blocks ---------------------------------------------------------

    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** d · sc · q − dmin · m per 16 values (sc, m: the 4-bit scale and min of the group). */
    static void q2_k(MemorySegment s, long off, int k, float[] lev) {
        for (int b = 0; b < k / 256; b++) {
            long p = off + 84L * b;
            float d = f16(s, p + 80), dmin = f16(s, p + 82);
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 32; i += BL) {
                    ByteVector v = load(s, p + 16 + 32 * h + i);
                    for (int j = 0; j < 4; j++) {
                        int e = 128 * h + 32 * j + i;
                        ByteVector q = shr(v, 2 * j, 3);
                        for (int pt = 0; pt < PARTS; pt++) {
                            int sm = u8(s, p + (e + pt * L) / 16);
                            part(q, pt).fma(d * (sm & 0xF), -(dmin * (sm >> 4))).intoArray(lev, 256 * b + e + pt * L);
                        }
                    }
                }
            }
        }
    }

    /** The 16 signed 6-bit scales (sc − 32) of a Q3_K block from its 12 scale bytes at sp. */
    static void q3Scales(MemorySegment s, long sp, int[] sc) {
        long lo = s.get(ValueLayout.JAVA_LONG_UNALIGNED, sp);          // bytes 0..7
        int hi = s.get(ValueLayout.JAVA_INT_UNALIGNED, sp + 8);        // bytes 8..11
        for (int j = 0; j < 16; j++) {
            int low = (int) (lo >>> (8 * (j & 7) + (j < 8 ? 0 : 4))) & 0xF;
            int high = (hi >>> (8 * (j & 3) + 2 * (j >> 2))) & 3;
            sc[j] = (low | (high << 4)) - 32;
        }
    }

    static void q3_k(MemorySegment s, long off, int k, float[] lev, int[] sc) {
        for (int b = 0; b < k / 256; b++) {
            long p = off + 110L * b;
            float d = f16(s, p + 108);
            q3Scales(s, p + 96, sc);
            for (int h = 0; h < 2; h++) {
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 32; i += BL) {
                        ByteVector v = load(s, p + 32 + 32 * h + i);
                        ByteVector hm = load(s, p + i);
                        int e = 128 * h + 32 * j + i;
                        ByteVector q = shr(v, 2 * j, 3).or(move(hm, 4 * h + j, 2, 0x04)).sub((byte) 4);
                        for (int pt = 0; pt < PARTS; pt++) {
                            part(q, pt).mul(d * sc[(e + pt * L) / 16]).intoArray(lev, 256 * b + e + pt * L);
                        }
                    }
                }
            }
        }
    }

    /** get_scale_min_k4 for all 8 sub-blocks, from the 12 scale bytes read as one long and one int. */
    static void scaleMin(MemorySegment s, long sp, int[] sc, int[] m) {
        long lo = s.get(ValueLayout.JAVA_LONG_UNALIGNED, sp);          // bytes 0..7, little-endian
        int hi = s.get(ValueLayout.JAVA_INT_UNALIGNED, sp + 8);        // bytes 8..11
        for (int j = 0; j < 4; j++) {
            int bj = (int) (lo >>> (8 * j)) & 0xFF;                    // scales[j]
            int bj4 = (int) (lo >>> (8 * j + 32)) & 0xFF;              // scales[j + 4]
            int bj8 = (hi >>> (8 * j)) & 0xFF;                          // scales[j + 8]
            sc[j] = bj & 63;
            m[j] = bj4 & 63;
            sc[j + 4] = (bj8 & 0xF) | ((bj >> 6) << 4);
            m[j + 4] = (bj8 >> 4) | ((bj4 >> 6) << 4);
        }
    }

    /** d · sc · q − dmin · m per 32 values. */
    static void q4_k(MemorySegment s, long off, int k, float[] lev, int[] sc, int[] m) {
        for (int b = 0; b < k / 256; b++) {
            long p = off + 144L * b;
            float d = f16(s, p), dmin = f16(s, p + 2);
            scaleMin(s, p + 4, sc, m);
            for (int pair = 0; pair < 4; pair++) {
                float sLo = d * sc[2 * pair], sHi = d * sc[2 * pair + 1];
                float mLo = dmin * m[2 * pair], mHi = dmin * m[2 * pair + 1];
                for (int i = 0; i < 32; i += BL) {
                    ByteVector v = load(s, p + 16 + 32 * pair + i);
                    store(v.and((byte) 0xF), sLo, mLo, lev, 256 * b + 64 * pair + i);
                    store(shr(v, 4, 0xF), sHi, mHi, lev, 256 * b + 64 * pair + 32 + i);
                }
            }
        }
    }

    static void q5_k(MemorySegment s, long off, int k, float[] lev, int[] sc, int[] m) {
        for (int b = 0; b < k / 256; b++) {
            long p = off + 176L * b;
            float d = f16(s, p), dmin = f16(s, p + 2);
            scaleMin(s, p + 4, sc, m);
            for (int pair = 0; pair < 4; pair++) {
                float sLo = d * sc[2 * pair], sHi = d * sc[2 * pair + 1];
                float mLo = dmin * m[2 * pair], mHi = dmin * m[2 * pair + 1];
                for (int i = 0; i < 32; i += BL) {
                    ByteVector v = load(s, p + 48 + 32 * pair + i);
                    ByteVector qh = load(s, p + 16 + i);
                    ByteVector lo = v.and((byte) 0xF).or(move(qh, 2 * pair, 4, 0x10));
                    ByteVector hi = shr(v, 4, 0xF).or(move(qh, 2 * pair + 1, 4, 0x10));
                    store(lo, sLo, mLo, lev, 256 * b + 64 * pair + i);
                    store(hi, sHi, mHi, lev, 256 * b + 64 * pair + 32 + i);
                }
            }
        }
    }

    static void q6_k(MemorySegment s, long off, int k, float[] lev) {
        for (int b = 0; b < k / 256; b++) {
            long p = off + 210L * b;
            float d = f16(s, p + 208);
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 32; i += BL) {
                    ByteVector ql0 = load(s, p + 64 * h + i);
                    ByteVector ql32 = load(s, p + 64 * h + 32 + i);
                    ByteVector qh = load(s, p + 128 + 32 * h + i);
                    ByteVector q1 = ql0.and((byte) 0xF).or(move(qh, 0, 4, 0x30)).sub((byte) 32);
                    ByteVector q2 = ql32.and((byte) 0xF).or(move(qh, 2, 4, 0x30)).sub((byte) 32);
                    ByteVector q3 = shr(ql0, 4, 0xF).or(move(qh, 4, 4, 0x30)).sub((byte) 32);
                    ByteVector q4 = shr(ql32, 4, 0xF).or(move(qh, 6, 4, 0x30)).sub((byte) 32);
                    int e = 256 * b + 128 * h + i;
                    storeScaled16(q1, s, p, d, e - 256 * b, lev, e);
                    storeScaled16(q2, s, p, d, e - 256 * b + 32, lev, e + 32);
                    storeScaled16(q3, s, p, d, e - 256 * b + 64, lev, e + 64);
                    storeScaled16(q4, s, p, d, e - 256 * b + 96, lev, e + 96);
                }
            }
        }
    }

    /** Stores the parts of v, each part times d and the int8 scale of the 16-value group it falls in. */
    private static void storeScaled16(ByteVector v, MemorySegment s, long p, float d, int inBlock, float[] lev, int o) {
        for (int pt = 0; pt < PARTS; pt++) {
            int sc = s.get(ValueLayout.JAVA_BYTE, p + 192 + (inBlock + pt * L) / 16);
            part(v, pt).mul(d * sc).intoArray(lev, o + pt * L);
        }
    }
}
