package lumen.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lumen.loader.gguf.GgufWriter;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Split models as llama.cpp's gguf-split writes them: metadata in the first part, tensors spread over all. */
class SplitFileTest {
    @TempDir
    Path dir;

    /** Writes {@code model-0000i-of-00003.gguf}; part {@code i} holds the tensors named "t{i}a", "t{i}b". */
    private Path writeParts(int count, int tensorsCount, int brokenSplitNo) {
        for (int i = 0; i < count; i++) {
            GgufWriter w = new GgufWriter();
            if (i == 0) w.putString("general.architecture", "llama").putU32("llama.block_count", 7);
            w.putU16("split.no", i == 1 && brokenSplitNo >= 0 ? brokenSplitNo : i).putU16("split.count", count)
                    .putI32("split.tensors.count", tensorsCount);
            w.tensor("t" + i + "a", GgmlType.F32, new long[] {4}, bytes(16, i * 2));
            w.tensor("t" + i + "b", GgmlType.Q8_0, new long[] {32}, bytes(34, i * 2 + 1));
            w.write(part(i, count));
        }
        return part(0, count);
    }

    private Path part(int i, int count) {
        return dir.resolve(String.format("model-%05d-of-%05d.gguf", i + 1, count));
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed * 31 + i);
        return b;
    }

    @Test
    void opensAllPartsAsOneModel() {
        Path first = writeParts(3, 6, -1);
        for (Path given : List.of(first, part(2, 3))) {
            try (ModelFile f = ModelFile.open(given)) {
                assertEquals(first, f.path());
                assertEquals("llama", f.architecture());
                assertEquals(7, f.integer("llama.block_count"));
                assertEquals(List.of("t0a", "t0b", "t1a", "t1b", "t2a", "t2b"), f.tensorInfos().stream().map(TensorInfo::name).toList());
                for (int i = 0; i < 3; i++) {
                    assertEquals(i, f.tensorInfos().get(2 * i).part());
                    assertArrayEquals(bytes(16, i * 2), f.tensor("t" + i + "a").data().toArray(ValueLayout.JAVA_BYTE));
                    assertArrayEquals(bytes(34, i * 2 + 1), f.tensor("t" + i + "b").data().toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
    }

    @Test
    void inMemoryCopiesEveryPartAndLetsGoOfTheFiles() throws Exception {
        Path first = writeParts(3, 6, -1);
        try (ModelFile f = ModelFile.openInMemory(first)) {
            // the copies no longer depend on the files: overwrite every part with other bytes
            for (int i = 0; i < 3; i++) {
                Path p = part(i, 3);
                Files.write(p, new byte[(int) Files.size(p)]);
            }
            for (int i = 0; i < 3; i++) {
                Tensor a = f.tensor("t" + i + "a");
                assertTrue(a.data().isNative() && a.data().isReadOnly());
                assertArrayEquals(bytes(16, i * 2), a.data().toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(bytes(34, i * 2 + 1), f.tensor("t" + i + "b").data().toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** A released tensor (its pages dropped from resident memory, e.g. after repacking) still reads the same bytes, in every part. */
    @Test
    void releasedTensorsReadTheSameBytes() {
        Path first = writeParts(3, 6, -1);
        for (boolean inMemory : new boolean[] {false, true}) {
            try (ModelFile f = inMemory ? ModelFile.openInMemory(first) : ModelFile.open(first)) {
                for (int i = 0; i < 3; i++) {
                    f.release("t" + i + "b");
                    assertArrayEquals(bytes(34, i * 2 + 1), f.tensor("t" + i + "b").data().toArray(ValueLayout.JAVA_BYTE));
                    assertArrayEquals(bytes(16, i * 2), f.tensor("t" + i + "a").data().toArray(ValueLayout.JAVA_BYTE));
                }
                assertThrows(LoaderException.class, () -> f.release("nope"));
            }
        }
    }

    @Test
    void missingPart() throws Exception {
        Path first = writeParts(3, 6, -1);
        Files.delete(part(1, 3));
        LoaderException e = assertThrows(LoaderException.class, () -> ModelFile.open(first));
        assertEquals(part(1, 3) + ": part 2 of 3 of the split model is missing (" + first + " declares split.count = 3)", e.getMessage());
    }

    @Test
    void inconsistentParts() throws Exception {
        Path first = writeParts(3, 6, 2);
        LoaderException e = assertThrows(LoaderException.class, () -> ModelFile.open(first));
        assertEquals(part(1, 3) + ": metadata 'split.no' is uint16 2, expected 1 (part 2 of 3)", e.getMessage());

        writeParts(3, 5, -1);
        e = assertThrows(LoaderException.class, () -> ModelFile.open(first));
        assertEquals(first + ": metadata 'split.tensors.count' is 5, but the 3 parts hold 6 tensors", e.getMessage());

        Path renamed = dir.resolve("renamed.gguf");
        Files.copy(first, renamed);
        e = assertThrows(LoaderException.class, () -> ModelFile.open(renamed));
        assertEquals(renamed + ": metadata 'split.count' is 3, but the file name does not end in -NNNNN-of-00003.gguf, so its parts cannot be found",
                e.getMessage());
    }

    @Test
    void duplicateTensorAcrossParts() {
        for (int i = 0; i < 2; i++) {
            new GgufWriter().putString("general.architecture", "x").putU16("split.no", i).putU16("split.count", 2)
                    .tensor("same", GgmlType.F32, new long[] {1}, new byte[4]).write(part(i, 2));
        }
        LoaderException e = assertThrows(LoaderException.class, () -> ModelFile.open(part(0, 2)));
        assertEquals(part(1, 2) + ": tensor 'same' is also in part 1 of the split model (" + part(0, 2) + ")", e.getMessage());
    }

    @Test
    void splitNamedSingleFile() {
        // A file named like a part but without split keys is an ordinary single file.
        Path p = part(0, 2);
        new GgufWriter().putString("general.architecture", "x").tensor("a", GgmlType.F32, new long[] {1}, new byte[4]).write(p);
        try (ModelFile f = ModelFile.open(p)) {
            assertEquals(1, f.tensorInfos().size());
            assertFalse(f.find("split.count").isPresent());
        }
    }
}
