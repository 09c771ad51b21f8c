package lumen.sampler.constraint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.json.Json;
import lumen.sampler.constraint.json.JsonSchemaCompiler;

/**
 * Constraint for {@code tool_choice: required} or a named function: the output is one or more tool
 * calls in the model family's syntax, each with arguments matching the tool's parameter schema.
 *
 * <p>The syntax is a template with the placeholders {@code {name}} and {@code {arguments}} (and
 * optionally {@code {index}}, a decimal call number), e.g. Hermes / Qwen:
 * {@code "<tool_call>\n{\"name\": \"{name}\", \"arguments\": {arguments}}\n</tool_call>"}, Llama 3:
 * {@code "{\"name\": \"{name}\", \"parameters\": {arguments}}"}. The name is written as JSON string
 * content. Calls are joined by a separator and may be wrapped in a section ({@link Builder#section}).
 *
 * <p>Markers that the vocabulary holds as special tokens (Kimi K2's {@code <|tool_call_begin|>}, GLM's
 * {@code <tool_call>}, ...) become those special tokens, allowed exactly there: {@link Builder#build}
 * looks every special token's text up in the template, section and separator; {@link Builder#grammar}
 * uses the ones given to {@link Builder#specialTokens}. Presets: {@link #kimiK2()}, {@link #glm()}.
 *
 * <pre>{@code
 * Constraint c = ToolCalls.builder(HERMES).tool("get_weather", schemaJson).calls(1, 1).build(vocab);
 * Constraint k = ToolCalls.kimiK2().tool("get_weather", schemaJson).calls(1, 4).build(vocab);
 * }</pre>
 */
public final class ToolCalls {
    /** Qwen 2.5/3 and Hermes 2 Pro: one call per {@code <tool_call>} block. */
    public static final String HERMES = "<tool_call>\n{\"name\": \"{name}\", \"arguments\": {arguments}}\n</tool_call>";
    /** Llama 3.1/3.2 JSON tool calls. */
    public static final String LLAMA3_JSON = "{\"name\": \"{name}\", \"parameters\": {arguments}}";
    /**
     * Kimi K2 / K2.5 (its chat template): one call; the calls sit in a {@code <|tool_calls_section_begin|>}
     * section, see {@link #kimiK2()}. The index is the conversation's call counter, any number here.
     */
    public static final String KIMI_K2 = "<|tool_call_begin|>functions.{name}:{index}<|tool_call_argument_begin|>{arguments}<|tool_call_end|>";
    /** GLM-4.5/4.6/4.7: {@code <tool_call>NAME<arg_key>k</arg_key><arg_value>v</arg_value>...</tool_call>}, see {@link #glm()}. */
    public static final String GLM = "<tool_call>{name}{arguments}</tool_call>";

    /** How {@code {arguments}} is written. */
    public enum Arguments {
        /** One JSON object (the schema's grammar). */
        JSON,
        /**
         * GLM's pairs {@code <arg_key>k</arg_key><arg_value>v</arg_value>} in the schema's property order
         * (required ones present, optional ones may be left out): a string property's value is its raw
         * text (an enum's strings, else any characters but {@code <}; other string keywords are not
         * enforced), other values are JSON matching the property's schema.
         */
        GLM_PAIRS
    }

    private ToolCalls() {}

    public static Builder builder(String template) {
        return new Builder(template);
    }

    /** Kimi K2's syntax: calls back to back inside {@code <|tool_calls_section_begin|>...<|tool_calls_section_end|>}. */
    public static Builder kimiK2() {
        return new Builder(KIMI_K2).section("<|tool_calls_section_begin|>", "<|tool_calls_section_end|>").separator("");
    }

    /** GLM-4.5/4.6/4.7's syntax: calls back to back, arguments as key/value pairs. */
    public static Builder glm() {
        return new Builder(GLM).separator("").arguments(Arguments.GLM_PAIRS);
    }

