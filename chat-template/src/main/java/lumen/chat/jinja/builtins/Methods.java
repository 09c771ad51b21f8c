package lumen.chat.jinja.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lumen.chat.jinja.eval.DictView;
import lumen.chat.jinja.eval.JinjaCallable;
import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.eval.Py;
import lumen.chat.jinja.eval.Tuple;
import lumen.chat.jinja.eval.Undefined;

/**
 * The Python methods of str, dict and list that templates call ({@code s.strip()}, {@code d.get(k)}, …).
 * Methods that would modify a list or dict resolve to an undefined that raises SecurityError when
 * used, as in Jinja2's ImmutableSandboxedEnvironment.
 */
public final class Methods {
    private Methods() {}

    private static final Set<String> UNSAFE_LIST = Set.of("append", "extend", "insert", "pop", "remove", "reverse",
        "sort", "clear", "__setitem__", "__delitem__");
    private static final Set<String> UNSAFE_DICT = Set.of("pop", "popitem", "setdefault", "update", "clear");

    /** The method {@code name} bound to {@code self}, or null when the value has no such attribute. */
    public static Object lookup(Object self, String name) {
        if (Py.isStr(self)) {
            return stringMethod(Py.str(self), name);
        }
        if (self instanceof Map<?, ?> m) {
            if (UNSAFE_DICT.contains(name)) {
                return unsafe(name, "dict");
            }
            return dictMethod(m, name);
        }
        if (self instanceof List<?> l) {
            if (UNSAFE_LIST.contains(name)) {
                return unsafe(name, "list");
            }
            return listMethod(l, name);
        }
        return null;
    }

    private static Undefined unsafe(String name, String type) {
        return new Undefined("access to attribute '" + name + "' of '" + type + "' object is unsafe.", true);
    }

    private static Object arg(List<Object> args, Map<String, Object> kw, int i, String name, Object dflt) {
        if (i < args.size()) {
            return args.get(i);
        }
        return kw.containsKey(name) ? kw.get(name) : dflt;
    }

