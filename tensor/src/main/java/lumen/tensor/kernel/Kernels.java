package lumen.tensor.kernel;

import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;

/**
 * Matrix kernels over ggml-typed weights. A row's result never depends on the batch size or on the
 * row range asked for, so decoding token by token gives the same bits as a batch.
 */
public interface Kernels {
    /** Converts rows x[t*k .. t*k+k), t < n, to the representation llama.cpp multiplies weights of type weightType with. */
    Activations prepare(GgmlType weightType, float[] x, int n, int k);

    /** out[t*outStride + r] = dot(row r of w, activation row t) for r in [rowStart,rowEnd), all t < x.rows(). */
    void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd);

    /** Dequantizes row {@code row} of w into dst[dstOffset ..]. */
    void dequantizeRow(Tensor w, long row, float[] dst, int dstOffset);

    /** A short name for logs and benchmarks, e.g. "scalar" or "simd-512". */
    String name();
}
