package lumen.tokenizer;

import java.io.ByteArrayOutputStream;
import java.util.BitSet;
import java.util.List;

import lumen.tokenizer.pretokenize.PreTokenizer;

/**
 * The tokenizer every loader assembles: special-token split → normalizer → pre-tokenizer → model, then BOS/EOS;
 * decoding concatenates token bytes and decodes UTF-8 once, so characters split across tokens come out whole.
 * Unpaired surrogates in the input stay as they are for the pre-tokenizer (category Cs, as in JavaScript) and
 * are encoded as U+FFFD wherever bytes are needed.
 */
public final class PipelineTokenizer implements Tokenizer {
    /** Everything that differs between tokenizers. */
    public record Parts(Vocab vocab, SpecialSplitter specials, Normalizer normalizer, PreTokenizer preTokenizer,
                        PieceEncoder model, int bos, int eos, boolean addBos, boolean addEos,
                        BitSet endOfGeneration, boolean stripLeadingSpace) {}

    private final Parts p;
    private final Vocab vocab;

    public PipelineTokenizer(Parts parts) {
        this.p = parts;
        this.vocab = parts.vocab();
    }

    public Parts parts() {
        return p;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        if (addSpecial && p.addBos() && p.bos() >= 0) out.add(p.bos());
        boolean afterSpecial = true, atStart = true;
        for (SpecialSplitter.Fragment f : p.specials().split(text, parseSpecial)) {
            if (!f.isText()) {
                out.add(f.id());
                afterSpecial = true;
                atStart = false;
                continue;
            }
            if (f.text().isEmpty()) continue;
            String norm = p.normalizer().apply(f.text(), atStart, afterSpecial);
            afterSpecial = atStart = false;
            if (norm.isEmpty()) continue;
            for (String piece : p.preTokenizer().split(List.of(norm))) p.model().encode(piece, out);
        }
        if (addSpecial && p.addEos() && p.eos() >= 0) out.add(p.eos());
        return out.toArray();
    }

    @Override
    public String decode(int[] ids, boolean showSpecial) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(ids.length * 4);
        boolean atStart = true;
        for (int id : ids) {
            if (!shown(id, showSpecial)) continue;
            byte[] b = vocab.bytes(id);
            int off = atStart && p.stripLeadingSpace() && b.length > 0 && b[0] == ' ' ? 1 : 0;
            buf.write(b, off, b.length - off);
            atStart = false;
        }
        byte[] all = buf.toByteArray();
        return Utf8.decode(all, 0, all.length);
    }

    private boolean shown(int id, boolean showSpecial) {
        if (id < 0 || id >= vocab.size()) throw new TokenizerException("token id " + id + " out of range [0, " + vocab.size() + ")");
        // As llama.cpp's token_to_piece: control and unknown tokens are text only when special text is asked for.
        TokenType t = vocab.type(id);
        return showSpecial || (t != TokenType.CONTROL && t != TokenType.UNKNOWN);
    }

    @Override
    public StreamDecoder streamDecoder(boolean showSpecial) {
        return new StreamDecoder() {
            private byte[] pending = new byte[16];
            private int n;
            private boolean atStart = true;

            @Override
            public String push(int id) {
                if (!shown(id, showSpecial)) return "";
                byte[] b = vocab.bytes(id);
                int off = atStart && p.stripLeadingSpace() && b.length > 0 && b[0] == ' ' ? 1 : 0;
                atStart = false;
                if (n + b.length > pending.length) pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, n + b.length));
                System.arraycopy(b, off, pending, n, b.length - off);
                n += b.length - off;
                int done = Utf8.completePrefix(pending, n);
                if (done == 0) return "";
                String s = Utf8.decode(pending, 0, done);
                System.arraycopy(pending, done, pending, 0, n - done);
                n -= done;
                return s;
            }

            @Override
            public String flush() {
                String s = Utf8.decode(pending, 0, n);
                n = 0;
                atStart = true;
                return s;
            }
        };
    }

    @Override
    public byte[] tokenBytes(int id) {
        return vocab.bytes(id).clone();
    }

    @Override
    public String tokenText(int id) {
        return vocab.text(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bos() {
        return p.bos();
    }

    @Override
    public int eos() {
        return p.eos();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && p.endOfGeneration().get(id);
    }

    @Override
    public boolean isSpecial(int id) {
        TokenType t = vocab.type(id);
        return t == TokenType.CONTROL || t == TokenType.USER_DEFINED;
    }
}
