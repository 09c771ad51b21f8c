package lumen.sampler.constraint.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.ConstraintException;

/**
 * A small strict JSON reader and compact writer (RFC 8259). Objects are {@link LinkedHashMap}s in
 * document order, arrays {@link List}s, numbers {@link Num} (the source text is kept), strings,
 * booleans, and {@link #NULL}.
 */
public final class Json {
    /** JSON {@code null} (Java null is kept for "absent"). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number with its source text. */
    public record Num(String text) {
        public BigDecimal value() {
            return new BigDecimal(text);
        }

        public boolean isInteger() {
            return value().stripTrailingZeros().scale() <= 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Num n && n.value().compareTo(value()) == 0;
        }

        @Override
        public int hashCode() {
            return value().stripTrailingZeros().hashCode();
        }
    }

    private final String src;
    private final String where;
    private int pos;

    private Json(String src, String where) {
        this.src = src;
        this.where = where;
    }

    /** Parses one JSON value; {@code where} names the input in errors. */
    public static Object parse(String text, String where) {
        Json p = new Json(text, where);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw p.error("trailing text");
        return v;
    }

    public static Object parse(String text) {
        return parse(text, "json");
    }

    private ConstraintException error(String what) {
        return ConstraintException.at(where, src, pos, what);
    }

    private void ws() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else break;
        }
    }

    private Object value(int depth) {
        if (depth > 512) throw error("nesting deeper than 512");
        if (pos >= src.length()) throw error("expected a value, found end of input");
        char c = src.charAt(pos);
        switch (c) {
            case '{' -> {
                pos++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (eat('}')) return m;
                do {
                    ws();
                    if (pos >= src.length() || src.charAt(pos) != '"') throw error("expected a string key");
                    String k = string();
                    ws();
                    if (!eat(':')) throw error("expected ':'");
                    ws();
                    m.put(k, value(depth + 1));
                    ws();
                } while (eat(','));
                if (!eat('}')) throw error("expected ',' or '}'");
                return m;
            }
            case '[' -> {
                pos++;
                List<Object> l = new ArrayList<>();
                ws();
                if (eat(']')) return l;
                do {
                    ws();
                    l.add(value(depth + 1));
                    ws();
                } while (eat(','));
                if (!eat(']')) throw error("expected ',' or ']'");
                return l;
            }
            case '"' -> {
                return string();
            }
            case 't' -> { return word("true", Boolean.TRUE); }
            case 'f' -> { return word("false", Boolean.FALSE); }
            case 'n' -> { return word("null", NULL); }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw error("unexpected '" + c + "'");
            }
        }
    }

    private boolean eat(char c) {
        if (pos < src.length() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Object word(String w, Object v) {
        if (!src.startsWith(w, pos)) throw error("expected " + w);
        pos += w.length();
        return v;
    }

    private Num number() {
        int start = pos;
        eat('-');
        if (eat('0')) { /* single zero */ }
        else if (!digits()) throw error("expected digits");
        if (eat('.') && !digits()) throw error("expected digits after '.'");
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            pos++;
            if (!eat('+')) eat('-');
            if (!digits()) throw error("expected exponent digits");
        }
        return new Num(src.substring(start, pos));
    }

    private boolean digits() {
        int s = pos;
        while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') pos++;
        return pos > s;
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) throw error("unterminated string");
            char c = src.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("control character in string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) throw error("unterminated escape");
            char e = src.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) throw error("short \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    /** Compact JSON text of a value read by {@link #parse} (strings escaped as JSON.stringify does). */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(Object v, StringBuilder sb) {
        if (v == NULL || v == null) sb.append("null");
        else if (v instanceof Boolean b) sb.append(b);
        else if (v instanceof Num n) sb.append(n.text());
        else if (v instanceof Number n) sb.append(n);
        else if (v instanceof String s) quote(s, sb);
        else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : ((Map<String, Object>) m).entrySet()) {
                if (!first) sb.append(',');
                first = false;
                quote(e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        quote(s, sb);
        return sb.toString();
    }

    private static void quote(String s, StringBuilder sb) {
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
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
