package lumen.tokenizer.pretokenize;

import java.util.List;

/** One stage that cuts text into pieces; the model then encodes each piece on its own. */
public interface PreTokenizer {
    /** Splits every piece of in and returns the new list of pieces (in order, no empty pieces). */
    List<String> split(List<String> in);

    /** A stage that leaves the pieces as they are. */
    PreTokenizer NONE = in -> in;

    /** Stages applied one after another, as the tokenizer.json {@code Sequence} does. */
    static PreTokenizer sequence(List<PreTokenizer> stages) {
        List<PreTokenizer> copy = List.copyOf(stages);
        return in -> {
            List<String> cur = in;
            for (PreTokenizer s : copy) cur = s.split(cur);
            return cur;
        };
    }
}
