package lumen.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: reads the metadata of a GGUF file into the plain-Java map that {@code Tokenizers.fromGguf} takes
 * (the model-loader module produces the same map; this keeps the tokenizer tests independent of it).
 */
public final class GgufMeta {
    private GgufMeta() {}

    public static Map<String, Object> read(Path file) throws IOException {
        ByteBuffer b;
        if (file.toString().endsWith(".gz")) {
            try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
                b = ByteBuffer.wrap(in.readAllBytes());
            }
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            }
        }
        return parse(file, b.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static Map<String, Object> parse(Path file, ByteBuffer b) throws IOException {
        {
            if (b.getInt() != 0x46554747) throw new IOException(file + ": not a GGUF file");
            int version = b.getInt();
            if (version < 2) throw new IOException(file + ": GGUF v" + version + " unsupported");
            b.getLong(); // tensor count
            long nkv = b.getLong();
            Map<String, Object> md = new LinkedHashMap<>();
            for (long i = 0; i < nkv; i++) {
                String key = str(b);
                md.put(key, value(b, b.getInt()));
            }
            return md;
        }
    }

    private static String str(ByteBuffer b) {
        int n = (int) b.getLong();
        byte[] a = new byte[n];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0 -> (long) (b.get() & 0xFF);
            case 1 -> (long) b.get();
            case 2 -> (long) (b.getShort() & 0xFFFF);
            case 3 -> (long) b.getShort();
            case 4 -> b.getInt() & 0xFFFFFFFFL;
            case 5 -> (long) b.getInt();
            case 6 -> (double) b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> str(b);
            case 9 -> {
                int t = b.getInt();
                long n = b.getLong();
                List<Object> l = new ArrayList<>((int) n);
                for (long k = 0; k < n; k++) l.add(value(b, t));
                yield l;
            }
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IllegalStateException("GGUF value type " + type);
        };
    }
}
