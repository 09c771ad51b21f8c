package lumen.loader.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds GGUF bytes field by field, valid or not, for the hostile-input tests. */
final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int pos() {
        return out.size();
    }

    Raw u8(int v) {
        out.write(v);
        return this;
    }

    Raw u32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    Raw u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    Raw str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    /** Magic, version and counts. */
    Raw header(long version, long nTensors, long nKv) {
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        return u32(version).u64(nTensors).u64(nKv);
    }

    /** A metadata key and value type; the caller writes the value. */
    Raw kv(String key, GgufType type) {
        return str(key).u32(type.id);
    }

    Raw tensorInfo(String name, long[] ne, int typeId, long offset) {
        str(name).u32(ne.length);
        for (long d : ne) u64(d);
        return u32(typeId).u64(offset);
    }

    Raw padTo(int alignment) {
        while (out.size() % alignment != 0) out.write(0);
        return this;
    }

    Raw zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
