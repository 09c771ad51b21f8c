package lumen.loader;

import java.util.Arrays;
import lumen.tensor.GgmlType;

/**
 * Where a tensor lies in a model file.
 *
 * @param name   the tensor's name, e.g. {@code blk.0.attn_q.weight}
 * @param type   the element type
 * @param ne     the dimensions, ggml order ({@code ne[0]} is the contiguous row length); 1 to 4 entries
 * @param offset the absolute byte offset of the first byte of data in its file (part)
 * @param size   the number of data bytes
 * @param part   the index of the file holding it: 0 for a single file, 0..n-1 for a split model
 */
public record TensorInfo(String name, GgmlType type, long[] ne, long offset, long size, int part) {

    public TensorInfo {
        ne = ne.clone();
    }

    /** The dimensions (a copy). */
    @Override
    public long[] ne() {
        return ne.clone();
    }

    /** The number of elements: the product of the dimensions. */
    public long elementCount() {
        long n = 1;
        for (long d : ne) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && type == t.type && Arrays.equals(ne, t.ne)
                && offset == t.offset && size == t.size && part == t.part;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(ne);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(ne) + " @" + offset + "+" + size + (part > 0 ? " part " + part : "");
    }
}
