package lumen.loader.gguf;

/** The value types of GGUF metadata ({@code enum gguf_type} in ggml's {@code gguf.h}), with their ids. */
public enum GgufType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    /** A uint64 byte length followed by UTF-8 bytes (no terminator). */
    STRING(8, -1),
    /** A uint32 element type, a uint64 element count, then the elements. */
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    /** The id stored in the file. */
    public final int id;
    /** Bytes taken by one value, or -1 for the variable-length types (string, array). */
    public final int fixedSize;

    GgufType(int id, int fixedSize) {
        this.id = id;
        this.fixedSize = fixedSize;
    }

    /** The fewest bytes a value of this type can take: what a count read from a file is checked against. */
    public int minSize() {
        return switch (this) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> fixedSize;
        };
    }

    /** Whether values of this type are read as {@code Long}. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** Whether values of this type are read as {@code Double}. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The name used in messages, as in {@code gguf.cpp}: {@code uint32}, {@code string}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static final GgufType[] BY_ID = values();

    /** The type with the given id, or null if the id is unknown (the caller reports where it read it). */
    public static GgufType byId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
