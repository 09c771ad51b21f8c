package lumen.chat.jinja.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.eval.Markup;
import lumen.chat.jinja.eval.Py;

/** Python's {@code json.dumps} (key order kept unless sort_keys, separators and indent as in Python). */
public final class Json {
    private Json() {}

    /** Formatting options of json.dumps. */
    public record Options(boolean ensureAscii, String indent, String itemSep, String keySep, boolean sortKeys) {
        public static final Options DEFAULT = new Options(false, null, ", ", ": ", false);
    }

    public static String dumps(Object value, Options o) {
        StringBuilder sb = new StringBuilder();
        write(value, o, 0, sb);
        return sb.toString();
    }

    private static void write(Object v, Options o, int level, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long l -> sb.append(l);
            case java.math.BigInteger b -> sb.append(b);
            case Double d -> {
                if (d.isNaN()) {
                    sb.append("NaN");
                } else if (d.isInfinite()) {
                    sb.append(d > 0 ? "Infinity" : "-Infinity");
                } else {
                    sb.append(Py.floatRepr(d));
                }
            }
            case lumen.chat.jinja.eval.DictView dv ->
                throw JinjaError.type("Object of type " + dv.kind() + " is not JSON serializable");
            case String s -> quote(s, o.ensureAscii(), sb);
            case Markup m -> quote(m.text(), o.ensureAscii(), sb);
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(o.itemSep());
                    }
                    newline(o, level + 1, sb);
                    write(l.get(i), o, level + 1, sb);
                }
                newline(o, level, sb);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (o.sortKeys()) {
                    entries.sort((a, b) -> Py.compare(a.getKey(), b.getKey(), "<"));
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries) {
                    if (!first) {
                        sb.append(o.itemSep());
                    }
                    first = false;
                    newline(o, level + 1, sb);
                    quote(keyString(e.getKey()), o.ensureAscii(), sb);
                    sb.append(o.keySep());
                    write(e.getValue(), o, level + 1, sb);
                }
                newline(o, level, sb);
                sb.append('}');
            }
            default -> throw JinjaError.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }

    private static String keyString(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (Py.isStr(k) || Py.isNumber(k)) {
            return Py.str(k);
        }
        throw JinjaError.type("keys must be str, int, float, bool or None, not " + Py.typeName(k));
    }

    private static void newline(Options o, int level, StringBuilder sb) {
        if (o.indent() != null) {
            sb.append('\n').append(o.indent().repeat(level));
        }
    }

    public static void quote(String s, boolean ensureAscii, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
