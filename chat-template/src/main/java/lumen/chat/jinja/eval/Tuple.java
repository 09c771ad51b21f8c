package lumen.chat.jinja.eval;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** A Python tuple: an immutable list that prints as {@code (a, b)}. */
public final class Tuple extends AbstractList<Object> implements RandomAccess {
    private final Object[] items;

    public Tuple(List<?> items) {
        this.items = items.toArray();
    }

    public static Tuple of(Object a, Object b) {
        return new Tuple(java.util.Arrays.asList(a, b));
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
