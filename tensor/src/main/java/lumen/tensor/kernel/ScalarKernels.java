package lumen.tensor.kernel;

import java.lang.foreign.MemorySegment;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.TensorException;
import lumen.tensor.quant.BF16;
import lumen.tensor.quant.F16;
import lumen.tensor.quant.F32;
import lumen.tensor.quant.Interleaved;
import lumen.tensor.quant.Q2_K;
import lumen.tensor.quant.Q3_K;
import lumen.tensor.quant.Q4_0;
import lumen.tensor.quant.Q4_1;
import lumen.tensor.quant.Q4_K;
import lumen.tensor.quant.Q5_0;
import lumen.tensor.quant.Q5_1;
import lumen.tensor.quant.Q5_K;
import lumen.tensor.quant.Q6_K;
import lumen.tensor.quant.Q8_0;

/** The reference kernels: each format's readable scalar {@code dot} and {@code dequantizeRow}. */
public final class ScalarKernels implements Kernels {

    @Override
    public Activations prepare(GgmlType weightType, float[] x, int n, int k) {
        return Activations.of(weightType, x, n, k);
    }

    @Override
    public void matmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        checkMatmul(w, x, out, outStride, rowStart, rowEnd);
        int k = x.length();
        for (int r = rowStart; r < rowEnd; r++) {
            MemorySegment row = fileRow(w, r);
            for (int t = 0; t < x.rows(); t++) out[t * outStride + r] = dot(w.type(), row, 0, k, x, t);
        }
    }

    /** Row r of w in the file's layout: a view of the tensor's data, or a copy gathered from an interleaved tensor. */
    public static MemorySegment fileRow(Tensor w, long r) {
        if (w.layout() == Tensor.Layout.GGML) return w.row(r);
        byte[] bytes = new byte[Math.toIntExact(w.rowBytes())];
        Interleaved.gatherRow(w, r, bytes);
        return MemorySegment.ofArray(bytes);
    }

    /** The scalar dot product of one weight row (at byte {@code off}) with activation row t. */
    public static float dot(GgmlType type, MemorySegment w, long off, int k, Activations x, int t) {
        int eo = t * k;
        return switch (type) {
            case F32 -> F32.dot(w, off, k, x.values(), eo);
            case F16 -> F16.dot(w, off, k, x.values(), eo);
            case BF16 -> BF16.dot(w, off, k, x.values(), eo);
            case Q8_0 -> Q8_0.dot(w, off, k, x.quants(), x.scales(), eo);
            case Q4_0 -> Q4_0.dot(w, off, k, x.quants(), x.scales(), eo);
            case Q5_0 -> Q5_0.dot(w, off, k, x.quants(), x.scales(), eo);
            case Q4_1 -> Q4_1.dot(w, off, k, x.quants(), x.scales(), x.sums(), eo);
            case Q5_1 -> Q5_1.dot(w, off, k, x.quants(), x.scales(), x.sums(), eo);
            case Q2_K -> Q2_K.dot(w, off, k, x.quants(), x.scales(), x.bsums(), eo);
            case Q3_K -> Q3_K.dot(w, off, k, x.quants(), x.scales(), x.bsums(), eo);
            case Q4_K -> Q4_K.dot(w, off, k, x.quants(), x.scales(), x.bsums(), eo);
            case Q5_K -> Q5_K.dot(w, off, k, x.quants(), x.scales(), x.bsums(), eo);
            case Q6_K -> Q6_K.dot(w, off, k, x.quants(), x.scales(), x.bsums(), eo);
            default -> throw new TensorException("no dot kernel for weight type " + type);
        };
    }

    @Override
    public void dequantizeRow(Tensor w, long row, float[] dst, int dstOffset) {
        dequantize(w, row, dst, dstOffset);
    }

    /** Dequantizes row {@code row} of w with the format's scalar code. */
    public static void dequantize(Tensor w, long row, float[] dst, int dstOffset) {
        if (row < 0 || row >= w.rowCount()) {
            throw new TensorException("tensor " + w.name() + ": row " + row + " outside [0, " + w.rowCount() + ")");
        }
        int k = w.rowLength();
        MemorySegment s = fileRow(w, row);
        long off = 0;
        switch (w.type()) {
            case F32 -> F32.dequantizeRow(s, off, dst, dstOffset, k);
            case F16 -> F16.dequantizeRow(s, off, dst, dstOffset, k);
            case BF16 -> BF16.dequantizeRow(s, off, dst, dstOffset, k);
            case Q8_0 -> Q8_0.dequantizeRow(s, off, dst, dstOffset, k);
            case Q4_0 -> Q4_0.dequantizeRow(s, off, dst, dstOffset, k);
            case Q4_1 -> Q4_1.dequantizeRow(s, off, dst, dstOffset, k);
            case Q5_0 -> Q5_0.dequantizeRow(s, off, dst, dstOffset, k);
            case Q5_1 -> Q5_1.dequantizeRow(s, off, dst, dstOffset, k);
            case Q2_K -> Q2_K.dequantizeRow(s, off, dst, dstOffset, k);
            case Q3_K -> Q3_K.dequantizeRow(s, off, dst, dstOffset, k);
            case Q4_K -> Q4_K.dequantizeRow(s, off, dst, dstOffset, k);
            case Q5_K -> Q5_K.dequantizeRow(s, off, dst, dstOffset, k);
            case Q6_K -> Q6_K.dequantizeRow(s, off, dst, dstOffset, k);
            default -> throw new TensorException("tensor " + w.name() + ": cannot dequantize type " + w.type());
        }
    }

    /** Checks the arguments of {@link Kernels#matmul} and names what does not fit. */
    public static void checkMatmul(Tensor w, Activations x, float[] out, int outStride, int rowStart, int rowEnd) {
        if (x.format() != ActivationFormat.forWeight(w.type())) {
            throw new TensorException("tensor " + w.name() + " (" + w.type() + "): activations are "
                    + x.format() + ", expected " + ActivationFormat.forWeight(w.type()));
        }
        if (w.rowLength() != x.length()) {
            throw new TensorException("tensor " + w.name() + ": row length " + w.rowLength()
                    + " but activations have length " + x.length());
        }
        if (rowStart < 0 || rowEnd > w.rowCount() || rowStart > rowEnd) {
            throw new TensorException("tensor " + w.name() + ": rows [" + rowStart + ", " + rowEnd
                    + ") outside [0, " + w.rowCount() + ")");
        }
        if (x.rows() > 0 && rowEnd > rowStart && (long) (x.rows() - 1) * outStride + rowEnd > out.length) {
            throw new TensorException("tensor " + w.name() + ": output of " + out.length + " floats too small for "
                    + x.rows() + " rows with stride " + outStride + " up to row " + rowEnd);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        checkRange(x, xOff, n, "x");
        checkRange(y, yOff, n, "y");
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    @Override
    public void addMatrixProduct(float[] a, int aOff, int aStride, int rows, int count, float[] m, int mOff, int mStride,
                                 float[] y, int yOff, int yStride, int n) {
        checkMatrixProduct(a, aOff, aStride, rows, count, m, mOff, mStride, y, yOff, yStride, n);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < count; j++) axpy(a[aOff + r * aStride + j], m, mOff + j * mStride, y, yOff + r * yStride, n);
        }
    }

    /** The ranges {@link #addMatrixProduct} reads and writes, checked with the argument named. */
    public static void checkMatrixProduct(float[] a, int aOff, int aStride, int rows, int count, float[] m, int mOff, int mStride,
                                          float[] y, int yOff, int yStride, int n) {
        if (rows <= 0 || count <= 0 || n <= 0) return;
        checkRange(a, aOff, (rows - 1) * aStride + count, "a");
        checkRange(m, mOff, (count - 1) * mStride + n, "m");
        checkRange(y, yOff, (rows - 1) * yStride + n, "y");
    }

    @Override
    public void softmax(float[] x, int off, int n, float scale) {
        checkRange(x, off, n, "x");
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            x[i] *= scale;
            max = Math.max(max, x[i]);
        }
        float sum = 0;
        for (int i = off; i < off + n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        float inv = 1 / sum;
        for (int i = off; i < off + n; i++) x[i] *= inv;
    }

    @Override
    public void swiglu(float[] gate, float[] up, int off, int n) {
        checkRange(gate, off, n, "gate");
        checkRange(up, off, n, "up");
        for (int i = off; i < off + n; i++) gate[i] = gate[i] / (1.0f + (float) Math.exp(-gate[i])) * up[i];
    }

    /** Checks that [off, off+n) lies inside v and names the argument otherwise. */
    public static void checkRange(float[] v, int off, int n, String what) {
        if (n < 0 || off < 0 || off > v.length - n) {
            throw new TensorException(what + ": elements [" + off + ", " + ((long) off + n) + ") outside [0, "
                    + v.length + ")");
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
