package lumen.loader.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lumen.loader.LoaderException;
import lumen.loader.ModelFile;
import lumen.loader.TensorInfo;
import lumen.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile files: each is rejected with a LoaderException naming the file, field and offset. */
class HostileInputTest {
    private static final int F32 = GgmlType.F32.id;

    @TempDir
    Path dir;

    static GgufFile parse(byte[] bytes) {
        return GgufReader.parse("bad.gguf", MemorySegment.ofArray(bytes), 0);
    }

    static String reject(byte[] bytes) {
        return assertThrows(LoaderException.class, () -> parse(bytes)).getMessage();
    }

    static void assertRejected(byte[] bytes, String expected) {
        assertEquals(expected, reject(bytes));
    }

    /** A small valid file with every kind of section: metadata of several types, arrays, three tensors. */
    private byte[] smallValidFile() throws Exception {
        Path p = dir.resolve("valid.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putU32("llama.block_count", 2)
                .putF32("llama.rope.freq_base", 10000)
                .putBool("flag", true)
                .putArray("tokenizer.ggml.tokens", GgufType.STRING, List.of("<s>", "a", "bc"))
                .putArray("tokenizer.ggml.scores", GgufType.FLOAT32, List.of(0f, -1f, -2f))
                .putArray("nested", GgufType.ARRAY, List.of(new GgufWriter.Array(GgufType.INT16, List.of(1, 2))))
                .tensor("token_embd.weight", GgmlType.F32, new long[] {4, 3}, new byte[48])
                .tensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {32, 2}, new byte[68])
                .tensor("output_norm.weight", GgmlType.F32, new long[] {4}, new byte[16])
                .write(p);
        return Files.readAllBytes(p);
    }

    private static final Pattern OFFSET = Pattern.compile("^bad\\.gguf: .+ at offset (\\d+): .+");

    @Test
    void truncatedAtEveryByte() throws Exception {
        byte[] valid = smallValidFile();
        GgufFile ok = parse(valid);
        TensorInfo last = ok.tensors().getLast();
        long end = last.offset() + last.size();
        assertTrue(end <= valid.length && end > ok.dataOffset());
        for (int n = 0; n < end; n++) {
            byte[] cut = java.util.Arrays.copyOf(valid, n);
            LoaderException e;
            try {
                parse(cut);
                fail("a file truncated to " + n + " of " + valid.length + " bytes was accepted");
                return;
            } catch (LoaderException x) {
                e = x;
            }
            Matcher m = OFFSET.matcher(e.getMessage());
            assertTrue(m.matches(), e.getMessage());
            long at = Long.parseLong(m.group(1));
            assertTrue(at <= n, "offset " + at + " past the truncated end " + n + ": " + e.getMessage());
            String msg = e.getMessage();
            assertTrue(msg.contains("truncated") || msg.contains("left in the file") || msg.contains("ends past the end of the file"), msg);
            if (n >= ok.dataOffset()) assertTrue(msg.contains("ends past the end of the file (size " + n + ")"), msg);
        }
    }

