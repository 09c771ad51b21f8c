package lumen.tokenizer.load;

import java.util.List;
import java.util.Map;

import lumen.tokenizer.TokenizerException;

/** Typed access to GGUF metadata given as plain Java values; errors name the key and the type found. */
final class Meta {
    private final Map<String, Object> md;

    Meta(Map<String, Object> md) {
        this.md = md;
    }

    boolean has(String key) {
        return md.get(key) != null;
    }

    String string(String key, String def) {
        Object v = md.get(key);
        if (v == null) return def;
        if (v instanceof String s) return s;
        throw wrong(key, "a string", v);
    }

    boolean bool(String key, boolean def) {
        Object v = md.get(key);
        if (v == null) return def;
        if (v instanceof Boolean b) return b;
        throw wrong(key, "a boolean", v);
    }

    int id(String key, int def) {
        Object v = md.get(key);
        if (v == null) return def;
        if (v instanceof Number n) return (int) n.longValue();
        throw wrong(key, "an integer", v);
    }

    List<?> list(String key, boolean required) {
        Object v = md.get(key);
        if (v == null) {
            if (required) throw new TokenizerException("GGUF metadata: key " + key + " is missing (expected an array)");
            return null;
        }
        if (v instanceof List<?> l) return l;
        throw wrong(key, "an array", v);
    }

    String[] strings(String key, boolean required) {
        List<?> l = list(key, required);
        if (l == null) return null;
        String[] out = new String[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof String s)) throw wrong(key + "[" + i + "]", "a string", l.get(i));
            out[i] = s;
        }
        return out;
    }

    static TokenizerException wrong(String key, String expected, Object found) {
        return new TokenizerException("GGUF metadata: key " + key + " is " + describe(found) + ", expected " + expected);
    }

    static String describe(Object v) {
        return v == null ? "missing" : "a " + v.getClass().getSimpleName() + " (" + abbreviate(String.valueOf(v)) + ")";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
