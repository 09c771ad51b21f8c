package lumen.loader.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import lumen.loader.LoaderException;
import lumen.tensor.GgmlType;

/**
 * Writes a GGUF v3 file: metadata of every type (arrays nested to any depth), then tensor infos, then
 * each tensor's data at the next multiple of the alignment (offsets in order, as {@code gguf.cpp}
 * writes and expects them). Tensor data is given as bytes or as a callback that streams it, so a
 * multi-GB synthetic model never has to sit in memory.
 *
 * <pre>{@code
 * new GgufWriter()
 *     .putString("general.architecture", "llama")
 *     .putU32("llama.context_length", 2048)
 *     .putArray("tokenizer.ggml.tokens", GgufType.STRING, tokens)
 *     .tensor("token_embd.weight", GgmlType.F32, new long[] {64, 512}, out -> writeRandom(out))
 *     .write(path);
 * }</pre>
 */
public final class GgufWriter {
    /** An array value: its element type and elements (nested arrays are {@code Array}s themselves). */
    public record Array(GgufType elementType, List<?> values) {
        public Array {
            Objects.requireNonNull(elementType);
            values = List.copyOf(values);
        }
    }

    /** Streams a tensor's data; it must write exactly the tensor's size in bytes. */
    @FunctionalInterface
    public interface TensorData {
        void write(OutputStream out) throws IOException;

        /**
         * Data that is all zero bytes, left as a hole in the file (on file systems with sparse files
         * it takes no disk space and no time to write).
         */
        static TensorData zeros() {
            return ZEROS;
        }
    }

    private static final TensorData ZEROS = out -> {
        throw new IllegalStateException("written as a hole");
    };

    private record Value(GgufType type, Object value) {}

    private record PendingTensor(String name, GgmlType type, long[] ne, long size, TensorData data) {}

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** Sets {@code general.alignment} (a power of two); tensor data is aligned to it (default 32). */
    public GgufWriter alignment(long alignment) {
        if (alignment <= 0 || alignment > GgufReader.MAX_ALIGNMENT || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two up to 2^30");
        }
        return putU32("general.alignment", alignment);
    }

    /** Adds a metadata entry of {@code type}; {@code value} is a Number, Boolean, String or {@link Array} to match. */
    public GgufWriter put(String key, GgufType type, Object value) {
        Objects.requireNonNull(key, "key");
        check(key, type, value);
        if (metadata.putIfAbsent(key, new Value(type, value)) != null) {
            throw new IllegalArgumentException("duplicate metadata key '" + key + "'");
        }
        return this;
    }

    public GgufWriter putString(String key, String value) { return put(key, GgufType.STRING, value); }
    public GgufWriter putBool(String key, boolean value) { return put(key, GgufType.BOOL, value); }
    public GgufWriter putU8(String key, long value) { return put(key, GgufType.UINT8, value); }
    public GgufWriter putI8(String key, long value) { return put(key, GgufType.INT8, value); }
    public GgufWriter putU16(String key, long value) { return put(key, GgufType.UINT16, value); }
    public GgufWriter putI16(String key, long value) { return put(key, GgufType.INT16, value); }
    public GgufWriter putU32(String key, long value) { return put(key, GgufType.UINT32, value); }
    public GgufWriter putI32(String key, long value) { return put(key, GgufType.INT32, value); }
    public GgufWriter putU64(String key, long value) { return put(key, GgufType.UINT64, value); }
    public GgufWriter putI64(String key, long value) { return put(key, GgufType.INT64, value); }
    public GgufWriter putF32(String key, double value) { return put(key, GgufType.FLOAT32, value); }
    public GgufWriter putF64(String key, double value) { return put(key, GgufType.FLOAT64, value); }

    /** Adds an array entry; for nested arrays pass {@link GgufType#ARRAY} and {@link Array} elements. */
    public GgufWriter putArray(String key, GgufType elementType, List<?> values) {
        return put(key, GgufType.ARRAY, new Array(elementType, values));
    }

