package lumen.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test reference: the first, literal implementation of llama.cpp's tokenizer_st_partition (one search per token
 * over every fragment), kept to check the trie-based SpecialSplitter against.
 * Cuts special-token text out of the input before normal tokenization, as llama.cpp's
 * {@code tokenizer_st_partition}: tokens are tried longest first, each over every remaining text fragment,
 * left to right. Tokens that are not "always" are matched only when parsing special text is on.
 */
final class ReferenceSpecialSplitter {
    private final List<SpecialSplitter.Special> specials;
    private final boolean anyAlways;

    ReferenceSpecialSplitter(List<SpecialSplitter.Special> specials) {
        List<SpecialSplitter.Special> s = new ArrayList<>();
        for (SpecialSplitter.Special sp : specials) if (!sp.text().isEmpty()) s.add(sp);
        s.sort(Comparator.comparingInt((SpecialSplitter.Special sp) -> -sp.text().length()).thenComparingInt(SpecialSplitter.Special::id));
        this.specials = List.copyOf(s);
        this.anyAlways = s.stream().anyMatch(SpecialSplitter.Special::always);
    }

    public List<SpecialSplitter.Fragment> split(String text, boolean parseSpecial) {
        List<SpecialSplitter.Fragment> frags = new ArrayList<>();
        frags.add(new SpecialSplitter.Fragment(text, -1));
        if (!parseSpecial && !anyAlways) return frags;
        for (SpecialSplitter.Special sp : specials) {
            if (!parseSpecial && !sp.always()) continue;
            String st = sp.text();
            for (int f = 0; f < frags.size(); f++) {
                SpecialSplitter.Fragment fr = frags.get(f);
                if (fr.id() >= 0) continue;
                String raw = fr.text();
                int at = raw.indexOf(st);
                if (at < 0) continue;
                List<SpecialSplitter.Fragment> rep = new ArrayList<>();
                int pos = 0;
                while (at >= 0) {
                    int leftEnd = at;
                    if (sp.lstrip()) while (leftEnd > pos && SpecialSplitter.UNICODE_WHITE_SPACE.test(raw.charAt(leftEnd - 1))) leftEnd--;
                    if (leftEnd > pos) rep.add(new SpecialSplitter.Fragment(raw.substring(pos, leftEnd), -1));
                    rep.add(new SpecialSplitter.Fragment(st, sp.id()));
                    pos = at + st.length();
                    if (sp.rstrip()) while (pos < raw.length() && SpecialSplitter.UNICODE_WHITE_SPACE.test(raw.charAt(pos))) pos++;
                    at = raw.indexOf(st, pos);
                }
                if (pos < raw.length()) rep.add(new SpecialSplitter.Fragment(raw.substring(pos), -1));
                frags.remove(f);
                frags.addAll(f, rep);
                f += rep.size() - 1;
            }
        }
        return frags;
    }
}
