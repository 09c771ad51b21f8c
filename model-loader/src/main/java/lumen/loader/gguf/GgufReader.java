package lumen.loader.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.loader.LoaderException;
import lumen.loader.TensorInfo;
import lumen.tensor.GgmlType;

/**
 * Parses the header of a GGUF file (versions 2 and 3, little-endian) from a memory segment, normally
 * the whole file mapped. Layout (ggml {@code docs/gguf.md}, {@code src/gguf.cpp}):
 *
 * <pre>
 *   magic "GGUF" | version u32 | n_tensors u64 | n_kv u64
 *   n_kv x      { key: string | value_type u32 | value }
 *   n_tensors x { name: string | n_dims u32 | ne[n_dims] u64 | ggml_type u32 | offset u64 }
 *   padding to general.alignment (default 32) | data section (tensor offsets are relative to its start)
 *   string = length u64 + UTF-8 bytes;  array = element type u32 + count u64 + elements
 * </pre>
 *
 * <p>Metadata values become plain Java values: {@code String}, {@code Boolean}, {@code Long} for every
 * integer type (unsigned types zero-extended, uint64 as its raw bits), {@code Double} for float32 and
 * float64, and an immutable {@code List<Object>} for arrays (nested arrays as nested lists).
 *
 * <p>Every count and size is checked against the bytes left before anything is allocated, so a
 * hostile file costs at most a few times its own size in heap. Each error names the file, the field
 * and the byte offset where it was read, and what was found against what was expected.
 */
public final class GgufReader {
    /** "GGUF" read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;
    /** The alignment of the data section and of each tensor when {@code general.alignment} is absent. */
    public static final long DEFAULT_ALIGNMENT = 32;
    /** The largest alignment accepted; larger values are surely corrupt. */
    public static final long MAX_ALIGNMENT = 1L << 30;
    /** ggml tensors have at most 4 dimensions. */
    public static final int MAX_DIMS = 4;
    /** How deeply arrays may nest (ggml itself writes none); bounds the parser's recursion. */
    public static final int MAX_ARRAY_DEPTH = 16;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The fewest bytes a metadata entry takes: an empty key, a type, a one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** The fewest bytes a tensor info takes: an empty name, n_dims, one dimension, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    private final String file;
    private final MemorySegment seg;
    private final long size;
    private final int part;
    private long pos;

    private GgufReader(String file, MemorySegment seg, int part) {
        this.file = file;
        this.seg = seg;
        this.size = seg.byteSize();
        this.part = part;
    }

    /**
     * Parses the header in {@code data} (the whole file) and checks every tensor's data lies inside it.
     *
     * @param file the name used in messages
     * @param part the index recorded in each {@link TensorInfo} (0 unless this is one part of a split model)
     */
    public static GgufFile parse(String file, MemorySegment data, int part) {
        return new GgufReader(file, data, part).parse();
    }

