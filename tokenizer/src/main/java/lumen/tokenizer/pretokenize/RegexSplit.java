package lumen.tokenizer.pretokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits each piece with a regex. Behaviour as in HF tokenizers' {@code Split}: ISOLATED keeps matches and
 * the gaps between them as separate pieces (this is also llama.cpp's {@code unicode_regex_split} for each of
 * its patterns in turn); REMOVED drops the matches; MERGED_WITH_PREVIOUS / MERGED_WITH_NEXT glue each match to
 * the gap before / after it. With invert, the gaps play the role of the matches. The regex sees only the piece
 * (lookahead and {@code $} stop at its end).
 */
public final class RegexSplit implements PreTokenizer {
    public enum Behavior { ISOLATED, REMOVED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    private final Pattern pattern;
    private final Behavior behavior;
    private final boolean invert;

    public RegexSplit(Pattern pattern, Behavior behavior, boolean invert) {
        this.pattern = pattern;
        this.behavior = behavior;
        this.invert = invert;
    }

    public static RegexSplit isolated(Pattern pattern) {
        return new RegexSplit(pattern, Behavior.ISOLATED, false);
    }

    @Override
    public List<String> split(List<String> in) {
        List<String> out = new ArrayList<>(in.size() * 4);
        for (String s : in) splitOne(s, out);
        return out;
    }

    private void splitOne(String s, List<String> out) {
        if (behavior == Behavior.ISOLATED) {
            // Hot path: matches and gaps alike become pieces.
            Matcher m = pattern.matcher(s);
            int pos = 0;
            while (m.find()) {
                int a = m.start(), b = m.end();
                if (a == b) continue;
                if (a > pos) out.add(s.substring(pos, a));
                out.add(s.substring(a, b));
                pos = b;
            }
            if (pos < s.length()) out.add(s.substring(pos));
            return;
        }
        // Collect (start, end, isMatch) spans covering s.
        Matcher m = pattern.matcher(s);
        int pos = 0;
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            int a = m.start(), b = m.end();
            if (a == b) {
                // Empty match: HF treats it as a split point; it contributes no text.
                if (a > pos) spans.add(new int[] {pos, a, invert ? 1 : 0});
                pos = Math.max(pos, a);
                continue;
            }
            if (a > pos) spans.add(new int[] {pos, a, invert ? 1 : 0});
            spans.add(new int[] {a, b, invert ? 0 : 1});
            pos = b;
        }
        if (pos < s.length()) spans.add(new int[] {pos, s.length(), invert ? 1 : 0});
        switch (behavior) {
            case ISOLATED -> { for (int[] sp : spans) out.add(s.substring(sp[0], sp[1])); }
            case REMOVED -> { for (int[] sp : spans) if (sp[2] == 0) out.add(s.substring(sp[0], sp[1])); }
            case MERGED_WITH_PREVIOUS -> {
                int cur = 0;
                for (int[] sp : spans) if (sp[2] == 1) { out.add(s.substring(cur, sp[1])); cur = sp[1]; }
                if (cur < s.length()) out.add(s.substring(cur));
            }
            case MERGED_WITH_NEXT -> {
                int cur = 0;
                for (int[] sp : spans) if (sp[2] == 1 && sp[0] > cur) { out.add(s.substring(cur, sp[0])); cur = sp[0]; }
                if (cur < s.length()) out.add(s.substring(cur));
            }
            case CONTIGUOUS -> {
                int start = -1, kind = -1;
                for (int[] sp : spans) {
                    if (start >= 0 && sp[2] == 1 && kind == 1) continue;
                    if (start >= 0) out.add(s.substring(start, sp[0]));
                    start = sp[0]; kind = sp[2];
                }
                if (start >= 0) out.add(s.substring(start));
            }
        }
    }
}