    /** Collects the tools and options; {@link #grammar()} or {@link #build(TokenVocabulary)} at the end. */
    public static final class Builder {
        private final String template;
        private final Map<String, String> tools = new LinkedHashMap<>();
        private String separator = "\n";
        private String sectionOpen = "", sectionClose = "";
        private Arguments arguments = Arguments.JSON;
        private final java.util.Set<String> specials = new java.util.LinkedHashSet<>();
        private int minCalls = 1, maxCalls = 1;
        private JsonSchemaCompiler.Options options = new JsonSchemaCompiler.Options(false, JsonSchemaCompiler.Whitespace.COMPACT, false);

        private Builder(String template) {
            int n = template.indexOf("{name}"), a = template.indexOf("{arguments}");
            if (n < 0 || a < 0 || a < n) {
                throw new ConstraintException("tool call template must contain {name} and then {arguments}: " + template);
            }
            this.template = template;
        }

        /** Adds a tool with its parameters' JSON schema ({@code null} or "" for any JSON object). */
        public Builder tool(String name, String parametersSchema) {
            if (tools.containsKey(name)) throw new ConstraintException("tool '" + name + "' is given twice");
            tools.put(name, parametersSchema == null || parametersSchema.isBlank() ? "{\"type\":\"object\"}" : parametersSchema);
            return this;
        }

        /** Between {@code min} and {@code max} calls (parallel tool calls), joined by {@link #separator}. Default 1..1. */
        public Builder calls(int min, int max) {
            if (min < 1 || max < min) throw new ConstraintException("tool calls: need 1 <= min <= max, found " + min + ".." + max);
            minCalls = min;
            maxCalls = max;
            return this;
        }

        /** Text between two calls (default a newline). */
        public Builder separator(String s) {
            separator = s;
            return this;
        }

        /** Text before the first call and after the last one (default none). */
        public Builder section(String open, String close) {
            sectionOpen = open;
            sectionClose = close;
            return this;
        }

        /** How the arguments are written (default one JSON object). */
        public Builder arguments(Arguments a) {
            arguments = a;
            return this;
        }

        /** Texts in the template, section or separator that stand for special tokens (for {@link #grammar()}). */
        public Builder specialTokens(java.util.Collection<String> texts) {
            specials.addAll(texts);
            return this;
        }

        /** Schema options for the arguments (strict mode, whitespace). */
        public Builder options(JsonSchemaCompiler.Options o) {
            options = o;
            return this;
        }

        public Grammar grammar() {
            if (tools.isEmpty()) throw new ConstraintException("tool calls: no tools given");
            Grammar.Builder b = new Grammar.Builder();
            List<Expr> calls = new ArrayList<>();
            for (var t : tools.entrySet()) {
                Object schema = Json.parse(t.getValue(), "parameters of tool '" + t.getKey() + "'");
                Expr args;
                try {
                    args = arguments == Arguments.JSON ? JsonSchemaCompiler.into(b, schema, options) : glmPairs(b, schema);
                } catch (ConstraintException e) {
                    throw new ConstraintException("tool '" + t.getKey() + "': " + e.getMessage());
                }
                String quoted = Json.quote(t.getKey());
                String name = arguments == Arguments.JSON ? quoted.substring(1, quoted.length() - 1) : t.getKey();
                Expr argsRule = b.rule("args:" + t.getKey(), args);
                List<Expr> parts = new ArrayList<>();
                int i = 0;
                while (true) {
                    // the next placeholder; the text before it may hold special tokens
                    int at = template.length();
                    String ph = null;
                    for (String p : List.of("{name}", "{arguments}", "{index}")) {
                        int k = template.indexOf(p, i);
                        if (k >= 0 && k < at) {
                            at = k;
                            ph = p;
                        }
                    }
                    parts.add(text(b, template.substring(i, at)));
                    if (ph == null) break;
                    parts.add(switch (ph) {
                        case "{name}" -> Expr.literal(name);
                        case "{arguments}" -> argsRule;
                        default -> Expr.plus(Expr.byteRange('0', '9'));
                    });
                    i = at + ph.length();
                }
                calls.add(Expr.seq(parts));
            }
            Expr call = b.rule("call", Expr.alt(calls));
            b.put("start", Expr.seq(text(b, sectionOpen), call,
                    new Expr.Repeat(Expr.seq(text(b, separator), call), minCalls - 1, maxCalls - 1), text(b, sectionClose)));
            return b.build("start");
        }

