package lumen.sampler.constraint.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lumen.sampler.constraint.ConstraintException;
import lumen.sampler.constraint.grammar.CharSet;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.regex.Regex;

/**
 * Compiles a JSON Schema (draft 2020-12 and draft 7 keywords) to a {@link Grammar} whose sentences are
 * exactly the JSON texts (compact, or with optional whitespace) that the schema accepts, as far as a
 * context-free grammar can express it.
 *
 * <p>Supported: {@code type}, {@code properties}, {@code required}, {@code additionalProperties},
 * {@code items}, {@code prefixItems} (draft 7 array {@code items} and {@code additionalItems}),
 * {@code enum}, {@code const}, {@code anyOf}, {@code oneOf} (as anyOf), {@code allOf} (by merging the
 * subschemas), {@code $ref} to {@code #...} JSON pointers with {@code $defs}/{@code definitions}
 * (recursion included), string {@code minLength}/{@code maxLength}/{@code pattern}/{@code format}
 * (date-time, date, time, uuid, email, uri, ipv4), number and integer bounds,
 * {@code minItems}/{@code maxItems}, and {@code minProperties}/{@code maxProperties} where the
 * required and allowed properties already decide them.
 *
 * <p>The grammar is for generating: numbers come in their plain spelling, as llguidance and OpenAI's
 * strict mode write them. {@code integer} is {@code -?(0|[1-9][0-9]*)} (an instance spelling an
 * integer {@code 1.0} or {@code 1e2}, valid in JSON Schema from draft 6 on, is rejected: a model
 * asked for an integer should not write one), {@code const}/{@code enum} numbers are their shortest
 * spelling, and {@code number} has no exponent once it is bounded.
 *
 * <p>Objects are written with their properties in the order of {@code properties}, then any additional
 * properties (as llguidance does by default; an instance with the keys in another order is rejected);
 * keys are not repeated. {@code strict} mode rejects every keyword it cannot enforce with a
 * {@link ConstraintException} naming the schema path. Non-strict mode ignores those keywords
 * (over-approximates): {@code not}, {@code if}/{@code then}/{@code else}, {@code dependent*},
 * {@code patternProperties}, {@code propertyNames}, {@code contains}, {@code uniqueItems},
 * {@code multipleOf}, {@code unevaluated*}, unknown formats, pattern together with a length,
 * non-integer bounds of {@code number} (rounded outwards), and oneOf's exclusivity (in both modes).
 */
public final class JsonSchemaCompiler {
    /** How much whitespace the output may contain between JSON tokens. */
    public enum Whitespace {
        /** None: {@code {"a":1,"b":[2,3]}}. */
        COMPACT,
        /** Any JSON whitespace between tokens. */
        FLEXIBLE
    }

    /**
     * @param strict     reject keywords that cannot be enforced
     * @param whitespace whitespace policy
     * @param draft7Refs {@code $ref} ignores its sibling keywords (drafts 4–7) when the schema has no {@code $schema}
     */
    public record Options(boolean strict, Whitespace whitespace, boolean draft7Refs) {
        public static Options strictCompact() {
            return new Options(true, Whitespace.COMPACT, false);
        }

