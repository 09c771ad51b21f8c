package lumen.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts special-token text out of the input before normal tokenization, as llama.cpp's
 * {@code tokenizer_st_partition}: tokens are tried longest first, each over every remaining text fragment,
 * left to right. Tokens that are not "always" are matched only when parsing special text is on.
 */
public final class SpecialSplitter {
    /** A matchable token: always = matched even without parse_special (user-defined / non-special added tokens). */
    public record Special(int id, String text, boolean always, boolean lstrip, boolean rstrip) {}

    /** A piece of input: plain text (id &lt; 0) or one token. */
    public record Fragment(String text, int id) {
        boolean isText() { return id < 0; }
    }

    private final List<Special> specials;
    private final boolean anyAlways;

    public SpecialSplitter(List<Special> specials) {
        List<Special> s = new ArrayList<>();
        for (Special sp : specials) if (!sp.text().isEmpty()) s.add(sp);
        s.sort(Comparator.comparingInt((Special sp) -> -sp.text().length()).thenComparingInt(Special::id));
        this.specials = List.copyOf(s);
        this.anyAlways = s.stream().anyMatch(Special::always);
    }

    public List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        frags.add(new Fragment(text, -1));
        if (!parseSpecial && !anyAlways) return frags;
        for (Special sp : specials) {
            if (!parseSpecial && !sp.always()) continue;
            String st = sp.text();
            for (int f = 0; f < frags.size(); f++) {
                Fragment fr = frags.get(f);
                if (!fr.isText()) continue;
                String raw = fr.text();
                int at = raw.indexOf(st);
                if (at < 0) continue;
                List<Fragment> rep = new ArrayList<>();
                int pos = 0;
                while (at >= 0) {
                    int leftEnd = at;
                    if (sp.lstrip()) while (leftEnd > pos && Character.isWhitespace(raw.charAt(leftEnd - 1))) leftEnd--;
                    if (leftEnd > pos) rep.add(new Fragment(raw.substring(pos, leftEnd), -1));
                    rep.add(new Fragment(st, sp.id()));
                    pos = at + st.length();
                    if (sp.rstrip()) while (pos < raw.length() && Character.isWhitespace(raw.charAt(pos))) pos++;
                    at = raw.indexOf(st, pos);
                }
                if (pos < raw.length()) rep.add(new Fragment(raw.substring(pos), -1));
                frags.remove(f);
                frags.addAll(f, rep);
                f += rep.size() - 1;
            }
        }
        return frags;
    }
}
