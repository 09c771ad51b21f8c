package lumen.tensor.quant;

/**
 * Q6_K blocks re-encoded for the interleaved kernels, losslessly and in the same 210 bytes. ggml keeps a
 * level's low 4 bits in {@code ql} and its high 2 bits in {@code qh}, so a kernel multiplies two parts
 * per element; here each run of four levels q0..q3 (0..63) of a 16-element sub-block takes three bytes
 * <pre>
 * B0 = q0 | (q3 &amp; 3) &lt;&lt; 6,   B1 = q1 | (q3 &gt;&gt; 2 &amp; 3) &lt;&lt; 6,   B2 = q2 | (q3 &gt;&gt; 4) &lt;&lt; 6
 * </pre>
 * so that B0·x0 + (B0 &gt;&gt; 6)·(x3 − 64·x0) + B1·x1 + (B1 &gt;&gt; 6)·(4·x3 − 64·x1) + B2·x2 + (B2 &gt;&gt; 6)·(16·x3 − 64·x2)
 * = Σ q·x: six multiplies per four levels instead of eight. Block layout: for each sub-block s &lt; 16,
 * its 12 level bytes (four runs) at 13s and its int8 scale at 13s + 12; d (fp16) at 208, as in ggml.
 */
public final class Q6KernelOrder {
    private Q6KernelOrder() {}

    private static final int LEVELS = 256;

    /** Re-encodes the ggml Q6_K block at {@code off} in place. */
    static void encode(byte[] b, int off) {
        int[] q = new int[LEVELS];
        for (int e = 0; e < LEVELS; e++) q[e] = ggmlLevel(b, off, e);
        byte[] scales = new byte[16];
        System.arraycopy(b, off + 192, scales, 0, 16);
        for (int s = 0; s < 16; s++) {
            for (int g = 0; g < 4; g++) {
                int e = 16 * s + 4 * g, o = off + 13 * s + 3 * g;
                b[o] = (byte) (q[e] | (q[e + 3] & 3) << 6);
                b[o + 1] = (byte) (q[e + 1] | (q[e + 3] >> 2 & 3) << 6);
                b[o + 2] = (byte) (q[e + 2] | (q[e + 3] >> 4) << 6);
            }
            b[off + 13 * s + 12] = scales[s];
        }
    }

    /** Turns a block encoded by {@link #encode} at {@code off} back into ggml's layout, in place. */
    static void decode(byte[] b, int off) {
        int[] q = new int[LEVELS];
        byte[] scales = new byte[16];
        for (int s = 0; s < 16; s++) {
            for (int g = 0; g < 4; g++) {
                int e = 16 * s + 4 * g, o = off + 13 * s + 3 * g;
                int b0 = b[o] & 0xFF, b1 = b[o + 1] & 0xFF, b2 = b[o + 2] & 0xFF;
                q[e] = b0 & 63;
                q[e + 1] = b1 & 63;
                q[e + 2] = b2 & 63;
                q[e + 3] = b0 >> 6 | (b1 >> 6) << 2 | (b2 >> 6) << 4;
            }
            scales[s] = b[off + 13 * s + 12];
        }
        java.util.Arrays.fill(b, off, off + 192, (byte) 0);
        for (int e = 0; e < LEVELS; e++) {
            int h = e / 128, c = e % 128 / 32, l = e % 32;
            int ql = off + 64 * h + (c % 2) * 32 + l, qh = off + 128 + 32 * h + l;
            b[ql] |= (byte) (c < 2 ? q[e] & 0xF : (q[e] & 0xF) << 4);
            b[qh] |= (byte) ((q[e] >> 4) << (2 * c));
        }
        System.arraycopy(scales, 0, b, off + 192, 16);
    }

    /** Level e (0..63) of a ggml Q6_K block: low 4 bits from ql, high 2 from qh (dequantize_row_q6_K's order). */
    private static int ggmlLevel(byte[] b, int off, int e) {
        int h = e / 128, c = e % 128 / 32, l = e % 32;
        int ql = b[off + 64 * h + (c % 2) * 32 + l] & 0xFF, qh = b[off + 128 + 32 * h + l] & 0xFF;
        int lo = c < 2 ? ql & 0xF : ql >> 4;
        return lo | (qh >> 2 * c & 3) << 4;
    }
}
