package lumen.chat.jinja.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics over plain Java values: None = null, bool = Boolean, int = Long (or BigInteger),
 * float = Double, str = String (or {@link Markup}), list = List, dict = Map, plus the template types.
 */
public final class Py {
    private Py() {}

    /** Sandbox bounds on values a template can build in one operation. */
    static final long MAX_REPEAT = 1L << 24;
    static final long MAX_EXPONENT = 4096;

    public static boolean isStr(Object o) {
        return o instanceof String || o instanceof Markup;
    }

    public static boolean isInt(Object o) {
        return o instanceof Long || o instanceof BigInteger;
    }

    /** int or float, and bool (a subclass of int in Python). */
    public static boolean isNumber(Object o) {
        return o instanceof Long || o instanceof Double || o instanceof BigInteger || o instanceof Boolean;
    }

    public static String typeName(Object o) {
        if (o == null) {
            return "NoneType";
        }
        return switch (o) {
            case String s -> "str";
            case Markup m -> "Markup";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case Tuple t -> "tuple";
            case DictView v -> v.kind();
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case Gen g -> "generator";
            case LoopInfo li -> "LoopContext";
            case JinjaCallable c -> "function";
            default -> o.getClass().getSimpleName();
        };
    }

    /** jinja2.utils.object_type_repr, used in "has no attribute" messages. */
    public static String objectTypeRepr(Object o) {
        if (o == null) {
            return "None";
        }
        return typeName(o) + " object";
    }