    @Test
    void truncatedFileOnDisk() throws Exception {
        byte[] valid = smallValidFile();
        Path p = dir.resolve("cut.gguf");
        Files.write(p, java.util.Arrays.copyOf(valid, valid.length - 20));
        LoaderException e = assertThrows(LoaderException.class, () -> ModelFile.open(p));
        assertTrue(e.getMessage().startsWith(p + ": tensor info #2 'output_norm.weight' at offset "), e.getMessage());
        assertTrue(e.getMessage().endsWith(") ends past the end of the file (size " + (valid.length - 20) + ")"), e.getMessage());
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, new byte[0]);
        e = assertThrows(LoaderException.class, () -> ModelFile.open(empty));
        assertEquals(empty + ": magic at offset 0: truncated: needs 4 bytes, the file ends at 0", e.getMessage());
    }

    @Test
    void badMagicAndVersions() {
        assertRejected("GGML\0\0\0\0".getBytes(), "bad.gguf: magic at offset 0: found \"GGML\", expected \"GGUF\" (not a GGUF file)");
        assertRejected("\u007fELF".getBytes(), "bad.gguf: magic at offset 0: found \"\\x7fELF\", expected \"GGUF\" (not a GGUF file)");
        assertEquals("bad.gguf: header version at offset 4: GGUF version 1 is not supported (expected 2 or 3); "
                + "convert the file again with a current llama.cpp", reject(new Raw().header(1, 0, 0).bytes()));
        assertRejected(new Raw().header(4, 0, 0).bytes(), "bad.gguf: header version at offset 4: found version 4, expected 2 or 3");
        assertRejected(new Raw().header(3L << 24, 0, 0).bytes(),
                "bad.gguf: header version at offset 4: found version 50331648, expected 2 or 3 (the file may be big-endian, which is not supported)");
        // Version 2 has the same layout as 3 (64-bit counts) and is read.
        assertEquals(2, parse(new Raw().header(2, 0, 0).bytes()).version());
    }

    @Test
    void absurdCounts() {
        assertRejected(new Raw().header(3, 1L << 40, 0).bytes(),
                "bad.gguf: header n_tensors at offset 8: found 1099511627776 tensor infos, but the 0 bytes left in the file hold at most 0 (32 bytes each at least)");
        assertRejected(new Raw().header(3, -1, 0).bytes(),
                "bad.gguf: header n_tensors at offset 8: found 18446744073709551615 tensor infos, but the 0 bytes left in the file hold at most 0 (32 bytes each at least)");
        assertRejected(new Raw().header(3, 0, 2).zeros(25).bytes(),
                "bad.gguf: header n_kv at offset 16: found 2 metadata entries, but the 25 bytes left in the file hold at most 1 (13 bytes each at least)");
        // string length larger than the file
        assertRejected(new Raw().header(3, 0, 1).u64(Long.MAX_VALUE).zeros(8).bytes(),
                "bad.gguf: metadata #0 key length at offset 24: found 9223372036854775807 bytes, but only 8 are left in the file");
        assertRejected(new Raw().header(3, 0, 1).u64(-5).zeros(8).bytes(),
                "bad.gguf: metadata #0 key length at offset 24: found 18446744073709551611 bytes, but only 8 are left in the file");
        // array length larger than the file could hold
        assertRejected(new Raw().header(3, 0, 1).kv("a", GgufType.ARRAY).u32(GgufType.UINT32.id).u64(1L << 62).zeros(12).bytes(),
                "bad.gguf: metadata #0 'a' array length at offset 41: found 4611686018427387904 uint32 elements, but the 12 bytes left in the file hold at most 3 (4 bytes each at least)");
        assertRejected(new Raw().header(3, 0, 1).kv("a", GgufType.ARRAY).u32(GgufType.STRING.id).u64(3).zeros(16).bytes(),
                "bad.gguf: metadata #0 'a' array length at offset 41: found 3 string elements, but the 16 bytes left in the file hold at most 2 (8 bytes each at least)");
        // a string inside an array claiming more than is left
        assertRejected(new Raw().header(3, 0, 1).kv("a", GgufType.ARRAY).u32(GgufType.STRING.id).u64(2).str("x").u64(100).bytes(),
                "bad.gguf: metadata #0 'a' element #1 value length at offset 58: found 100 bytes, but only 0 are left in the file");
    }

    @Test
    void badMetadata() {
        assertRejected(new Raw().header(3, 0, 1).str("k").u32(13).u8(0).bytes(),
                "bad.gguf: metadata #0 'k' type at offset 33: unknown value type 13, expected 0 to 12");
        assertRejected(new Raw().header(3, 0, 1).kv("k", GgufType.ARRAY).u32(99).u64(0).bytes(),
                "bad.gguf: metadata #0 'k' array element type at offset 37: unknown value type 99, expected 0 to 12");
        assertRejected(new Raw().header(3, 0, 2).kv("k", GgufType.UINT8).u8(1).kv("k", GgufType.UINT8).u8(2).bytes(),
                "bad.gguf: metadata #1 'k' at offset 38: duplicate key (already defined by an earlier entry)");
        assertRejected(new Raw().header(3, 0, 1).kv("b", GgufType.BOOL).u8(2).bytes(),
                "bad.gguf: metadata #0 'b' value at offset 37: found bool byte 2, expected 0 or 1");
        assertRejected(new Raw().header(3, 0, 1).kv("general.alignment", GgufType.UINT32).u32(48).bytes(),
                "bad.gguf: metadata 'general.alignment': found 48, expected a power of two from 1 to 1073741824");
        assertRejected(new Raw().header(3, 0, 1).kv("general.alignment", GgufType.UINT32).u32(0).bytes(),
                "bad.gguf: metadata 'general.alignment': found 0, expected a power of two from 1 to 1073741824");
        assertRejected(new Raw().header(3, 0, 1).kv("general.alignment", GgufType.STRING).str("32").bytes(),
                "bad.gguf: metadata 'general.alignment': is a string, expected an integer");
        // arrays nested deeper than the parser allows: an error, not a StackOverflowError
        Raw deep = new Raw().header(3, 0, 1).kv("d", GgufType.ARRAY);
        for (int i = 0; i < 10_000; i++) deep.u32(GgufType.ARRAY.id).u64(1);
        String msg = reject(deep.bytes());
        assertTrue(msg.startsWith("bad.gguf: metadata #0 'd' element #0 element #0"), msg);
        assertTrue(msg.endsWith(": arrays nested more than 16 deep"), msg);
        // invalid UTF-8 is read with replacement characters, as a string
        GgufFile f = parse(new Raw().header(3, 0, 1).kv("s", GgufType.STRING).u64(2).u8(0xC3).u8(0x28).bytes());
        assertEquals("\uFFFD(", f.metadata().get("s"));
    }

    /** The header of a file with one F32 metadata-free tensor info; the caller adds the info. */
    private static Raw oneTensor(int nTensors) {
        return new Raw().header(3, nTensors, 0);
    }

    @Test
    void badTensorInfos() {
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {1, 1, 1, 1, 1}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' n_dims at offset 33: found 5, expected 1 to 4");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' n_dims at offset 33: found 0, expected 1 to 4");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4, 0}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' ne[1] at offset 45: found 0, expected a dimension from 1 to 2^63-1");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {-4}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' ne[0] at offset 37: found 18446744073709551612, expected a dimension from 1 to 2^63-1");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {1L << 32, 1L << 32}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' ne[1] at offset 45: the element count overflows 2^63 (shape [4294967296, 4294967296])");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {1L << 61}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' at offset 24: the data size of shape [2305843009213693952] in F32 overflows 2^63 bytes");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, 4, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' type at offset 45: unknown ggml type id 4");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, 1000, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' type at offset 45: unknown ggml type id 1000");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {48, 2}, GgmlType.Q4_0.id, 0).padTo(32).zeros(64).bytes(),
                "bad.gguf: tensor info #0 't' ne[0] at offset 37: row length 48 is not a multiple of the Q4_0 block size 32");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, F32, 16).padTo(32).zeros(64).bytes(),
                "bad.gguf: tensor info #0 't' offset at offset 49: found 16, expected a multiple of the alignment 32");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, F32, -32).padTo(32).zeros(64).bytes(),
                "bad.gguf: tensor info #0 't' offset at offset 49: found 18446744073709551584, larger than any file");
        assertRejected(oneTensor(2).tensorInfo("t", new long[] {4}, F32, 0).tensorInfo("t", new long[] {4}, F32, 32).padTo(32).zeros(64).bytes(),
                "bad.gguf: tensor info #1 't' at offset 57: duplicate tensor name (also tensor info #0)");
    }

    @Test
    void tensorDataOutsideTheFileOrOverlapping() {
        // data section starts at 64; the file is 96 bytes long
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {16}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' at offset 24: data [64, 128) ends past the end of the file (size 96)");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, F32, 1L << 40).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' at offset 24: data [1099511627840, 1099511627856) ends past the end of the file (size 96)");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {4}, F32, Long.MAX_VALUE & -32).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' at offset 24: data [9223372036854775840, 9223372036854775856) ends past the end of the file (size 96)");
        assertRejected(oneTensor(1).tensorInfo("t", new long[] {Long.MAX_VALUE / 4}, F32, 0).padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #0 't' at offset 24: data [64, 9223372036854775868) ends past the end of the file (size 96)");
        // the data section starts at 96: a = [128, 192), b = [160, 192)
        assertRejected(oneTensor(2).tensorInfo("a", new long[] {16}, F32, 32).tensorInfo("b", new long[] {8}, F32, 64)
                        .padTo(32).zeros(128).bytes(),
                "bad.gguf: tensor info #1 'b' at offset 57: data [160, 192) overlaps tensor info #0 'a' [128, 192)");
        // the same data twice
        assertRejected(oneTensor(2).tensorInfo("a", new long[] {8}, F32, 0).tensorInfo("b", new long[] {8}, F32, 0)
                        .padTo(32).zeros(32).bytes(),
                "bad.gguf: tensor info #1 'b' at offset 57: data [96, 128) overlaps tensor info #0 'a' [96, 128)");
        // out of order but disjoint is fine
        GgufFile f = parse(oneTensor(2).tensorInfo("a", new long[] {8}, F32, 32).tensorInfo("b", new long[] {8}, F32, 0)
                .padTo(32).zeros(64).bytes());
        assertEquals(List.of(128L, 96L), f.tensors().stream().map(TensorInfo::offset).toList());
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
        byte[] valid = smallValidFile();
        java.util.Random r = new java.util.Random(42);
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b = valid.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = r.nextInt(Math.min(b.length, 400));
                b[at] = (byte) (r.nextInt(4) == 0 ? 0xFF : r.nextInt(256));
            }
            try {
                parse(b);
            } catch (LoaderException e) {
                assertTrue(e.getMessage().startsWith("bad.gguf: "), e.getMessage());
                rejected++;
            }
        }
        assertTrue(rejected > 1000, rejected + " of 3000 corrupted files rejected");
    }
}
