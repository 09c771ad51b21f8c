package lumen.chat.jinja.builtins;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lumen.chat.jinja.eval.Gen;
import lumen.chat.jinja.eval.Interpreter;
import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.eval.Markup;
import lumen.chat.jinja.eval.Py;
import lumen.chat.jinja.eval.Tuple;
import lumen.chat.jinja.eval.Undefined;

/** Jinja2's filters as used by chat templates, keyed by name (jinja2/filters.py; tojson as in transformers). */
public final class Filters {
    private Filters() {}

    private static final Set<String> NAMES = Set.of("tojson", "length", "count", "trim", "string", "default", "d",
        "join", "items", "upper", "lower", "safe", "dictsort", "list", "selectattr", "rejectattr", "select", "reject",
        "map", "indent", "replace", "int", "float", "unique", "sort", "first", "last", "reverse", "abs", "round",
        "capitalize", "title", "wordcount", "sum", "min", "max", "escape", "e", "forceescape", "format", "truncate",
        "attr", "center", "batch");

    public static boolean exists(String name) {
        return NAMES.contains(name);
    }

    /** Python-style argument binding: positional index i or keyword name, else the default. */
    private static Object arg(List<Object> a, Map<String, Object> kw, int i, String name, Object dflt) {
        if (i >= 0 && i < a.size()) {
            return a.get(i);
        }
        return kw.containsKey(name) ? kw.get(name) : dflt;
    }

