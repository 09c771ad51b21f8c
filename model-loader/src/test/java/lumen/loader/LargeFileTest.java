package lumen.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import lumen.loader.gguf.GgufWriter;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GGUF file far larger than 2 GiB whose data is mostly a hole (a sparse file: no disk space, no
 * time to write), to check that opening maps rather than reads and that offsets past 2^31 work.
 */
class LargeFileTest {
    @TempDir
    Path dir;

    /** File systems known to keep holes; elsewhere the hole would really be written, so the test stays small. */
    private static final java.util.Set<String> SPARSE = java.util.Set.of("ext4", "xfs", "btrfs", "tmpfs", "zfs", "overlay", "apfs", "f2fs");

    @Test
    void sparseFileLargerThanMemoryOpensInstantly() throws java.io.IOException {
        Path p = dir.resolve("big.gguf");
        boolean sparse = SPARSE.contains(Files.getFileStore(dir).type());
        long holeElements = sparse ? 10L << 30 : 3L << 29; // F32: 40 GiB (more than the 24 GiB of RAM here), else 6 GiB
        byte[] head = new byte[64], tail = new byte[1024];
        for (int i = 0; i < head.length; i++) head[i] = (byte) i;
        for (int i = 0; i < tail.length; i++) tail[i] = (byte) (i * 7);
        new GgufWriter().putString("general.architecture", "llama")
                .tensor("head", GgmlType.F32, new long[] {16}, head)
                .tensor("hole", GgmlType.F32, new long[] {1L << 15, holeElements >> 15}, GgufWriter.TensorData.zeros())
                .tensor("tail", GgmlType.Q8_0, new long[] {32, 1024 / 34 + 1}, new byte[34 * (1024 / 34 + 1)])
                .tensor("last", GgmlType.F32, new long[] {256}, tail)
                .tensor("trailing_hole", GgmlType.F32, new long[] {1L << 20}, GgufWriter.TensorData.zeros())
                .write(p);

        long t0 = System.nanoTime();
        try (ModelFile f = ModelFile.open(p)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2000, "open took " + ms + " ms");
            Tensor hole = f.tensor("hole");
            assertEquals(holeElements * 4, hole.data().byteSize());
            assertEquals(0f, hole.row(hole.rowCount() - 1).get(ValueLayout.JAVA_FLOAT, (1L << 15) * 4 - 4));
            Tensor last = f.tensor("last");
            TensorInfo info = f.tensorInfos().get(3);
            assertTrue(info.offset() > holeElements * 4, "offset " + info.offset());
            assertArrayEquals(tail, last.data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(head, f.tensor("head").data().toArray(ValueLayout.JAVA_BYTE));
            TensorInfo trailing = f.tensorInfos().get(4);
            assertEquals(trailing.offset() + trailing.size(), Files.size(p), "the file reaches the end of its trailing hole");
            assertEquals(0f, f.tensor("trailing_hole").data().get(ValueLayout.JAVA_FLOAT, trailing.size() - 4));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(p);
            } catch (java.io.IOException ignored) {
                // @TempDir cleans up
            }
        }
    }
}
