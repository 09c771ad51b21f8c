package lumen.tensor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import lumen.tensor.kernel.Kernels;

/**
 * Loads a fresh copy of the package {@code lumen.tensor.kernel.simd} with {@code lumen.vectorBits}
 * set, so one JVM can test every vector width (the species are static finals, fixed per class loader).
 */
public final class SimdLoader extends ClassLoader {
    private static final String PKG = "lumen.tensor.kernel.simd.";
    private static final Map<Integer, Kernels> CACHE = new ConcurrentHashMap<>();

    private SimdLoader(ClassLoader parent) {
        super(parent);
    }

    /** The SIMD kernels capped at {@code bits}. */
    public static synchronized Kernels kernels(int bits) {
        return CACHE.computeIfAbsent(bits, b -> {
            String old = System.getProperty("lumen.vectorBits");
            System.setProperty("lumen.vectorBits", Integer.toString(b));
            try {
                Class<?> c = new SimdLoader(SimdLoader.class.getClassLoader()).loadClass(PKG + "SimdKernels");
                Kernels k = (Kernels) c.getMethod("create").invoke(null);
                if (!k.name().equals("simd-" + b)) {
                    System.err.println("requested " + b + "-bit vectors, got " + k.name());
                }
                return k;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            } finally {
                if (old == null) System.clearProperty("lumen.vectorBits");
                else System.setProperty("lumen.vectorBits", old);
            }
        });
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(PKG)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) throw new ClassNotFoundException(name);
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }
}
