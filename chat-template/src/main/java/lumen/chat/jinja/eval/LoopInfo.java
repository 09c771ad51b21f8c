package lumen.chat.jinja.eval;

import java.util.List;

/** The {@code loop} variable inside a for loop; callable as {@code loop(children)} in a recursive loop. */
public final class LoopInfo implements JinjaCallable {
    private final List<Object> items;
    private final int depth0;
    int index0;

    private final JinjaCallable recurse;

    LoopInfo(List<Object> items, int depth0, JinjaCallable recurse) {
        this.items = items;
        this.depth0 = depth0;
        this.recurse = recurse;
    }

    @Override
    public Object call(Interpreter in, List<Object> args, java.util.Map<String, Object> kwargs) {
        if (recurse == null) {
            throw JinjaError.type("'LoopContext' object is not callable: the loop is not marked 'recursive'");
        }
        return recurse.call(in, args, kwargs);
    }

    Object attr(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth0 + 1;
            case "depth0" -> (long) depth0;
            case "previtem" -> index0 > 0 ? nullable(items.get(index0 - 1))
                : new Undefined("there is no previous item", false);
            case "nextitem" -> index0 < n - 1 ? nullable(items.get(index0 + 1))
                : new Undefined("there is no next item", false);
            case "cycle" -> (JinjaCallable) (in, args, kw) -> {
                if (args.isEmpty()) {
                    throw JinjaError.type("no items for cycling given");
                }
                return args.get(index0 % args.size());
            };
            case "changed" -> (JinjaCallable) (in, args, kw) -> {
                if (lastChanged != null && Py.eq(lastChanged, args)) {
                    return false;
                }
                lastChanged = new java.util.ArrayList<>(args);
                return true;
            };
            default -> null;
        };
    }

    /** The arguments of the last {@code loop.changed(...)} call that returned true. */
    private List<Object> lastChanged;

    private static Object nullable(Object o) {
        return o == null ? Py.NONE_ATTR : o;
    }
}
