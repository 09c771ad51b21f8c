package lumen.chat.jinja.builtins;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import lumen.chat.jinja.eval.JinjaCallable;
import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.eval.Namespace;
import lumen.chat.jinja.eval.Py;

/** The global functions of Hugging Face's chat-template environment. */
public final class Globals {
    private Globals() {}

    /** range, dict, namespace, joiner, cycler, plus raise_exception and strftime_now (reading {@code clock}). */
    public static Map<String, Object> create(Supplier<LocalDateTime> clock) {
        Map<String, Object> g = new HashMap<>();
        g.put("range", (JinjaCallable) (in, a, kw) -> {
            long start = 0;
            long stop;
            long step = 1;
            if (a.size() == 1) {
                stop = Py.toLong(a.get(0));
            } else {
                start = Py.toLong(a.get(0));
                stop = Py.toLong(a.get(1));
                if (a.size() > 2) {
                    step = Py.toLong(a.get(2));
                }
            }
            if (step == 0) {
                throw JinjaError.value("range() arg 3 must not be zero");
            }
            List<Object> r = new ArrayList<>();
            for (long k = start; step > 0 ? k < stop : k > stop; k += step) {
                if (r.size() >= 100_000) {
                    throw new JinjaError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
                }
                r.add(k);
            }
            return r;
        });
        g.put("dict", (JinjaCallable) (in, a, kw) -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            if (!a.isEmpty()) {
                if (a.get(0) instanceof Map<?, ?> src) {
                    m.putAll(src);
                } else {
                    for (Object pair : Py.iterate(a.get(0))) {
                        List<Object> p = Py.iterate(pair);
                        m.put(Py.normKey(p.get(0)), p.get(1));
                    }
                }
            }
            m.putAll(kw);
            return m;
        });
        g.put("namespace", (JinjaCallable) (in, a, kw) -> {
            Namespace ns = new Namespace();
            for (Object o : a) {
                if (o instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> ns.attrs().put(Py.str(k), v));
                }
            }
            ns.attrs().putAll(kw);
            return ns;
        });
        g.put("joiner", (JinjaCallable) (in, a, kw) -> {
            String sep = a.isEmpty() ? ", " : Py.str(a.get(0));
            boolean[] used = {false};
            return (JinjaCallable) (in2, a2, kw2) -> {
                if (!used[0]) {
                    used[0] = true;
                    return "";
                }
                return sep;
            };
        });
        g.put("raise_exception", (JinjaCallable) (in, a, kw) -> {
            throw new JinjaError("TemplateError", a.isEmpty() ? "" : Py.str(a.get(0)));
        });
        g.put("strftime_now", (JinjaCallable) (in, a, kw) -> Strftime.format(clock.get(), Py.str(a.get(0))));
        return g;
    }
}
