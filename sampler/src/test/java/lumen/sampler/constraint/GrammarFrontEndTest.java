package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static lumen.sampler.constraint.Bytes.prefix;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lumen.sampler.constraint.gbnf.Gbnf;
import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.lark.Lark;
import org.junit.jupiter.api.Test;

class GrammarFrontEndTest {
    /** llama.cpp's grammars/arithmetic.gbnf (rewritten without left recursion, as in llama.cpp). */
    static final String ARITHMETIC = """
            root  ::= (expr "=" ws term "\\n")+
            expr  ::= term ([-+*/] term)*
            term  ::= ident | num | "(" ws expr ")" ws
            ident ::= [a-z] [a-z0-9_]* ws
            num   ::= [0-9]+ ws
            ws    ::= [ \\t\\n]*
            """;

    /** llama.cpp's grammars/json.gbnf. */
    static final String JSON_GBNF = """
            root   ::= object
            value  ::= object | array | string | number | ("true" | "false" | "null") ws

            object ::=
              "{" ws (
                        string ":" ws value
                ("," ws string ":" ws value)*
              )? "}" ws

            array  ::=
              "[" ws (
                        value
                ("," ws value)*
              )? "]" ws

            string ::=
              "\\"" (
                [^"\\\\\\x7F\\x00-\\x1F] |
                "\\\\" (["\\\\bfnrt] | "u" [0-9a-fA-F]{4}) # escapes
              )* "\\"" ws

            number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws

            # Optional space: by convention, applied in this grammar after literal chars when allowed
            ws ::= | " " | "\\n" [ \\t]{0,20}
            """;

    @Test
    void gbnfArithmetic() {
        ByteParser p = Gbnf.parse(ARITHMETIC).compile();
        assertTrue(matches(p, "a+b*(c-1)=x\n"));
        assertTrue(matches(p, "1 = 2\nfoo_1/3=y\n"));
        assertFalse(matches(p, "a+=b\n"));
        assertFalse(matches(p, "a=b"));
    }

    @Test
    void gbnfJson() {
        ByteParser p = Gbnf.parse(JSON_GBNF).compile();
        assertTrue(matches(p, "{\"a\": [1, 2.5e3, \"x\\n\", {\"b\": null}], \"c\": true}"));
        assertTrue(matches(p, "{}"));
        assertFalse(matches(p, "{\"a\": }"));
        assertFalse(matches(p, "[1]"));
        assertTrue(prefix(p, "{\"a\": [1, 2"));
    }

    @Test
    void gbnfErrorsNamePlace() {
        ConstraintException e = assertThrows(ConstraintException.class, () -> Gbnf.parse("root ::= \"a\" (b"));
        assertTrue(e.getMessage().startsWith("GBNF at 1:"), e.getMessage());
        assertThrows(ConstraintException.class, () -> Gbnf.parse("root ::= undefined-rule").compile());
        assertThrows(ConstraintException.class, () -> Gbnf.parse("x ::= \"a\""));
    }

    @Test
    void leftRecursionIsRejected() {
        ConstraintException e = assertThrows(ConstraintException.class, () -> Gbnf.parse("root ::= root \"a\" | \"a\"").compile());
        assertTrue(e.getMessage().contains("left recursion"), e.getMessage());
    }

    @Test
    void larkCalculatorWithIgnore() {
        String g = """
                start: sum
                ?sum: product (("+" | "-") product)*
                ?product: atom (("*" | "/") atom)*
                ?atom: NUMBER | "-" atom | "(" sum ")"
                %import common.NUMBER
                %import common.WS_INLINE
                %ignore WS_INLINE
                """;
        ByteParser p = Lark.parse(g).compile();
        assertTrue(matches(p, "1+2*3"));
        assertTrue(matches(p, " 1 + (2.5 * -3) "));
        assertFalse(matches(p, "1+"));
        assertFalse(matches(p, "1\n+2"));
    }

    @Test
    void larkTerminalsRegexRangesAndRepeats() {
        String g = """
                // a SQL-ish tool grammar
                start: "SELECT " COLS " FROM " NAME [" LIMIT " INT]
                COLS: NAME (", " NAME)*
                NAME: /[a-z_][a-z0-9_]*/
                INT: DIGIT ~ 1..3
                DIGIT: "0".."9"
                """;
        ByteParser p = Lark.parse(g).compile();
        assertTrue(matches(p, "SELECT a, b FROM t"));
        assertTrue(matches(p, "SELECT a FROM t LIMIT 100"));
        assertFalse(matches(p, "SELECT a FROM t LIMIT 1000"));
        assertFalse(matches(p, "SELECT FROM t"));
    }

    @Test
    void larkAlternativesOnFollowingLinesAndJson() {
        String g = """
                start: cmd
                cmd: "go " DIR
                   | "say " %json {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"], "additionalProperties": false}
                DIR: "north"i | "south"i
                """;
        ByteParser p = Lark.parse(g).compile();
        assertTrue(matches(p, "go NORTH"));
        assertTrue(matches(p, "say {\"text\":\"hi\"}"));
        assertFalse(matches(p, "say {\"other\":\"hi\"}"));
    }

    @Test
    void larkErrorsNamePlace() {
        ConstraintException e = assertThrows(ConstraintException.class, () -> Lark.parse("start: \"a\"\n%import foo.BAR\n"));
        assertTrue(e.getMessage().startsWith("Lark at 2:"), e.getMessage());
    }

    @Test
    void choice() {
        ByteParser p = Grammar.of(Expr.alt(Expr.literal("yes"), Expr.literal("no"), Expr.literal("not sure"))).compile();
        assertTrue(matches(p, "no"));
        assertTrue(matches(p, "not sure"));
        assertFalse(matches(p, "not"));
        assertTrue(prefix(p, "not"));
    }
}