        public static Options lenientCompact() {
            return new Options(false, Whitespace.COMPACT, false);
        }
    }

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment", "default",
            "examples", "deprecated", "readOnly", "writeOnly", "contentEncoding", "contentMediaType", "contentSchema",
            "$defs", "definitions", "$vocabulary", "$anchor", "id", "discriminator", "nullable", "example", "markdownDescription");
    private static final Set<String> TYPES = Set.of("null", "boolean", "object", "array", "string", "number", "integer");
    private static final CharSet JSON_RAW = CharSet.ANY.minus(CharSet.of(0, 0x1F)).minus(CharSet.ofChars("\"\\"));
    private static final int MAX_ALLOF_DEPTH = 24;

    private final Grammar.Builder g;
    private final Object root;
    private final Options opt;
    private final boolean draft7;
    private final Map<String, String> refRules = new HashMap<>();
    private final Expr ws;
    private String anyValueRule;
    private String plainStringRule;
    private final Map<CharSet, String> deviationRules = new HashMap<>();

    private JsonSchemaCompiler(Grammar.Builder g, Object root, Options opt) {
        this.g = g;
        this.root = root;
        this.opt = opt;
        String schemaUri = root instanceof Map<?, ?> m && m.get("$schema") instanceof String s ? s : null;
        this.draft7 = schemaUri != null ? schemaUri.contains("draft-0") : opt.draft7Refs();
        this.ws = opt.whitespace() == Whitespace.COMPACT ? Expr.EMPTY : Expr.star(Expr.chars(CharSet.ofChars(" \t\n\r")));
    }

    /** A grammar for the JSON texts that {@code schemaJson} accepts. */
    public static Grammar compile(String schemaJson, Options opt) {
        Object schema = Json.parse(schemaJson, "JSON schema");
        Grammar.Builder b = new Grammar.Builder();
        Expr e = into(b, schema, opt);
        b.put("start", e);
        return b.build("start");
    }

    /** Adds the rules for {@code schema} (as read by {@link Json#parse}) to {@code b}; returns the expression of a value. */
    public static Expr into(Grammar.Builder b, Object schema, Options opt) {
        return new JsonSchemaCompiler(b, schema, opt).schema(schema, "#");
    }

    /** Any JSON value, with the given whitespace policy. */
    public static Expr anyValue(Grammar.Builder b, Options opt) {
        return new JsonSchemaCompiler(b, Map.of(), opt).anyValue();
    }

    /** Any JSON object. */
    public static Expr anyObject(Grammar.Builder b, Options opt) {
        JsonSchemaCompiler c = new JsonSchemaCompiler(b, Map.of(), opt);
        c.anyValue();
        return Expr.ref(c.anyValueRule + ".object");
    }

    private ConstraintException unsupported(String path, String what) {
        return new ConstraintException("JSON schema at " + path + ": " + what);
    }

    private void lenientOrFail(String path, String what) {
        if (opt.strict()) throw unsupported(path, what + " is not supported in strict mode");
    }

    // ---------------------------------------------------------------- schema dispatch

    private int depth;

    private Expr schema(Object s, String path) {
        if (++depth > 200) throw unsupported(path, "schema nests too deeply (recursive $ref combined with other keywords?)");
        try {
            return schemaInner(s, path);
        } finally {
            depth--;
        }
    }

    @SuppressWarnings("unchecked")
    private Expr schemaInner(Object s, String path) {
        if (s instanceof Boolean b) return b ? anyValue() : Expr.NOTHING;
        if (!(s instanceof Map<?, ?>)) throw unsupported(path, "a schema must be an object or a boolean, found " + Json.write(s));
        Map<String, Object> m = (Map<String, Object>) s;
        if (m.containsKey("$ref")) {
            boolean onlyRef = true;
            for (String k : m.keySet()) if (!k.equals("$ref") && !ANNOTATIONS.contains(k)) onlyRef = false;
            if (onlyRef || draft7) return refRule((String) m.get("$ref"), path);
        }
        if (m.containsKey("allOf") || m.containsKey("$ref")) return compileMap(normalize(m, path, 0), path);
        return compileMap(m, path);
    }

    private Expr refRule(String ref, String path) {
        String name = refRules.get(ref);
        if (name == null) {
            Object target = resolve(ref, path);
            name = g.fresh("ref:" + ref);
            refRules.put(ref, name);
            g.put(name, Expr.EMPTY); // placeholder so that recursive references resolve
            g.put(name, schema(target, ref));
        }
        return Expr.ref(name);
    }

    @SuppressWarnings("unchecked")
    private Object resolve(String ref, String path) {
        if (!ref.startsWith("#")) throw unsupported(path, "$ref '" + ref + "': only references inside the document (#...) are supported");
        Object cur = root;
        String pointer = URLDecoder.decode(ref.substring(1), StandardCharsets.UTF_8);
        if (pointer.isEmpty()) return cur;
        if (!pointer.startsWith("/")) throw unsupported(path, "$ref '" + ref + "': anchors are not supported");
        for (String part : pointer.substring(1).split("/", -1)) {
            part = part.replace("~1", "/").replace("~0", "~");
            if (cur instanceof Map<?, ?> mm && mm.containsKey(part)) cur = ((Map<String, Object>) mm).get(part);
            else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) cur = l.get(Integer.parseInt(part));
            else throw unsupported(path, "$ref '" + ref + "' does not resolve (no '" + part + "')");
        }
        return cur;
    }

    // ---------------------------------------------------------------- allOf / $ref merging

    /** Inlines {@code $ref} and {@code allOf} into one schema map. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> normalize(Object s, String path, int depth) {
        if (depth > MAX_ALLOF_DEPTH) throw unsupported(path, "allOf/$ref nesting too deep to merge (recursive $ref under allOf)");
        if (s instanceof Boolean b) return b ? new LinkedHashMap<>() : new LinkedHashMap<>(Map.of("$false", true));
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) s);
        Map<String, Object> out = new LinkedHashMap<>();
        Object ref = m.remove("$ref");
        Object all = m.remove("allOf");
        out = merge(out, m, path);
        if (ref != null) out = merge(out, normalize(resolve((String) ref, path), (String) ref, depth + 1), path);
        if (all instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) out = merge(out, normalize(l.get(i), path + "/allOf/" + i, depth + 1), path);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b, String path) {
        if (a.containsKey("additionalProperties") || b.containsKey("additionalProperties")) {
            // a property that one side lists and the other does not must also satisfy the other's additionalProperties
            a = spreadAdditional(a, b);
            b = spreadAdditional(b, a);
        }
        if (a.containsKey("prefixItems") != b.containsKey("prefixItems") && (a.containsKey("items") || b.containsKey("items"))) {
            failMerge(path, "prefixItems");
        }
        Map<String, Object> r = new LinkedHashMap<>(a);
        for (var e : b.entrySet()) {
            String k = e.getKey();
            Object vb = e.getValue();
            if (!r.containsKey(k)) {
                r.put(k, vb);
                continue;
            }
            Object va = r.get(k);
            if (va.equals(vb) || ANNOTATIONS.contains(k)) continue;
            switch (k) {
                case "type" -> {
                    Set<String> ta = typeSet(va), tb = typeSet(vb), t = new LinkedHashSet<>();
                    for (String x : ta) {
                        if (tb.contains(x)) t.add(x);
                        else if (x.equals("number") && tb.contains("integer")) t.add("integer");
                        else if (x.equals("integer") && tb.contains("number")) t.add("integer");
                    }
                    r.put(k, new ArrayList<>(t));
                }
                case "properties" -> {
                    Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) va);
                    for (var pe : ((Map<String, Object>) vb).entrySet()) {
                        Object prev = p.get(pe.getKey());
                        p.put(pe.getKey(), prev == null ? pe.getValue() : new LinkedHashMap<>(Map.of("allOf", List.of(prev, pe.getValue()))));
                    }
                    r.put(k, p);
                }
                case "required" -> {
                    Set<Object> u = new LinkedHashSet<>((List<Object>) va);
                    u.addAll((List<Object>) vb);
                    r.put(k, new ArrayList<>(u));
                }
                case "minimum", "minLength", "minItems", "minProperties" -> r.put(k, maxNum(va, vb));
                case "maximum", "maxLength", "maxItems", "maxProperties" -> r.put(k, minNum(va, vb));
                case "exclusiveMinimum" -> r.put(k, va instanceof Boolean || vb instanceof Boolean ? failMerge(path, k) : maxNum(va, vb));
                case "exclusiveMaximum" -> r.put(k, va instanceof Boolean || vb instanceof Boolean ? failMerge(path, k) : minNum(va, vb));
                case "additionalProperties", "items", "additionalItems" -> {
                    if (va instanceof List<?> || vb instanceof List<?>) failMerge(path, k);
                    r.put(k, new LinkedHashMap<>(Map.of("allOf", List.of(va, vb))));
                }
                case "enum" -> {
                    List<Object> keep = new ArrayList<>();
                    for (Object x : (List<Object>) va) if (((List<Object>) vb).contains(x)) keep.add(x);
                    r.put(k, keep);
                }
                case "const" -> r.put("$false", true);
                case "anyOf", "oneOf" -> {
                    List<Object> la = (List<Object>) va, lb = (List<Object>) vb;
                    if (la.size() * lb.size() > 64) failMerge(path, k);
                    List<Object> cross = new ArrayList<>();
                    for (Object x : la) for (Object y : lb) cross.add(new LinkedHashMap<>(Map.of("allOf", List.of(x, y))));
                    r.put(k, cross);
                }
                default -> failMerge(path, k);
            }
        }
        return r;
    }

    /** Copies of {@code other}'s property names into {@code m}'s properties, with {@code m}'s additionalProperties schema. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> spreadAdditional(Map<String, Object> m, Map<String, Object> other) {
        if (!(other.get("properties") instanceof Map<?, ?> op)) return m;
        Object add = m.getOrDefault("additionalProperties", true);
        if (Boolean.TRUE.equals(add) && !m.containsKey("properties")) return m;
        Map<String, Object> props = new LinkedHashMap<>(m.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of());
        boolean changed = false;
        for (String k : ((Map<String, Object>) op).keySet()) {
            if (!props.containsKey(k)) {
                props.put(k, add);
                changed = true;
            }
        }
        if (!changed) return m;
        Map<String, Object> r = new LinkedHashMap<>(m);
        r.put("properties", props);
        return r;
    }

    private Object failMerge(String path, String k) {
        if (opt.strict()) throw unsupported(path, "allOf: cannot combine two different '" + k + "'");
        return null;
    }

    private static Object maxNum(Object a, Object b) {
        return ((Json.Num) a).value().compareTo(((Json.Num) b).value()) >= 0 ? a : b;
    }

    private static Object minNum(Object a, Object b) {
        return ((Json.Num) a).value().compareTo(((Json.Num) b).value()) <= 0 ? a : b;
    }

    private static Set<String> typeSet(Object t) {
        Set<String> s = new LinkedHashSet<>();
        if (t instanceof String x) s.add(x);
        else if (t instanceof List<?> l) for (Object x : l) s.add((String) x);
        return s;
    }

    // ---------------------------------------------------------------- one schema object

    private static final Set<String> KNOWN = Set.of("type", "properties", "required", "additionalProperties", "items",
            "prefixItems", "additionalItems", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "minLength", "maxLength",
            "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems",
            "minProperties", "maxProperties", "$false");

    /** Validation keywords of the specification that the grammar cannot enforce; other unknown keywords are annotations (ignored, as validators do). */
    private static final Set<String> UNSUPPORTED = Set.of("not", "if", "then", "else", "dependentRequired", "dependentSchemas",
            "dependencies", "patternProperties", "propertyNames", "contains", "minContains", "maxContains", "uniqueItems",
            "multipleOf", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
            "$recursiveAnchor");

    @SuppressWarnings("unchecked")
    private Expr compileMap(Map<String, Object> m, String path) {
        if (m.containsKey("$false")) return Expr.NOTHING;
        for (String k : m.keySet()) {
            if (!KNOWN.contains(k) && !ANNOTATIONS.contains(k) && UNSUPPORTED.contains(k)) {
                if (k.equals("uniqueItems") && Boolean.FALSE.equals(m.get(k))) continue;
                if (k.equals("multipleOf") && m.get(k) instanceof Json.Num n && n.value().compareTo(BigDecimal.ONE) == 0
                        && "integer".equals(m.get("type"))) continue;
                lenientOrFail(path, "keyword '" + k + "'");
            }
        }
        Object alts = m.containsKey("anyOf") ? m.get("anyOf") : m.get("oneOf");
        if (m.containsKey("anyOf") && m.containsKey("oneOf")) {
            Map<String, Object> rest = new LinkedHashMap<>(m);
            rest.remove("oneOf");
            rest.put("allOf", List.of(Map.of("oneOf", m.get("oneOf"))));
            return compileMap(normalize(rest, path, 0), path);
        }
        if (alts instanceof List<?> list) {
            String key = m.containsKey("anyOf") ? "anyOf" : "oneOf";
            if (key.equals("oneOf") && opt.strict() && !pairwiseDisjoint((List<Object>) list)) {
                throw unsupported(path, "oneOf whose alternatives may overlap (exclusivity cannot be enforced) is not supported in strict mode");
            }
            Map<String, Object> rest = new LinkedHashMap<>(m);
            rest.remove(key);
            boolean bare = true;
            for (String k : rest.keySet()) if (!ANNOTATIONS.contains(k)) bare = false;
            List<Expr> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object sub = list.get(i);
                String p = path + "/" + key + "/" + i;
                if (bare) out.add(schema(sub, p));
                else out.add(compileMap(normalize(Map.of("allOf", List.of(rest, sub)), p, 0), p));
            }
            return Expr.alt(out);
        }
        if (m.containsKey("const")) return literalAlts(List.of(m.get("const")), m);
        if (m.containsKey("enum")) return literalAlts((List<Object>) m.get("enum"), m);

        Set<String> types;
        if (m.containsKey("type")) {
            types = typeSet(m.get("type"));
            for (String t : types) if (!TYPES.contains(t)) throw unsupported(path, "unknown type '" + t + "'");
            if (types.contains("number")) types.remove("integer");
        } else {
            types = new LinkedHashSet<>(List.of("object", "array", "string", "number", "boolean", "null"));
        }
        List<Expr> out = new ArrayList<>();
        for (String t : types) {
            out.add(switch (t) {
                case "null" -> Expr.literal("null");
                case "boolean" -> Expr.alt(Expr.literal("true"), Expr.literal("false"));
                case "string" -> string(m, path);
                case "number" -> number(m, path, false);
                case "integer" -> number(m, path, true);
                case "object" -> object(m, path);
                case "array" -> array(m, path);
                default -> throw new IllegalStateException(t);
            });
        }
        return Expr.alt(out);
    }

    /**
     * oneOf = anyOf when no value can match two alternatives: checked by explicit disjoint types,
     * disjoint const/enum values, or a property whose const/enum values differ (a discriminator).
     */
    @SuppressWarnings("unchecked")
    private boolean pairwiseDisjoint(List<Object> alts) {
        List<Map<String, Object>> ms = new ArrayList<>();
        for (Object a : alts) {
            if (Boolean.FALSE.equals(a)) continue;
            if (!(a instanceof Map<?, ?>)) return false;
            Map<String, Object> m = (Map<String, Object>) a;
            if (m.containsKey("$ref") && m.get("$ref") instanceof String r && r.startsWith("#")) {
                Object t = resolve(r, "#");
                if (!(t instanceof Map<?, ?>)) return false;
                m = (Map<String, Object>) t;
            }
            ms.add(m);
        }
        for (int i = 0; i < ms.size(); i++) {
            for (int j = i + 1; j < ms.size(); j++) if (!disjoint(ms.get(i), ms.get(j))) return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean disjoint(Map<String, Object> a, Map<String, Object> b) {
        if (a.containsKey("type") && b.containsKey("type")) {
            Set<String> ta = typeSet(a.get("type")), tb = typeSet(b.get("type"));
            boolean overlap = false;
            for (String x : ta) {
                if (tb.contains(x) || (x.equals("integer") && tb.contains("number")) || (x.equals("number") && tb.contains("integer"))) overlap = true;
            }
            if (!overlap) return true;
        }
        List<Object> va = values(a), vb = values(b);
        if (va != null && vb != null) {
            for (Object x : va) if (vb.contains(x)) return false;
            return true;
        }
        if (a.get("properties") instanceof Map<?, ?> pa && b.get("properties") instanceof Map<?, ?> pb) {
            List<Object> ra = a.get("required") instanceof List<?> l ? (List<Object>) l : List.of();
            List<Object> rb = b.get("required") instanceof List<?> l ? (List<Object>) l : List.of();
            for (var e : ((Map<String, Object>) pa).entrySet()) {
                Object other = ((Map<String, Object>) pb).get(e.getKey());
                if (other instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> em && ra.contains(e.getKey()) && rb.contains(e.getKey())) {
                    List<Object> x = values((Map<String, Object>) em), y = values((Map<String, Object>) om);
                    if (x != null && y != null && x.stream().noneMatch(y::contains)) return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> values(Map<String, Object> m) {
        if (m.containsKey("const")) return List.of(m.get("const"));
        if (m.get("enum") instanceof List<?> l) return (List<Object>) l;
        return null;
    }

    /** Enum/const values, each written compactly; values of a type the schema excludes are dropped. */
    private Expr literalAlts(List<Object> values, Map<String, Object> m) {
        Set<String> types = m.containsKey("type") ? typeSet(m.get("type")) : null;
        List<Expr> out = new ArrayList<>();
        for (Object v : values) {
            if (types != null && !types.contains(typeOf(v)) && !(typeOf(v).equals("integer") && types.contains("number"))) continue;
            out.add(valueLiteral(v));
        }
        return Expr.alt(out);
    }

    /** {@code v} written compactly: numbers in their shortest plain spelling, object members in the order given. */
    @SuppressWarnings("unchecked")
    private static Expr valueLiteral(Object v) {
        if (v instanceof Json.Num n) {
            BigDecimal x = n.value();
            if (x.signum() == 0) return Expr.literal("0");
            return Expr.literal(x.stripTrailingZeros().toPlainString());
        }
        if (v instanceof List<?> l) {
            List<Expr> items = new ArrayList<>();
            items.add(Expr.literal("["));
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) items.add(Expr.literal(","));
                items.add(valueLiteral(l.get(i)));
            }
            items.add(Expr.literal("]"));
            return Expr.seq(items);
        }
        if (v instanceof Map<?, ?> m) {
            List<Expr> items = new ArrayList<>();
            items.add(Expr.literal("{"));
            boolean first = true;
            for (var e : ((Map<String, Object>) m).entrySet()) {
                if (!first) items.add(Expr.literal(","));
                first = false;
                items.add(Expr.literal(Json.quote(e.getKey()) + ":"));
                items.add(valueLiteral(e.getValue()));
            }
            items.add(Expr.literal("}"));
            return Expr.seq(items);
        }
        return Expr.literal(Json.write(v));
    }

    private static String typeOf(Object v) {
        if (v == Json.NULL) return "null";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof String) return "string";
        if (v instanceof Json.Num n) return n.isInteger() ? "integer" : "number";
        if (v instanceof List<?>) return "array";
        return "object";
    }

    // ---------------------------------------------------------------- strings

    private static final CharSet HEX = new CharSet.Builder().add('0', '9').add('a', 'f').add('A', 'F').build();
    /** One JSON escape sequence. */
    private static final Expr ESCAPE = Expr.seq(Expr.literal("\\"), Expr.alt(Expr.chars(CharSet.ofChars("\"\\/bfnrt")),
            Expr.seq(Expr.literal("u"), new Expr.Repeat(Expr.chars(HEX), 4, 4))));

    /** One character of a JSON string's content: a raw character or an escape. */
    private static Expr jsonChar() {
        return Expr.alt(Expr.chars(JSON_RAW), Expr.seq(Expr.literal("\\"), Expr.alt(Expr.chars(CharSet.ofChars("\"\\/bfnrt")),
                Expr.seq(Expr.literal("u"), new Expr.Repeat(Expr.chars(new CharSet.Builder().add('0', '9').add('a', 'f').add('A', 'F').build()), 4, 4)))));
    }

    /** The characters of {@code set} as they appear inside a JSON string (escaping where JSON requires). */
    static Expr jsonChars(CharSet set) {
        List<Expr> out = new ArrayList<>();
        CharSet raw = set.intersect(JSON_RAW);
        if (!raw.isEmpty()) out.add(Expr.chars(raw));
        CharSet esc = set.minus(JSON_RAW);
        int[] r = esc.ranges();
        for (int i = 0; i < r.length; i += 2) {
            for (int c = r[i]; c <= r[i + 1]; c++) {
                String e = Json.quote(String.valueOf((char) c));
                out.add(Expr.literal(e.substring(1, e.length() - 1)));
            }
        }
        return Expr.alt(out);
    }

    private Expr string(Map<String, Object> m, String path) {
        int min = m.get("minLength") instanceof Json.Num n ? n.value().intValueExact() : 0;
        int max = m.get("maxLength") instanceof Json.Num n ? n.value().intValueExact() : -1;
        Expr content;
        String pattern = (String) m.get("pattern");
        String format = (String) m.get("format");
        if (pattern != null) {
            if (min > 0 || max >= 0) lenientOrFail(path, "pattern together with minLength/maxLength");
            if (format != null) lenientOrFail(path, "pattern together with format");
            content = Regex.compile(pattern, Regex.Mode.SEARCH, JsonSchemaCompiler::jsonChars, false);
        } else if (format != null && formatRegex(format) != null) {
            if (min > 0 || max >= 0) lenientOrFail(path, "format together with minLength/maxLength");
            content = Regex.compile(formatRegex(format), Regex.Mode.FULL, JsonSchemaCompiler::jsonChars, false);
        } else {
            if (format != null) lenientOrFail(path, "format '" + format + "'");
            if (max >= 0 && max < min) return Expr.NOTHING;
            if (min == 0 && max < 0) {
                // one shared rule for every plain string: its masks are computed once per schema (see GrammarConstraint)
                if (plainStringRule == null) {
                    plainStringRule = g.fresh("string");
                    g.put(plainStringRule, Expr.seq(Expr.literal("\""), Expr.star(jsonChar()), Expr.literal("\"")));
                }
                return Expr.ref(plainStringRule);
            }
            content = new Expr.Repeat(jsonChar(), min, max);
        }
        return Expr.seq(Expr.literal("\""), content, Expr.literal("\""));
    }

    private static final String YEAR = "\\d{4}";
    private static final String DATE = "(?:" + YEAR + "-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)"
            + "|02-(?:0[1-9]|1\\d|2[0-8]))|(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)";
    private static final String TIME = "(?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d+)?(?:[Zz]|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)";

    /** Regular expressions for the formats JSON Schema defines (RFC 3339 dates and times checked per month, leap years included). */
    static String formatRegex(String format) {
        return switch (format) {
            case "date" -> DATE;
            case "time" -> TIME;
            case "date-time" -> DATE + "[Tt]" + TIME;
            case "uuid" -> "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
            case "email" -> "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*";
            case "uri" -> "[A-Za-z][A-Za-z0-9+.-]*:[^\\s\"<>\\\\^`{|}]*";
            case "ipv4" -> "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
            default -> null;
        };
    }

    // ---------------------------------------------------------------- numbers

    private static final Expr DIGIT = Expr.chars(CharSet.of('0', '9'));
    private static final Expr DIGIT19 = Expr.chars(CharSet.of('1', '9'));

    private Expr number(Map<String, Object> m, String path, boolean integer) {
        BigDecimal lo = null, hi = null;
        boolean loEx = false, hiEx = false;
        if (m.get("minimum") instanceof Json.Num n) lo = n.value();
        if (m.get("maximum") instanceof Json.Num n) hi = n.value();
        Object exMin = m.get("exclusiveMinimum"), exMax = m.get("exclusiveMaximum");
        if (Boolean.TRUE.equals(exMin)) loEx = true;
        if (Boolean.TRUE.equals(exMax)) hiEx = true;
        if (exMin instanceof Json.Num n && (lo == null || n.value().compareTo(lo) >= 0)) { lo = n.value(); loEx = true; }
        if (exMax instanceof Json.Num n && (hi == null || n.value().compareTo(hi) <= 0)) { hi = n.value(); hiEx = true; }
        if (lo == null && hi == null) return integer ? intRange(null, null) : anyNumber();
        if (integer) {
            BigInteger l = lo == null ? null : loEx ? lo.setScale(0, RoundingMode.FLOOR).toBigInteger().add(BigInteger.ONE) : lo.setScale(0, RoundingMode.CEILING).toBigInteger();
            BigInteger h = hi == null ? null : hiEx ? hi.setScale(0, RoundingMode.CEILING).toBigInteger().subtract(BigInteger.ONE) : hi.setScale(0, RoundingMode.FLOOR).toBigInteger();
            return intRange(l, h);
        }
        if ((lo != null && lo.stripTrailingZeros().scale() > 0) || (hi != null && hi.stripTrailingZeros().scale() > 0)) {
            lenientOrFail(path, "a non-integer bound on a number");
            if (lo != null) { lo = lo.setScale(0, RoundingMode.FLOOR); loEx = false; }
            if (hi != null) { hi = hi.setScale(0, RoundingMode.CEILING); hiEx = false; }
        }
        return boundedNumber(lo == null ? null : lo.toBigIntegerExact(), loEx, hi == null ? null : hi.toBigIntegerExact(), hiEx);
    }

    private static Expr anyNumber() {
        Expr frac = Expr.opt(Expr.seq(Expr.literal("."), Expr.plus(DIGIT)));
        Expr exp = Expr.opt(Expr.seq(Expr.chars(CharSet.ofChars("eE")), Expr.opt(Expr.chars(CharSet.ofChars("+-"))), Expr.plus(DIGIT)));
        return Expr.seq(intRange(null, null), frac, exp);
    }

    /**
     * Numbers x with integer bounds, written without exponent (the grammar then never admits a number out
     * of range; numbers in exponent form are not produced). A magnitude with integer part i and a zero
     * fraction equals i; with a non-zero fraction it lies strictly between i and i + 1.
     */
    private static Expr boundedNumber(BigInteger lo, boolean loEx, BigInteger hi, boolean hiEx) {
        Expr zeroFrac = Expr.opt(Expr.seq(Expr.literal("."), Expr.plus(Expr.literal("0"))));
        Expr nonZeroFrac = Expr.seq(Expr.literal("."), Expr.star(DIGIT), DIGIT19, Expr.star(DIGIT));
        // x == i (zero fraction): i in [zlo, zhi]; i < x < i+1: i in [lo, hi-1]
        BigInteger zlo = lo == null ? null : loEx ? lo.add(BigInteger.ONE) : lo;
        BigInteger zhi = hi == null ? null : hiEx ? hi.subtract(BigInteger.ONE) : hi;
        BigInteger nhi = hi == null ? null : hi.subtract(BigInteger.ONE);
        List<Expr> out = new ArrayList<>();
        // non-negative side: x = +m
        out.add(Expr.seq(magnitudes(max0(zlo), zhi), zeroFrac));
        out.add(Expr.seq(magnitudes(max0(lo), nhi), nonZeroFrac));
        // negative side: x = -m, m > 0; x == -i: -i in [zlo, zhi] -> i in [-zhi, -zlo]; -i-1 < x < -i: need -i-1 >= lo, -i <= hi
        BigInteger nzlo = zhi == null ? BigInteger.ONE : zhi.negate().max(BigInteger.ONE);
        BigInteger nzhi = zlo == null ? null : zlo.negate();
        out.add(Expr.seq(Expr.literal("-"), magnitudes(nzlo, nzhi), zeroFrac));
        BigInteger nnlo = hi == null ? BigInteger.ZERO : hi.negate().max(BigInteger.ZERO);
        BigInteger nnhi = lo == null ? null : lo.negate().subtract(BigInteger.ONE);
        out.add(Expr.seq(Expr.literal("-"), magnitudes(nnlo, nnhi), nonZeroFrac));
        return Expr.alt(out);
    }

    private static BigInteger max0(BigInteger x) {
        return x == null ? BigInteger.ZERO : x.max(BigInteger.ZERO);
    }

    /** Integers in [lo, hi] (null = unbounded), in JSON's syntax. */
    static Expr intRange(BigInteger lo, BigInteger hi) {
        List<Expr> out = new ArrayList<>();
        if (hi == null || hi.signum() >= 0) out.add(magnitudes(max0(lo), hi));
        if (lo == null || lo.signum() < 0) {
            BigInteger mlo = hi == null || hi.signum() >= 0 ? BigInteger.ONE : hi.negate();
            out.add(Expr.seq(Expr.literal("-"), magnitudes(mlo, lo == null ? null : lo.negate())));
        }
        return Expr.alt(out);
    }

    /** Decimal digit strings without leading zeros of the integers in [lo, hi] (lo >= 0; hi null = unbounded). */
    static Expr magnitudes(BigInteger lo, BigInteger hi) {
        if (hi != null && hi.compareTo(lo) < 0) return Expr.NOTHING;
        String l = lo.toString();
        List<Expr> out = new ArrayList<>();
        int maxLen = hi == null ? l.length() : hi.toString().length();
        for (int len = l.length(); len <= maxLen; len++) {
            BigInteger start = len == l.length() ? lo : BigInteger.TEN.pow(len - 1);
            BigInteger end = BigInteger.TEN.pow(len).subtract(BigInteger.ONE);
            if (hi != null && hi.compareTo(end) < 0) end = hi;
            if (start.compareTo(end) > 0) continue;
            out.add(sameLength(pad(start, len), pad(end, len)));
        }
        if (hi == null) out.add(Expr.seq(DIGIT19, new Expr.Repeat(DIGIT, l.length(), -1)));
        return Expr.alt(out);
    }

    private static String pad(BigInteger v, int len) {
        String s = v.toString();
        return "0".repeat(len - s.length()) + s;
    }

    private static Expr sameLength(String lo, String hi) {
        if (lo.isEmpty()) return Expr.EMPTY;
        if (lo.equals(hi)) return Expr.literal(lo);
        char a = lo.charAt(0), b = hi.charAt(0);
        String lr = lo.substring(1), hr = hi.substring(1);
        if (a == b) return Expr.seq(Expr.literal(String.valueOf(a)), sameLength(lr, hr));
        String nines = "9".repeat(lr.length()), zeros = "0".repeat(lr.length());
        List<Expr> out = new ArrayList<>();
        if (lr.equals(zeros)) {
            a--; // the whole block of a fits in the middle range
        } else {
            out.add(Expr.seq(Expr.literal(String.valueOf(a)), sameLength(lr, nines)));
        }
        boolean hiFull = hr.equals(nines);
        char midHi = hiFull ? b : (char) (b - 1);
        if (a + 1 <= midHi) out.add(Expr.seq(Expr.chars(CharSet.of(a + 1, midHi)), new Expr.Repeat(DIGIT, lr.length(), lr.length())));
        if (!hiFull) out.add(Expr.seq(Expr.literal(String.valueOf(b)), sameLength(zeros, hr)));
        return Expr.alt(out);
    }

    // ---------------------------------------------------------------- arrays

    @SuppressWarnings("unchecked")
    private Expr array(Map<String, Object> m, String path) {
        int min = m.get("minItems") instanceof Json.Num n ? n.value().intValueExact() : 0;
        int max = m.get("maxItems") instanceof Json.Num n ? n.value().intValueExact() : -1;
        List<Object> prefix = List.of();
        Object rest;
        if (m.get("items") instanceof List<?> l) { // draft 7 tuple form
            prefix = (List<Object>) l;
            rest = m.getOrDefault("additionalItems", true);
        } else {
            if (m.get("prefixItems") instanceof List<?> l) prefix = (List<Object>) l;
            rest = m.getOrDefault("items", true);
        }
        if (max >= 0 && max < min) return Expr.NOTHING;
        Expr comma = Expr.seq(ws, Expr.literal(","), ws);
        List<Expr> itemExprs = new ArrayList<>();
        for (int i = 0; i < prefix.size(); i++) itemExprs.add(valueRule(prefix.get(i), path + "/prefixItems/" + i));
        Expr restExpr = Boolean.FALSE.equals(rest) ? null : valueRule(rest, path + "/items");
        // element k (0-based) is prefix[k] or rest; build from the end: tail(k) = what may follow k elements
        int fixedTop = Math.max(prefix.size(), min);
        // body(k): elements k.. given k already written (k >= 1 means a comma precedes)
        Expr tail;
        {
            // beyond fixedTop: only rest items, count limited by max
            if (restExpr == null) tail = Expr.EMPTY;
            else {
                int extraMax = max < 0 ? -1 : max - fixedTop;
                tail = max >= 0 && extraMax <= 0 ? Expr.EMPTY : new Expr.Repeat(Expr.seq(comma, restExpr), 0, extraMax);
            }
        }
        if (restExpr == null && min > prefix.size()) return Expr.NOTHING;
        for (int k = fixedTop - 1; k >= 1; k--) {
            Expr item = k < prefix.size() ? itemExprs.get(k) : restExpr;
            if (max >= 0 && k >= max) { tail = Expr.EMPTY; continue; }
            Expr step = Expr.seq(comma, item, tail);
            tail = k < min ? step : Expr.opt(step);
        }
        Expr body;
        if (fixedTop == 0) {
            body = restExpr == null || max == 0 ? Expr.EMPTY : Expr.opt(Expr.seq(restExpr, new Expr.Repeat(Expr.seq(comma, restExpr), 0, max < 0 ? -1 : max - 1)));
        } else {
            Expr first = prefix.isEmpty() ? restExpr : itemExprs.getFirst();
            if (max == 0) body = Expr.EMPTY;
            else {
                Expr ne = Expr.seq(first, tail);
                body = min >= 1 ? ne : Expr.opt(ne);
            }
        }
        return Expr.seq(Expr.literal("["), ws, body, ws, Expr.literal("]"));
    }

    /** A subschema's value, as a rule of its own when it is large (keeps the grammar linear in the schema). */
    private Expr valueRule(Object s, String path) {
        Expr e = schema(s, path);
        if (e instanceof Expr.Ref || size(e, 0) < 40) return e;
        return g.rule("value@" + path, e);
    }

    private static int size(Expr e, int acc) {
        if (acc > 1000) return acc;
        return switch (e) {
            case Expr.Seq s -> { int n = acc + 1; for (Expr x : s.items()) n = size(x, n); yield n; }
            case Expr.Alt a -> { int n = acc + 1; for (Expr x : a.items()) n = size(x, n); yield n; }
            case Expr.Repeat r -> size(r.body(), acc + 1) + (r.min() > 4 || r.max() > 4 ? 50 : 0);
            default -> acc + 1;
        };
    }

    // ---------------------------------------------------------------- objects

    @SuppressWarnings("unchecked")
    private Expr object(Map<String, Object> m, String path) {
        Map<String, Object> props = m.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        List<String> required = new ArrayList<>();
        if (m.get("required") instanceof List<?> l) for (Object x : l) required.add((String) x);
        Object additional = m.getOrDefault("additionalProperties", true);
        List<String> names = new ArrayList<>(props.keySet());
        // required keys without a property schema: they take the additionalProperties schema
        for (String r : required) {
            if (!props.containsKey(r)) {
                if (Boolean.FALSE.equals(additional)) return Expr.NOTHING;
                names.add(r);
            }
        }
        int n = names.size();
        int minP = m.get("minProperties") instanceof Json.Num x ? x.value().intValueExact() : 0;
        int maxP = m.get("maxProperties") instanceof Json.Num x ? x.value().intValueExact() : -1;
        boolean closed = Boolean.FALSE.equals(additional);
        int reqCount = (int) names.stream().filter(required::contains).count();
        if (maxP >= 0 && maxP < reqCount) return Expr.NOTHING;
        boolean minOk = minP <= reqCount;
        boolean maxOk = maxP < 0 || (closed && maxP >= n);
        if (!minOk || !maxOk) lenientOrFail(path, "minProperties/maxProperties beyond what required/additionalProperties decide");

        Expr comma = Expr.seq(ws, Expr.literal(","), ws);
        Expr colon = Expr.seq(ws, Expr.literal(":"), ws);
        List<Expr> kv = new ArrayList<>();
        for (String name : names) {
            Object sub = props.containsKey(name) ? props.get(name) : additional;
            Expr v = valueRule(sub, path + "/properties/" + name);
            kv.add(Expr.seq(Expr.literal(Json.quote(name)), colon, v));
        }
        Expr addTail = Expr.EMPTY, addKv = null;
        if (!closed) {
            Expr key = g.rule("key@" + path, keyNotIn(names));
            Expr v = valueRule(additional, path + "/additionalProperties");
            addKv = Expr.seq(key, colon, v);
            addTail = g.rule("addprops@" + path, Expr.star(Expr.seq(comma, addKv)));
        }
        // rest[k]: properties k.. after at least one was written
        Expr next = addTail;
        Expr[] rest = new Expr[n + 1];
        rest[n] = addTail;
        for (int k = n - 1; k >= 0; k--) {
            Expr item = Expr.seq(comma, kv.get(k));
            Expr body = required.contains(names.get(k)) ? Expr.seq(item, next) : Expr.seq(Expr.opt(item), next);
            next = g.rule("props@" + path, body);
            rest[k] = next;
        }
        List<Expr> firsts = new ArrayList<>();
        boolean anyRequired = false;
        for (int j = 0; j < n && !anyRequired; j++) {
            firsts.add(Expr.seq(kv.get(j), rest[j + 1]));
            anyRequired = required.contains(names.get(j));
        }
        if (!anyRequired) {
            if (addKv != null) firsts.add(Expr.seq(addKv, addTail));
            firsts.add(Expr.EMPTY);
        }
        return Expr.seq(Expr.literal("{"), ws, Expr.alt(firsts), ws, Expr.literal("}"));
    }

    /** A JSON string (with quotes) that is none of {@code names}. Keys needing escapes are compared by their escaped form. */
    private Expr keyNotIn(List<String> names) {
        // the closing quote sits inside each branch, so a rule only returns after the whole key
        Expr ch = Expr.seq(Expr.star(jsonChar()), Expr.literal("\""));
        if (names.isEmpty()) return Expr.seq(Expr.literal("\""), ch);
        // a trie over the keys' characters; the excluded characters at a node are plain (no escape) so the
        // "other" branch is exact for keys made of characters that need no escaping
        Node trie = new Node();
        for (String k : names) {
            Node cur = trie;
            for (int c : k.codePoints().toArray()) cur = cur.kids.computeIfAbsent(c, x -> new Node());
            cur.terminal = true;
        }
        return Expr.seq(Expr.literal("\""), notIn(trie, ch));
    }

    private static final class Node {
        final Map<Integer, Node> kids = new LinkedHashMap<>();
        boolean terminal;
    }

    /** String contents and closing quote that are not in the trie below {@code node}; {@code tail} is any content then the quote. */
    private Expr notIn(Node node, Expr tail) {
        Expr ch = tail;
        List<Expr> out = new ArrayList<>();
        if (!node.terminal) out.add(Expr.literal("\""));
        CharSet.Builder used = new CharSet.Builder();
        for (var e : node.kids.entrySet()) {
            used.add(e.getKey(), e.getKey());
            out.add(Expr.seq(jsonChars(CharSet.of(e.getKey())), notIn(e.getValue(), ch)));
        }
        CharSet other = JSON_RAW.minus(used.build());
        // a different next character, then anything (a \\uXXXX escape always counts as different:
        // an over-approximation for keys spelled with \\u escapes)
        // one rule per distinct set, shared by the trie nodes (keeps the key automaton as small as the trie)
        CharSet usedKey = used.build();
        String dev = deviationRules.get(usedKey);
        if (dev == null) {
            dev = g.fresh("key-other");
            // escapes other than the short escape spelling of a character the trie continues with
            StringBuilder letters = new StringBuilder();
            String plain = "\"\\/\b\f\n\r\t", esc = "\"\\/bfnrt";
            CharSet usedSet = used.build();
            for (int i = 0; i < plain.length(); i++) if (!usedSet.contains(plain.charAt(i))) letters.append(esc.charAt(i));
            Expr escape = Expr.seq(Expr.literal("\\"), Expr.alt(Expr.chars(CharSet.ofChars(letters.toString())),
                    Expr.seq(Expr.literal("u"), new Expr.Repeat(Expr.chars(HEX), 4, 4))));
            g.put(dev, Expr.seq(Expr.alt(Expr.chars(other), escape), ch));
            deviationRules.put(usedKey, dev);
        }
        out.add(Expr.ref(dev));
        return Expr.alt(out);
    }


    // ---------------------------------------------------------------- any value

    private Expr anyValue() {
        if (anyValueRule == null) {
            anyValueRule = g.fresh("json");
            Expr comma = Expr.seq(ws, Expr.literal(","), ws);
            Expr str = Expr.seq(Expr.literal("\""), Expr.star(jsonChar()), Expr.literal("\""));
            Expr val = Expr.ref(anyValueRule);
            Expr member = Expr.seq(str, ws, Expr.literal(":"), ws, val);
            g.put(anyValueRule + ".object", Expr.seq(Expr.literal("{"), ws, Expr.opt(Expr.seq(member, Expr.star(Expr.seq(comma, member)))), ws, Expr.literal("}")));
            g.put(anyValueRule + ".array", Expr.seq(Expr.literal("["), ws, Expr.opt(Expr.seq(val, Expr.star(Expr.seq(comma, val)))), ws, Expr.literal("]")));
            g.put(anyValueRule, Expr.alt(Expr.ref(anyValueRule + ".object"), Expr.ref(anyValueRule + ".array"), str, anyNumber(),
                    Expr.literal("true"), Expr.literal("false"), Expr.literal("null")));
        }
        return Expr.ref(anyValueRule);
    }
}
