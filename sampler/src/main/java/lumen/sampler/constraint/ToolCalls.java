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
 * <p>The syntax is a template with the placeholders {@code {name}} and {@code {arguments}}, e.g. Hermes
 * / Qwen: {@code "<tool_call>\n{\"name\": \"{name}\", \"arguments\": {arguments}}\n</tool_call>"},
 * Llama 3: {@code "{\"name\": \"{name}\", \"parameters\": {arguments}}"}. The name is written as JSON
 * string content. Markers that the vocabulary holds only as special tokens cannot be produced (special
 * tokens are never allowed in constrained output); put such markers outside the constrained part.
 *
 * <pre>{@code
 * Constraint c = ToolCalls.builder(HERMES).tool("get_weather", schemaJson).calls(1, 1).build(vocab);
 * }</pre>
 */
public final class ToolCalls {
    /** Qwen 2.5/3 and Hermes 2 Pro: one call per {@code <tool_call>} block. */
    public static final String HERMES = "<tool_call>\n{\"name\": \"{name}\", \"arguments\": {arguments}}\n</tool_call>";
    /** Llama 3.1/3.2 JSON tool calls. */
    public static final String LLAMA3_JSON = "{\"name\": \"{name}\", \"parameters\": {arguments}}";

    private ToolCalls() {}

    public static Builder builder(String template) {
        return new Builder(template);
    }

    /** Collects the tools and options; {@link #grammar()} or {@link #build(TokenVocabulary)} at the end. */
    public static final class Builder {
        private final String template;
        private final Map<String, String> tools = new LinkedHashMap<>();
        private String separator = "\n";
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

        /** Schema options for the arguments (strict mode, whitespace). */
        public Builder options(JsonSchemaCompiler.Options o) {
            options = o;
            return this;
        }

        public Grammar grammar() {
            if (tools.isEmpty()) throw new ConstraintException("tool calls: no tools given");
            int n = template.indexOf("{name}"), a = template.indexOf("{arguments}");
            String pre = template.substring(0, n), mid = template.substring(n + 6, a), post = template.substring(a + 11);
            Grammar.Builder b = new Grammar.Builder();
            List<Expr> calls = new ArrayList<>();
            for (var t : tools.entrySet()) {
                Object schema = Json.parse(t.getValue(), "parameters of tool '" + t.getKey() + "'");
                Expr args;
                try {
                    args = JsonSchemaCompiler.into(b, schema, options);
                } catch (ConstraintException e) {
                    throw new ConstraintException("tool '" + t.getKey() + "': " + e.getMessage());
                }
                String quoted = Json.quote(t.getKey());
                calls.add(Expr.seq(Expr.literal(pre), Expr.literal(quoted.substring(1, quoted.length() - 1)), Expr.literal(mid),
                        b.rule("args:" + t.getKey(), args), Expr.literal(post)));
            }
            Expr call = b.rule("call", Expr.alt(calls));
            b.put("start", Expr.seq(call, new Expr.Repeat(Expr.seq(Expr.literal(separator), call), minCalls - 1, maxCalls - 1)));
            return b.build("start");
        }

        public Constraint build(TokenVocabulary vocab) {
            return Constraints.grammar(grammar(), vocab);
        }
    }
}
