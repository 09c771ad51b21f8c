package lumen.tensor.kernel;

import lumen.tensor.GgmlType;
import lumen.tensor.TensorException;

/** What llama.cpp's CPU backend converts activations to before multiplying them with weights of a given type. */
public enum ActivationFormat {
    F32(1), F16(1), BF16(1), Q8_0(32), Q8_1(32), Q8_K(256);

    /** Elements per block (1 for the plain float formats). */
    public final int blockSize;

    ActivationFormat(int blockSize) {
        this.blockSize = blockSize;
    }

    /** ggml's {@code vec_dot_type} of {@code weightType} (ggml-cpu.c type traits). */
    public static ActivationFormat forWeight(GgmlType weightType) {
        return switch (weightType) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q4_0, Q5_0, Q8_0 -> Q8_0;
            case Q4_1, Q5_1 -> Q8_1;
            case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> Q8_K;
            default -> throw new TensorException("weight type " + weightType + " has no kernel; expected one of "
                    + "F32 F16 BF16 Q4_0 Q4_1 Q5_0 Q5_1 Q8_0 Q2_K Q3_K Q4_K Q5_K Q6_K");
        };
    }
}
