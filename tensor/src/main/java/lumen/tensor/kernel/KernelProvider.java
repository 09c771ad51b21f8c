package lumen.tensor.kernel;

/**
 * Picks the kernels once per JVM: the Vector API ones ({@code lumen.tensor.kernel.simd}) unless
 * {@code -Dlumen.kernels=scalar} asks for the scalar reference or the Vector API is unusable, in which
 * case it says why once on stderr. {@code -Dlumen.vectorBits=128|256|512} caps the vector width.
 */
public final class KernelProvider {
    private KernelProvider() {}

    private static volatile Kernels instance;

    /** The kernels this JVM uses. */
    public static Kernels get() {
        Kernels k = instance;
        if (k == null) {
            synchronized (KernelProvider.class) {
                k = instance;
                if (k == null) instance = k = create();
            }
        }
        return k;
    }

    private static Kernels create() {
        return choose(System.getProperty("lumen.kernels", "simd"));
    }

    /** The kernels for a {@code lumen.kernels} value: "scalar", or anything else for SIMD where usable. */
    static Kernels choose(String choice) {
        if (choice.equals("scalar")) return new ScalarKernels();
        String why;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            why = "module jdk.incubator.vector is not loaded (run with --add-modules jdk.incubator.vector)";
        } else {
            try {
                Class<?> c = Class.forName("lumen.tensor.kernel.simd.SimdKernels");
                return (Kernels) c.getMethod("create").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                why = cause.toString();
            }
        }
        System.err.println("lumen: using scalar kernels: " + why);
        return new ScalarKernels();
    }
}
