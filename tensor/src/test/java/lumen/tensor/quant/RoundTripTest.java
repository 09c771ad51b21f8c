package lumen.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import lumen.tensor.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** quantizeRow then dequantizeRow stays within each format's error budget on gaussian data. */
class RoundTripTest {

    static void quantize(GgmlType t, float[] x, int k, MemorySegment dst) {
        switch (t) {
            case F32 -> F32.quantizeRow(x, 0, k, dst, 0);
            case F16 -> F16.quantizeRow(x, 0, k, dst, 0);
            case BF16 -> BF16.quantizeRow(x, 0, k, dst, 0);
            case Q8_0 -> Q8_0.quantizeRow(x, 0, k, dst, 0);
            case Q8_1 -> Q8_1.quantizeRow(x, 0, k, dst, 0);
            case Q8_K -> Q8_K.quantizeRow(x, 0, k, dst, 0);
            case Q4_0 -> Q4_0.quantizeRow(x, 0, k, dst, 0);
            case Q4_1 -> Q4_1.quantizeRow(x, 0, k, dst, 0);
            case Q5_0 -> Q5_0.quantizeRow(x, 0, k, dst, 0);
            case Q5_1 -> Q5_1.quantizeRow(x, 0, k, dst, 0);
            case Q4_K -> Q4_K.quantizeRow(x, 0, k, dst, 0);
            case Q6_K -> Q6_K.quantizeRow(x, 0, k, dst, 0);
            default -> throw new IllegalArgumentException(t.toString());
        }
    }

    static void dequantize(GgmlType t, MemorySegment src, float[] y, int k) {
        switch (t) {
            case F32 -> F32.dequantizeRow(src, 0, y, 0, k);
            case F16 -> F16.dequantizeRow(src, 0, y, 0, k);
            case BF16 -> BF16.dequantizeRow(src, 0, y, 0, k);
            case Q8_0 -> Q8_0.dequantizeRow(src, 0, y, 0, k);
            case Q8_1 -> Q8_1.dequantizeRow(src, 0, y, 0, k);
            case Q8_K -> Q8_K.dequantizeRow(src, 0, y, 0, k);
            case Q4_0 -> Q4_0.dequantizeRow(src, 0, y, 0, k);
            case Q4_1 -> Q4_1.dequantizeRow(src, 0, y, 0, k);
            case Q5_0 -> Q5_0.dequantizeRow(src, 0, y, 0, k);
            case Q5_1 -> Q5_1.dequantizeRow(src, 0, y, 0, k);
            case Q4_K -> Q4_K.dequantizeRow(src, 0, y, 0, k);
            case Q6_K -> Q6_K.dequantizeRow(src, 0, y, 0, k);
            default -> throw new IllegalArgumentException(t.toString());
        }
    }

    /**
     * maxStep: the largest error allowed per block, in units of the block's amax; rms: the largest
     * RMS error relative to the RMS of the data (gaussian, 1024 values).
     */
    @ParameterizedTest
    @CsvSource({
        "F32, 0, 0",
        "F16, 0.0005, 0.0004",
        "BF16, 0.004, 0.004",
        "Q8_0, 0.0045, 0.007",
        "Q8_1, 0.0045, 0.007",
        "Q8_K, 0.0045, 0.009",
        "Q4_0, 0.126, 0.11",
        "Q4_1, 0.07, 0.1",
        "Q5_0, 0.064, 0.05",
        "Q5_1, 0.035, 0.05",
        "Q4_K, 0.13, 0.11",
        "Q6_K, 0.035, 0.025",
    })
    void roundTripWithinBounds(GgmlType t, double maxStep, double rms) {
        int k = 1024;
        Random rnd = new Random(t.ordinal());
        float[] x = new float[k];
        for (int i = 0; i < k; i++) x[i] = (float) rnd.nextGaussian();
        MemorySegment q = MemorySegment.ofArray(new byte[(int) t.bytesFor(k)]);
        quantize(t, x, k, q);
        float[] y = new float[k];
        dequantize(t, q, y, k);
        int bs = Math.max(t.blockSize, 32);
        double errSq = 0, sq = 0;
        for (int b = 0; b < k / bs; b++) {
            double amax = 0;
            for (int i = b * bs; i < b * bs + bs; i++) amax = Math.max(amax, Math.abs(x[i]));
            for (int i = b * bs; i < b * bs + bs; i++) {
                double e = Math.abs(x[i] - y[i]);
                double bound = t.blockSize == 1 ? maxStep * Math.abs(x[i]) : maxStep * amax;
                assertTrue(e <= bound, t + ": value " + i + " = " + x[i] + " came back as " + y[i]
                        + ", error " + e + " > " + bound);
                errSq += e * e;
                sq += (double) x[i] * x[i];
            }
        }
        double rel = Math.sqrt(errSq / sq);
        assertTrue(rel <= rms, t + ": relative RMS error " + rel + " > " + rms);
        if (t == GgmlType.F32) assertEquals(0.0, rel);
    }
}
