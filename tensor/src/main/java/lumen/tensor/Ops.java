package lumen.tensor;

import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.parallel.ThreadPool;

/** The matrix operations the engine calls: kernels spread over a thread pool. */
public final class Ops {
    /** Rows per unit of work: chunks start on a multiple of this, so kernels can tile rows (32: an interleaved group). */
    public static final int ROW_ALIGN = 32;

    private final Kernels kernels;
    private final ThreadPool pool;

    public Ops(Kernels kernels, ThreadPool pool) {
        this.kernels = kernels;
        this.pool = pool;
    }

    public Kernels kernels() {
        return kernels;
    }

    public ThreadPool pool() {
        return pool;
    }

    /**
     * out[t][r] = Σ_i w[r][i]·x[t][i] for t &lt; n: x is [n][k] row-major with k = w.rowLength(), out is
     * [n][rows]. The activations are rounded once (as llama.cpp does for w's type), then the rows are
     * split over the threads.
     */
    public void matmul(Tensor w, float[] x, int n, float[] out) {
        int k = w.rowLength();
        long rowsL = w.rowCount();
        if (rowsL > Integer.MAX_VALUE) throw new TensorException("tensor " + w.name() + ": " + rowsL + " rows are too many");
        int rows = (int) rowsL;
        if ((long) n * k > x.length) {
            throw new TensorException("matmul " + w.name() + ": input has " + x.length + " floats, expected "
                    + n + " × " + k);
        }
        if ((long) n * rows > out.length) {
            throw new TensorException("matmul " + w.name() + ": output has " + out.length + " floats, expected "
                    + n + " × " + rows);
        }
        Activations a = kernels.prepare(w.type(), x, n, k, pool);
        int units = (rows + ROW_ALIGN - 1) / ROW_ALIGN;
        pool.parallelFor(units, (s, e) ->
                kernels.matmul(w, a, out, rows, s * ROW_ALIGN, Math.min(rows, e * ROW_ALIGN)));
    }

    /** out[i][..] = row ids[i] of w, dequantized exactly (embedding lookup); out is [ids.length][k]. */
    public void getRows(Tensor w, int[] ids, float[] out) {
        int k = w.rowLength();
        if ((long) ids.length * k > out.length) {
            throw new TensorException("getRows " + w.name() + ": output has " + out.length + " floats, expected "
                    + ids.length + " × " + k);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= w.rowCount()) {
                throw new TensorException("getRows " + w.name() + ": id " + ids[i] + " at position " + i
                        + " outside [0, " + w.rowCount() + ")");
            }
            kernels.dequantizeRow(w, ids[i], out, i * k);
        }
    }
}
