package lumen.loader.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An immutable metadata array of a fixed-size type, kept as its raw little-endian bytes and boxed on
 * {@link #get}: a 150k-entry {@code tokenizer.ggml.token_type} array costs its 600 KB, not 3 MB of
 * {@code Long}s, and heap use stays bounded by the file size for any input.
 */
final class PrimitiveArray extends AbstractList<Object> implements RandomAccess {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GgufType type;
    private final MemorySegment bytes; // a heap copy
    private final int size;

    PrimitiveArray(GgufType type, byte[] bytes) {
        this.type = type;
        this.bytes = MemorySegment.ofArray(bytes);
        this.size = bytes.length / type.fixedSize;
    }

    /** The element type. */
    GgufType type() {
        return type;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
        return decode(type, bytes, (long) index * type.fixedSize);
    }

    /** Decodes one fixed-size value at {@code offset} in {@code seg}, as the reader hands it out. */
    static Object decode(GgufType type, MemorySegment seg, long offset) {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(seg.get(ValueLayout.JAVA_BYTE, offset));
            case INT8 -> (long) seg.get(ValueLayout.JAVA_BYTE, offset);
            case UINT16 -> (long) Short.toUnsignedInt(seg.get(I16, offset));
            case INT16 -> (long) seg.get(I16, offset);
            case UINT32 -> Integer.toUnsignedLong(seg.get(I32, offset));
            case INT32 -> (long) seg.get(I32, offset);
            case UINT64, INT64 -> seg.get(I64, offset);
            case FLOAT32 -> (double) seg.get(F32, offset);
            case FLOAT64 -> seg.get(F64, offset);
            case BOOL -> seg.get(ValueLayout.JAVA_BYTE, offset) != 0;
            case STRING, ARRAY -> throw new IllegalArgumentException(type + " is not a fixed-size type");
        };
    }
}
