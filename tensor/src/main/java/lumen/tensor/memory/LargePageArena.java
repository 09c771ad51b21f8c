package lumen.tensor.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * A shared arena for large, long-lived buffers that are streamed through again and again (repacked
 * weights, the bandwidth probe). On Linux its memory is mapped anonymously in 2 MiB-aligned regions
 * marked {@code MADV_HUGEPAGE}, so that transparent huge pages back it wherever the system allows them
 * (the common "madvise" setting gives them only to memory that asks). Streaming through 4 KiB pages
 * costs a TLB miss every 4 KiB and restarts the hardware prefetchers at every page boundary; with 2 MiB
 * pages a decoding kernel streams the weights faster from main memory. Elsewhere, or when mapping
 * fails, it hands out ordinary {@link Arena#ofShared()} memory.
 *
 * <p>Small requests are carved from 64 MiB regions, larger ones get a region of their own; everything
 * is unmapped when the arena is closed. Segments are zero-filled, as fresh anonymous memory is.
 */
public final class LargePageArena implements Arena {
    private static final long HUGE_PAGE = 2L << 20;
    private static final long REGION = 64L << 20;

    private final Arena lifetime = Arena.ofShared();
    private MemorySegment region;   // the region small requests are carved from; null before the first
    private long used;

    @Override
    public synchronized MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteSize < 0 || byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0 || byteAlignment > HUGE_PAGE) {
            throw new IllegalArgumentException("cannot allocate " + byteSize + " bytes aligned to " + byteAlignment);
        }
        if (!Mmap.AVAILABLE) return lifetime.allocate(byteSize, byteAlignment);
        if (byteSize >= REGION / 4) {
            MemorySegment own = Mmap.map(byteSize, lifetime);
            return own != null ? own : lifetime.allocate(byteSize, byteAlignment);
        }
        long start = region == null ? 0 : (used + byteAlignment - 1) & -byteAlignment;
        if (region == null || start + byteSize > region.byteSize()) {
            MemorySegment fresh = Mmap.map(REGION, lifetime);
            if (fresh == null) return lifetime.allocate(byteSize, byteAlignment);
            region = fresh;
            start = 0;
        }
        used = start + byteSize;
        return region.asSlice(start, byteSize);
    }

    @Override
    public MemorySegment.Scope scope() {
        return lifetime.scope();
    }

    @Override
    public void close() {
        lifetime.close();
    }

    /** mmap/madvise/munmap of the C library, through the FFM linker; unavailable off Linux or without native access. */
    private static final class Mmap {
        private static final int PROT_READ_WRITE = 0x1 | 0x2, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20, MADV_HUGEPAGE = 14;
        private static final MethodHandle MMAP, MADVISE, MUNMAP;
        static final boolean AVAILABLE;

        static {
            MethodHandle mmap = null, madvise = null, munmap = null;
            try {
                if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup libc = linker.defaultLookup();
                    mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                    madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                    munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                }
            } catch (Throwable t) {   // no native access granted, or no such symbols: plain arena memory
                mmap = null;
            }
            MMAP = mmap;
            MADVISE = madvise;
            MUNMAP = munmap;
            AVAILABLE = mmap != null;
        }

        /**
         * A zero-filled segment of {@code bytes} at the start of a fresh 2 MiB-aligned anonymous mapping marked
         * for huge pages, unmapped when {@code lifetime} closes; null if the mapping fails.
         */
        static MemorySegment map(long bytes, Arena lifetime) {
            long length = (bytes + HUGE_PAGE - 1) & -HUGE_PAGE;
            long mapped = length + HUGE_PAGE;   // room to align the start
            try {
                MemorySegment raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, mapped, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (raw.address() == -1L) return null;   // MAP_FAILED
                long start = (raw.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
                MemorySegment aligned = MemorySegment.ofAddress(start).reinterpret(length);
                int ignored = (int) MADVISE.invokeExact(aligned, length, MADV_HUGEPAGE);   // a hint: without it, 4 KiB pages
                long rawAddress = raw.address();
                return MemorySegment.ofAddress(start).reinterpret(bytes, lifetime, s -> unmap(rawAddress, mapped));
            } catch (Throwable t) {
                return null;
            }
        }

        private static void unmap(long address, long length) {
            try {
                int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
            } catch (Throwable t) {
                // nothing left to do: the mapping stays until the process ends
            }
        }
    }
}