    private GgufFile parse() {
        // Header
        need(4, "magic");
        int magic = seg.get(U32, 0);
        if (magic != MAGIC) {
            throw error("magic", 0, "found " + printable(0, 4) + ", expected \"GGUF\" (not a GGUF file)");
        }
        pos = 4;
        long versionAt = pos;
        long version = u32("header version");
        if (version == 1) {
            throw error("header version", versionAt, "GGUF version 1 is not supported (expected 2 or 3); convert the file again with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            String hint = (version & 0xFFFF) == 0 ? " (the file may be big-endian, which is not supported)" : "";
            throw error("header version", versionAt, "found version " + version + ", expected 2 or 3" + hint);
        }
        long nTensorsAt = pos;
        long nTensors = u64("header n_tensors");
        long nKvAt = pos;
        long nKv = u64("header n_kv");
        checkCount("header n_tensors", nTensorsAt, nTensors, MIN_TENSOR_INFO_BYTES, "tensor infos");
        checkCount("header n_kv", nKvAt, nKv, MIN_KV_BYTES, "metadata entries");
        if (nTensors > Integer.MAX_VALUE - 16) {
            throw error("header n_tensors", nTensorsAt, "found " + nTensors + " tensors, more than a Java list can hold");
        }

        // Metadata
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (long i = 0; i < nKv; i++) {
            long keyAt = pos;
            String key = string("metadata #" + i + " key");
            String where = "metadata #" + i + " '" + key + "'";
            if (metadata.containsKey(key)) {
                throw error(where, keyAt, "duplicate key (already defined by an earlier entry)");
            }
            long typeAt = pos;
            GgufType type = valueType(where + " type", typeAt);
            StringBuilder label = new StringBuilder();
            Object value = value(where, type, 0, label);
            metadata.put(key, value);
            types.put(key, label.toString());
        }

        long alignment = DEFAULT_ALIGNMENT;
        Object a = metadata.get("general.alignment");
        if (a != null) {
            if (!(a instanceof Long l)) {
                throw error("metadata 'general.alignment'", -1, "is a " + types.get("general.alignment") + ", expected an integer");
            }
            if (l <= 0 || l > MAX_ALIGNMENT || (l & (l - 1)) != 0) {
                throw error("metadata 'general.alignment'", -1,
                        "found " + Long.toUnsignedString(l) + ", expected a power of two from 1 to " + MAX_ALIGNMENT);
            }
            alignment = l;
        }

        // Tensor infos: offsets are relative to the data section, whose start we only know after the last one.
        int capacity = (int) Math.min(nTensors, 1 << 16);
        List<long[]> raw = new ArrayList<>(capacity); // {infoOffset, relativeOffset, bytes}
        List<String> names = new ArrayList<>(capacity);
        List<GgmlType> ggmlTypes = new ArrayList<>(capacity);
        List<long[]> shapes = new ArrayList<>(capacity);
        Map<String, Long> seen = new HashMap<>();
        for (long i = 0; i < nTensors; i++) {
            long infoAt = pos;
            String name = string("tensor info #" + i + " name");
            String where = "tensor info #" + i + " '" + name + "'";
            Long earlier = seen.put(name, i);
            if (earlier != null) {
                throw error(where, infoAt, "duplicate tensor name (also tensor info #" + earlier + ")");
            }
            long nDimsAt = pos;
            long nDims = u32(where + " n_dims");
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw error(where + " n_dims", nDimsAt, "found " + nDims + ", expected 1 to " + MAX_DIMS);
            }
            long[] ne = new long[(int) nDims];
            long elements = 1;
            long ne0At = pos;
            for (int d = 0; d < nDims; d++) {
                long dimAt = pos;
                ne[d] = u64(where + " ne[" + d + "]");
                if (ne[d] <= 0) {
                    throw error(where + " ne[" + d + "]", dimAt, "found " + Long.toUnsignedString(ne[d]) + ", expected a dimension from 1 to 2^63-1");
                }
                try {
                    elements = Math.multiplyExact(elements, ne[d]);
                } catch (ArithmeticException e) {
                    throw error(where + " ne[" + d + "]", dimAt, "the element count overflows 2^63 (shape " + shape(ne, d + 1) + ")");
                }
            }
            long typeAt = pos;
            long typeId = u32(where + " type");
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) {
                throw error(where + " type", typeAt, "unknown ggml type id " + typeId);
            }
            if (ne[0] % type.blockSize != 0) {
                throw error(where + " ne[0]", ne0At, "row length " + ne[0] + " is not a multiple of the " + type
                        + " block size " + type.blockSize);
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements / type.blockSize, (long) type.bytesPerBlock);
            } catch (ArithmeticException e) {
                throw error(where, infoAt, "the data size of shape " + shape(ne, ne.length) + " in " + type + " overflows 2^63 bytes");
            }
            long offsetAt = pos;
            long offset = u64(where + " offset");
            if (offset < 0) {
                throw error(where + " offset", offsetAt, "found " + Long.toUnsignedString(offset) + ", larger than any file");
            }
            if (offset % alignment != 0) {
                throw error(where + " offset", offsetAt, "found " + offset + ", expected a multiple of the alignment " + alignment);
            }
            raw.add(new long[] {infoAt, offset, bytes});
            names.add(name);
            ggmlTypes.add(type);
            shapes.add(ne);
        }

        long dataOffset = alignUp(pos, alignment);
        List<TensorInfo> tensors = new ArrayList<>(capacity);
        for (int i = 0; i < nTensors; i++) {
            long[] r = raw.get(i);
            String where = "tensor info #" + i + " '" + names.get(i) + "'";
            long start = dataOffset + r[1]; // both < 2^63 and dataOffset <= size + alignment: may overflow only past 2^63
            long end = start + r[2];
            if (start < 0 || end < 0 || end > size) {
                throw error(where, r[0], "data [" + Long.toUnsignedString(start) + ", " + Long.toUnsignedString(end)
                        + ") ends past the end of the file (size " + size + ")");
            }
            tensors.add(new TensorInfo(names.get(i), ggmlTypes.get(i), shapes.get(i), start, r[2], part));
        }
        checkOverlaps(tensors, raw);

        return new GgufFile(file, (int) version, alignment, dataOffset, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(types), List.copyOf(tensors));
    }

    private void checkOverlaps(List<TensorInfo> tensors, List<long[]> raw) {
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> tensors.get(i).offset()));
        for (int k = 1; k < order.length; k++) {
            TensorInfo prev = tensors.get(order[k - 1]);
            TensorInfo next = tensors.get(order[k]);
            if (next.offset() < prev.offset() + prev.size()) {
                throw error("tensor info #" + order[k] + " '" + next.name() + "'", raw.get(order[k])[0],
                        "data [" + next.offset() + ", " + (next.offset() + next.size()) + ") overlaps tensor info #"
                                + order[k - 1] + " '" + prev.name() + "' [" + prev.offset() + ", "
                                + (prev.offset() + prev.size()) + ")");
            }
        }
    }

    /** Reads one value of {@code type} at {@code pos}; appends its type to {@code label}. */
    private Object value(String where, GgufType type, int depth, StringBuilder label) {
        label.append(type.label());
        if (type == GgufType.STRING) return string(where + " value");
        if (type != GgufType.ARRAY) {
            long at = pos;
            need(type.fixedSize, where + " value");
            Object v = PrimitiveArray.decode(type, seg, at);
            if (type == GgufType.BOOL) checkBool(where + " value", at);
            pos += type.fixedSize;
            return v;
        }
        if (depth >= MAX_ARRAY_DEPTH) {
            throw error(where, pos, "arrays nested more than " + MAX_ARRAY_DEPTH + " deep");
        }
        long typeAt = pos;
        GgufType elementType = valueType(where + " array element type", typeAt);
        long countAt = pos;
        long count = u64(where + " array length");
        checkCount(where + " array length", countAt, count, elementType.minSize(), elementType.label() + " elements");
        label.append(" of ");
        if (elementType.fixedSize > 0) {
            label.append(elementType.label());
            long bytes = count * elementType.fixedSize; // checkCount: fits in the file
            if (bytes > Integer.MAX_VALUE - 16) {
                throw error(where + " array length", countAt, "found " + count + " elements, more than a Java array can hold");
            }
            byte[] copy = seg.asSlice(pos, bytes).toArray(ValueLayout.JAVA_BYTE);
            if (elementType == GgufType.BOOL) {
                for (int i = 0; i < copy.length; i++) {
                    if (copy[i] != 0 && copy[i] != 1) checkBool(where + " element #" + i, pos + i);
                }
            }
            pos += bytes;
            return new PrimitiveArray(elementType, copy);
        }
        if (count > Integer.MAX_VALUE - 16) {
            throw error(where + " array length", countAt, "found " + count + " elements, more than a Java list can hold");
        }
        List<Object> list = new ArrayList<>((int) Math.min(count, 1 << 16));
        if (elementType == GgufType.STRING) { // the vocabulary and merges: up to a few 100k strings, kept fast
            label.append("string");
            for (long i = 0; i < count; i++) {
                long at = pos;
                long length = size - pos >= 8 ? seg.get(U64, pos) : -1;
                if (length < 0 || length > size - pos - 8 || length > Integer.MAX_VALUE - 16) {
                    string(where + " element #" + i + " value"); // throws the detailed error
                    throw new AssertionError("string at " + at + " passed the checks it failed");
                }
                pos += 8;
                list.add(utf8(length));
            }
            return Collections.unmodifiableList(list);
        }
        StringBuilder inner = new StringBuilder();
        for (long i = 0; i < count; i++) {
            inner.setLength(0);
            list.add(value(where + " element #" + i, elementType, depth + 1, inner));
        }
        label.append(count == 0 ? elementType.label() : inner);
        return Collections.unmodifiableList(list);
    }

    private void checkBool(String where, long at) {
        byte b = seg.get(ValueLayout.JAVA_BYTE, at);
        if (b != 0 && b != 1) throw error(where, at, "found bool byte " + (b & 0xFF) + ", expected 0 or 1");
    }

    private GgufType valueType(String where, long at) {
        long id = u32(where);
        GgufType t = GgufType.byId(id);
        if (t == null) throw error(where, at, "unknown value type " + id + ", expected 0 to 12");
        return t;
    }

    private String string(String where) {
        long at = pos;
        long length = u64(where + " length");
        if (length < 0 || length > size - pos) {
            throw error(where + " length", at, "found " + Long.toUnsignedString(length) + " bytes, but only "
                    + (size - pos) + " are left in the file");
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw error(where + " length", at, "found " + length + " bytes, more than a Java string can hold");
        }
        return utf8(length);
    }

    /** Decodes the {@code length} (checked) bytes at {@code pos} and moves past them. */
    private String utf8(long length) {
        if (length == 0) return ""; // shared: an array of empty strings costs a reference each
        byte[] bytes = new byte[(int) length];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, bytes, 0, bytes.length);
        pos += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private long u32(String where) {
        need(4, where);
        long v = Integer.toUnsignedLong(seg.get(U32, pos));
        pos += 4;
        return v;
    }

    private long u64(String where) {
        need(8, where);
        long v = seg.get(U64, pos);
        pos += 8;
        return v;
    }

    private void need(long n, String where) {
        if (size - pos < n) {
            throw error(where, pos, "truncated: needs " + n + " bytes, the file ends at " + size);
        }
    }

    /** Rejects a count whose items could not fit in the bytes left, before anything is allocated for them. */
    private void checkCount(String where, long at, long count, int minItemBytes, String what) {
        long left = size - pos;
        if (count < 0 || count > left / minItemBytes) {
            throw error(where, at, "found " + Long.toUnsignedString(count) + " " + what + ", but the " + left
                    + " bytes left in the file hold at most " + left / minItemBytes + " (" + minItemBytes + " bytes each at least)");
        }
    }

    private static long alignUp(long x, long alignment) {
        return (x + alignment - 1) & -alignment;
    }

    private static String shape(long[] ne, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(Long.toUnsignedString(ne[i]));
        return sb.append(']').toString();
    }

    private String printable(long at, int n) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int b = seg.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        return sb.append('"').toString();
    }

    private LoaderException error(String field, long offset, String problem) {
        return new LoaderException(file + ": " + field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
    }
}
