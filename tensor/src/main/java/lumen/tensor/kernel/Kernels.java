package lumen.tensor.kernel;

import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.parallel.ThreadPool;

/**
 * Matrix kernels over ggml-typed weights. A row's result never depends on the row range asked for or
 * on the thread split. It may depend on the batch size within float rounding: an implementation may
 * multiply single tokens and batches by different formulations (the SIMD kernels do, for speed).
 */
public interface Kernels {
    /** Converts rows x[t*k .. t*k+k), t < n, to the representation llama.cpp multiplies weights of type weightType with. */
    Activations prepare(GgmlType weightType, float[] x, int n, int k);

    /**
     * As {@link #prepare(GgmlType, float[], int, int)}, the rows rounded on the threads of {@code pool}; the
     * same result, written into the arrays of {@code spare} (an earlier result no longer used, or null)
     * where they fit.
     */
    default Activations prepare(GgmlType weightType, float[] x, int n, int k, ThreadPool pool, Activations spare) {
        return Activations.of(weightType, x, n, k, pool, spare);
    }

    /** out[t*outStride + r] = dot(row r of w, activation row t) for r in [rowStart,rowEnd), all t < x.rows(). */
    void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd);

    /**
     * The weight matrix {@code w} in the layout these kernels multiply fastest, copied into memory of
     * {@code arena}; {@code w} itself where the file's layout is that layout already. Values are not
     * changed, only moved: every result stays the same.
     */
    default Tensor repack(Tensor w, java.lang.foreign.Arena arena) {
        return w;
    }

    /** Dequantizes row {@code row} of w into dst[dstOffset ..]. */
    void dequantizeRow(Tensor w, long row, float[] dst, int dstOffset);

    /** y[yOff+i] = fma(alpha, x[xOff+i], y[yOff+i]) for i &lt; n: one rounding per element, the same bits in every implementation. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * y += a·m for a small matrix a (rows × count, rows at a[aOff + r·aStride]) and m (count × n, rows at
     * m[mOff + j·mStride]), y's rows at y[yOff + r·yStride]: for each r, {@link #axpy} of the rows of m in
     * order, y[r][i] = fma(a[r][j], m[j][i], y[r][i]) for j = 0, 1, …, count-1, so every implementation
     * gives the same bits whatever the rows. Attention's scores (queries × keys stored position-minor) and
     * weighted sums of values (weights × value rows), for the query heads that share them; implementations
     * may keep rows of y in registers and read each row of m once for several rows of a.
     */
    void addMatrixProduct(float[] a, int aOff, int aStride, int rows, int count, float[] m, int mOff, int mStride,
                          float[] y, int yOff, int yStride, int n);

    /**
     * x[off+i] = exp(y_i − max y) / Σ_j exp(y_j − max y) with y_i = scale·x[off+i], for i &lt; n (the
     * attention softmax). Implementations agree within float rounding: exp within an ulp or two of
     * {@link Math#exp}, the sum in any order fixed by n.
     */
    void softmax(float[] x, int off, int n, float scale);

    /**
     * gate[off+i] = silu(gate[off+i])·up[off+i] for i &lt; n, silu(g) = g / (1 + exp(−g)) (SwiGLU's gate);
     * implementations agree within float rounding (exp within an ulp or two of {@link Math#exp}).
     */
    void swiglu(float[] gate, float[] up, int off, int n);

    /** A short name for logs and benchmarks, e.g. "scalar" or "simd-512". */
    String name();
}
