package lumen.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import lumen.chat.jinja.ast.Node.Stmt;
import lumen.chat.jinja.builtins.Globals;
import lumen.chat.jinja.eval.Interpreter;
import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.parse.Parser;

/**
 * A model's chat template (Jinja2), rendered the way Hugging Face transformers renders it:
 * {@code trim_blocks}, {@code lstrip_blocks}, loop controls, {@code {% generation %}}, {@code tojson}
 * as {@code json.dumps(ensure_ascii=False)}, {@code raise_exception} and {@code strftime_now}, in an
 * immutable sandbox. Thread-safe: a parsed template may be rendered concurrently.
 */
public final class ChatTemplate {
    /** What {@code continue_final_message} appends to the last message and cuts at (as transformers does). */
    private static final String CONTINUE_TAG = "CONTINUE_FINAL_MESSAGE_TAG ";

    private final String source;
    private final List<Stmt> body;
    private final Supplier<LocalDateTime> clock;
    private final Interpreter.Limits limits;

    private ChatTemplate(String source, List<Stmt> body, Supplier<LocalDateTime> clock, Interpreter.Limits limits) {
        this.source = source;
        this.body = body;
        this.clock = clock;
        this.limits = limits;
    }

    /** Parses a template; a syntax error is a ChatTemplateException naming line:column. */
    public static ChatTemplate parse(String source) {
        try {
            return new ChatTemplate(source, Parser.parse(source), LocalDateTime::now, Interpreter.Limits.DEFAULT);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException("template: expressions or blocks nested too deeply to parse", e);
        }
    }

    /** The same template with {@code strftime_now} reading a fixed or custom clock. */
    public ChatTemplate withClock(Supplier<LocalDateTime> newClock) {
        return new ChatTemplate(source, body, newClock, limits);
    }

    /** The same template with other sandbox limits. */
    public ChatTemplate withLimits(Interpreter.Limits newLimits) {
        return new ChatTemplate(source, body, clock, newLimits);
    }

    public String source() {
        return source;
    }

    /**
     * Renders with a context of plain Java values (Map/List/String/Number/Boolean/null), e.g. from Jackson.
     * A nested {@code chat_template_kwargs} map is merged into the top level; {@code add_generation_prompt}
     * defaults to false and {@code tools}/{@code documents} to None; {@code continue_final_message}
     * (true, or the name of the field to continue) leaves the last message open.
     */
    public String render(Map<String, Object> context) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : context.entrySet()) {
            ctx.put(e.getKey(), normalize(e.getValue()));
        }
        if (ctx.remove("chat_template_kwargs") instanceof Map<?, ?> kw) {
            kw.forEach((k, v) -> ctx.put(String.valueOf(k), v));
        }
        ctx.putIfAbsent("add_generation_prompt", false);
        ctx.putIfAbsent("tools", null);
        ctx.putIfAbsent("documents", null);
        Object cont = ctx.remove("continue_final_message");
        boolean continuing = cont != null && !Boolean.FALSE.equals(cont) && !"".equals(cont);
        String finalText = null;
        if (continuing) {
            finalText = markFinalMessage(ctx, cont instanceof String s ? s : "content");
        }
        String text;
        try {
            text = new Interpreter(limits).render(body, Globals.create(clock), ctx);
        } catch (JinjaError e) {
            throw new ChatTemplateException("template " + e.line() + ":" + e.col() + ": " + e.type() + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException("template: recursion too deep", e);
        }
        return continuing ? cutAtMarker(text, finalText) : text;
    }

    private String markFinalMessage(Map<String, Object> ctx, String field) {
        if (!(ctx.get("messages") instanceof List<?> messages) || messages.isEmpty()
            || !(messages.get(messages.size() - 1) instanceof Map<?, ?> last)) {
            throw new ChatTemplateException("continue_final_message: found no final message, expected a non-empty messages list");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> msg = (Map<Object, Object>) last;
        Object value = msg.get(field);
        if (value == null) {
            throw new ChatTemplateException("continue_final_message: the final message has no \"" + field + "\" to continue");
        }
        if (!source.contains(field)) {
            throw new ChatTemplateException("continue_final_message: \"" + field + "\" is not a field the chat template reads");
        }
        if (value instanceof List<?> parts) {
            for (int k = parts.size() - 1; k >= 0; k--) {
                if (parts.get(k) instanceof Map<?, ?> p && p.containsKey("text")) {
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> part = (Map<Object, Object>) p;
                    Object text = part.get("text");
                    part.put("text", lumen.chat.jinja.eval.Py.arith("+", text, CONTINUE_TAG));
                    return lumen.chat.jinja.eval.Py.str(text);
                }
            }
            throw new ChatTemplateException("continue_final_message: no text to continue in the final message");
        }
        msg.put(field, lumen.chat.jinja.eval.Py.arith("+", value, CONTINUE_TAG));
        return lumen.chat.jinja.eval.Py.str(value);
    }

    private static String cutAtMarker(String rendered, String finalText) {
        String tag = CONTINUE_TAG.strip();
        if (!rendered.contains(finalText.strip()) || !rendered.contains(tag)) {
            throw new ChatTemplateException("continue_final_message: the final message does not appear in the rendered chat");
        }
        int at = rendered.lastIndexOf(tag);
        if (rendered.startsWith(CONTINUE_TAG, at)) {
            return rendered.substring(0, at);
        }
        return rendered.substring(0, at).stripTrailing();
    }

    /** Deep copy into the evaluator's value types: Long for integers, Double for floats, mutable lists and maps. */
    static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b;
            case Float f -> (double) f;
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<Object, Object> r = new LinkedHashMap<>();
                m.forEach((k, x) -> r.put(normalize(k), normalize(x)));
                yield r;
            }
            case List<?> l -> {
                List<Object> r = new ArrayList<>(l.size());
                for (Object x : l) {
                    r.add(normalize(x));
                }
                yield r;
            }
            case Object[] a -> normalize(java.util.Arrays.asList(a));
            case Character c -> String.valueOf(c);
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            default -> throw new ChatTemplateException("context value of type " + v.getClass().getName()
                + " is not allowed: expected Map, List, String, Number, Boolean or null");
        };
    }
}
