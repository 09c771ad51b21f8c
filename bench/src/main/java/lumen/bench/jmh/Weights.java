package lumen.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.quant.BF16;
import lumen.tensor.quant.F16;
import lumen.tensor.quant.F32;
import lumen.tensor.quant.Q4_0;
import lumen.tensor.quant.Q4_K;
import lumen.tensor.quant.Q6_K;
import lumen.tensor.quant.Q8_0;

/** Random gaussian weight matrices quantized to a type, off-heap, repeated to defeat the caches. */
final class Weights {
    private Weights() {}

    /**
     * {@code copies} identical [rows][k] matrices of type t in one off-heap segment (so a benchmark
     * cycling through them streams from memory, not from L3).
     */
    static Tensor[] make(Arena arena, GgmlType t, int rows, int k, int copies, long seed) {
        long rowBytes = t.bytesFor(k);
        long bytes = rowBytes * rows;
        MemorySegment all = arena.allocate(bytes * copies, 64);
        MemorySegment first = all.asSlice(0, bytes);
        Random rnd = new Random(seed);
        float[] row = new float[k];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < k; i++) row[i] = (float) rnd.nextGaussian() / (float) Math.sqrt(k);
            long off = r * rowBytes;
            switch (t) {
                case F32 -> F32.quantizeRow(row, 0, k, first, off);
                case F16 -> F16.quantizeRow(row, 0, k, first, off);
                case BF16 -> BF16.quantizeRow(row, 0, k, first, off);
                case Q8_0 -> Q8_0.quantizeRow(row, 0, k, first, off);
                case Q4_0 -> Q4_0.quantizeRow(row, 0, k, first, off);
                case Q4_K -> Q4_K.quantizeRow(row, 0, k, first, off);
                case Q6_K -> Q6_K.quantizeRow(row, 0, k, first, off);
                default -> throw new IllegalArgumentException("no quantizer for " + t);
            }
        }
        Tensor[] out = new Tensor[copies];
        for (int c = 0; c < copies; c++) {
            MemorySegment seg = all.asSlice(bytes * c, bytes);
            if (c > 0) MemorySegment.copy(first, 0, seg, 0, bytes);
            out[c] = new Tensor("w" + c, t, new long[] {k, rows}, seg);
        }
        return out;
    }

    /** How many copies make at least {@code minBytes} in all. */
    static int copiesFor(GgmlType t, int rows, int k, long minBytes) {
        long bytes = t.bytesFor(k) * rows;
        return (int) Math.max(1, (minBytes + bytes - 1) / bytes);
    }
}
