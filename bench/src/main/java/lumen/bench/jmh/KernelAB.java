package lumen.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import lumen.tensor.kernel.Activations;
import lumen.tensor.kernel.Kernels;
import lumen.tensor.kernel.MemoryBandwidth;
import lumen.tensor.parallel.ThreadPool;

/**
 * A/B of two builds of {@code lumen.tensor.kernel.simd} in one JVM, for a machine shared with other
 * jobs where two separate runs cannot be compared: each directory (a {@code target/classes} tree, or
 * a copy of its {@code lumen/tensor/kernel/simd} folder) gets its own class loader, the two are run in
 * turn, timed by per-thread CPU time, and the medians are compared; it also says whether both gave
 * the same bits.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/lumen-bench.jar:bench/target/lib/* \
 *     lumen.bench.jmh.KernelAB DIR_A DIR_B MODE TYPES K [TOKENS]
 * </pre>
 * MODE: {@code decode} (one token, 2048 rows × K, 256 MB of copies: weights from memory),
 * {@code l2} (one token, ~512 KB of weights, from L2: the kernel's own speed) or {@code prompt}
 * (512 rows, TOKENS tokens; GFLOP/s). TYPES: comma-separated, e.g. {@code Q4_0,Q6_K}.
 */
public final class KernelAB {
    private KernelAB() {}

    /** Loads the simd package from {@code dir}, everything else from the parent. */
    private static final class Child extends URLClassLoader {
        Child(Path dir) throws Exception {
            super(new URL[] {dir.toUri().toURL()}, KernelAB.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("lumen.tensor.kernel.simd.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    static Kernels load(String dir) throws Exception {
        return (Kernels) new Child(Path.of(dir)).loadClass("lumen.tensor.kernel.simd.SimdKernels")
                .getMethod("create").invoke(null);
    }

    public static void main(String[] a) throws Exception {
        if (a.length < 5) {
            System.err.println("usage: KernelAB DIR_A DIR_B decode|l2|prompt TYPES K [TOKENS]");
            System.exit(2);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Kernels[] ks = {load(a[0]), load(a[1])};
        String mode = a[2];
        boolean prompt = mode.equals("prompt");
        int n = prompt ? Integer.parseInt(a.length > 5 ? a[5] : "64") : 1;
        try (ThreadPool one = new ThreadPool(1)) {
            System.out.printf("memory read, 1 thread: %.1f GB/s%n", MemoryBandwidth.measureRead(one, 256L << 20, 5));
        }
        Arena arena = Arena.ofShared();
        for (String ts : a[3].split(",")) {
            GgmlType t = GgmlType.valueOf(ts);
            int k = Integer.parseInt(a[4]);
            int rows = prompt ? 512 : 2048;
            long matrix = t.bytesFor(k) * rows;
            int copies = mode.equals("decode") ? (int) Math.max(1, (256L << 20) / matrix) : 1;
            Tensor[] w = Weights.make(arena, t, rows, k, copies, 1);
            if (mode.equals("l2")) rows = Math.max(16, (int) ((512L << 10) / t.bytesFor(k)) / 16 * 16);
            float[] x = new float[n * k];
            Random r = new Random(2);
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[][] outs = new float[2][n * rows];
            List<List<Double>> res = List.of(new ArrayList<>(), new ArrayList<>());
            int it = 0;
            for (int rep = 0; rep < 46; rep++) {
                int v = rep & 1;
                long c0 = mx.getCurrentThreadCpuTime();
                double work = 0;
                int reps = mode.equals("decode") ? copies : mode.equals("l2") ? 200 : 3;
                for (int j = 0; j < reps; j++) {
                    Activations act = ks[v].prepare(t, x, n, k);
                    ks[v].matmul(w[it++ % copies], act, outs[v], rows, 0, rows);
                    work += prompt ? 2.0 * rows * k * n : (double) t.bytesFor(k) * rows;
                }
                double s = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                if (rep >= 6) res.get(v).add(work / s / 1e9);   // the first rounds warm the JIT up
            }
            for (List<Double> l : res) Collections.sort(l);
            int m = res.get(0).size() / 2, last = res.get(0).size() - 1;
            System.out.printf("%s %s k=%d: median A %.2f B %.2f (B/A %.2f); best A %.2f B %.2f (B/A %.2f) %s per-thread CPU, %s%n",
                    mode, t, k, res.get(0).get(m), res.get(1).get(m), res.get(1).get(m) / res.get(0).get(m),
                    res.get(0).get(last), res.get(1).get(last), res.get(1).get(last) / res.get(0).get(last),
                    prompt ? "GFLOP/s" : "GB/s", Arrays.equals(outs[0], outs[1]) ? "same bits" : "BITS DIFFER");
        }
    }
}
