package lumen.sampler.constraint;

import static lumen.sampler.constraint.Bytes.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lumen.sampler.constraint.grammar.ByteParser;
import lumen.sampler.constraint.grammar.Grammar;
import lumen.sampler.constraint.regex.Regex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Regex full matches compared with java.util.regex on the same inputs (the two agree on this subset). */
class RegexTest {
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "a => a", "a => b", "a => aa", "ab*c => ac", "ab*c => abbbc", "ab*c => abd", "a(b|cd)+e => abcdbe", "a(b|cd)+e => ae", "[a-c]{2,3} => ab", "[a-c]{2,3} => abcd", "[a-c]{2,3} => a", "[^a-c]x => dx", "[^a-c]x => ax", "\\d{3}-\\d{4} => 555-1234", "\\d{3}-\\d{4} => 55-1234", "\\w+@\\w+\\.com => joe@mail.com", "\\w+@\\w+\\.com => joe@mail.org", "x?y?z? => ''", "x?y?z? => xz", "(?:ab){2} => abab", "(?<n>ab)c => abc", "a.c => a\u00e9c", "caf\u00e9 => caf\u00e9", "[\u00e0-\u00ff]+ => \u00e9\u00e8", "[\u4e00-\u9fff]{2} => \u4e2d\u6587", "[\u4e00-\u9fff]{2} => \u4e2d", "^abc$ => abc", "cat|dog => dog", "^cat|dog$ => dog", "[+-]?\\d+(\\.\\d+)? => -12.5", "[+-]?\\d+(\\.\\d+)? => -12.", "a{0}b => b", "a{3,} => aaaa", "a{3,} => aa", "\\x41\\u0042 => AB", "[\\d\\s]+ => 1 2", "[a\\-z]+ => a-z", "[-a]+ => -a", "\\.\\* => .*", "\\S+ => ab", "\\S+ => a b", "[\ud83d\ude00-\ud83d\ude4f] => \ud83d\ude03"})
    void agreesWithJavaRegex(String pattern, String input) {
        String in = input == null ? "" : input;
        boolean expected = java.util.regex.Pattern.compile(pattern).matcher(in).matches();
        assertEquals(expected, matches(Grammar.of(Regex.compile(pattern)), in), pattern + " on " + in);
    }

    @Test
    void searchModeMatchesAnywhere() {
        ByteParser p = Grammar.of(Regex.compile("b+c", Regex.Mode.SEARCH, lumen.sampler.constraint.grammar.Expr::chars, false)).compile();
        assertTrue(matches(p, "abbcd"));
        assertTrue(!matches(p, "abd"));
        ByteParser anchored = Grammar.of(Regex.compile("^b+c", Regex.Mode.SEARCH, lumen.sampler.constraint.grammar.Expr::chars, false)).compile();
        assertTrue(matches(anchored, "bcx"));
        assertTrue(!matches(anchored, "abc"));
    }

    @Test
    void dotStopsAtNewline() {
        assertTrue(!matches(Grammar.of(Regex.compile("a.c")), "a\nc"));
        assertTrue(matches(Grammar.of(Regex.compile("a[^x]c")), "a\nc"));
    }

    @Test
    void caseInsensitive() {
        ByteParser p = Grammar.of(Regex.compile("select", Regex.Mode.FULL, lumen.sampler.constraint.grammar.Expr::chars, true)).compile();
        assertTrue(matches(p, "SeLeCt"));
    }

    @Test
    void nonRegularFeaturesAreRejectedWithColumn() {
        ConstraintException e = assertThrows(ConstraintException.class, () -> Regex.compile("a(?=b)"));
        assertTrue(e.getMessage().contains("column 4"), e.getMessage());
        assertThrows(ConstraintException.class, () -> Regex.compile("(a)\\1"));
        assertThrows(ConstraintException.class, () -> Regex.compile("\\bword"));
        assertThrows(ConstraintException.class, () -> Regex.compile("a(b"));
    }
}