    /** Adds a tensor with its data in {@code data}, which must hold exactly the tensor's bytes. */
    public GgufWriter tensor(String name, GgmlType type, long[] ne, byte[] data) {
        long size = checkTensor(name, type, ne);
        if (data.length != size) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.length + " bytes given, expected " + size);
        }
        byte[] copy = data.clone();
        return add(new PendingTensor(name, type, ne.clone(), size, out -> out.write(copy)));
    }

    /** Adds a tensor whose data {@code data} streams when the file is written. */
    public GgufWriter tensor(String name, GgmlType type, long[] ne, TensorData data) {
        long size = checkTensor(name, type, ne);
        return add(new PendingTensor(name, type, ne.clone(), size, Objects.requireNonNull(data)));
    }

    private GgufWriter add(PendingTensor t) {
        if (!tensorNames.add(t.name())) throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
        tensors.add(t);
        return this;
    }

    private static long checkTensor(String name, GgmlType type, long[] ne) {
        Objects.requireNonNull(name, "name");
        if (ne.length < 1 || ne.length > GgufReader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "': " + ne.length + " dimensions, expected 1 to 4");
        }
        long n = 1;
        for (long d : ne) {
            if (d <= 0) throw new IllegalArgumentException("tensor '" + name + "': dimension " + d + ", expected > 0");
            n = Math.multiplyExact(n, d);
        }
        if (ne[0] % type.blockSize != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + ne[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize);
        }
        return Math.multiplyExact(n / type.blockSize, (long) type.bytesPerBlock);
    }

    /** The alignment the file will use. */
    private long alignmentValue() {
        Value v = metadata.get("general.alignment");
        if (v == null) return GgufReader.DEFAULT_ALIGNMENT;
        long a = ((Number) v.value()).longValue();
        if (!v.type().isInteger() || a <= 0 || a > GgufReader.MAX_ALIGNMENT || (a & (a - 1)) != 0) {
            throw new IllegalArgumentException("general.alignment " + v.value() + " is not a power of two up to 2^30");
        }
        return a;
    }

    /** Writes the file, replacing any file at {@code path}. */
    public void write(Path path) {
        long alignment = alignmentValue();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Sink out = new Sink(ch)) {
            out.u32(GgufReader.MAGIC);
            out.u32(3);
            out.u64(tensors.size());
            out.u64(metadata.size());
            for (Map.Entry<String, Value> e : metadata.entrySet()) {
                out.string(e.getKey());
                out.u32(e.getValue().type().id);
                value(out, e.getValue().type(), e.getValue().value());
            }
            long offset = 0;
            for (PendingTensor t : tensors) {
                out.string(t.name());
                out.u32(t.ne().length);
                for (long d : t.ne()) out.u64(d);
                out.u32(t.type().id);
                out.u64(offset);
                offset = alignUp(offset + t.size(), alignment);
            }
            out.pad(alignment);
            for (PendingTensor t : tensors) {
                long start = out.position();
                if (t.data() == ZEROS) {
                    out.skip(t.size());
                } else {
                    t.data().write(out);
                }
                long written = out.position() - start;
                if (written != t.size()) {
                    throw new LoaderException(path + ": tensor '" + t.name() + "': its data callback wrote " + written
                            + " bytes, expected " + t.size());
                }
                out.pad(alignment);
            }
        } catch (IOException e) {
            throw new LoaderException(path + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void value(Sink out, GgufType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8, BOOL -> out.u8(type == GgufType.BOOL ? ((Boolean) v ? 1 : 0) : ((Number) v).intValue());
            case UINT16, INT16 -> out.u16(((Number) v).intValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case STRING -> out.string((String) v);
            case ARRAY -> {
                Array a = (Array) v;
                out.u32(a.elementType().id);
                out.u64(a.values().size());
                for (Object e : a.values()) value(out, a.elementType(), e);
            }
        }
    }

    private static void check(String key, GgufType type, Object v) {
        Objects.requireNonNull(type, "type");
        boolean ok = switch (type) {
            case UINT8 -> v instanceof Number n && isIntegral(n) && n.longValue() >= 0 && n.longValue() <= 0xFF;
            case INT8 -> v instanceof Number n && isIntegral(n) && n.longValue() >= Byte.MIN_VALUE && n.longValue() <= Byte.MAX_VALUE;
            case UINT16 -> v instanceof Number n && isIntegral(n) && n.longValue() >= 0 && n.longValue() <= 0xFFFF;
            case INT16 -> v instanceof Number n && isIntegral(n) && n.longValue() >= Short.MIN_VALUE && n.longValue() <= Short.MAX_VALUE;
            case UINT32 -> v instanceof Number n && isIntegral(n) && n.longValue() >= 0 && n.longValue() <= 0xFFFF_FFFFL;
            case INT32 -> v instanceof Number n && isIntegral(n) && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE;
            case UINT64, INT64 -> v instanceof Number n && isIntegral(n); // uint64 given as its raw bits
            case FLOAT32, FLOAT64 -> v instanceof Number;
            case BOOL -> v instanceof Boolean;
            case STRING -> v instanceof String;
            case ARRAY -> {
                if (!(v instanceof Array a)) yield false;
                for (Object e : a.values()) check(key, a.elementType(), e);
                yield true;
            }
        };
        if (!ok) {
            throw new IllegalArgumentException("metadata '" + key + "': value " + v + " (" + (v == null ? "null" : v.getClass().getSimpleName())
                    + ") does not fit GGUF type " + type.label());
        }
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static long alignUp(long x, long alignment) {
        return (x + alignment - 1) & -alignment;
    }

    /** A buffered little-endian output over a file channel that can leave holes. */
    private static final class Sink extends OutputStream {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long flushed; // channel position of buf's first byte

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        long position() {
            return flushed + buf.position();
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) flush();
        }

        void u8(int v) throws IOException { room(1); buf.put((byte) v); }
        void u16(int v) throws IOException { room(2); buf.putShort((short) v); }
        void u32(int v) throws IOException { room(4); buf.putInt(v); }
        void u64(long v) throws IOException { room(8); buf.putLong(v); }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void pad(long alignment) throws IOException {
            long n = alignUp(position(), alignment) - position();
            for (long i = 0; i < n; i++) u8(0);
        }

        /** Advances by {@code n} bytes without writing them; {@link #close} makes sure the file reaches its full length. */
        void skip(long n) throws IOException {
            flush();
            flushed += n;
        }

        @Override
        public void write(int b) throws IOException {
            u8(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                room(1);
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            buf.flip();
            long at = flushed;
            while (buf.hasRemaining()) at += ch.write(buf, at);
            flushed = at;
            buf.clear();
        }

        @Override
        public void close() throws IOException {
            flush();
            if (ch.size() < flushed) {
                // The file ends in a hole: write its last byte so that it has its full length.
                ch.write(ByteBuffer.allocate(1), flushed - 1);
            }
        }
    }
}
