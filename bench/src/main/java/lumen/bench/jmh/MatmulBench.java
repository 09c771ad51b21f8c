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
 * Prompt-shaped matrix × matrix: a 2048×8192 weight matrix times 64 tokens, through {@link Ops}.
 * The {@code flops} secondary counter is floating-point operations per second (2·rows·k·n per op;
 * divide by 1e9 for GFLOP/s); or GFLOP/s = 2.147 / (ms/op) for the default shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBench {
    @Param({"Q4_0", "Q8_0", "Q4_K", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    @Param({"2"})
    public int threads;

    /** Whether the matrix is repacked into the kernels' layout first (Kernels.repack), as models load it by default. */
    @Param({"true", "false"})
    public boolean repack;

    @Param({"64"})
    public int n;

    @Param({"2048"})
    public int rows;

    @Param({"8192"})
    public int k;

    private Arena arena;
    private Tensor w;
    private ThreadPool pool;
    private Ops ops;
    private float[] x, out;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Work {
        /** Floating-point operations (multiply + add); JMH reports it per second. */
        public long flops;
    }

    @Setup
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        arena = new LargePageArena();   // the kind of memory a loaded model's repacked weights live in
        w = Weights.make(arena, t, rows, k, 1, 1)[0];
        if (repack) w = KernelProvider.get().repack(w, arena);
        pool = new ThreadPool(threads);
        ops = new Ops(KernelProvider.get(), pool);
        x = new float[n * k];
        Random rnd = new Random(2);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        out = new float[n * rows];
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matmul(Work work) {
        ops.matmul(w, x, n, out);
        work.flops += 2L * rows * k * n;
        return out[0];
    }
}
