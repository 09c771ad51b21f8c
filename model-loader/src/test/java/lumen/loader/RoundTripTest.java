package lumen.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lumen.loader.gguf.GgufType;
import lumen.loader.gguf.GgufWriter;
import lumen.tensor.GgmlType;
import lumen.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes files with {@link GgufWriter} and reads them back with {@link ModelFile}. */
class RoundTripTest {
    @TempDir
    Path dir;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void everyValueType() {
        Path p = dir.resolve("all.gguf");
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "test")
                .putU8("u8", 255).putI8("i8", -128)
                .putU16("u16", 65535).putI16("i16", -32768)
                .putU32("u32", 0xFFFF_FFFFL).putI32("i32", Integer.MIN_VALUE)
                .putU64("u64", -1L).putI64("i64", Long.MIN_VALUE)
                .putF32("f32", 1.5).putF64("f64", Math.PI)
                .putBool("yes", true).putBool("no", false)
                .putString("empty", "").putString("unicode", "héllo ▁wörld 😀\n\u0000")
                .putArray("a.u8", GgufType.UINT8, List.of(0, 1, 255))
                .putArray("a.i8", GgufType.INT8, List.of(-1, 127))
                .putArray("a.u16", GgufType.UINT16, List.of(65535))
                .putArray("a.i16", GgufType.INT16, List.of(-2))
                .putArray("a.u32", GgufType.UINT32, List.of(4000000000L, 7))
                .putArray("a.i32", GgufType.INT32, List.of(-3, 3))
                .putArray("a.u64", GgufType.UINT64, List.of(-1L))
                .putArray("a.i64", GgufType.INT64, List.of(Long.MAX_VALUE))
                .putArray("a.f32", GgufType.FLOAT32, List.of(0.25f, -1e30f))
                .putArray("a.f64", GgufType.FLOAT64, List.of(1e300, -0.0))
                .putArray("a.bool", GgufType.BOOL, List.of(true, false, true))
                .putArray("a.str", GgufType.STRING, List.of("a", "", "<0x0A>"))
                .putArray("a.empty", GgufType.INT32, List.of())
                .putArray("a.nested", GgufType.ARRAY, List.of(
                        new GgufWriter.Array(GgufType.STRING, List.of("x", "y")),
                        new GgufWriter.Array(GgufType.STRING, List.of())))
                .putArray("a.deep", GgufType.ARRAY, List.of(new GgufWriter.Array(GgufType.ARRAY,
                        List.of(new GgufWriter.Array(GgufType.UINT16, List.of(1, 2))))));
        w.write(p);
        try (ModelFile f = ModelFile.open(p)) {
            Map<String, Object> m = f.metadata();
            assertEquals(List.of("general.architecture", "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32",
                    "f64", "yes", "no", "empty", "unicode"), new ArrayList<>(m.keySet()).subList(0, 15), "insertion order");
            assertEquals("test", f.architecture());
            assertEquals(255L, m.get("u8"));
            assertEquals(-128L, m.get("i8"));
            assertEquals(65535L, m.get("u16"));
            assertEquals(-32768L, m.get("i16"));
            assertEquals(0xFFFF_FFFFL, m.get("u32"));
            assertEquals((long) Integer.MIN_VALUE, m.get("i32"));
            assertEquals(-1L, m.get("u64"));
            assertEquals(Long.MIN_VALUE, m.get("i64"));
            assertEquals(1.5, m.get("f32"));
            assertEquals(Math.PI, m.get("f64"));
            assertEquals(true, m.get("yes"));
            assertEquals(false, m.get("no"));
            assertEquals("", m.get("empty"));
            assertEquals("héllo ▁wörld 😀\n\u0000", m.get("unicode"));
            assertEquals(List.of(0L, 1L, 255L), m.get("a.u8"));
            assertEquals(List.of(-1L, 127L), m.get("a.i8"));
            assertEquals(List.of(65535L), m.get("a.u16"));
            assertEquals(List.of(-2L), m.get("a.i16"));
            assertEquals(List.of(4000000000L, 7L), m.get("a.u32"));
            assertEquals(List.of(-3L, 3L), m.get("a.i32"));
            assertEquals(List.of(-1L), m.get("a.u64"));
            assertEquals(List.of(Long.MAX_VALUE), m.get("a.i64"));
            assertEquals(List.of(0.25, (double) -1e30f), m.get("a.f32"));
            assertEquals(List.of(1e300, -0.0), m.get("a.f64"));
            assertEquals(List.of(true, false, true), m.get("a.bool"));
            assertEquals(List.of("a", "", "<0x0A>"), m.get("a.str"));
            assertEquals(List.of(), m.get("a.empty"));
            assertEquals(List.of(List.of("x", "y"), List.of()), m.get("a.nested"));
            assertEquals(List.of(List.of(List.of(1L, 2L))), m.get("a.deep"));

            // Typed getters: any integer type, both float types.
            assertEquals(255, f.integer("u8"));
            assertEquals(0xFFFF_FFFFL, f.integer("u32"));
            assertEquals(-1L, f.integer("u64"));
            assertEquals(1.5, f.number("f32"));
            assertEquals(Math.PI, f.number("f64"));
            assertEquals(7.0, f.number("missing", 7.0));
            assertEquals(9, f.integer("missing", 9));
            assertEquals(-32768L, f.integer("i16", 9));
            assertTrue(f.bool("yes"));
            assertEquals(3, f.array("a.str").size());
            assertTrue(f.find("missing").isEmpty());
            assertEquals("", f.find("empty").orElseThrow());
            assertThrows(UnsupportedOperationException.class, () -> f.array("a.u8").set(0, 1L));
            assertThrows(UnsupportedOperationException.class, () -> f.metadata().put("x", 1L));

            LoaderException e = assertThrows(LoaderException.class, () -> f.integer("f32"));
            assertEquals(p + ": metadata key 'f32' is a float32 ('1.5'), expected an integer", e.getMessage());
            e = assertThrows(LoaderException.class, () -> f.string("a.nested"));
            assertEquals(p + ": metadata key 'a.nested' is a array of array of string (with 2 elements), expected a string", e.getMessage());
            e = assertThrows(LoaderException.class, () -> f.integer("unicode", 3));
            assertTrue(e.getMessage().contains("'unicode' is a string"), e.getMessage());
            e = assertThrows(LoaderException.class, () -> f.bool("nope"));
            assertEquals(p + ": metadata key 'nope' is missing (expected a bool)", e.getMessage());
            e = assertThrows(LoaderException.class, () -> f.tensor("nope"));
            assertEquals(p + ": no tensor named 'nope' (the file has 0 tensors)", e.getMessage());
        }
    }

    @Test
    void tensorsAreAlignedViewsWithTheWrittenBytes() throws Exception {
        for (long alignment : new long[] {32, 64, 1, 4096}) {
            Path p = dir.resolve("t" + alignment + ".gguf");
            byte[] a = random(7 * 3 * 4, 1), b = random(2 * 18, 2), c = random(34 * 4, 3), d = random(4 * 210, 4);
            GgufWriter w = new GgufWriter();
            if (alignment != 32) w.alignment(alignment);
            w.putString("general.architecture", "x")
                    .tensor("a", GgmlType.F32, new long[] {7, 3}, a)
                    .tensor("b", GgmlType.Q4_0, new long[] {64}, b)
                    .tensor("c", GgmlType.Q8_0, new long[] {32, 2, 1, 2}, out -> out.write(c))
                    .tensor("d", GgmlType.Q6_K, new long[] {512, 2}, d)
                    .write(p);
            try (ModelFile f = ModelFile.open(p)) {
                assertEquals(alignment, f.alignment());
                assertEquals(List.of("a", "b", "c", "d"), f.tensorInfos().stream().map(TensorInfo::name).toList());
                byte[][] data = {a, b, c, d};
                for (int i = 0; i < 4; i++) {
                    TensorInfo info = f.tensorInfos().get(i);
                    assertEquals(0, info.offset() % alignment, info.name());
                    Tensor t = f.tensor(info.name());
                    assertArrayEquals(data[i], t.data().toArray(ValueLayout.JAVA_BYTE), info.name());
                    assertArrayEquals(info.ne(), t.ne());
                    assertEquals(info.type(), t.type());
                }
                assertArrayEquals(new long[] {32, 2, 1, 2}, f.tensor("c").ne());
                assertEquals(GgmlType.Q6_K, f.tensor("d").type());
                assertEquals(210 * 2, f.tensor("d").rowBytes());
                assertArrayEquals(java.util.Arrays.copyOfRange(d, 420, 840), f.tensor("d").row(1).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void closeUnmaps() {
        Path p = dir.resolve("c.gguf");
        new GgufWriter().putString("general.architecture", "x").tensor("a", GgmlType.F32, new long[] {4}, new byte[16]).write(p);
        ModelFile f = ModelFile.open(p);
        Tensor t = f.tensor("a");
        assertEquals(0f, t.data().get(ValueLayout.JAVA_FLOAT, 4));
        f.close();
        f.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> t.data().get(ValueLayout.JAVA_FLOAT, 4));
        assertThrows(LoaderException.class, () -> f.tensor("a"));
    }

    @Test
    void writerRejectsBadInput() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> w.putU8("k", 256));
        assertThrows(IllegalArgumentException.class, () -> w.putI32("k", 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufType.STRING, 3));
        assertThrows(IllegalArgumentException.class, () -> w.putArray("k", GgufType.UINT16, List.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> w.alignment(48));
        assertThrows(IllegalArgumentException.class, () -> w.tensor("t", GgmlType.Q4_0, new long[] {31}, new byte[18]));
        assertThrows(IllegalArgumentException.class, () -> w.tensor("t", GgmlType.F32, new long[] {4}, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> w.tensor("t", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]));
        w.putU8("k", 1);
        assertThrows(IllegalArgumentException.class, () -> w.putU8("k", 2));
        w.tensor("t", GgmlType.F32, new long[] {1}, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> w.tensor("t", GgmlType.F32, new long[] {1}, new byte[4]));
        Path p = dir.resolve("short.gguf");
        w.tensor("s", GgmlType.F32, new long[] {2}, out -> out.write(new byte[7]));
        LoaderException e = assertThrows(LoaderException.class, () -> w.write(p));
        assertEquals(p + ": tensor 's': its data callback wrote 7 bytes, expected 8", e.getMessage());
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("absent.gguf");
        LoaderException e = assertThrows(LoaderException.class, () -> ModelFile.open(p));
        assertEquals(p + ": no such file", e.getMessage());
        assertFalse(Files.exists(p));
        e = assertThrows(LoaderException.class, () -> ModelFile.open(dir));
        assertEquals(dir + ": is a directory, expected a GGUF file", e.getMessage());
    }
}
