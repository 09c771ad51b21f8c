package lumen.loader;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lumen.loader.gguf.GgufFile;
import lumen.loader.gguf.GgufReader;
import lumen.tensor.Tensor;
import lumen.tensor.memory.LargePageArena;

/**
 * A model file opened for reading: its metadata by key and its tensors by name. The file is
 * memory-mapped whole (one mapping per part, in a shared {@link Arena}), so opening costs only the
 * header parse whatever the file's size, and every {@link Tensor} is a view on the mapping, never a
 * copy. Tensors stay valid until {@link #close()}.
 *
 * <p>A split model ({@code name-00001-of-00003.gguf}, as written by llama.cpp's {@code gguf-split})
 * opens as one: its metadata is that of the first part, which declares {@code split.count}; the
 * tensors are the union of all parts'. Any part's path may be given.
 *
 * <p>Thread-safe once opened.
 */
public final class ModelFile implements AutoCloseable {
    private static final Pattern SPLIT_NAME = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    private final Path path;
    private final Arena arena;
    private final List<MemorySegment> parts;
    /** The mapped segments behind {@link #parts} (empty when the parts were copied into memory), for {@link #release}. */
    private final List<MemorySegment> mappings;
    private final GgufFile header;
    private final Map<String, TensorInfo> tensors;
    private volatile boolean closed;

    private ModelFile(Path path, Arena arena, List<MemorySegment> parts, List<MemorySegment> mappings, GgufFile header,
                      Map<String, TensorInfo> tensors) {
        this.path = path;
        this.arena = arena;
        this.parts = parts;
        this.mappings = mappings;
        this.header = header;
        this.tensors = tensors;
    }

    /** Opens a GGUF file (or the first part of a split `*-00001-of-0000N.gguf`, all parts as one model) by memory-mapping it. */
    public static ModelFile open(Path path) {
        return open(path, false);
    }

    /**
     * As {@link #open(Path)}, then copies every part into off-heap memory of its own (not the Java heap)
     * and unmaps the file: llama.cpp's {@code --no-mmap}. Opening then reads the whole file, and
     * decoding streams anonymous memory instead of the page cache (on this machine one thread
     * decoded Q8_0 ~15 % faster so; two threads, no difference). Refused up front when the parts are
     * larger than the physical memory.
     */
    public static ModelFile openInMemory(Path path) {
        return open(path, true);
    }

    private static ModelFile open(Path path, boolean inMemory) {
        Arena arena = inMemory ? new LargePageArena() : Arena.ofShared();   // in memory: the copy is streamed like repacked weights
        Arena mapping = inMemory ? Arena.ofShared() : arena;
        try {
            MemorySegment firstMapped = map(path, mapping);
            MemorySegment first = plain(firstMapped, mapping);
            List<MemorySegment> mapped = new ArrayList<>();
            GgufFile header = GgufReader.parse(label(path), first, 0);
            long count = splitCount(header);
            List<MemorySegment> segments = new ArrayList<>();
            List<GgufFile> headers = new ArrayList<>();
            Path firstPath = path;
            if (count <= 1) {
                segments.add(first);
                mapped.add(firstMapped);
                headers.add(header);
            } else {
                Matcher m = SPLIT_NAME.matcher(path.getFileName().toString());
                if (!m.matches() || Long.parseLong(m.group(3)) != count) {
                    throw new LoaderException(label(path) + ": metadata 'split.count' is " + count
                            + ", but the file name does not end in -NNNNN-of-" + String.format("%05d", count) + ".gguf, so its parts cannot be found");
                }
                for (int i = 0; i < count; i++) {
                    Path p = path.resolveSibling(String.format("%s-%05d-of-%05d.gguf", m.group(1), i + 1, count));
                    if (i == 0) firstPath = p;
                    GgufFile h;
                    MemorySegment seg, segMapped;
                    if (p.equals(path)) {
                        seg = first;
                        segMapped = firstMapped;
                        h = i == 0 ? header : GgufReader.parse(label(p), first, i); // again, to record the part index
                    } else {
                        if (!Files.exists(p)) {
                            throw new LoaderException(label(p) + ": part " + (i + 1) + " of " + count + " of the split model is missing ("
                                    + label(path) + " declares split.count = " + count + ")");
                        }
                        segMapped = map(p, mapping);
                        seg = plain(segMapped, mapping);
                        h = GgufReader.parse(label(p), seg, i);
                    }
                    checkPart(h, i, count);
                    segments.add(seg);
                    mapped.add(segMapped);
                    headers.add(h);
                }
            }
            GgufFile meta = headers.getFirst();
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (GgufFile h : headers) {
                for (TensorInfo t : h.tensors()) {
                    TensorInfo earlier = tensors.putIfAbsent(t.name(), t);
                    if (earlier != null) {
                        throw new LoaderException(h.name() + ": tensor '" + t.name() + "' is also in part " + (earlier.part() + 1)
                                + " of the split model (" + headers.get(earlier.part()).name() + ")");
                    }
                }
            }
            if (count > 1 && meta.metadata().get("split.tensors.count") instanceof Long n && n != tensors.size()) {
                throw new LoaderException(meta.name() + ": metadata 'split.tensors.count' is " + n + ", but the "
                        + count + " parts hold " + tensors.size() + " tensors");
            }
            List<MemorySegment> mappings = inMemory ? List.of() : List.copyOf(mapped);
            if (inMemory) segments = copyIntoMemory(firstPath, segments, arena);
            return new ModelFile(firstPath, arena, List.copyOf(segments), mappings, meta, Collections.unmodifiableMap(tensors));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } finally {
            if (inMemory) mapping.close();   // the copies live on in arena; the file is unmapped
        }
    }

