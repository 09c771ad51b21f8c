package lumen.chat.jinja.eval;

import java.util.List;
import java.util.Map;

/** Anything a template may call: a global function, a macro, a bound method. */
@FunctionalInterface
public interface JinjaCallable {
    /** Calls with positional and keyword arguments. */
    Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs);
}
