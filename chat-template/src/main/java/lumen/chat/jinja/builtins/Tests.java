package lumen.chat.jinja.builtins;

import java.util.List;
import java.util.Map;

import lumen.chat.jinja.eval.Gen;
import lumen.chat.jinja.eval.Interpreter;
import lumen.chat.jinja.eval.JinjaCallable;
import lumen.chat.jinja.eval.JinjaError;
import lumen.chat.jinja.eval.Markup;
import lumen.chat.jinja.eval.Py;
import lumen.chat.jinja.eval.Undefined;

/** Jinja2's tests ({@code x is defined}, {@code x is string}, …), keyed by name as in jinja2/tests.py. */
public final class Tests {
    private Tests() {}

    private static final java.util.Set<String> NAMES = java.util.Set.of("defined", "undefined", "none", "string",
        "number", "integer", "float", "boolean", "true", "false", "mapping", "sequence", "iterable", "callable",
        "escaped", "odd", "even", "divisibleby", "lower", "upper", "equalto", "eq", "==", "ne", "!=", "lt",
        "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "sameas", "filter", "test");

    public static boolean exists(String name) {
        return NAMES.contains(name);
    }

    public static boolean apply(String name, Object v, List<Object> args, Interpreter in) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "string" -> Py.isStr(v);
            case "number" -> Py.isNumber(v);
            case "integer" -> Py.isInt(v);
            case "float" -> v instanceof Double;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "mapping" -> v instanceof Map<?, ?>;
            case "sequence" -> Py.isStr(v) || v instanceof List<?> || v instanceof Map<?, ?> || v instanceof Undefined;
            case "iterable" -> Py.isStr(v) || v instanceof List<?> || v instanceof Map<?, ?> || v instanceof Undefined
                || v instanceof Gen;
            case "callable" -> v instanceof JinjaCallable || v instanceof Undefined;
            case "escaped" -> v instanceof Markup;
            case "odd" -> Py.eq(Py.arith("%", v, 2L), 1L);
            case "even" -> Py.eq(Py.arith("%", v, 2L), 0L);
            case "divisibleby" -> Py.eq(Py.arith("%", v, args.get(0)), 0L);
            case "lower" -> Methods.isLower(Py.str(v));
            case "upper" -> Methods.isUpper(Py.str(v));
            case "equalto", "eq", "==" -> Py.eq(v, args.get(0));
            case "ne", "!=" -> !Py.eq(v, args.get(0));
            case "lt", "lessthan", "<" -> Py.compare(v, args.get(0), "<") < 0;
            case "le", "<=" -> Py.compare(v, args.get(0), "<=") <= 0;
            case "gt", "greaterthan", ">" -> Py.compare(v, args.get(0), ">") > 0;
            case "ge", ">=" -> Py.compare(v, args.get(0), ">=") >= 0;
            case "in" -> Py.contains(args.get(0), v);
            case "sameas" -> v == args.get(0) || (v instanceof Boolean && v.equals(args.get(0)));
            case "filter" -> Filters.exists(Py.str(v));
            case "test" -> exists(Py.str(v));
            default -> throw new JinjaError("TemplateRuntimeError", "No test named '" + name + "' found.");
        };
    }
}
