package lumen.chat.jinja.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** The mutable object {@code namespace(...)} returns; the only thing {@code {% set ns.x = ... %}} may change. */
public final class Namespace {
    final Map<String, Object> attrs = new LinkedHashMap<>();

    public Map<String, Object> attrs() {
        return attrs;
    }
}