    private static List<MemorySegment> copyIntoMemory(Path path, List<MemorySegment> mapped, Arena arena) {
        long total = 0;
        for (MemorySegment m : mapped) total += m.byteSize();
        long physical = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        if (total > physical) {
            throw new LoaderException(String.format(Locale.ROOT,
                    "%s: %.2f GiB do not fit in the %.2f GiB of physical memory; open it memory-mapped instead",
                    label(path), total / 1073741824.0, physical / 1073741824.0));
        }
        List<MemorySegment> copies = new ArrayList<>();
        for (MemorySegment m : mapped) {
            MemorySegment copy;
            try {
                copy = arena.allocate(m.byteSize(), 64);
            } catch (OutOfMemoryError e) {
                throw new LoaderException(String.format(Locale.ROOT,
                        "%s: cannot allocate %.2f GiB of memory for the weights; open it memory-mapped instead",
                        label(path), m.byteSize() / 1073741824.0), e);
            }
            MemorySegment.copy(m, 0, copy, 0, m.byteSize());
            copies.add(copy.asReadOnly());
        }
        return copies;
    }

    private static long splitCount(GgufFile h) {
        Object c = h.metadata().get("split.count");
        if (c == null) return 1;
        if (!(c instanceof Long n) || n < 1 || n > 99999) {
            throw new LoaderException(h.name() + ": metadata 'split.count' is " + describe(h, "split.count") + ", expected an integer from 1 to 99999");
        }
        return n;
    }

    private static void checkPart(GgufFile h, int index, long count) {
        Object no = h.metadata().get("split.no");
        Object c = h.metadata().get("split.count");
        if (!(no instanceof Long n) || n != index) {
            throw new LoaderException(h.name() + ": metadata 'split.no' is " + describe(h, "split.no") + ", expected " + index
                    + " (part " + (index + 1) + " of " + count + ")");
        }
        if (!(c instanceof Long k) || k != count) {
            throw new LoaderException(h.name() + ": metadata 'split.count' is " + describe(h, "split.count") + ", expected " + count
                    + " as in the first part");
        }
    }

    private static String describe(GgufFile h, String key) {
        Object v = h.metadata().get(key);
        return v == null ? "missing" : h.types().get(key) + " " + v;
    }