        /** {@code s} as bytes, with the special tokens' texts in it as those special tokens (longest first where two start together). */
        private Expr text(Grammar.Builder b, String s) {
            List<Expr> out = new ArrayList<>();
            int i = 0, lit = 0;
            while (i < s.length()) {
                String hit = null;
                for (String sp : specials) if (s.startsWith(sp, i) && (hit == null || sp.length() > hit.length())) hit = sp;
                if (hit == null) {
                    i++;
                    continue;
                }
                out.add(Expr.literal(s.substring(lit, i)));
                out.add(b.special(hit));
                i += hit.length();
                lit = i;
            }
            out.add(Expr.literal(s.substring(lit)));
            return Expr.seq(out);
        }

        /** GLM's key/value pairs for an object schema's properties, in order. */
        @SuppressWarnings("unchecked")
        private Expr glmPairs(Grammar.Builder b, Object schema) {
            if (!(schema instanceof Map<?, ?> m) || !"object".equals(m.get("type")) && m.get("type") != null) {
                throw new ConstraintException("GLM tool arguments need an object schema with properties, found " + Json.write(schema));
            }
            Map<String, Object> props = m.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            List<Object> required = m.get("required") instanceof List<?> r ? (List<Object>) r : List.of();
            List<Expr> items = new ArrayList<>();
            for (var e : props.entrySet()) {
                Object ps = e.getValue();
                // GLM's template writes strings raw and everything else as JSON (tojson)
                boolean string = ps instanceof Map<?, ?> pm && ("string".equals(pm.get("type"))
                        || pm.get("enum") instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(o -> o instanceof String));
                Expr value;
                if (string && ((Map<?, ?>) ps).get("enum") instanceof List<?> en) {
                    List<Expr> alts = new ArrayList<>();
                    for (Object o : en) if (o instanceof String str) alts.add(Expr.literal(str));
                    value = Expr.alt(alts);
                } else if (string) {
                    value = Expr.star(Expr.chars(lumen.sampler.constraint.grammar.CharSet.ANY.minus(lumen.sampler.constraint.grammar.CharSet.of('<'))));
                } else {
                    value = JsonSchemaCompiler.into(b, ps, options);
                }
                Expr pair = Expr.seq(text(b, "<arg_key>"), Expr.literal(e.getKey()), text(b, "</arg_key><arg_value>"), value, text(b, "</arg_value>"));
                items.add(required.contains(e.getKey()) ? pair : Expr.opt(pair));
            }
            return Expr.seq(items);
        }

        /** The grammar with every special token of {@code vocab} whose text occurs in the syntax as that token. */
        public Constraint build(TokenVocabulary vocab) {
            String syntax = template + "\u0000" + separator + "\u0000" + sectionOpen + "\u0000" + sectionClose
                    + (arguments == Arguments.GLM_PAIRS ? "\u0000<arg_key></arg_key><arg_value></arg_value>" : "");
            for (int id = vocab.special().nextSetBit(0); id >= 0 && id < vocab.size(); id = vocab.special().nextSetBit(id + 1)) {
                byte[] bytes = vocab.tokenBytes()[id];
                if (bytes == null || bytes.length == 0 || vocab.endOfGeneration().get(id)) continue;
                String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                if (syntax.contains(text)) specials.add(text);
            }
            return Constraints.grammar(grammar(), vocab);
        }
    }
}
