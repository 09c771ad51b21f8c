package lumen.chat.jinja.eval;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** What {@code dict.keys()}, {@code values()} and {@code items()} return: iterable, prints as {@code dict_keys([...])}. */
public final class DictView extends AbstractList<Object> implements RandomAccess {
    private final String kind;
    private final Object[] items;

    public DictView(String kind, List<?> items) {
        this.kind = kind;
        this.items = items.toArray();
    }

    /** "dict_keys", "dict_values" or "dict_items". */
    public String kind() {
        return kind;
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
