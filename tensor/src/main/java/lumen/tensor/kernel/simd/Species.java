package lumen.tensor.kernel.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes every kernel of this package uses, fixed once per class loader as static finals
 * (the JIT only compiles Vector API code well for constant species). Width: the platform's preferred
 * float vector, capped by {@code -Dlumen.vectorBits=128|256|512}.
 */
final class Species {
    private Species() {}

    static final int BITS = chooseBits();
    /** Float lanes, L of them. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    static final int L = F.length();
    /** Ints of the same shape (half-float bit tricks, bit planes). */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, VectorShape.forBitSize(BITS));
    /** Bytes loaded at once from packed weights: 16 for 512-bit floats, else 8 (converted in parts of L). */
    static final VectorSpecies<Byte> B = L >= 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    static final int BL = B.length();
    /** Float vectors one byte load expands to. */
    static final int PARTS = BL / L;
    /** L shorts (F16/BF16 weights). */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));

    private static int chooseBits() {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (preferred < 128) {
            throw new UnsupportedOperationException("preferred float vector is " + preferred + " bits, fewer than 128");
        }
        String cap = System.getProperty("lumen.vectorBits");
        int bits = preferred;
        if (cap != null && !cap.isBlank()) {
            int c;
            try {
                c = Integer.parseInt(cap.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dlumen.vectorBits=" + cap + ": expected 128, 256 or 512");
            }
            if (c != 128 && c != 256 && c != 512) {
                throw new IllegalArgumentException("-Dlumen.vectorBits=" + cap + ": expected 128, 256 or 512");
            }
            bits = Math.min(bits, c);
        }
        return Math.min(bits, 512);
    }
}
