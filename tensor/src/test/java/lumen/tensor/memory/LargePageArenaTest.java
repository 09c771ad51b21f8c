package lumen.tensor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LargePageArenaTest {
    @Test
    void segmentsAreZeroAlignedDisjointAndWritable() {
        List<MemorySegment> all = new ArrayList<>();
        try (LargePageArena arena = new LargePageArena()) {
            long[] sizes = {1, 64, 1000, 5 << 20, 3, 20 << 20, 4096, 70 << 20, 17};
            long[] aligns = {1, 64, 8, 64, 2, 4096, 64, 64, 32};
            for (int i = 0; i < sizes.length; i++) {
                MemorySegment s = arena.allocate(sizes[i], aligns[i]);
                assertEquals(sizes[i], s.byteSize());
                assertEquals(0, s.address() % aligns[i], "alignment of " + sizes[i] + " bytes");
                for (long o = 0; o < s.byteSize(); o += Math.max(1, s.byteSize() / 97)) {
                    assertEquals(0, s.get(ValueLayout.JAVA_BYTE, o), "zero-filled");
                }
                s.fill((byte) (i + 1));
                all.add(s);
            }
            for (int i = 0; i < all.size(); i++) {   // each still holds its own bytes: no two overlap
                MemorySegment s = all.get(i);
                assertEquals(i + 1, s.get(ValueLayout.JAVA_BYTE, 0));
                assertEquals(i + 1, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1));
            }
            List<MemorySegment> byAddress = new ArrayList<>(all);
            byAddress.sort(Comparator.comparingLong(MemorySegment::address));
            for (int i = 1; i < byAddress.size(); i++) {
                MemorySegment a = byAddress.get(i - 1), b = byAddress.get(i);
                assertTrue(a.address() + a.byteSize() <= b.address(), "disjoint");
            }
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                // large buffers start on a 2 MiB boundary, where a huge page can back them
                assertEquals(0, arena.allocate(40 << 20, 64).address() % (2 << 20));
            }
        }
        MemorySegment first = all.get(0);
        assertFalse(first.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void badRequestsAreRefused() {
        try (LargePageArena arena = new LargePageArena()) {
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1, 8));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(16, 3));
        }
    }
}
