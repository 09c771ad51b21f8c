package lumen.chat.jinja.eval;

import java.util.List;

/** A Python generator as filters like {@code map} and {@code selectattr} return: iterable, but no len() and no tojson. */
public record Gen(List<Object> items) {}
