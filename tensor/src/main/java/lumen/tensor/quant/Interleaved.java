package lumen.tensor.quant;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.TensorException;

/**
 * The interleaved layout of a quantized matrix: its rows in groups of {@link #ROWS}, and within a group,
 * block column by block column, the 32 rows' blocks field by field — byte {@code o} of row {@code j}'s
 * block at {@code 32·o + j}, a 2-byte fp16 field at {@code 32·o + 2·j} (Q6_K's blocks re-encoded first,
 * {@link Q6KernelOrder}). For Q4_0:
 * <pre>
 * group g, block column b:  d[row 0..31] (64 bytes) | qs[0] of rows 0..31 (32 bytes) | qs[1] of rows 0..31 | … | qs[15]
 * </pre>
 * A vector load then reads one field of 32 rows, so a decoding kernel works on 32 rows per lane-wise
 * operation instead of reducing one row across lanes (llama.cpp's CPU "repack" buffers do the same,
 * with other group shapes). The blocks' bytes are only moved (Q6_K's re-encoded losslessly): every value
 * is the same.
 */
public final class Interleaved {
    private Interleaved() {}

    /** Rows per group. */
    public static final int ROWS = 32;

    /** Whether {@code w} can be interleaved: a 2-D or stacked matrix of whole groups of rows. */
    public static boolean fits(Tensor w) {
        return w.layout() == Tensor.Layout.GGML && w.ne().length >= 2 && w.ne()[1] % ROWS == 0
                && w.type().blockSize > 1 && w.rowLength() % w.type().blockSize == 0;
    }

    /** A copy of {@code w} in the interleaved layout, in memory of {@code arena} (shared: the groups are copied in parallel). */
    public static Tensor repack(Tensor w, Arena arena) {
        if (!fits(w)) throw new TensorException("tensor " + w.name() + ": cannot interleave " + w.type() + " " + java.util.Arrays.toString(w.ne()));
        int[] map = map(w.type());
        int bb = w.type().bytesPerBlock;
        int rowBytes = Math.toIntExact(w.rowBytes());
        int blocks = rowBytes / bb;
        long groups = w.rowCount() / ROWS;
        MemorySegment src = w.data();
        MemorySegment dst = arena.allocate(w.data().byteSize(), 64);
        ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> new byte[][] {new byte[ROWS * rowBytes], new byte[ROWS * rowBytes]});
        IntStream.range(0, Math.toIntExact(groups)).parallel().forEach(g -> {
            byte[][] io = buffers.get();
            byte[] in = io[0], out = io[1];
            long base = (long) g * ROWS * rowBytes;
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, base, in, 0, in.length);
            if (w.type() == GgmlType.Q6_K) {
                for (int o = 0; o < in.length; o += bb) Q6KernelOrder.encode(in, o);
            }
            for (int b = 0; b < blocks; b++) {
                int ob = b * ROWS * bb;
                for (int j = 0; j < ROWS; j++) {
                    int ib = j * rowBytes + b * bb, mj = j * bb;
                    for (int o = 0; o < bb; o++) out[ob + map[mj + o]] = in[ib + o];
                }
            }
            MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, base, out.length);
        });
        return new Tensor(w.name(), w.type(), w.ne(), dst, Tensor.Layout.INTERLEAVED);
    }

    /** Copies row {@code row} of an interleaved tensor into {@code dst} (rowBytes bytes) in the file's layout. */
    public static void gatherRow(Tensor w, long row, byte[] dst) {
        int[] map = map(w.type());
        int bb = w.type().bytesPerBlock;
        long rowBytes = w.rowBytes();
        int blocks = (int) (rowBytes / bb);
        long group = row / ROWS;
        int j = (int) (row % ROWS);
        MemorySegment src = w.data();
        long base = group * ROWS * rowBytes;
        for (int b = 0; b < blocks; b++) {
            long ob = base + (long) b * ROWS * bb;
            for (int o = 0; o < bb; o++) dst[b * bb + o] = src.get(ValueLayout.JAVA_BYTE, ob + map[j * bb + o]);
            if (w.type() == GgmlType.Q6_K) Q6KernelOrder.decode(dst, b * bb);
        }
    }

    /** map[j·blockBytes + o]: where byte o of row j's block lies within its group's block column (made once per type; read-only). */
    private static int[] map(GgmlType type) {
        return MAPS.computeIfAbsent(type, Interleaved::layoutMap);
    }

    private static final java.util.Map<GgmlType, int[]> MAPS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Fields in the block's own order, each across the 32 rows; an fp16 field is one field of width 2
     * (Q6_K's blocks are first re-encoded in the order its kernel reads, {@link Q6KernelOrder}, so that
     * decoding streams through memory instead of jumping between regions, which halved its speed from L3).
     */
    private static int[] layoutMap(GgmlType type) {
        int bb = type.bytesPerBlock;
        int[] width = new int[bb];
        java.util.Arrays.fill(width, 1);
        for (int h : halfFields(type)) {
            width[h] = 2;
            width[h + 1] = 0;                 // the second byte of an fp16 field moves with the first
        }
        int[] map = new int[ROWS * bb];
        int at = 0;                           // bytes of the column taken by the fields placed so far
        for (int f = 0; f < bb; f++) {
            for (int j = 0; j < ROWS; j++) {
                for (int t = 0; t < width[f]; t++) map[j * bb + f + t] = at + width[f] * j + t;
            }
            at += ROWS * width[f];
        }
        return map;
    }

    /** Offsets of the fp16 fields in a block of a quantized type (kept whole when interleaved: a kernel loads 32 of them as one vector of shorts). */
    public static int[] halfFields(GgmlType type) {
        return switch (type) {
            case Q4_0, Q8_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> throw new TensorException("no interleaved layout for " + type);
        };
    }
}
