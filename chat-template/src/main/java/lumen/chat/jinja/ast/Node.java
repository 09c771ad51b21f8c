package lumen.chat.jinja.ast;

import java.util.List;

/** The syntax tree of a template: statements ({@link Stmt}) and expressions ({@link Expr}), each with its line:column. */
public sealed interface Node {
    int line();

    int col();

    sealed interface Stmt extends Node {}

    sealed interface Expr extends Node {}

    // ---- statements

    record Text(int line, int col, String text) implements Stmt {}

    record Print(int line, int col, Expr expr) implements Stmt {}

    record If(int line, int col, List<Expr> conditions, List<List<Stmt>> bodies, List<Stmt> elseBody) implements Stmt {}

    record For(int line, int col, List<String> targets, Expr iter, Expr filter, List<Stmt> body, List<Stmt> elseBody,
               boolean recursive) implements Stmt {}

    /** {@code {% set a = x %}}, {@code {% set a, b = x %}} or {@code {% set ns.attr = x %}} (attr non-null). */
    record Assign(int line, int col, List<String> targets, String attr, Expr value) implements Stmt {}

    record SetBlock(int line, int col, String target, String attr, List<Stmt> body, List<FilterCall> filters) implements Stmt {}

    record Macro(int line, int col, String name, List<String> params, List<Expr> defaults, List<Stmt> body) implements Stmt {}

    record CallBlock(int line, int col, Call call, List<String> params, List<Expr> defaults, List<Stmt> body) implements Stmt {}

    record FilterBlock(int line, int col, List<FilterCall> filters, List<Stmt> body) implements Stmt {}

    record Break(int line, int col) implements Stmt {}

    record Continue(int line, int col) implements Stmt {}

    /** {@code {% with a = x, b = y %}…{% endwith %}}: the body sees a and b in its own scope. */
    record With(int line, int col, List<String> names, List<Expr> values, List<Stmt> body) implements Stmt {}

    /** Body of a statement that only groups (e.g. {@code {% generation %}}). */
    record Block(int line, int col, List<Stmt> body) implements Stmt {}

    // ---- expressions

    record Const(int line, int col, Object value) implements Expr {}

    record Name(int line, int col, String name) implements Expr {}

    record ListLit(int line, int col, List<Expr> items) implements Expr {}

    record TupleLit(int line, int col, List<Expr> items) implements Expr {}

    record DictLit(int line, int col, List<Expr> keys, List<Expr> values) implements Expr {}

    record GetAttr(int line, int col, Expr obj, String name) implements Expr {}

    record GetItem(int line, int col, Expr obj, Expr key) implements Expr {}

    record Slice(int line, int col, Expr obj, Expr start, Expr stop, Expr step) implements Expr {}

    record Call(int line, int col, Expr fn, List<Expr> args, List<String> kwNames, List<Expr> kwValues) implements Expr {}

    record FilterCall(int line, int col, String name, List<Expr> args, List<String> kwNames, List<Expr> kwValues) {}

    record Filter(int line, int col, Expr value, FilterCall filter) implements Expr {}

    record Test(int line, int col, Expr value, String name, List<Expr> args, boolean negated) implements Expr {}

    record Unary(int line, int col, String op, Expr operand) implements Expr {}

    record Binary(int line, int col, String op, Expr left, Expr right) implements Expr {}

    /** Chained comparison {@code a < b == c}; ops are "==", "!=", "<", "<=", ">", ">=", "in", "notin". */
    record Compare(int line, int col, Expr first, List<String> ops, List<Expr> rest) implements Expr {}

    record Cond(int line, int col, Expr test, Expr then, Expr otherwise) implements Expr {}
}
