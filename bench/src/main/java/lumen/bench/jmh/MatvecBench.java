package lumen.bench.jmh;

import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lumen.tensor.GgmlType;
import lumen.tensor.Ops;
import lumen.tensor.Tensor;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.memory.LargePageArena;
import lumen.tensor.parallel.ThreadPool;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode-shaped matrix × vector (one token) over a 2048×8192 weight matrix, through {@link Ops}
 * (activation rounding + thread split included). Copies of the matrix totalling ≥ 512 MB are used in
 * turn, so weights come from memory as in real decoding, not from L3.
 *
 * <p>Reading the result: the {@code weightBytes} secondary counter is bytes of weights streamed per
 * second (divide by 1e9 for GB/s); or GB/s = ops/s × bytes of one matrix / 1e9 — e.g. Q4_0 is
 * 2048·8192·18/32 = 9.44 MB per op.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar … MatvecBench -f 1 -wi 2 -i 3 -p threads=2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBench {
    @Param({"Q4_0", "Q8_0", "Q4_K", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    @Param({"2"})
    public int threads;

    /** Whether the matrices are repacked into the kernels' layout first (Kernels.repack), as models load them by default. */
    @Param({"true", "false"})
    public boolean repack;

    @Param({"2048"})
    public int rows;

    @Param({"8192"})
    public int k;

    private Arena arena;
    private Tensor[] weights;
    private ThreadPool pool;
    private Ops ops;
    private float[] x, out;
    private int next;
    long matrixBytes;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Streamed {
        /** Bytes of weights read; JMH reports it per second. */
        public long weightBytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        arena = new LargePageArena();   // the kind of memory a loaded model's repacked weights live in
        weights = Weights.make(arena, t, rows, k, Weights.copiesFor(t, rows, k, 512L << 20), 1);
        if (repack) {
            for (int i = 0; i < weights.length; i++) weights[i] = KernelProvider.get().repack(weights[i], arena);
        }
        matrixBytes = t.bytesFor(k) * rows;
        pool = new ThreadPool(threads);
        ops = new Ops(KernelProvider.get(), pool);
        x = new float[k];
        Random rnd = new Random(2);
        for (int i = 0; i < k; i++) x[i] = (float) rnd.nextGaussian();
        out = new float[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matvec(Streamed counter) {
        Tensor w = weights[next];
        next = (next + 1) % weights.length;
        ops.matmul(w, x, 1, out);
        counter.weightBytes += matrixBytes;
        return out[0];
    }
}
