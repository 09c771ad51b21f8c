package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Little-endian field access and ggml's rounding helpers shared by the block formats. */
final class Bytes {
    private Bytes() {}

    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Unsigned byte at {@code off}. */
    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Signed byte at {@code off}. */
    static int i8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off);
    }

    /** An IEEE half at {@code off}, widened exactly. */
    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(SHORT, off));
    }

    static void putF16(MemorySegment s, long off, float v) {
        s.set(SHORT, off, Float.floatToFloat16(v));
    }

    static void put8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    /** ggml's {@code nearest_int}: round half to even (exact for |x| < 2^22, all it is used for). */
    static int nearestInt(float x) {
        return (int) Math.rint(x);
    }

    /** C's {@code roundf}: halves away from zero. */
    static int roundf(float x) {
        return (int) Math.copySign(Math.floor(Math.abs((double) x) + 0.5), x);
    }

    /** Checks that {@code k} is a whole number of blocks. */
    static void checkBlocks(String format, int k, int blockSize) {
        if (k % blockSize != 0) {
            throw new lumen.tensor.TensorException(format + ": row length " + k
                    + " is not a multiple of the block size " + blockSize);
        }
    }

    /** The value of largest magnitude among x[off .. off+n), with its sign (the first one on ties), as ggml's reference quantizers pick it. */
    static float signedMaxAbs(float[] x, int off, int n) {
        float amax = 0, max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[off + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }
}
