package lumen.tensor;

/**
 * The element types of ggml tensors, with the ids GGUF files store and the block geometry that
 * lets the loader size a tensor without knowing how to compute with it. Whether Lumen can compute
 * with a type is {@link #computable()}: the loader accepts every type listed here (so a file opens
 * and says precisely which tensor it cannot use), the engine only computable ones.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false);

    /** The id stored in GGUF tensor infos (ggml's {@code enum ggml_type}). */
    public final int id;
    /** Elements per block; a row's length must be a multiple of it. */
    public final int blockSize;
    /** Bytes per block. */
    public final int bytesPerBlock;
    private final boolean computable;

    GgmlType(int id, int blockSize, int bytesPerBlock, boolean computable) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
        this.computable = computable;
    }

    /** Whether Lumen has dequantize and dot-product kernels for this type. */
    public boolean computable() {
        return computable;
    }

    /** Bytes taken by {@code elements} values; the caller checks divisibility by the block size. */
    public long bytesFor(long elements) {
        return elements / blockSize * bytesPerBlock;
    }

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) BY_ID[t.id] = t;
    }

    /** The type with the given GGUF id, or null if the id is unknown (the caller reports where it read it). */
    public static GgmlType byId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
