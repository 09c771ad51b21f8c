package lumen.chat.jinja.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import lumen.chat.ChatTemplateException;
import lumen.chat.jinja.ast.Node.*;
import lumen.chat.jinja.lex.Lexer;
import lumen.chat.jinja.lex.Token;
import lumen.chat.jinja.lex.Token.Kind;

/** Recursive-descent parser following Jinja2's grammar and operator precedence (jinja2/parser.py). */
public final class Parser {
    private final List<Token> toks;
    private int i;
    /** How many for-loop bodies enclose the statement being parsed (break/continue need one). */
    private int loopDepth;

    private Parser(List<Token> toks) {
        this.toks = toks;
    }

    public static List<Stmt> parse(String source) {
        Parser p = new Parser(Lexer.tokenize(source));
        List<Stmt> body = p.subparse(Set.of());
        if (p.cur().kind() != Kind.EOF) {
            throw p.error(p.cur(), "unexpected '" + p.cur().text() + "'");
        }
        return body;
    }

    private Token cur() {
        return toks.get(i);
    }

    private Token peek(int k) {
        return toks.get(Math.min(i + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private ChatTemplateException error(Token t, String msg) {
        return new ChatTemplateException("template " + t.line() + ":" + t.column() + ": " + msg);
    }

    private static String describe(Token t) {
        return t.kind() == Kind.EOF ? "end of template" : "'" + t.text() + "'";
    }

    private Token expectOp(String op) {
        if (!cur().isOp(op)) {
            throw error(cur(), "found " + describe(cur()) + ", expected '" + op + "'");
        }
        return next();
    }

    private Token expectKind(Kind k, String what) {
        if (cur().kind() != k) {
            throw error(cur(), "found " + describe(cur()) + ", expected " + what);
        }
        return next();
    }

    private String expectName() {
        return expectKind(Kind.NAME, "a name").text();
    }

    private boolean skipOp(String op) {
        if (cur().isOp(op)) {
            next();
            return true;
        }
        return false;
    }

    private boolean skipName(String n) {
        if (cur().isName(n)) {
            next();
            return true;
        }
        return false;
    }

    /** Parses statements until a block tag whose name is in {@code endTags} (left unconsumed, after its BLOCK_BEGIN). */
    private List<Stmt> subparse(Set<String> endTags) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token t = cur();
            switch (t.kind()) {
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw error(t, "found end of template, expected one of " + endTags);
                    }
                    return body;
                }
                case DATA -> {
                    next();
                    body.add(new Text(t.line(), t.column(), t.text()));
                }
                case VAR_BEGIN -> {
                    next();
                    Expr e = parseTuple(false);
                    expectKind(Kind.VAR_END, "'}}'");
                    body.add(new Print(t.line(), t.column(), e));
                }
                case BLOCK_BEGIN -> {
                    Token name = peek(1);
                    if (name.kind() == Kind.NAME && endTags.contains(name.text())) {
                        next();
                        return body;
                    }
                    next();
                    body.add(parseStatement());
                }
                default -> throw error(t, "unexpected " + describe(t));
            }
        }
    }

    private void endBlock() {
        expectKind(Kind.BLOCK_END, "'%}'");
    }

    private Stmt parseStatement() {
        Token t = expectKind(Kind.NAME, "a statement name");
        int l = t.line();
        int c = t.column();
        switch (t.text()) {
            case "if" -> {
                List<Expr> conds = new ArrayList<>();
                List<List<Stmt>> bodies = new ArrayList<>();
                conds.add(parseTuple(false));
                endBlock();
                List<Stmt> elseBody = List.of();
                while (true) {
                    bodies.add(subparse(Set.of("elif", "else", "endif")));
                    String tag = next().text();
                    if (tag.equals("elif")) {
                        conds.add(parseTuple(false));
                        endBlock();
                    } else if (tag.equals("else")) {
                        endBlock();
                        elseBody = subparse(Set.of("endif"));
                        next();
                        endBlock();
                        break;
                    } else {
                        endBlock();
                        break;
                    }
                }
                return new If(l, c, conds, bodies, elseBody);
            }
            case "for" -> {
                List<String> targets = new ArrayList<>();
                targets.add(expectName());
                while (skipOp(",")) {
                    targets.add(expectName());
                }
                if (!skipName("in")) {
                    throw error(cur(), "found " + describe(cur()) + ", expected 'in'");
                }
                Expr iter = parseTuple(true);
                Expr filter = null;
                if (skipName("if")) {
                    filter = parseExpression(true);
                }
                boolean recursive = skipName("recursive");
                endBlock();
                loopDepth++;
                List<Stmt> body;
                try {
                    body = subparse(Set.of("endfor", "else"));
                } finally {
                    loopDepth--;
                }
                List<Stmt> elseBody = List.of();
                if (next().text().equals("else")) {
                    endBlock();
                    elseBody = subparse(Set.of("endfor"));
                    next();
                }
                endBlock();
                return new For(l, c, targets, iter, filter, body, elseBody, recursive);
            }
            case "set" -> {
                String first = expectName();
                String attr = null;
                List<String> targets = new ArrayList<>();
                targets.add(first);
                if (skipOp(".")) {
                    attr = expectName();
                } else {
                    while (skipOp(",")) {
                        targets.add(expectName());
                    }
                }
                if (skipOp("=")) {
                    Expr value = parseTuple(false);
                    endBlock();
                    return new Assign(l, c, targets, attr, value);
                }
                List<FilterCall> filters = new ArrayList<>();
                while (skipOp("|")) {
                    filters.add(parseFilterCall());
                }
                endBlock();
                List<Stmt> body = subparse(Set.of("endset"));
                next();
                endBlock();
                return new SetBlock(l, c, first, attr, body, filters);
            }
            case "macro" -> {
                String name = expectName();
                List<String> params = new ArrayList<>();
                List<Expr> defaults = new ArrayList<>();
                parseSignature(params, defaults);
                endBlock();
                int outerLoops = loopDepth;
                loopDepth = 0;
                List<Stmt> body;
                try {
                    body = subparse(Set.of("endmacro"));
                } finally {
                    loopDepth = outerLoops;
                }
                next();
                endBlock();
                return new Macro(l, c, name, params, defaults, body);
            }
            case "call" -> {
                List<String> params = new ArrayList<>();
                List<Expr> defaults = new ArrayList<>();
                if (cur().isOp("(")) {
                    parseSignature(params, defaults);
                }
                Expr call = parseExpression(true);
                if (!(call instanceof Call cl)) {
                    throw error(t, "expected a call after 'call'");
                }
                endBlock();
                List<Stmt> body = subparse(Set.of("endcall"));
                next();
                endBlock();
                return new CallBlock(l, c, cl, params, defaults, body);
            }
            case "filter" -> {
                List<FilterCall> filters = new ArrayList<>();
                filters.add(parseFilterCall());
                while (skipOp("|")) {
                    filters.add(parseFilterCall());
                }
                endBlock();
                List<Stmt> body = subparse(Set.of("endfilter"));
                next();
                endBlock();
                return new FilterBlock(l, c, filters, body);
            }
            case "with" -> {
                List<String> names = new ArrayList<>();
                List<Expr> values = new ArrayList<>();
                while (cur().kind() != Kind.BLOCK_END) {
                    if (!names.isEmpty()) {
                        expectOp(",");
                    }
                    names.add(expectName());
                    expectOp("=");
                    values.add(parseExpression(true));
                }
                endBlock();
                List<Stmt> body = subparse(Set.of("endwith"));
                next();
                endBlock();
                return new With(l, c, names, values, body);
            }
            case "generation" -> {
                endBlock();
                List<Stmt> body = subparse(Set.of("endgeneration"));
                next();
                endBlock();
                return new Block(l, c, body);
            }
            case "break" -> {
                if (loopDepth == 0) {
                    throw error(t, "'break' outside a for loop");
                }
                endBlock();
                return new Break(l, c);
            }
            case "continue" -> {
                if (loopDepth == 0) {
                    throw error(t, "'continue' outside a for loop");
                }
                endBlock();
                return new Continue(l, c);
            }
            default -> throw error(t, "unknown statement '" + t.text() + "'");
        }
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        expectOp("(");
        while (!cur().isOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
                if (cur().isOp(")")) {
                    break;
                }
            }
            params.add(expectName());
            if (skipOp("=")) {
                defaults.add(parseExpression(true));
            } else {
                if (!defaults.isEmpty()) {
                    throw error(cur(), "non-default parameter follows a default parameter");
                }
            }
        }
        next();
    }

    // ---- expressions, highest level first (jinja2/parser.py)

    /** An expression, or a bare tuple {@code a, b} where Jinja allows one. */
    private Expr parseTuple(boolean noCondExpr) {
        Token t = cur();
        List<Expr> items = new ArrayList<>();
        boolean comma = false;
        while (true) {
            if (!items.isEmpty()) {
                if (!skipOp(",")) {
                    break;
                }
                comma = true;
            }
            if (isTupleEnd()) {
                break;
            }
            items.add(parseExpression(!noCondExpr));
        }
        if (!comma) {
            if (items.isEmpty()) {
                throw error(t, "found " + describe(t) + ", expected an expression");
            }
            return items.get(0);
        }
        return new TupleLit(t.line(), t.column(), items);
    }

    private boolean isTupleEnd() {
        Token t = cur();
        return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.EOF
            || t.isOp(")") || t.isOp("]") || t.isOp("}") || t.isName("if") || t.isName("recursive")
            || t.isName("in");
    }

    private Expr parseExpression(boolean withCondExpr) {
        return withCondExpr ? parseCondExpr() : parseOr();
    }

    private Expr parseCondExpr() {
        Expr e = parseOr();
        while (cur().isName("if")) {
            Token t = next();
            Expr test = parseOr();
            Expr otherwise = null;
            if (skipName("else")) {
                otherwise = parseCondExpr();
            }
            e = new Cond(t.line(), t.column(), test, e, otherwise);
        }
        return e;
    }

    private Expr parseOr() {
        Expr e = parseAnd();
        while (cur().isName("or")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), "or", e, parseAnd());
        }
        return e;
    }

    private Expr parseAnd() {
        Expr e = parseNot();
        while (cur().isName("and")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), "and", e, parseNot());
        }
        return e;
    }

    private Expr parseNot() {
        if (cur().isName("not")) {
            Token t = next();
            return new Unary(t.line(), t.column(), "not", parseNot());
        }
        return parseCompare();
    }

    private static final Set<String> CMP = Set.of("==", "!=", "<", "<=", ">", ">=");

    private Expr parseCompare() {
        Token t = cur();
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token c = cur();
            if (c.kind() == Kind.OP && CMP.contains(c.text())) {
                next();
                ops.add(c.text());
            } else if (c.isName("in")) {
                next();
                ops.add("in");
            } else if (c.isName("not") && peek(1).isName("in")) {
                next();
                next();
                ops.add("notin");
            } else {
                break;
            }
            rest.add(parseMath1());
        }
        return ops.isEmpty() ? first : new Compare(t.line(), t.column(), first, ops, rest);
    }

    private Expr parseMath1() {
        Expr e = parseConcat();
        while (cur().isOp("+") || cur().isOp("-")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), t.text(), e, parseConcat());
        }
        return e;
    }

    private Expr parseConcat() {
        Expr e = parseMath2();
        while (cur().isOp("~")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), "~", e, parseMath2());
        }
        return e;
    }

    private Expr parseMath2() {
        Expr e = parsePow();
        while (cur().isOp("*") || cur().isOp("/") || cur().isOp("//") || cur().isOp("%")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), t.text(), e, parsePow());
        }
        return e;
    }

    private Expr parsePow() {
        Expr e = parseUnary(true);
        while (cur().isOp("**")) {
            Token t = next();
            e = new Binary(t.line(), t.column(), "**", e, parseUnary(true));
        }
        return e;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = cur();
        Expr e;
        if (t.isOp("-") || t.isOp("+")) {
            next();
            e = new Unary(t.line(), t.column(), t.text(), parseUnary(false));
        } else {
            e = parsePrimary();
        }
        e = parsePostfix(e);
        if (withFilter) {
            e = parseFilterExpr(e);
        }
        return e;
    }

    private Expr parsePrimaryPostfix() {
        return parsePostfix(parsePrimary());
    }

    private Expr parsePrimary() {
        Token t = next();
        int l = t.line();
        int c = t.column();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Const(l, c, Boolean.TRUE);
                    case "false", "False" -> new Const(l, c, Boolean.FALSE);
                    case "none", "None" -> new Const(l, c, null);
                    default -> new Name(l, c, t.text());
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (cur().kind() == Kind.STRING) {
                    sb.append(next().text());
                }
                return new Const(l, c, sb.toString());
            }
            case INT -> {
                return new Const(l, c, Long.parseLong(t.text()));
            }
            case FLOAT -> {
                return new Const(l, c, Double.parseDouble(t.text()));
            }
            case OP -> {
                switch (t.text()) {
                    case "(" -> {
                        if (skipOp(")")) {
                            return new TupleLit(l, c, List.of());
                        }
                        Expr first = parseExpression(true);
                        if (skipOp(")")) {
                            return first;
                        }
                        List<Expr> items = new ArrayList<>();
                        items.add(first);
                        while (skipOp(",")) {
                            if (cur().isOp(")")) {
                                break;
                            }
                            items.add(parseExpression(true));
                        }
                        expectOp(")");
                        return new TupleLit(l, c, items);
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!cur().isOp("]")) {
                            if (!items.isEmpty()) {
                                expectOp(",");
                                if (cur().isOp("]")) {
                                    break;
                                }
                            }
                            items.add(parseExpression(true));
                        }
                        next();
                        return new ListLit(l, c, items);
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!cur().isOp("}")) {
                            if (!keys.isEmpty()) {
                                expectOp(",");
                                if (cur().isOp("}")) {
                                    break;
                                }
                            }
                            keys.add(parseExpression(true));
                            expectOp(":");
                            values.add(parseExpression(true));
                        }
                        next();
                        return new DictLit(l, c, keys, values);
                    }
                    default -> { }
                }
            }
            default -> { }
        }
        throw error(t, "found " + describe(t) + ", expected an expression");
    }

    private Expr parsePostfix(Expr e) {
        while (true) {
            Token t = cur();
            if (t.isOp(".")) {
                next();
                Token n = next();
                if (n.kind() == Kind.NAME) {
                    e = new GetAttr(t.line(), t.column(), e, n.text());
                } else if (n.kind() == Kind.INT) {
                    e = new GetItem(t.line(), t.column(), e, new Const(n.line(), n.column(), Long.parseLong(n.text())));
                } else {
                    throw error(n, "found " + describe(n) + ", expected an attribute name");
                }
            } else if (t.isOp("[")) {
                next();
                e = parseSubscript(t, e);
            } else if (t.isOp("(")) {
                e = parseCall(e);
            } else {
                return e;
            }
        }
    }

    private Expr parseSubscript(Token t, Expr obj) {
        Expr[] parts = new Expr[3];
        int k = 0;
        boolean slice = false;
        while (!cur().isOp("]")) {
            if (cur().isOp(":")) {
                next();
                slice = true;
                k++;
                if (k > 2) {
                    throw error(cur(), "too many ':' in slice");
                }
                continue;
            }
            if (parts[k] != null) {
                throw error(cur(), "found " + describe(cur()) + ", expected ']'");
            }
            parts[k] = parseTuple(false);
        }
        next();
        if (!slice) {
            if (parts[0] == null) {
                throw error(t, "empty subscript");
            }
            return new GetItem(t.line(), t.column(), obj, parts[0]);
        }
        return new Slice(t.line(), t.column(), obj, parts[0], parts[1], parts[2]);
    }

    private Call parseCall(Expr fn) {
        expectOp("(");
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        parseArgs(args, kwNames, kwValues);
        return new Call(fn.line(), fn.col(), fn, args, kwNames, kwValues);
    }

    /** After '(' : positional and keyword arguments up to and including ')'. */
    private void parseArgs(List<Expr> args, List<String> kwNames, List<Expr> kwValues) {
        boolean first = true;
        while (!cur().isOp(")")) {
            if (!first) {
                expectOp(",");
                if (cur().isOp(")")) {
                    break;
                }
            }
            first = false;
            if (cur().kind() == Kind.NAME && peek(1).isOp("=")) {
                kwNames.add(next().text());
                next();
                kwValues.add(parseExpression(true));
            } else {
                if (!kwNames.isEmpty()) {
                    throw error(cur(), "positional argument follows keyword argument");
                }
                args.add(parseExpression(true));
            }
        }
        next();
    }

    private FilterCall parseFilterCall() {
        Token t = cur();
        StringBuilder name = new StringBuilder(expectName());
        while (cur().isOp(".")) {
            next();
            name.append('.').append(expectName());
        }
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        if (skipOp("(")) {
            parseArgs(args, kwNames, kwValues);
        }
        return new FilterCall(t.line(), t.column(), name.toString(), args, kwNames, kwValues);
    }

    private Expr parseFilterExpr(Expr e) {
        while (true) {
            Token t = cur();
            if (t.isOp("|")) {
                next();
                e = new Filter(t.line(), t.column(), e, parseFilterCall());
            } else if (t.isName("is")) {
                next();
                boolean negated = skipName("not");
                Token nameTok = cur();
                StringBuilder name = new StringBuilder(expectName());
                while (cur().isOp(".")) {
                    next();
                    name.append('.').append(expectName());
                }
                List<Expr> args = new ArrayList<>();
                if (cur().isOp("(")) {
                    next();
                    List<String> kwn = new ArrayList<>();
                    parseArgs(args, kwn, new ArrayList<>());
                } else if (startsTestArg(cur())) {
                    Expr arg = parsePrimaryPostfix();
                    args.add(arg);
                }
                e = new Test(nameTok.line(), nameTok.column(), e, name.toString(), args, negated);
            } else if (t.isOp("(")) {
                e = parseCall(e);
            } else {
                return e;
            }
        }
    }

    private static boolean startsTestArg(Token t) {
        return switch (t.kind()) {
            case NAME -> !Set.of("else", "or", "and").contains(t.text()); // as jinja2's parse_test
            case STRING, INT, FLOAT -> true;
            case OP -> t.text().equals("[") || t.text().equals("{");
            default -> false;
        };
    }
}
