package lumen.tensor.quant;

import java.lang.foreign.MemorySegment;
import lumen.tensor.GgmlType;
import lumen.tensor.TensorException;

/** Reference quantization of float rows into a ggml type, dispatched by type (used to write models). */
public final class Quantize {
    private Quantize() {
    }

    /** Writes x[xOff .. xOff+k) as {@code type} blocks at dst[dstOff ..]; k must be a multiple of the block size. */
    public static void row(GgmlType type, float[] x, int xOff, int k, MemorySegment dst, long dstOff) {
        switch (type) {
            case F32 -> F32.quantizeRow(x, xOff, k, dst, dstOff);
            case F16 -> F16.quantizeRow(x, xOff, k, dst, dstOff);
            case BF16 -> BF16.quantizeRow(x, xOff, k, dst, dstOff);
            case Q8_0 -> Q8_0.quantizeRow(x, xOff, k, dst, dstOff);
            case Q4_0 -> Q4_0.quantizeRow(x, xOff, k, dst, dstOff);
            case Q4_1 -> Q4_1.quantizeRow(x, xOff, k, dst, dstOff);
            case Q5_0 -> Q5_0.quantizeRow(x, xOff, k, dst, dstOff);
            case Q5_1 -> Q5_1.quantizeRow(x, xOff, k, dst, dstOff);
            case Q4_K -> Q4_K.quantizeRow(x, xOff, k, dst, dstOff);
            case Q6_K -> Q6_K.quantizeRow(x, xOff, k, dst, dstOff);
            default -> throw new TensorException("quantizing to " + type + " is not implemented");
        }
    }
}
