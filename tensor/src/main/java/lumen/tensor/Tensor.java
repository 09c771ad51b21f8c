package lumen.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A named n-dimensional array of ggml elements, viewed in place (usually in a memory-mapped file).
 * Dimensions follow ggml: {@code ne[0]} is the row length (contiguous), {@code ne[1]} the number of
 * rows, higher dimensions stack matrices (e.g. experts). Rows are packed in blocks of {@link GgmlType},
 * one row after another as GGUF stores them ({@link Layout#GGML}) or, after a kernel repacked them,
 * {@link Layout#INTERLEAVED} (see {@link lumen.tensor.quant.Interleaved}).
 */
public record Tensor(String name, GgmlType type, long[] ne, MemorySegment data, Layout layout) {

    /** How the rows' blocks lie in {@link #data()}. */
    public enum Layout {
        /** Row after row, each a run of blocks (the file's layout). */
        GGML,
        /** Groups of 32 rows, block column by block column, each block's fields interleaved across the rows. */
        INTERLEAVED
    }

    /** A tensor in the file's layout. */
    public Tensor(String name, GgmlType type, long[] ne, MemorySegment data) {
        this(name, type, ne, data, Layout.GGML);
    }

    /** Elements in one row ({@code ne[0]}). */
    public int rowLength() {
        return Math.toIntExact(ne[0]);
    }

    /** Number of rows: the product of all dimensions after the first. */
    public long rowCount() {
        long n = 1;
        for (int i = 1; i < ne.length; i++) n *= ne[i];
        return n;
    }

    /** Total elements. */
    public long elementCount() {
        return ne[0] * rowCount();
    }

    /** Bytes in one row. */
    public long rowBytes() {
        return type.bytesFor(ne[0]);
    }

    /** The bytes of row {@code r}. */
    public MemorySegment row(long r) {
        if (layout != Layout.GGML) throw new TensorException("tensor " + name + ": rows are interleaved, not contiguous");
        return data.asSlice(r * rowBytes(), rowBytes());
    }

    /**
     * Matrix {@code i} of the outermost dimension as a tensor of one dimension less, sharing the data
     * (e.g. one expert of a 3-D MoE weight {@code [n_expert][rows][cols]}).
     */
    public Tensor slice(int i) {
        if (ne.length < 2) throw new TensorException("tensor " + name + ": cannot slice a 1-D tensor");
        long outer = ne[ne.length - 1];
        if (i < 0 || i >= outer) {
            throw new TensorException("tensor " + name + ": slice " + i + " outside [0, " + outer + ")");
        }
        long[] inner = java.util.Arrays.copyOf(ne, ne.length - 1);
        long bytes = data.byteSize() / outer;
        return new Tensor(name + "[" + i + "]", type, inner, data.asSlice(bytes * i, bytes), layout);
    }
}