    private static JinjaCallable dictMethod(Map<?, ?> m, String name) {
        return switch (name) {
            case "keys" -> (in, a, kw) -> new DictView("dict_keys", new ArrayList<Object>(m.keySet()));
            case "values" -> (in, a, kw) -> new DictView("dict_values", new ArrayList<Object>(m.values()));
            case "get" -> (in, a, kw) -> {
                Object k = Py.normKey(arg(a, kw, 0, "key", null));
                return m.containsKey(k) ? m.get(k) : arg(a, kw, 1, "default", null);
            };
            case "items" -> (in, a, kw) -> {
                List<Object> r = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    r.add(Tuple.of(e.getKey(), e.getValue()));
                }
                return new DictView("dict_items", r);
            };
            case "copy" -> (in, a, kw) -> new LinkedHashMap<Object, Object>(m);
            default -> null;
        };
    }

    private static JinjaCallable listMethod(List<?> l, String name) {
        return switch (name) {
            case "count" -> (in, a, kw) -> {
                long n = 0;
                for (Object o : l) {
                    if (Py.eq(o, a.get(0))) {
                        n++;
                    }
                }
                return n;
            };
            case "index" -> (in, a, kw) -> {
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), a.get(0))) {
                        return (long) i;
                    }
                }
                throw JinjaError.value(Py.repr(a.get(0)) + " is not in list");
            };
            case "copy" -> (in, a, kw) -> new ArrayList<Object>(l);
            default -> null;
        };
    }

    /** Python's str.islower: some cased character, and no uppercase or titlecase one. */
    static boolean isLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
        }
        return cased;
    }

    /** Python's str.isupper: some cased character, and no lowercase or titlecase one. */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLowerCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isUpperCase(c);
        }
        return cased;
    }

    /** A str argument of a str method; Python raises TypeError for anything else. */
    private static String strArg(Object o) {
        if (o instanceof lumen.chat.jinja.eval.Undefined u) {
            throw u.fail();
        }
        if (!Py.isStr(o)) {
            throw JinjaError.type("must be str, not " + Py.typeName(o));
        }
        return Py.str(o);
    }

    /** The chars argument of strip: None or a str. */
    private static Object charsArg(Object o) {
        if (o != null && !Py.isStr(o)) {
            throw JinjaError.type("strip arg must be None or str");
        }
        return o;
    }

    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85 || c == 0x1c || c == 0x1d
            || c == 0x1e || c == 0x1f;
    }

    public static String strip(String s, Object chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        String cs = chars == null ? null : Py.str(chars);
        while (left && b < e && (cs == null ? isSpace(s.charAt(b)) : cs.indexOf(s.charAt(b)) >= 0)) {
            b++;
        }
        while (right && e > b && (cs == null ? isSpace(s.charAt(e - 1)) : cs.indexOf(s.charAt(e - 1)) >= 0)) {
            e--;
        }
        return s.substring(b, e);
    }

    public static List<Object> split(String s, Object sep, long maxsplit) {
        List<Object> r = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxsplit >= 0 && r.size() == maxsplit) {
                    r.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.charAt(j))) {
                    j++;
                }
                r.add(s.substring(i, j));
                i = j;
            }
            return r;
        }
        String p = strArg(sep);
        if (p.isEmpty()) {
            throw JinjaError.value("empty separator");
        }
        int i = 0;
        while (maxsplit < 0 || r.size() < maxsplit) {
            int j = s.indexOf(p, i);
            if (j < 0) {
                break;
            }
            r.add(s.substring(i, j));
            i = j + p.length();
        }
        r.add(s.substring(i));
        return r;
    }

    private static List<Object> rsplit(String s, Object sep, long maxsplit) {
        if (sep == null || maxsplit < 0) {
            return split(s, sep, maxsplit);
        }
        String p = Py.str(sep);
        List<Object> r = new ArrayList<>();
        int end = s.length();
        while (r.size() < maxsplit) {
            int j = s.lastIndexOf(p, end - p.length());
            if (j < 0) {
                break;
            }
            r.add(0, s.substring(j + p.length(), end));
            end = j;
        }
        r.add(0, s.substring(0, end));
        return r;
    }

    public static List<String> splitlines(String s, boolean keepends) {
        List<String> r = new ArrayList<>();
        int i = 0;
        int start = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int eol = -1;
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                eol = 2;
            } else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
                || c == 0x85 || c == 0x2028 || c == 0x2029) {
                eol = 1;
            }
            if (eol > 0) {
                r.add(s.substring(start, keepends ? i + eol : i));
                i += eol;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            r.add(s.substring(start));
        }
        return r;
    }

    private static boolean affix(String s, Object what, boolean prefix) {
        if (what instanceof List<?> l) {
            for (Object o : l) {
                if (affix(s, o, prefix)) {
                    return true;
                }
            }
            return false;
        }
        if (!Py.isStr(what)) {
            throw JinjaError.type((prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not "
                + Py.typeName(what));
        }
        return prefix ? s.startsWith(Py.str(what)) : s.endsWith(Py.str(what));
    }

    public static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int cp = s.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(cp))) + s.substring(Character.charCount(cp)).toLowerCase(java.util.Locale.ROOT);
    }

    public static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean prevCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean cased = Character.isLetter(cp);
            sb.appendCodePoint(cased ? (prevCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp)) : cp);
            prevCased = cased;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static JinjaCallable stringMethod(String s, String name) {
        return switch (name) {
            case "strip" -> (in, a, kw) -> strip(s, charsArg(arg(a, kw, 0, "chars", null)), true, true);
            case "lstrip" -> (in, a, kw) -> strip(s, charsArg(arg(a, kw, 0, "chars", null)), true, false);
            case "rstrip" -> (in, a, kw) -> strip(s, charsArg(arg(a, kw, 0, "chars", null)), false, true);
            case "split" -> (in, a, kw) -> split(s, arg(a, kw, 0, "sep", null), Py.toLong(arg(a, kw, 1, "maxsplit", -1L)));
            case "rsplit" -> (in, a, kw) -> rsplit(s, arg(a, kw, 0, "sep", null), Py.toLong(arg(a, kw, 1, "maxsplit", -1L)));
            case "splitlines" -> (in, a, kw) -> new ArrayList<Object>(splitlines(s, Py.truthy(arg(a, kw, 0, "keepends", false))));
            case "startswith" -> (in, a, kw) -> affix(s, a.get(0), true);
            case "endswith" -> (in, a, kw) -> affix(s, a.get(0), false);
            case "upper" -> (in, a, kw) -> s.toUpperCase(java.util.Locale.ROOT);
            case "lower" -> (in, a, kw) -> s.toLowerCase(java.util.Locale.ROOT);
            case "title" -> (in, a, kw) -> title(s);
            case "capitalize" -> (in, a, kw) -> capitalize(s);
            case "replace" -> (in, a, kw) -> replace(s, strArg(a.get(0)), strArg(a.get(1)),
                a.size() > 2 ? Py.toLong(a.get(2)) : -1);
            case "find" -> (in, a, kw) -> (long) s.indexOf(strArg(a.get(0)));
            case "rfind" -> (in, a, kw) -> (long) s.lastIndexOf(strArg(a.get(0)));
            case "index" -> (in, a, kw) -> {
                int i = s.indexOf(strArg(a.get(0)));
                if (i < 0) {
                    throw JinjaError.value("substring not found");
                }
                return (long) i;
            };
            case "count" -> (in, a, kw) -> {
                String sub = strArg(a.get(0));
                if (sub.isEmpty()) {
                    return Py.len(s) + 1;
                }
                long n = 0;
                for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                    n++;
                }
                return n;
            };
            case "join" -> (in, a, kw) -> {
                StringBuilder sb = new StringBuilder();
                boolean first = true;
                for (Object o : Py.iterate(a.get(0))) {
                    if (!Py.isStr(o)) {
                        throw JinjaError.type("sequence item: expected str instance, " + Py.typeName(o) + " found");
                    }
                    if (!first) {
                        sb.append(s);
                    }
                    first = false;
                    sb.append(Py.str(o));
                }
                return sb.toString();
            };
            case "isdigit" -> (in, a, kw) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> (in, a, kw) -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> (in, a, kw) -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> (in, a, kw) -> !s.isEmpty() && s.chars().allMatch(Methods::isSpace);
            case "islower" -> (in, a, kw) -> isLower(s);
            case "isupper" -> (in, a, kw) -> isUpper(s);
            case "format" -> (in, a, kw) -> Filters.braceFormat(s, a, kw);
            case "partition" -> (in, a, kw) -> {
                String sep = Py.str(a.get(0));
                int i = s.indexOf(sep);
                return new Tuple(i < 0 ? List.of(s, "", "") : List.of(s.substring(0, i), sep, s.substring(i + sep.length())));
            };
            case "removeprefix" -> (in, a, kw) -> s.startsWith(Py.str(a.get(0))) ? s.substring(Py.str(a.get(0)).length()) : s;
            case "removesuffix" -> (in, a, kw) -> s.endsWith(Py.str(a.get(0)))
                ? s.substring(0, s.length() - Py.str(a.get(0)).length()) : s;
            default -> null;
        };
    }

    public static String replace(String s, String old, String neu, long count) {
        if (count < 0) {
            if (old.isEmpty()) {
                StringBuilder sb = new StringBuilder(neu);
                for (int i = 0; i < s.length(); i++) {
                    sb.append(s.charAt(i)).append(neu);
                }
                return sb.toString();
            }
            return s.replace(old, neu);
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        long n = 0;
        while (n < count) {
            int j = s.indexOf(old, i);
            if (j < 0) {
                break;
            }
            sb.append(s, i, j).append(neu);
            i = j + old.length();
            n++;
            if (old.isEmpty()) {
                if (i < s.length()) {
                    sb.append(s.charAt(i));
                }
                i++;
                if (i > s.length()) {
                    return sb.toString();
                }
            }
        }
        sb.append(s.substring(Math.min(i, s.length())));
        return sb.toString();
    }

}