    private static MemorySegment map(Path path, Arena arena) {
        if (Files.isDirectory(path)) throw new LoaderException(label(path) + ": is a directory, expected a GGUF file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return mapped;
        } catch (NoSuchFileException e) {
            throw new LoaderException(label(path) + ": no such file", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new LoaderException(label(path) + ": cannot map the file: " + e.getMessage(), e);
        }
    }

    /**
     * The same memory as a mapped segment, seen as a plain read-only native segment: the kernels then
     * meet one segment class whether weights come from a file or from an arena, and C2 keeps their
     * vector loads intrinsic (a mapped class mixed with a native one halved decode speed).
     */
    private static MemorySegment plain(MemorySegment mapped, Arena arena) {
        return MemorySegment.ofAddress(mapped.address()).reinterpret(mapped.byteSize(), arena, null).asReadOnly();
    }

    /**
     * Tells the operating system that the mapped pages of tensor {@code name} will not be read through
     * this file again (its data was copied elsewhere, e.g. repacked): they leave the process's resident
     * memory now instead of under memory pressure. Reading the tensor afterwards still works (the pages
     * are read from the file again). Nothing happens for a file copied into memory.
     */
    public void release(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new LoaderException(header.name() + ": no tensor named '" + name + "'");
        if (!closed && !mappings.isEmpty()) mappings.get(t.part()).asSlice(t.offset(), t.size()).unload();
    }

    private static String label(Path p) {
        return p.toString();
    }

    /** The path of the file, or of the first part of a split model. */
    public Path path() {
        return path;
    }

    /** The GGUF version of the (first) file: 2 or 3. */
    public int version() {
        return header.version();
    }

    /** The data alignment of the (first) file ({@code general.alignment}, default 32). */
    public long alignment() {
        return header.alignment();
    }

    /** Metadata as plain Java values: String, Boolean, Long (every integer type; uint64 as raw bits),
     *  Double (f32 and f64), List<Object> for arrays (nested arrays as nested lists). Insertion-ordered. */
    public Map<String, Object> metadata() {
        return header.metadata();
    }

    /** The model's architecture, {@code general.architecture}, e.g. {@code llama}. */
    public String architecture() {
        return string("general.architecture");
    }

    /** The value of {@code key}, if present. */
    public Optional<Object> find(String key) {
        return Optional.ofNullable(header.metadata().get(key));
    }

    /** A string value. */
    public String string(String key) {
        return get(key, String.class, "a string");
    }

    /** A value of any integer type (uint64 as its raw bits). */
    public long integer(String key) {
        return get(key, Long.class, "an integer");
    }

    /** A value of any integer type, or {@code fallback} if the key is absent. */
    public long integer(String key, long fallback) {
        return header.metadata().containsKey(key) ? integer(key) : fallback;
    }

    /** A float32 or float64 value; integers are converted. */
    public double number(String key) {
        Object v = header.metadata().get(key);
        if (v instanceof Long l) return l;
        return get(key, Double.class, "a number");
    }

    /** A float32 or float64 value (integers converted), or {@code fallback} if the key is absent. */
    public double number(String key, double fallback) {
        return header.metadata().containsKey(key) ? number(key) : fallback;
    }

    /** A bool value. */
    public boolean bool(String key) {
        return get(key, Boolean.class, "a bool");
    }

    /** An array value, as an immutable list. */
    @SuppressWarnings("unchecked")
    public List<Object> array(String key) {
        return get(key, List.class, "an array");
    }

    private <T> T get(String key, Class<T> type, String expected) {
        Object v = header.metadata().get(key);
        if (v == null) {
            throw new LoaderException(header.name() + ": metadata key '" + key + "' is missing (expected " + expected + ")");
        }
        if (!type.isInstance(v)) {
            String shown = v instanceof List<?> l ? "with " + l.size() + " elements" : "'" + v + "'";
            throw new LoaderException(header.name() + ": metadata key '" + key + "' is a " + header.types().get(key)
                    + " (" + shown + "), expected " + expected);
        }
        return type.cast(v);
    }

    /** Information on every tensor, in file order (parts in order). */
    public List<TensorInfo> tensorInfos() {
        return List.copyOf(tensors.values());
    }

    /** The tensor called {@code name}, a view on the mapped file. */
    public Tensor tensor(String name) {
        return findTensor(name).orElseThrow(() -> new LoaderException(header.name() + ": no tensor named '" + name + "' (the file has "
                + tensors.size() + " tensors)"));
    }

    /** The tensor called {@code name}, if present. */
    public Optional<Tensor> findTensor(String name) {
        if (closed) throw new LoaderException(header.name() + ": the model file is closed");
        TensorInfo t = tensors.get(name);
        if (t == null) return Optional.empty();
        return Optional.of(new Tensor(t.name(), t.type(), t.ne(), parts.get(t.part()).asSlice(t.offset(), t.size())));
    }

    /** Unmaps the file; tensors obtained from it must not be used afterwards. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ModelFile[" + path + ", " + tensors.size() + " tensors" + (parts.size() > 1 ? ", " + parts.size() + " parts" : "") + "]";
    }
}
