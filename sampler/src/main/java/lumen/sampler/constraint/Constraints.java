package lumen.sampler.constraint;

import java.util.ArrayList;
import java.util.List;
import lumen.sampler.constraint.gbnf.Gbnf;
import lumen.sampler.constraint.grammar.Expr;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.grammar.GrammarConstraint;
import lumen.sampler.constraint.json.JsonSchemaCompiler;
import lumen.sampler.constraint.lark.Lark;
import lumen.sampler.constraint.regex.Regex;

/**
 * Entry points: every kind of constraint compiles to one {@link Grammar} and one matcher over the
 * vocabulary's token trie. Compilation errors are {@link ConstraintException}s naming the place.
 */
public final class Constraints {
    private Constraints() {}

    /**
     * Output must be JSON accepted by the schema (compact: no whitespace between tokens).
     * {@code strict}: reject schemas with keywords that cannot be enforced; otherwise those are ignored.
     */
    public static Constraint jsonSchema(String schemaJson, boolean strict, TokenVocabulary vocab) {
        return jsonSchema(schemaJson, new JsonSchemaCompiler.Options(strict, JsonSchemaCompiler.Whitespace.COMPACT, false), vocab);
    }

    /** As {@link #jsonSchema(String, boolean, TokenVocabulary)} with explicit options (whitespace policy). */
    public static Constraint jsonSchema(String schemaJson, JsonSchemaCompiler.Options options, TokenVocabulary vocab) {
        return grammar(JsonSchemaCompiler.compile(schemaJson, options), vocab);
    }

    /** Any JSON object (compact). */
    public static Constraint jsonObject(TokenVocabulary vocab) {
        return jsonObject(JsonSchemaCompiler.Whitespace.COMPACT, vocab);
    }

    /** Any JSON object with the given whitespace policy. */
    public static Constraint jsonObject(JsonSchemaCompiler.Whitespace whitespace, TokenVocabulary vocab) {
        Grammar.Builder b = new Grammar.Builder();
        b.put("start", JsonSchemaCompiler.anyObject(b, new JsonSchemaCompiler.Options(false, whitespace, false)));
        return grammar(b.build("start"), vocab);
    }

    /** The whole output matches {@code regex} (anchors {@code ^ $} at the ends are optional). */
    public static Constraint regex(String regex, TokenVocabulary vocab) {
        return grammar(Grammar.of(Regex.compile(regex)), vocab);
    }

    /** The output is exactly one of {@code options}. */
    public static Constraint choice(List<String> options, TokenVocabulary vocab) {
        if (options.isEmpty()) throw new ConstraintException("choice: no options given");
        List<Expr> alts = new ArrayList<>();
        for (String o : options) alts.add(Expr.literal(o));
        return grammar(Grammar.of(Expr.alt(alts)), vocab);
    }

    /** A llama.cpp GBNF grammar (start rule {@code root}). */
    public static Constraint gbnf(String grammar, TokenVocabulary vocab) {
        return grammar(Gbnf.parse(grammar), vocab);
    }

    /** A Lark grammar as OpenAI custom tools and llguidance use it (start rule {@code start}). */
    public static Constraint lark(String grammar, TokenVocabulary vocab) {
        return grammar(Lark.parse(grammar), vocab);
    }

    /** Any grammar built directly. */
    public static Constraint grammar(Grammar grammar, TokenVocabulary vocab) {
        return new GrammarConstraint(grammar, vocab);
    }
}