    public static Object apply(String name, Object v, List<Object> a, Map<String, Object> kw, Interpreter in) {
        switch (name) {
            case "tojson" -> {
                boolean ascii = Py.truthy(arg(a, kw, 0, "ensure_ascii", false));
                Object indent = arg(a, kw, 1, "indent", null);
                Object seps = arg(a, kw, 2, "separators", null);
                boolean sort = Py.truthy(arg(a, kw, 3, "sort_keys", false));
                String ind = indent == null ? null : Py.isStr(indent) ? Py.str(indent) : " ".repeat((int) Py.toLong(indent));
                String itemSep = ind == null ? ", " : ",";
                String keySep = ": ";
                if (seps != null) {
                    List<Object> s = Py.iterate(seps);
                    itemSep = Py.str(s.get(0));
                    keySep = Py.str(s.get(1));
                }
                return Json.dumps(v, new Json.Options(ascii, ind, itemSep, keySep, sort));
            }
            case "length", "count" -> {
                if (v instanceof Gen) {
                    throw JinjaError.type("object of type 'generator' has no len()");
                }
                return Py.len(v);
            }
            case "trim" -> {
                return Methods.strip(Py.str(v), arg(a, kw, 0, "chars", null), true, true);
            }
            case "string" -> {
                return v instanceof Markup ? v : Py.str(v);
            }
            case "default", "d" -> {
                Object dflt = arg(a, kw, 0, "default_value", "");
                boolean bool = Py.truthy(arg(a, kw, 1, "boolean", false));
                if (v instanceof Undefined || (bool && !Py.truthy(v))) {
                    return dflt;
                }
                return v;
            }
            case "join" -> {
                String sep = Py.str(arg(a, kw, 0, "d", ""));
                Object attr = arg(a, kw, 1, "attribute", null);
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (Object o : Py.iterate(v)) {
                    if (!first) {
                        sb.append(sep);
                    }
                    first = false;
                    sb.append(Py.str(attr == null ? o : attrGet(o, attr)));
                }
                return sb.toString();
            }
            case "items" -> {
                if (v instanceof Undefined) {
                    return new ArrayList<>();
                }
                if (!(v instanceof Map<?, ?> m)) {
                    throw JinjaError.type("Can only get item pairs from a mapping.");
                }
                List<Object> r = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    r.add(Tuple.of(e.getKey(), e.getValue()));
                }
                return new Gen(r);
            }
            case "upper" -> {
                return Py.str(v).toUpperCase(java.util.Locale.ROOT);
            }
            case "lower" -> {
                return Py.str(v).toLowerCase(java.util.Locale.ROOT);
            }
            case "capitalize" -> {
                return Methods.capitalize(Py.str(v));
            }
            case "title" -> {
                // jinja2's do_title: words start after '-', whitespace or an opening bracket (not str.title)
                StringBuilder sb = new StringBuilder();
                boolean start = true;
                String str = Py.str(v);
                for (int i = 0; i < str.length(); ) {
                    int cp = str.codePointAt(i);
                    boolean sep = cp == '-' || Methods.isSpace(cp) || cp == '(' || cp == '{' || cp == '[' || cp == '<';
                    if (sep) {
                        sb.appendCodePoint(cp);
                        start = true;
                    } else {
                        sb.appendCodePoint(start ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
                        start = false;
                    }
                    i += Character.charCount(cp);
                }
                return sb.toString();
            }
            case "safe" -> {
                return v instanceof Markup ? v : new Markup(Py.str(v));
            }
            case "escape", "e", "forceescape" -> {
                return v instanceof Markup && !name.equals("forceescape") ? v : new Markup(Markup.escape(Py.str(v)));
            }
            case "list" -> {
                return new ArrayList<>(Py.iterate(v));
            }
            case "first" -> {
                List<Object> l = Py.iterate(v);
                return l.isEmpty() ? new Undefined("No first item, sequence was empty.", false) : l.get(0);
            }
            case "last" -> {
                if (v instanceof Gen) {
                    throw JinjaError.type("'generator' object is not reversible");
                }
                List<Object> l = Py.iterate(v);
                return l.isEmpty() ? new Undefined("No last item, sequence was empty.", false) : l.get(l.size() - 1);
            }
            case "reverse" -> {
                if (Py.isStr(v)) {
                    return new StringBuilder(Py.str(v)).reverse().toString();
                }
                List<Object> l = new ArrayList<>(Py.iterate(v));
                java.util.Collections.reverse(l);
                return new Gen(l);
            }
            case "dictsort" -> {
                if (!(v instanceof Map<?, ?> m)) {
                    throw JinjaError.type("dictsort requires a mapping");
                }
                boolean cs = Py.truthy(arg(a, kw, 0, "case_sensitive", false));
                int pos = "value".equals(arg(a, kw, 1, "by", "key")) ? 1 : 0;
                boolean rev = Py.truthy(arg(a, kw, 2, "reverse", false));
                List<Object> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(Tuple.of(e.getKey(), e.getValue()));
                }
                Comparator<Object> c = (x, y) -> Py.compare(sortKey(((List<?>) x).get(pos), cs),
                    sortKey(((List<?>) y).get(pos), cs), "<");
                items.sort(rev ? c.reversed() : c);
                return items;
            }
            case "sort" -> {
                boolean rev = Py.truthy(arg(a, kw, 0, "reverse", false));
                boolean cs = Py.truthy(arg(a, kw, 1, "case_sensitive", false));
                Object attr = arg(a, kw, 2, "attribute", null);
                List<Object> items = new ArrayList<>(Py.iterate(v));
                Comparator<Object> c = (x, y) -> Py.compare(sortKey(attr == null ? x : attrGet(x, attr), cs),
                    sortKey(attr == null ? y : attrGet(y, attr), cs), "<");
                items.sort(rev ? c.reversed() : c);
                return items;
            }
            case "unique" -> {
                boolean cs = Py.truthy(arg(a, kw, 0, "case_sensitive", false));
                Object attr = arg(a, kw, 1, "attribute", null);
                List<Object> seen = new ArrayList<>();
                List<Object> r = new ArrayList<>();
                for (Object o : Py.iterate(v)) {
                    Object key = sortKey(attr == null ? o : attrGet(o, attr), cs);
                    if (key instanceof List<?> && !(key instanceof Tuple) || key instanceof Map<?, ?>) {
                        throw JinjaError.type("unhashable type: '" + Py.typeName(key) + "'");
                    }
                    if (!Py.contains(seen, key)) {
                        seen.add(key);
                        r.add(o);
                    }
                }
                return new Gen(r);
            }
            case "selectattr", "rejectattr" -> {
                if (!Py.truthy(v)) {
                    return new Gen(new ArrayList<>());
                }
                boolean select = name.equals("selectattr");
                Object attr = a.get(0);
                List<Object> r = new ArrayList<>();
                for (Object o : Py.iterate(v)) {
                    Object x = attrGet(o, attr);
                    boolean ok = a.size() > 1 ? Tests.apply(Py.str(a.get(1)), x, a.subList(2, a.size()), in) : Py.truthy(x);
                    if (ok == select) {
                        r.add(o);
                    }
                }
                return new Gen(r);
            }
            case "select", "reject" -> {
                if (!Py.truthy(v)) {
                    return new Gen(new ArrayList<>());
                }
                boolean select = name.equals("select");
                List<Object> r = new ArrayList<>();
                for (Object o : Py.iterate(v)) {
                    boolean ok = !a.isEmpty() ? Tests.apply(Py.str(a.get(0)), o, a.subList(1, a.size()), in) : Py.truthy(o);
                    if (ok == select) {
                        r.add(o);
                    }
                }
                return new Gen(r);
            }
            case "map" -> {
                if (!Py.truthy(v)) {
                    return new Gen(new ArrayList<>());
                }
                List<Object> r = new ArrayList<>();
                if (kw.containsKey("attribute")) {
                    Object attr = kw.get("attribute");
                    for (Object o : Py.iterate(v)) {
                        Object x = attrGet(o, attr);
                        r.add(x instanceof Undefined && kw.containsKey("default") ? kw.get("default") : x);
                    }
                } else {
                    String f = Py.str(a.get(0));
                    List<Object> rest = a.subList(1, a.size());
                    for (Object o : Py.iterate(v)) {
                        r.add(apply(f, o, rest, kw, in));
                    }
                }
                return new Gen(r);
            }
            case "indent" -> {
                Object width = arg(a, kw, 0, "width", 4L);
                boolean first = Py.truthy(arg(a, kw, 1, "first", false));
                boolean blank = Py.truthy(arg(a, kw, 2, "blank", false));
                String ind = Py.isStr(width) ? Py.str(width) : " ".repeat((int) Py.toLong(width));
                if (v instanceof Undefined u) {
                    throw u.fail();
                }
                if (!Py.isStr(v)) { // jinja2 appends "\n" to the value itself
                    throw JinjaError.type("unsupported operand type(s) for +=: '" + Py.typeName(v) + "' and 'str'");
                }
                String s = Py.str(v) + "\n";
                List<String> lines = Methods.splitlines(s, false);
                StringBuilder sb = new StringBuilder();
                if (blank) {
                    sb.append(String.join("\n" + ind, lines));
                } else {
                    sb.append(lines.isEmpty() ? "" : lines.get(0));
                    for (int k = 1; k < lines.size(); k++) {
                        sb.append('\n');
                        if (!lines.get(k).isEmpty()) {
                            sb.append(ind);
                        }
                        sb.append(lines.get(k));
                    }
                }
                return first ? ind + sb : sb.toString();
            }
            case "replace" -> {
                Object count = arg(a, kw, 2, "count", null);
                return Methods.replace(Py.str(v), Py.str(a.get(0)), Py.str(a.get(1)), count == null ? -1 : Py.toLong(count));
            }
            case "int" -> {
                if (v instanceof Undefined u) {
                    throw u.fail(); // int(Undefined) raises UndefinedError, which do_int does not catch
                }
                Object dflt = arg(a, kw, 0, "default", 0L);
                long base = Py.toLong(arg(a, kw, 1, "base", 10L));
                return toInt(v, dflt, (int) base);
            }
            case "float" -> {
                if (v instanceof Undefined u) {
                    throw u.fail();
                }
                Object dflt = arg(a, kw, 0, "default", 0.0);
                try {
                    if (Py.isStr(v)) {
                        return Double.parseDouble(Py.str(v).strip());
                    }
                    return Py.toDouble(v);
                } catch (RuntimeException e) {
                    return dflt;
                }
            }
            case "abs" -> {
                if (v instanceof Double d) {
                    return Math.abs(d);
                }
                return Py.normInt(Py.toBig(v).abs());
            }
            case "round" -> {
                int prec = (int) Py.toLong(arg(a, kw, 0, "precision", 0L));
                String method = Py.str(arg(a, kw, 1, "method", "common"));
                RoundingMode mode = switch (method) {
                    case "ceil" -> RoundingMode.CEILING;
                    case "floor" -> RoundingMode.FLOOR;
                    default -> RoundingMode.HALF_EVEN;
                };
                if ((Py.isInt(v) || v instanceof Boolean) && method.equals("common") && prec >= 0) {
                    return v instanceof Boolean b ? (Object) (b ? 1L : 0L) : v; // round(int, n) keeps the int
                }
                return new BigDecimal(Py.toDouble(v)).setScale(prec, mode).doubleValue();
            }
            case "wordcount" -> {
                return java.util.regex.Pattern.compile("\\w+", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS)
                    .matcher(Py.str(v)).results().count();
            }
            case "sum" -> {
                Object attr = arg(a, kw, 0, "attribute", null);
                Object total = arg(a, kw, 1, "start", 0L);
                for (Object o : Py.iterate(v)) {
                    total = Py.arith("+", total, attr == null ? o : attrGet(o, attr));
                }
                return total;
            }
            case "min", "max" -> {
                boolean cs = Py.truthy(arg(a, kw, 0, "case_sensitive", false));
                Object attr = arg(a, kw, 1, "attribute", null);
                Object best = null;
                boolean found = false;
                for (Object o : Py.iterate(v)) {
                    if (!found) {
                        best = o;
                        found = true;
                        continue;
                    }
                    int c = Py.compare(sortKey(attr == null ? o : attrGet(o, attr), cs),
                        sortKey(attr == null ? best : attrGet(best, attr), cs), "<");
                    if (name.equals("min") ? c < 0 : c > 0) {
                        best = o;
                    }
                }
                return found ? best : new Undefined("No aggregated item, sequence was empty.", false);
            }
            case "format" -> {
                return percentFormat(Py.str(v), kw.isEmpty() ? new Tuple(a) : new LinkedHashMap<Object, Object>(kw));
            }
            case "truncate" -> {
                String s = Py.str(v);
                int length = (int) Py.toLong(arg(a, kw, 0, "length", 255L));
                boolean killwords = Py.truthy(arg(a, kw, 1, "killwords", false));
                String end = Py.str(arg(a, kw, 2, "end", "..."));
                int leeway = (int) Py.toLong(arg(a, kw, 3, "leeway", 5L));
                if (s.length() <= length + leeway) {
                    return s;
                }
                String head = s.substring(0, Math.max(0, length - end.length()));
                if (killwords) {
                    return head + end;
                }
                int sp = head.lastIndexOf(' ');
                return (sp < 0 ? head : head.substring(0, sp)) + end;
            }
            case "attr" -> {
                return Py.getAttr(v, Py.str(a.get(0)));
            }
            case "center" -> {
                String s = Py.str(v);
                int width = (int) Py.toLong(arg(a, kw, 0, "width", 80L));
                if (s.length() >= width) {
                    return s;
                }
                int marg = width - s.length();
                int left = marg / 2 + (marg & width & 1);
                return " ".repeat(left) + s + " ".repeat(marg - left);
            }
            case "batch" -> {
                int n = (int) Py.toLong(a.get(0));
                Object fill = arg(a, kw, 1, "fill_with", null);
                List<Object> r = new ArrayList<>();
                List<Object> cur = new ArrayList<>();
                for (Object o : Py.iterate(v)) {
                    cur.add(o);
                    if (cur.size() == n) {
                        r.add(cur);
                        cur = new ArrayList<>();
                    }
                }
                if (!cur.isEmpty()) {
                    if (a.size() > 1 || kw.containsKey("fill_with")) {
                        while (cur.size() < n) {
                            cur.add(fill);
                        }
                    }
                    r.add(cur);
                }
                return new Gen(r);
            }
            default -> throw new JinjaError("TemplateRuntimeError", "No filter named '" + name + "' found.");
        }
    }

    private static Object sortKey(Object o, boolean caseSensitive) {
        return !caseSensitive && Py.isStr(o) ? Py.str(o).toLowerCase(java.util.Locale.ROOT) : o;
    }

    /** jinja2's make_attrgetter: item lookup along a dotted path, integer parts as indices. */
    static Object attrGet(Object o, Object attr) {
        if (!Py.isStr(attr)) {
            return Py.getItem(o, attr);
        }
        Object cur = o;
        for (String part : Py.str(attr).split("\\.")) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            cur = Py.getItem(cur, key);
        }
        return cur;
    }

    private static Object toInt(Object v, Object dflt, int base) {
        try {
            if (Py.isStr(v)) {
                String s = Py.str(v).strip().replace("_", "");
                return Py.normInt(new java.math.BigInteger(s, base));
            }
            if (v instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    return dflt;
                }
                return Py.normInt(new BigDecimal(d).toBigInteger());
            }
            return Py.normInt(Py.toBig(v));
        } catch (RuntimeException e) {
            try {
                return Py.normInt(new BigDecimal(Double.parseDouble(Py.str(v).strip())).toBigInteger());
            } catch (RuntimeException e2) {
                return dflt;
            }
        }
    }

    /** Python's {@code str % args} for %s, %r, %d, %i, %f, %% (args a tuple/list, a dict, or one value). */
    public static String percentFormat(String fmt, Object args) {
        List<Object> pos = args instanceof Tuple t ? new ArrayList<>(t)
            : new ArrayList<>(java.util.Collections.singletonList(args));
        Map<?, ?> named = args instanceof Map<?, ?> m ? m : null;
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (++i >= fmt.length()) {
                throw JinjaError.value("incomplete format");
            }
            Object val;
            String key = null;
            if (fmt.charAt(i) == '(') {
                int e = fmt.indexOf(')', i);
                key = fmt.substring(i + 1, e);
                i = e + 1;
            }
            StringBuilder spec = new StringBuilder();
            while (i < fmt.length() && "0123456789.-+ #".indexOf(fmt.charAt(i)) >= 0) {
                spec.append(fmt.charAt(i++));
            }
            char conv = fmt.charAt(i);
            if (conv == '%') {
                sb.append('%');
                continue;
            }
            if (key != null && named != null) {
                val = named.get(key);
            } else {
                if (k >= pos.size()) {
                    throw JinjaError.type("not enough arguments for format string");
                }
                val = pos.get(k++);
            }
            switch (conv) {
                case 's' -> sb.append(String.format("%" + spec + "s", Py.str(val)));
                case 'r' -> sb.append(String.format("%" + spec + "s", Py.repr(val)));
                case 'd', 'i' -> sb.append(String.format("%" + spec + "d", Py.toBig(val instanceof Double d
                    ? (Object) (long) d.doubleValue() : val)));
                case 'f' -> sb.append(String.format("%" + (spec.isEmpty() ? ".6" : spec) + "f", Py.toDouble(val)));
                default -> throw JinjaError.value("unsupported format character '" + conv + "'");
            }
        }
        boolean mappingLike = args instanceof Map<?, ?> || (args instanceof List<?> && !(args instanceof Tuple));
        if (!mappingLike && k < pos.size()) {
            throw JinjaError.type("not all arguments converted during string formatting");
        }
        return sb.toString();
    }

    /** Python's {@code str.format} for positional and named fields without format specs. */
    public static String braceFormat(String fmt, List<Object> a, Map<String, Object> kw) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '{' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int e = fmt.indexOf('}', i);
                if (e < 0) {
                    throw JinjaError.value("Single '{' encountered in format string");
                }
                String field = fmt.substring(i + 1, e);
                Object val;
                if (field.isEmpty()) {
                    val = a.get(auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    val = a.get(Integer.parseInt(field));
                } else {
                    val = kw.get(field);
                }
                sb.append(Py.str(val));
                i = e;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
