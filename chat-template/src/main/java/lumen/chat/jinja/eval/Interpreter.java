package lumen.chat.jinja.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lumen.chat.jinja.ast.Node.*;
import lumen.chat.jinja.builtins.Filters;
import lumen.chat.jinja.builtins.Tests;

/**
 * Walks the syntax tree and writes the output. Scoping follows Jinja2: a for-loop body and a macro
 * get their own scope (assignments inside do not leak out), {@code if} does not. Sandboxed: only the
 * values of the context are reachable, and loop iterations, macro recursion and output size are bounded.
 */
public final class Interpreter {
    /** Bounds that stop a hostile or broken template. */
    public record Limits(long maxLoopIterations, int maxDepth, long maxOutputChars) {
        public static final Limits DEFAULT = new Limits(1_000_000, 200, 32L << 20);
    }

    /** A chain of variable scopes. */
    static final class Scope {
        final Map<String, Object> vars = new HashMap<>();
        final Scope parent;

        Scope(Scope parent) {
            this.parent = parent;
        }

        boolean has(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    return true;
                }
            }
            return false;
        }

        Object get(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Object v = s.vars.get(name);
                if (v != null || s.vars.containsKey(name)) {
                    return v;
                }
            }
            return Undefined.named(name);
        }
    }

    private static final class BreakSignal extends RuntimeException {
        BreakSignal() {
            super(null, null, false, false);
        }
    }

    private static final class ContinueSignal extends RuntimeException {
        ContinueSignal() {
            super(null, null, false, false);
        }
    }

    private static final BreakSignal BREAK = new BreakSignal();
    private static final ContinueSignal CONTINUE = new ContinueSignal();

    private final Limits limits;
    private long iterations;
    private long outputChars;
    private int depth;

    public Interpreter(Limits limits) {
        this.limits = limits;
    }

    /** Renders a parsed template with the given globals and context variables. */
    public String render(List<Stmt> body, Map<String, Object> globals, Map<String, Object> context) {
        Scope g = new Scope(null);
        g.vars.putAll(globals);
        Scope ctx = new Scope(g);
        ctx.vars.putAll(context);
        Scope top = new Scope(ctx);
        StringBuilder out = new StringBuilder();
        exec(body, top, out);
        return out.toString();
    }

    private void emit(StringBuilder out, String s) {
        outputChars += s.length();
        if (outputChars > limits.maxOutputChars()) {
            throw new JinjaError("SecurityError", "output exceeds " + limits.maxOutputChars() + " characters");
        }
        out.append(s);
    }

    void exec(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt s : body) {
            try {
                execOne(s, scope, out);
            } catch (JinjaError e) {
                e.locate(s.line(), s.col());
                throw e;
            } catch (BreakSignal | ContinueSignal signal) {
                throw signal;
            } catch (RuntimeException e) {
                throw internal(e, s.line(), s.col());
            }
        }
    }

    private void execOne(Stmt stmt, Scope scope, StringBuilder out) {
        switch (stmt) {
            case Text t -> emit(out, t.text());
            case Print p -> emit(out, Py.str(print(p.expr(), scope)));
            case If f -> {
                for (int k = 0; k < f.conditions().size(); k++) {
                    if (Py.truthy(eval(f.conditions().get(k), scope))) {
                        exec(f.bodies().get(k), scope, out);
                        return;
                    }
                }
                exec(f.elseBody(), scope, out);
            }
            case For f -> execFor(f, scope, out);
            case Assign s -> {
                Object v = eval(s.value(), scope);
                assign(scope, s.targets(), s.attr(), v, s);
            }
            case SetBlock s -> {
                StringBuilder sb = new StringBuilder();
                exec(s.body(), new Scope(scope), sb);
                Object v = sb.toString();
                for (FilterCall fc : s.filters()) {
                    v = applyFilter(fc, v, scope);
                }
                assign(scope, List.of(s.target()), s.attr(), v, s);
            }
            case Macro m -> scope.vars.put(m.name(), new MacroFn(m.name(), m.params(), m.defaults(), m.body(), scope));
            case CallBlock cb -> {
                MacroFn caller = new MacroFn("caller", cb.params(), cb.defaults(), cb.body(), scope);
                Object fn = eval(cb.call().fn(), scope);
                List<Object> args = new ArrayList<>();
                for (Expr a : cb.call().args()) {
                    args.add(eval(a, scope));
                }
                Map<String, Object> kw = new LinkedHashMap<>();
                for (int k = 0; k < cb.call().kwNames().size(); k++) {
                    kw.put(cb.call().kwNames().get(k), eval(cb.call().kwValues().get(k), scope));
                }
                kw.put("caller", caller);
                emit(out, Py.str(callValue(fn, args, kw)));
            }
            case FilterBlock fb -> {
                StringBuilder sb = new StringBuilder();
                exec(fb.body(), scope, sb);
                Object v = sb.toString();
                for (FilterCall fc : fb.filters()) {
                    v = applyFilter(fc, v, scope);
                }
                emit(out, Py.str(v));
            }
            case Block b -> exec(b.body(), scope, out);
            case With w -> {
                Scope inner = new Scope(scope);
                for (int k = 0; k < w.names().size(); k++) {
                    inner.vars.put(w.names().get(k), eval(w.values().get(k), scope));
                }
                exec(w.body(), inner, out);
            }
            case Break b -> throw BREAK;
            case Continue c -> throw CONTINUE;
        }
    }

    private void assign(Scope scope, List<String> targets, String attr, Object v, Stmt at) {
        if (attr != null) {
            Object ns = scope.get(targets.get(0));
            if (!(ns instanceof Namespace n)) {
                throw new JinjaError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
            }
            n.attrs.put(attr, v);
            return;
        }
        if (targets.size() == 1) {
            scope.vars.put(targets.get(0), v);
            return;
        }
        List<Object> items = Py.iterate(v);
        if (items.size() != targets.size()) {
            throw JinjaError.value("cannot unpack " + items.size() + " values into " + targets.size() + " names");
        }
        for (int k = 0; k < targets.size(); k++) {
            scope.vars.put(targets.get(k), items.get(k));
        }
    }

    private void execFor(For f, Scope scope, StringBuilder out) {
        runLoop(f, eval(f.iter(), scope), scope, out, 0);
    }

    private void runLoop(For f, Object iterable, Scope scope, StringBuilder out, int depth0) {
        if (iterable == null) {
            throw JinjaError.type("'NoneType' object is not iterable");
        }
        List<Object> source = Py.iterate(iterable);
        List<Object> items = source;
        if (f.filter() != null) {
            items = new ArrayList<>();
            for (Object o : source) {
                Scope s = new Scope(scope);
                bindTargets(s, f.targets(), o);
                if (Py.truthy(eval(f.filter(), s))) {
                    items.add(o);
                }
            }
        } else {
            items = new ArrayList<>(source);
        }
        if (items.isEmpty()) {
            exec(f.elseBody(), new Scope(scope), out); // the else block is scoped like the body
            return;
        }
        JinjaCallable recurse = !f.recursive() ? null : (in, args, kw) -> {
            if (depth0 + 1 > limits.maxDepth()) {
                throw new JinjaError("SecurityError", "recursive loop deeper than " + limits.maxDepth());
            }
            StringBuilder sb = new StringBuilder();
            runLoop(f, args.isEmpty() ? null : args.get(0), scope, sb, depth0 + 1);
            return sb.toString();
        };
        LoopInfo loop = new LoopInfo(items, depth0, recurse);
        for (int k = 0; k < items.size(); k++) {
            if (++iterations > limits.maxLoopIterations()) {
                throw new JinjaError("SecurityError", "more than " + limits.maxLoopIterations() + " loop iterations");
            }
            loop.index0 = k;
            Scope s = new Scope(scope);
            s.vars.put("loop", loop);
            bindTargets(s, f.targets(), items.get(k));
            try {
                exec(f.body(), s, out);
            } catch (BreakSignal b) {
                break;
            } catch (ContinueSignal c) {
                // next item
            }
        }
    }

    private static void bindTargets(Scope s, List<String> targets, Object item) {
        if (targets.size() == 1) {
            s.vars.put(targets.get(0), item);
            return;
        }
        List<Object> parts = Py.iterate(item);
        if (parts.size() != targets.size()) {
            throw JinjaError.value((parts.size() > targets.size() ? "too many" : "not enough")
                + " values to unpack (expected " + targets.size() + ", got " + parts.size() + ")");
        }
        for (int k = 0; k < targets.size(); k++) {
            s.vars.put(targets.get(k), parts.get(k));
        }
    }

    /** A macro (or the body of a call block), closing over the scope it was defined in. */
    final class MacroFn implements JinjaCallable {
        final String name;
        final List<String> params;
        final List<Expr> defaults;
        final List<Stmt> body;
        final Scope closure;

        MacroFn(String name, List<String> params, List<Expr> defaults, List<Stmt> body, Scope closure) {
            this.name = name;
            this.params = params;
            this.defaults = defaults;
            this.body = body;
            this.closure = closure;
        }

        @Override
        public Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs) {
            if (++depth > limits.maxDepth()) {
                depth = 0;
                throw new JinjaError("SecurityError", "macro recursion deeper than " + limits.maxDepth());
            }
            try {
                Scope s = new Scope(closure);
                int firstDefault = params.size() - defaults.size();
                Map<String, Object> kw = new LinkedHashMap<>(kwargs);
                for (int k = 0; k < params.size(); k++) {
                    String p = params.get(k);
                    Object v;
                    if (k < args.size()) {
                        v = args.get(k);
                    } else if (kw.containsKey(p)) {
                        v = kw.remove(p);
                    } else if (k >= firstDefault) {
                        v = eval(defaults.get(k - firstDefault), s);
                    } else {
                        v = new Undefined("parameter '" + p + "' was not provided", false);
                    }
                    s.vars.put(p, v);
                }
                if (kw.containsKey("caller")) {
                    s.vars.put("caller", kw.remove("caller"));
                }
                s.vars.put("varargs", new Tuple(args.size() > params.size()
                    ? args.subList(params.size(), args.size()) : List.of()));
                s.vars.put("kwargs", kw);
                StringBuilder sb = new StringBuilder();
                exec(body, s, sb);
                return sb.toString();
            } finally {
                depth--;
            }
        }
    }

    // ---- expressions

    public Object eval(Expr e, Scope scope) {
        if (!constantOutput && !(e instanceof Const) && foldable(e)) {
            // jinja2's optimizer replaces a constant sub-expression by its value when that value has a safe repr
            constantOutput = true;
            try {
                Object v = evalOne(e, scope);
                if (safeRepr(v)) {
                    return v;
                }
            } catch (RuntimeException ignored) {
                // not foldable after all: evaluated at run time below
            } finally {
                constantOutput = false;
            }
        }
        try {
            return evalOne(e, scope);
        } catch (JinjaError err) {
            err.locate(e.line(), e.col());
            throw err;
        } catch (BreakSignal | ContinueSignal signal) {
            throw signal;
        } catch (RuntimeException err) {
            throw internal(err, e.line(), e.col());
        }
    }

    private Object evalOne(Expr expr, Scope scope) {
        switch (expr) {
            case Const c -> {
                return c.value();
            }
            case Name n -> {
                // a variable or a call met while computing a compile-time constant: jinja2 would not fold this
                if (constantOutput) {
                    throw new JinjaError("Impossible", "not a constant");
                }
                return scope.get(n.name());
            }
            case ListLit l -> {
                List<Object> r = new ArrayList<>();
                for (Expr x : l.items()) {
                    r.add(eval(x, scope));
                }
                return r;
            }
            case TupleLit l -> {
                List<Object> r = new ArrayList<>();
                for (Expr x : l.items()) {
                    r.add(eval(x, scope));
                }
                return new Tuple(r);
            }
            case DictLit d -> {
                Map<Object, Object> r = new LinkedHashMap<>();
                for (int k = 0; k < d.keys().size(); k++) {
                    r.put(Py.normKey(eval(d.keys().get(k), scope)), eval(d.values().get(k), scope));
                }
                return r;
            }
            case GetAttr g -> {
                return Py.getAttr(eval(g.obj(), scope), g.name());
            }
            case GetItem g -> {
                return Py.getItem(eval(g.obj(), scope), eval(g.key(), scope));
            }
            case Slice s -> {
                Object obj = eval(s.obj(), scope);
                Object start = s.start() == null ? null : eval(s.start(), scope);
                Object stop = s.stop() == null ? null : eval(s.stop(), scope);
                Object step = s.step() == null ? null : eval(s.step(), scope);
                if (!Py.isStr(obj) && !(obj instanceof List<?>) && !(obj instanceof Undefined) && constantOutput) {
                    // jinja2 computes a constant {{ … }} at compile time, where slicing goes through its forgiving getitem
                    return new Undefined(Py.objectTypeRepr(obj) + " has no element slice", false);
                }
                return Py.slice(obj, start, stop, step);
            }
            case Call c -> {
                if (constantOutput) {
                    throw new JinjaError("Impossible", "not a constant");
                }
                Object fn = eval(c.fn(), scope);
                List<Object> args = new ArrayList<>();
                for (Expr a : c.args()) {
                    args.add(eval(a, scope));
                }
                Map<String, Object> kw = new LinkedHashMap<>();
                for (int k = 0; k < c.kwNames().size(); k++) {
                    kw.put(c.kwNames().get(k), eval(c.kwValues().get(k), scope));
                }
                return callValue(fn, args, kw);
            }
            case Filter f -> {
                return applyFilter(f.filter(), eval(f.value(), scope), scope);
            }
            case Test t -> {
                Object v = eval(t.value(), scope);
                List<Object> args = new ArrayList<>();
                for (Expr a : t.args()) {
                    args.add(eval(a, scope));
                }
                boolean r = Tests.apply(t.name(), v, args, this);
                return t.negated() != r;
            }
            case Unary u -> {
                Object v = eval(u.operand(), scope);
                return switch (u.op()) {
                    case "not" -> !Py.truthy(v);
                    case "-" -> {
                        if (v instanceof Undefined un) {
                            throw un.fail();
                        }
                        if (v instanceof Double d) {
                            yield -d;
                        }
                        if (Py.isNumber(v)) {
                            yield Py.normInt(Py.toBig(v).negate());
                        }
                        throw JinjaError.type("bad operand type for unary -: '" + Py.typeName(v) + "'");
                    }
                    default -> {
                        if (!Py.isNumber(v)) {
                            throw JinjaError.type("bad operand type for unary +: '" + Py.typeName(v) + "'");
                        }
                        yield v instanceof Boolean b ? (Object) (b ? 1L : 0L) : v;
                    }
                };
            }
            case Binary b -> {
                switch (b.op()) {
                    case "and" -> {
                        Object l = eval(b.left(), scope);
                        return Py.truthy(l) ? eval(b.right(), scope) : l;
                    }
                    case "or" -> {
                        Object l = eval(b.left(), scope);
                        return Py.truthy(l) ? l : eval(b.right(), scope);
                    }
                    case "~" -> {
                        return Py.str(eval(b.left(), scope)) + Py.str(eval(b.right(), scope));
                    }
                    case "**" -> {
                        Object l = eval(b.left(), scope);
                        Object r = eval(b.right(), scope);
                        // jinja2 folds a constant like -2 and writes it into Python source unparenthesized:
                        // `-2 ** x` then runs as -(2 ** x) unless x is constant too (folded as (-2) ** x)
                        if (isConstant(b.left()) && !isConstant(b.right()) && Py.isNumber(l) && !(l instanceof Boolean)
                            && Py.compare(l, 0L, "<") < 0) {
                            Object p = Py.arith("**", Py.arith("-", 0L, l), r);
                            return Py.arith("-", 0L, p);
                        }
                        return Py.arith("**", l, r);
                    }
                    default -> {
                        return Py.arith(b.op(), eval(b.left(), scope), eval(b.right(), scope));
                    }
                }
            }
            case Compare c -> {
                Object left = eval(c.first(), scope);
                for (int k = 0; k < c.ops().size(); k++) {
                    Object right = eval(c.rest().get(k), scope);
                    String op = c.ops().get(k);
                    boolean ok = switch (op) {
                        case "==" -> Py.eq(left, right);
                        case "!=" -> !Py.eq(left, right);
                        case "<" -> Py.compare(left, right, op) < 0;
                        case "<=" -> Py.compare(left, right, op) <= 0;
                        case ">" -> Py.compare(left, right, op) > 0;
                        case ">=" -> Py.compare(left, right, op) >= 0;
                        case "in" -> Py.contains(right, left);
                        default -> !Py.contains(right, left);
                    };
                    if (!ok) {
                        return false;
                    }
                    left = right;
                }
                return true;
            }
            case Cond c -> {
                if (Py.truthy(eval(c.test(), scope))) {
                    return eval(c.then(), scope);
                }
                return c.otherwise() == null ? new Undefined("the inline if-expression evaluated to false and no else section was defined", false)
                    : eval(c.otherwise(), scope);
            }
        }
    }

    /** True while evaluating a {{ … }} that jinja2 would compute at compile time. */
    private boolean constantOutput;

    /** The value of a {{ … }}: jinja2 tries a constant one at compile time first and falls back to run time. */
    private Object print(Expr e, Scope scope) {
        if (!foldable(e)) {
            return eval(e, scope);
        }
        constantOutput = true;
        try {
            return eval(e, scope);
        } catch (JinjaError err) {
            constantOutput = false;
            return eval(e, scope);
        } finally {
            constantOutput = false;
        }
    }

    /** jinja2.utils.has_safe_repr: the values its optimizer may write into compiled code. */
    private static boolean safeRepr(Object v) {
        return switch (v) {
            case null -> true;
            case Boolean b -> true;
            case Long l -> true;
            case java.math.BigInteger b -> true;
            case Double d -> true;
            case String s -> true;
            case Markup m -> true;
            case List<?> l -> !(l instanceof DictView) && l.stream().allMatch(Interpreter::safeRepr);
            case Map<?, ?> m -> m.keySet().stream().allMatch(Interpreter::safeRepr)
                && m.values().stream().allMatch(Interpreter::safeRepr);
            default -> false;
        };
    }

    private final java.util.IdentityHashMap<Expr, Boolean> foldableCache = new java.util.IdentityHashMap<>();

    /** Filters jinja2 never folds at compile time (they take the render context). */
    private static final java.util.Set<String> CONTEXT_FILTERS = java.util.Set.of("map", "select", "reject",
        "selectattr", "rejectattr");

    /** Whether jinja2's optimizer can fold this expression: no variables, no calls (the sandbox never folds them). */
    private boolean foldable(Expr e) {
        Boolean known = foldableCache.get(e);
        if (known == null) {
            known = isFoldable(e);
            foldableCache.put(e, known);
        }
        return known;
    }

    private static boolean isFoldable(Expr e) {
        return switch (e) {
            case Const c -> true;
            case ListLit l -> l.items().stream().allMatch(Interpreter::isFoldable);
            case TupleLit l -> l.items().stream().allMatch(Interpreter::isFoldable);
            case DictLit d -> d.keys().stream().allMatch(Interpreter::isFoldable) && d.values().stream().allMatch(Interpreter::isFoldable);
            case Unary u -> isFoldable(u.operand());
            // and/or/if-else fold when the branch actually taken folds (a variable or call met while folding gives up)
            case Binary b -> isFoldable(b.left()) && (isFoldable(b.right()) || b.op().equals("and") || b.op().equals("or"));
            case Compare c -> isFoldable(c.first()) && c.rest().stream().allMatch(Interpreter::isFoldable);
            case Cond c -> isFoldable(c.test());
            case GetAttr g -> isFoldable(g.obj());
            case GetItem g -> isFoldable(g.obj()) && isFoldable(g.key());
            case Slice s -> isFoldable(s.obj()) && (s.start() == null || isFoldable(s.start()))
                && (s.stop() == null || isFoldable(s.stop())) && (s.step() == null || isFoldable(s.step()));
            case Filter f -> !CONTEXT_FILTERS.contains(f.filter().name()) && isFoldable(f.value())
                && f.filter().args().stream().allMatch(Interpreter::isFoldable)
                && f.filter().kwValues().stream().allMatch(Interpreter::isFoldable);
            case Test t -> isFoldable(t.value()) && t.args().stream().allMatch(Interpreter::isFoldable);
            case Name n -> false;
            case Call c -> false;
        };
    }

    /** Whether jinja2's optimizer folds this expression to a constant (numbers and arithmetic on them). */
    private static boolean isConstant(Expr e) {
        return switch (e) {
            case Const c -> true;
            case Unary u -> !u.op().equals("not") && isConstant(u.operand());
            case Binary b -> !b.op().equals("and") && !b.op().equals("or") && isConstant(b.left()) && isConstant(b.right());
            default -> false;
        };
    }

    /** A Java failure inside a builtin (missing argument, bad number) reported like Python's TypeError. */
    private static JinjaError internal(RuntimeException e, int line, int col) {
        String what = e instanceof IndexOutOfBoundsException ? "missing a required argument"
            : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        JinjaError j = new JinjaError("TypeError", what);
        j.locate(line, col);
        return j;
    }

    public Object callValue(Object fn, List<Object> args, Map<String, Object> kw) {
        if (fn instanceof JinjaCallable c) {
            return c.call(this, args, kw);
        }
        if (fn instanceof Undefined u) {
            throw u.fail();
        }
        throw JinjaError.type("'" + Py.typeName(fn) + "' object is not callable");
    }

    private Object applyFilter(FilterCall fc, Object value, Scope scope) {
        List<Object> args = new ArrayList<>();
        for (Expr a : fc.args()) {
            args.add(eval(a, scope));
        }
        Map<String, Object> kw = new LinkedHashMap<>();
        for (int k = 0; k < fc.kwNames().size(); k++) {
            kw.put(fc.kwNames().get(k), eval(fc.kwValues().get(k), scope));
        }
        try {
            return Filters.apply(fc.name(), value, args, kw, this);
        } catch (JinjaError err) {
            err.locate(fc.line(), fc.col());
            throw err;
        }
    }
}