    public static boolean truthy(Object o) {
        if (o == null) {
            return false;
        }
        return switch (o) {
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Markup m -> !m.text().isEmpty();
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case BigInteger b -> b.signum() != 0;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    // ---- str() and repr()

    public static String str(Object o) {
        if (o == null) {
            return "None";
        }
        return switch (o) {
            case String s -> s;
            case Markup m -> m.text();
            case Undefined u -> "";
            case Boolean b -> b ? "True" : "False";
            case Long l -> Long.toString(l);
            case BigInteger b -> b.toString();
            case Double d -> floatRepr(d);
            default -> repr(o);
        };
    }

    public static String repr(Object o) {
        StringBuilder sb = new StringBuilder();
        repr(o, sb);
        return sb.toString();
    }

    private static void repr(Object o, StringBuilder sb) {
        switch (o) {
            case null -> sb.append("None");
            case String s -> reprString(s, sb);
            case Markup m -> {
                sb.append("Markup(");
                reprString(m.text(), sb);
                sb.append(')');
            }
            case DictView v -> {
                sb.append(v.kind()).append('(');
                repr(new java.util.ArrayList<>(v), sb);
                sb.append(')');
            }
            case Tuple t -> {
                sb.append('(');
                for (int i = 0; i < t.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    repr(t.get(i), sb);
                }
                sb.append(t.size() == 1 ? ",)" : ")");
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    repr(l.get(i), sb);
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    repr(e.getKey(), sb);
                    sb.append(": ");
                    repr(e.getValue(), sb);
                }
                sb.append('}');
            }
            case Namespace n -> sb.append("<Namespace ").append(repr(n.attrs)).append('>');
            case Gen g -> sb.append("<generator object at 0x0>");
            case Undefined u -> sb.append("Undefined");
            case JinjaCallable c -> sb.append("<function>");
            default -> sb.append(str(o));
        }
    }

    private static void reprString(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == q || c == '\\') {
                sb.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (!printable(c)) {
                sb.append(c < 0x100 ? String.format("\\x%02x", c)
                    : c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            } else {
                sb.appendCodePoint(c);
            }
        }
        sb.append(q);
    }

    /** Python's str.isprintable for one code point: not a control, format, separator (but space) or unassigned. */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's repr(float): shortest round-trip digits, fixed notation for exponents -4..15. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        if (bd.precision() == 2) {
            // Java writes at least two digits (4.9E-324); Python uses one digit when it round-trips (5e-324)
            BigDecimal one = bd.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(d)) {
                bd = one.stripTrailingZeros();
            }
        }
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.digits * 10^decpt
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp));
            if (e.length() < 2) {
                sb.append('0');
            }
            sb.append(e);
        }
        return sb.toString();
    }

    // ---- equality and ordering

    public static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return toDouble(a) == toDouble(b);
            }
            return toBig(a).equals(toBig(b));
        }
        if (isStr(a) && isStr(b)) {
            return str(a).equals(str(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !eq(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        return a.equals(b);
    }

    public static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(toDouble(a), toDouble(b));
            }
            return toBig(a).compareTo(toBig(b));
        }
        if (isStr(a) && isStr(b)) {
            return compareStrings(str(a), str(b));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!eq(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i), op);
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        throw JinjaError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
            + typeName(b) + "'");
    }

    public static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    // ---- numbers

    public static double toDouble(Object o) {
        return switch (o) {
            case Long l -> l;
            case Double d -> d;
            case BigInteger b -> b.doubleValue();
            case Boolean b -> b ? 1 : 0;
            default -> throw JinjaError.type("expected a number, found '" + typeName(o) + "'");
        };
    }

    public static BigInteger toBig(Object o) {
        return switch (o) {
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
            default -> throw JinjaError.type("expected an integer, found '" + typeName(o) + "'");
        };
    }

    public static Object normInt(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    public static long toLong(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof BigInteger b) {
            return b.longValueExact();
        }
        throw JinjaError.type("'" + typeName(o) + "' object cannot be interpreted as an integer");
    }

    public static Object arith(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        if (isNumber(a) && isNumber(b)) {
            // true division, and int ** negative int, give a float in Python
            boolean fl = a instanceof Double || b instanceof Double || op.equals("/")
                || (op.equals("**") && toBig(b).signum() < 0);
            if (fl) {
                double x = toDouble(a);
                double y = toDouble(b);
                return switch (op) {
                    case "+" -> x + y;
                    case "-" -> x - y;
                    case "*" -> x * y;
                    case "/" -> {
                        if (y == 0) {
                            throw new JinjaError("ZeroDivisionError", "division by zero");
                        }
                        yield x / y;
                    }
                    case "//" -> {
                        if (y == 0) {
                            throw new JinjaError("ZeroDivisionError", "float floor division by zero");
                        }
                        yield Math.floor(x / y);
                    }
                    case "%" -> {
                        if (y == 0) {
                            throw new JinjaError("ZeroDivisionError", "float modulo");
                        }
                        double r = x % y;
                        yield (r != 0 && (r < 0) != (y < 0)) ? r + y : r;
                    }
                    case "**" -> Math.pow(x, y);
                    default -> throw new IllegalStateException(op);
                };
            }
            BigInteger x = toBig(a);
            BigInteger y = toBig(b);
            return normInt(switch (op) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                case "//", "%" -> {
                    if (y.signum() == 0) {
                        throw new JinjaError("ZeroDivisionError", "integer division or modulo by zero");
                    }
                    BigInteger[] qr = x.divideAndRemainder(y);
                    BigInteger q = qr[0];
                    BigInteger r = qr[1];
                    if (r.signum() != 0 && r.signum() != y.signum()) {
                        q = q.subtract(BigInteger.ONE);
                        r = r.add(y);
                    }
                    yield op.equals("//") ? q : r;
                }
                case "**" -> {
                    if (x.abs().compareTo(BigInteger.ONE) > 0 && y.compareTo(BigInteger.valueOf(MAX_EXPONENT)) > 0) {
                        throw new JinjaError("SecurityError", "exponent " + y + " too large (sandbox limit " + MAX_EXPONENT + ")");
                    }
                    yield x.pow(y.intValueExact());
                }
                default -> throw new IllegalStateException(op);
            });
        }
        if (op.equals("+")) {
            if (a instanceof Markup || b instanceof Markup) {
                if (isStr(a) && isStr(b)) {
                    return new Markup(Markup.escape(a) + Markup.escape(b));
                }
            } else if (a instanceof String x && b instanceof String y) {
                return x + y;
            }
            if (a instanceof List<?> x && b instanceof List<?> y) {
                List<Object> r = new ArrayList<>(x);
                r.addAll(y);
                return r;
            }
            if (isStr(a)) {
                throw JinjaError.type("can only concatenate str (not \"" + typeName(b) + "\") to str");
            }
            if (a instanceof List<?>) {
                throw JinjaError.type("can only concatenate list (not \"" + typeName(b) + "\") to list");
            }
        }
        if (op.equals("*")) {
            // bool is an int in Python: 'ab' * True == 'ab'
            if (b instanceof Boolean bb && (isStr(a) || a instanceof List<?>)) {
                b = bb ? 1L : 0L;
            } else if (a instanceof Boolean ab && (isStr(b) || b instanceof List<?>)) {
                a = ab ? 1L : 0L;
            }
            long times = isInt(b) ? toLong(b) : isInt(a) ? toLong(a) : 0;
            long unit = isStr(a) ? len(a) : isStr(b) ? len(b) : a instanceof List<?> l ? l.size() : 0;
            if (times > 0 && unit > 0 && times > MAX_REPEAT / unit) {
                throw new JinjaError("SecurityError", "repetition result longer than " + MAX_REPEAT + " (sandbox limit)");
            }
            if (isStr(a) && isInt(b)) {
                return str(a).repeat((int) Math.max(0, toLong(b)));
            }
            if (isInt(a) && isStr(b)) {
                return str(b).repeat((int) Math.max(0, toLong(a)));
            }
            if (a instanceof List<?> l && isInt(b)) {
                List<Object> r = new ArrayList<>();
                for (long k = 0; k < toLong(b); k++) {
                    r.addAll(l);
                }
                return r;
            }
        }
        if (op.equals("%") && isStr(a)) {
            return lumen.chat.jinja.builtins.Filters.percentFormat(str(a), b);
        }
        throw JinjaError.type("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    // ---- containers

    public static boolean contains(Object container, Object item) {
        if (isStr(container)) {
            if (!isStr(item)) {
                throw JinjaError.type("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return str(container).contains(str(item));
        }
        if (container instanceof List<?> l) {
            for (Object o : l) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Gen g) {
            return contains(g.items(), item);
        }
        if (container instanceof Map<?, ?> m) {
            if (item instanceof List<?> || item instanceof Map<?, ?>) {
                throw JinjaError.type("unhashable type: '" + typeName(item) + "'");
            }
            return m.containsKey(normKey(item));
        }
        if (container instanceof Undefined u) {
            return false;
        }
        throw JinjaError.type("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** Keys of dicts are Long for every integer, so 1 and True/1.0 find the same entry. */
    public static Object normKey(Object k) {
        if (k instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (k instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return (long) d.doubleValue();
        }
        if (k instanceof Markup m) {
            return m.text();
        }
        return k;
    }

    public static List<Object> iterate(Object o) {
        if (o instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> r = (List<Object>) l;
            return r;
        }
        if (o instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (isStr(o)) {
            String s = str(o);
            List<Object> r = new ArrayList<>();
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                r.add(new String(Character.toChars(cp)));
                i += Character.charCount(cp);
            }
            return r;
        }
        if (o instanceof Gen g) {
            return g.items();
        }
        if (o instanceof Undefined) {
            return List.of();
        }
        throw JinjaError.type("'" + typeName(o) + "' object is not iterable");
    }

    public static long len(Object o) {
        return switch (o) {
            case String s -> s.codePointCount(0, s.length());
            case Markup m -> m.text().codePointCount(0, m.text().length());
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case null -> throw JinjaError.type("object of type 'NoneType' has no len()");
            default -> throw JinjaError.type("object of type '" + typeName(o) + "' has no len()");
        };
    }

    /** obj[key] as Jinja's environment.getitem: item first, then attribute when the key is a string. */
    public static Object getItem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        if (obj instanceof Map<?, ?> m) {
            Object k = normKey(key);
            if (m.containsKey(k)) {
                return m.get(k);
            }
        } else if (obj instanceof List<?> l && (isInt(key) || key instanceof Boolean)) {
            long idx = toLong(key);
            if (idx < 0) {
                idx += l.size();
            }
            if (idx >= 0 && idx < l.size()) {
                return l.get((int) idx);
            }
        } else if (isStr(obj) && (isInt(key) || key instanceof Boolean)) {
            List<Object> cps = iterate(obj);
            long idx = toLong(key);
            if (idx < 0) {
                idx += cps.size();
            }
            if (idx >= 0 && idx < cps.size()) {
                return cps.get((int) idx);
            }
        } else if (isStr(key)) {
            return getAttr(obj, str(key));
        }
        if (isStr(key)) {
            Object a = attribute(obj, str(key));
            if (a != null) {
                return unwrap(a);
            }
        }
        return new Undefined(objectTypeRepr(obj) + " has no element " + repr(key), false);
    }

    /** obj.name as Jinja's environment.getattr: attribute first, then item. */
    public static Object getAttr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object a = attribute(obj, name);
        if (a != null) {
            return unwrap(a);
        }
        if (obj instanceof Map<?, ?> m && m.containsKey(name)) {
            return m.get(name);
        }
        return new Undefined("'" + objectTypeRepr(obj) + "' has no attribute '" + name + "'", false);
    }

    /** The Python attribute of a value (a method, a namespace field, a loop property), or null. */
    private static Object attribute(Object obj, String name) {
        if (obj instanceof Namespace ns) {
            return ns.attrs.containsKey(name) ? wrapNull(ns.attrs.get(name)) : null;
        }
        if (obj instanceof LoopInfo li) {
            return li.attr(name);
        }
        if (name.startsWith("_")) {
            return null;
        }
        return lumen.chat.jinja.builtins.Methods.lookup(obj, name);
    }

    /** A sentinel so that an attribute holding None is told apart from a missing one. */
    private static Object wrapNull(Object o) {
        return o == null ? NONE_ATTR : o;
    }

    static final Object NONE_ATTR = new Object();

    public static Object unwrap(Object o) {
        return o == NONE_ATTR ? null : o;
    }

    public static Object slice(Object obj, Object start, Object stop, Object step) {
        List<Object> items;
        boolean isString = isStr(obj);
        if (isString) {
            items = iterate(obj);
        } else if (obj instanceof List<?>) {
            items = iterate(obj);
        } else if (obj instanceof Undefined u) {
            throw u.fail();
        } else {
            // slices bypass jinja2's forgiving getitem: Python's TypeError comes through
            throw JinjaError.type(obj instanceof Map<?, ?> ? "unhashable type: 'slice'"
                : "'" + typeName(obj) + "' object is not subscriptable");
        }
        int n = items.size();
        long st = step == null ? 1 : toLong(step);
        if (st == 0) {
            throw JinjaError.value("slice step cannot be zero");
        }
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clampIdx(toLong(start), n, 0, n);
            hi = stop == null ? n : clampIdx(toLong(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clampIdx(toLong(start), n, -1, n - 1);
            hi = stop == null ? -1 : clampIdx(toLong(stop), n, -1, n - 1);
        }
        List<Object> r = new ArrayList<>();
        if (st > 0) {
            for (long k = lo; k < hi; k += st) {
                r.add(items.get((int) k));
            }
        } else {
            for (long k = lo; k > hi; k += st) {
                r.add(items.get((int) k));
            }
        }
        if (isString) {
            StringBuilder sb = new StringBuilder();
            for (Object o : r) {
                sb.append((String) o);
            }
            return sb.toString();
        }
        return r;
    }

    private static long clampIdx(long i, int n, long min, long max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }

    public static Iterator<Object> iter(Object o) {
        return iterate(o).iterator();
    }
}
