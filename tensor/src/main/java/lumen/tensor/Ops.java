package lumen.tensor;

import java.util.HashMap;
import java.util.Map;
import lumen.tensor.kernel.ActivationFormat;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.parallel.ThreadPool;

/**
 * The matrix operations the engine calls: kernels spread over a thread pool. One caller at a time (the
 * pool runs one loop at a time; the rounded activations are kept for the next call of the same shape).
 */
public final class Ops {
    /** Rows per unit of work: chunks start on a multiple of this, so kernels can tile rows (32: an interleaved group). */
    public static final int ROW_ALIGN = 32;

    private final Kernels kernels;
    private final ThreadPool pool;
    private static final int FORMATS = ActivationFormat.values().length;
    /** The last activations of each (format, size), written over by the next matmul of that shape. */
    private final Map<Long, Activations> spare = new HashMap<>();

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
        matmul(new Tensor[] {w}, x, n, new float[][] {out});
    }

    /**
     * outs[m] = ws[m]·x for matrices that read the same input (a layer's Q, K and V; gate and up), as
     * {@link #matmul(Tensor, float[], int, float[])} each: x is rounded once per activation format, and
     * the rows of all matrices are split over the threads in one pass, so the threads meet once instead
     * of once per matrix and the small K and V matrices share the pass of Q.
     */
    public void matmul(Tensor[] ws, float[] x, int n, float[][] outs) {
        if (ws.length != outs.length) throw new IllegalArgumentException(ws.length + " matrices, " + outs.length + " outputs");
        int[] firstUnit = new int[ws.length + 1];
        Activations[] acts = new Activations[ws.length];
        for (int m = 0; m < ws.length; m++) {
            Tensor w = ws[m];
            int rows = checkShapes(w, x, n, outs[m]);
            for (int e = 0; e < m && acts[m] == null; e++) {
                boolean same = ws[e].rowLength() == w.rowLength()
                        && ActivationFormat.forWeight(ws[e].type()) == ActivationFormat.forWeight(w.type());
                if (same) acts[m] = acts[e];
            }
            if (acts[m] == null) acts[m] = prepare(w, x, n);
            firstUnit[m + 1] = firstUnit[m] + (rows + ROW_ALIGN - 1) / ROW_ALIGN;
        }
        pool.parallelFor(firstUnit[ws.length], (s, e) -> {
            for (int m = 0; m < ws.length; m++) {
                int from = Math.max(s, firstUnit[m]) - firstUnit[m], to = Math.min(e, firstUnit[m + 1]) - firstUnit[m];
                if (from >= to) continue;
                int rows = (int) ws[m].rowCount();
                kernels.matmul(ws[m], acts[m], outs[m], rows, from * ROW_ALIGN, Math.min(rows, to * ROW_ALIGN));
            }
        });
    }

    /** x rounded for w's type, into the arrays of the last activations of the same format and size. */
    private Activations prepare(Tensor w, float[] x, int n) {
        long key = (long) n * w.rowLength() * FORMATS + ActivationFormat.forWeight(w.type()).ordinal();
        if (spare.size() > 32) spare.clear();   // prompts of many sizes: keep the set small
        Activations a = kernels.prepare(w.type(), x, n, w.rowLength(), pool, spare.get(key));
        spare.put(key, a);
        return a;
    }

    /** The row count of w, after checking that x holds n rows of its length and out n rows of its rows. */
    private static int checkShapes(Tensor w, float[] x, int n, float[] out) {
        int k = w.rowLength();
        long rows = w.rowCount();
        if (rows > Integer.MAX_VALUE) throw new TensorException("tensor " + w.name() + ": " + rows + " rows are too many");
        if ((long) n * k > x.length) {
            throw new TensorException("matmul " + w.name() + ": input has " + x.length + " floats, expected "
                    + n + " × " + k);
        }
        if (n * rows > out.length) {
            throw new TensorException("matmul " + w.name() + ": output has " + out.length + " floats, expected "
                    + n + " × " + rows);
        }
        return (int) rows;
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
