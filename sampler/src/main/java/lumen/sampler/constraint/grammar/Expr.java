package lumen.sampler.constraint.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule body: a regular expression over bytes whose symbols may also call other rules (by name).
 * Every front end (JSON Schema, regex, choice, GBNF, Lark) builds these; {@link Grammar} compiles them.
 */
public sealed interface Expr {
    /** One byte out of a set; {@code bits} holds 4 words of 64 bits (bit b set = byte b allowed). */
    record Bytes(long[] bits) implements Expr {
        public Bytes {
            if (bits.length != 4) throw new IllegalArgumentException("byte set needs 4 words");
        }

        public boolean has(int b) {
            return (bits[b >>> 6] >>> (b & 63) & 1) != 0;
        }

        public boolean isEmpty() {
            return (bits[0] | bits[1] | bits[2] | bits[3]) == 0;
        }
    }

    /** The items one after the other; empty = the empty string. */
    record Seq(List<Expr> items) implements Expr {}

    /** One of the items; empty = nothing matches. */
    record Alt(List<Expr> items) implements Expr {}

    /** {@code body} between {@code min} and {@code max} times; {@code max = -1} for no upper bound. */
    record Repeat(Expr body, int min, int max) implements Expr {}

    /** A call of the rule named {@code rule}. */
    record Ref(String rule) implements Expr {}

    Expr EMPTY = new Seq(List.of());
    Expr NOTHING = new Alt(List.of());

    static Expr seq(Expr... items) {
        return items.length == 1 ? items[0] : new Seq(List.of(items));
    }

    static Expr seq(List<Expr> items) {
        return items.size() == 1 ? items.getFirst() : new Seq(List.copyOf(items));
    }

    static Expr alt(Expr... items) {
        return items.length == 1 ? items[0] : new Alt(List.of(items));
    }

    static Expr alt(List<Expr> items) {
        return items.size() == 1 ? items.getFirst() : new Alt(List.copyOf(items));
    }

    static Expr star(Expr e) {
        return new Repeat(e, 0, -1);
    }

    static Expr plus(Expr e) {
        return new Repeat(e, 1, -1);
    }

    static Expr opt(Expr e) {
        return new Repeat(e, 0, 1);
    }

    static Expr ref(String rule) {
        return new Ref(rule);
    }

    static Bytes byteRange(int lo, int hi) {
        long[] bits = new long[4];
        for (int b = lo; b <= hi; b++) bits[b >>> 6] |= 1L << (b & 63);
        return new Bytes(bits);
    }

    static Expr literal(String s) {
        return literal(s.getBytes(StandardCharsets.UTF_8));
    }

    static Expr literal(byte[] bytes) {
        List<Expr> items = new ArrayList<>(bytes.length);
        for (byte b : bytes) items.add(byteRange(b & 0xFF, b & 0xFF));
        return seq(items);
    }

    /** Any one code point of {@code set}, as its UTF-8 byte sequences. */
    static Expr chars(CharSet set) {
        return Utf8.encode(set);
    }
}
