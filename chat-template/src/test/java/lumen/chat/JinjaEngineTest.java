package lumen.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lumen.chat.jinja.eval.Interpreter;
import org.junit.jupiter.api.Test;

/** Errors name line:column; the sandbox bounds loops, recursion and output, and exposes nothing but the context. */
class JinjaEngineTest {
    static String render(String template, Map<String, Object> ctx) {
        return ChatTemplate.parse(template).render(ctx);
    }

    static ChatTemplateException fails(String template) {
        return assertThrows(ChatTemplateException.class, () -> render(template, Map.of("s", "text")));
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        assertTrue(fails("Hello\n{% if x %}\n{{ y + }}\n{% endif %}").getMessage().startsWith("template 3:8: "),
            () -> fails("Hello\n{% if x %}\n{{ y + }}\n{% endif %}").getMessage());
        String m = fails("a\n{% for x in y %}b").getMessage();
        assertTrue(m.startsWith("template 2:18: ") && m.contains("endfor"), m);
        m = fails("{{ 'unterminated }}").getMessage();
        assertTrue(m.startsWith("template 1:4: ") && m.contains("unterminated string"), m);
        m = fails("{% if true %}{% break %}{% endif %}").getMessage();
        assertTrue(m.startsWith("template 1:17: ") && m.contains("'break' outside a for loop"), m);
        m = fails("{% for x in [1] %}{% macro f() %}{% continue %}{% endmacro %}{% endfor %}").getMessage();
        assertTrue(m.contains("'continue' outside a for loop"), m);
        m = fails("x\n  {% frobnicate %}").getMessage();
        assertTrue(m.startsWith("template 2:6: ") && m.contains("unknown statement 'frobnicate'"), m);
    }

    @Test
    void runtimeErrorsNameLineColumnAndPythonType() {
        String m = fails("line one\n  {{ missing.attr }}").getMessage();
        assertTrue(m.startsWith("template 2:") && m.contains("UndefinedError: 'missing' is undefined"), m);
        m = fails("{% if true %}\n{{ raise_exception('Roles must alternate') }}{% endif %}").getMessage();
        assertEquals("template 2:4: TemplateError: Roles must alternate", m);
        m = fails("{{ s|replace('x') }}").getMessage();
        assertTrue(m.startsWith("template 1:") && m.contains("TypeError"), m);
        m = fails("{{ s + 1 }}").getMessage();
        assertTrue(m.contains("TypeError: can only concatenate str (not \"int\") to str"), m);
    }

    @Test
    void sandboxBoundsLoopsRecursionAndOutput() {
        ChatTemplate loops = ChatTemplate.parse("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}")
            .withLimits(new Interpreter.Limits(10_000, 50, 1 << 20));
        assertTrue(assertThrows(ChatTemplateException.class, () -> loops.render(Map.of())).getMessage().contains("loop iterations"));
        ChatTemplate deep = ChatTemplate.parse("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}")
            .withLimits(new Interpreter.Limits(10_000, 50, 1 << 20));
        assertTrue(assertThrows(ChatTemplateException.class, () -> deep.render(Map.of())).getMessage().contains("recursion"));
        ChatTemplate big = ChatTemplate.parse("{% for i in range(100) %}{{ 'x' * 1000 }}{% endfor %}")
            .withLimits(new Interpreter.Limits(10_000, 50, 50_000));
        assertTrue(assertThrows(ChatTemplateException.class, () -> big.render(Map.of())).getMessage().contains("output exceeds"));
        assertTrue(fails("{{ range(1000000)|length }}").getMessage().contains("Range too big"));
        assertTrue(fails("{{ 'x' * 1000000000 }}").getMessage().contains("sandbox limit"));
        assertTrue(fails("{{ 3 ** 100000000 }}").getMessage().contains("sandbox limit"));
    }

    @Test
    void nothingButTheContextIsReachable() {
        Map<String, Object> ctx = Map.of("s", "text", "l", List.of(1));
        assertEquals("||", render("{{ s.__class__ }}|{{ l._private }}|{{ s.getClass }}", ctx));
        assertTrue(fails("{{ s.getClass() }}").getMessage().contains("has no attribute 'getClass'"));
        assertTrue(fails("{{ s.__class__.__mro__ }}").getMessage().contains("UndefinedError"));
        assertTrue(assertThrows(ChatTemplateException.class, () -> render("{{ l.append(2) }}", ctx)).getMessage()
            .contains("SecurityError"));
        Map<String, Object> bad = new HashMap<>();
        bad.put("x", new Object());
        assertThrows(ChatTemplateException.class, () -> render("{{ x }}", bad));
    }

    @Test
    void contextFromJacksonAndDefaults() {
        Map<String, Object> ctx = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")), "n", 3,
            "chat_template_kwargs", Map.of("enable_thinking", false));
        assertEquals("3 4 False None None False user",
            render("{{ n }} {{ n + 1 }} {{ enable_thinking }} {{ tools }} {{ documents }} {{ add_generation_prompt }} "
                + "{{ messages[0].role }}", ctx));
    }

    @Test
    void continueFinalMessageLeavesTheLastMessageOpen() {
        String chatml = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
        Map<String, Object> ctx = Map.of("messages", List.of(Map.of("role", "user", "content", "Hi"),
            Map.of("role", "assistant", "content", "Hello, ")), "continue_final_message", true);
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello, ", render(chatml, ctx));
        Map<String, Object> wrongField = Map.of("messages", List.of(Map.of("role", "assistant", "content", "x", "other", "y")),
            "continue_final_message", "other");
        assertThrows(ChatTemplateException.class, () -> render(chatml, wrongField));
    }
}
