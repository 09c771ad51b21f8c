package lumen.tokenizer.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import lumen.tokenizer.Normalizer;
import lumen.tokenizer.PipelineTokenizer;
import lumen.tokenizer.SpecialSplitter;
import lumen.tokenizer.TokenType;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.TokenizerException;
import lumen.tokenizer.Vocab;
import lumen.tokenizer.bpe.BpeModel;
import lumen.tokenizer.pretokenize.LlamaCppPre;
import lumen.tokenizer.pretokenize.PreTokenizer;
import lumen.tokenizer.spm.SpmModel;
import lumen.tokenizer.wpm.WpmModel;

/** Builds a tokenizer from {@code tokenizer.ggml.*} metadata, with llama.cpp's defaults and rules. */
final class GgufTokenizers {
    private GgufTokenizers() {}

    static Tokenizer load(Map<String, Object> metadata) {
        Meta md = new Meta(metadata);
        String model = md.string("tokenizer.ggml.model", null);
        if (model == null) throw new TokenizerException("GGUF metadata: key tokenizer.ggml.model is missing");
        String[] tokens = md.strings("tokenizer.ggml.tokens", true);
        TokenType[] types = types(md, tokens.length);
        return switch (model) {
            case "llama" -> spm(md, tokens, types);
            case "gpt2" -> bpe(md, tokens, types);
            case "bert" -> wpm(md, tokens, types);
            default -> throw new TokenizerException("GGUF metadata: tokenizer.ggml.model is '" + model
                    + "', expected one of: llama (SentencePiece), gpt2 (byte-level BPE), bert (WordPiece)");
        };
    }

    private static TokenType[] types(Meta md, int n) {
        TokenType[] types = new TokenType[n];
        List<?> l = md.list("tokenizer.ggml.token_type", false);
        if (l != null && l.size() < n) {
            throw new TokenizerException("GGUF metadata: tokenizer.ggml.token_type has " + l.size() + " entries, expected " + n);
        }
        for (int i = 0; i < n; i++) {
            if (l == null) { types[i] = TokenType.NORMAL; continue; }
            if (!(l.get(i) instanceof Number v)) throw Meta.wrong("tokenizer.ggml.token_type[" + i + "]", "an integer", l.get(i));
            types[i] = TokenType.ofGguf(v.longValue());
        }
        return types;
    }


    private static float[] scores(Meta md, int n) {
        float[] s = new float[n];
        List<?> l = md.list("tokenizer.ggml.scores", false);
        if (l == null) return s;
        if (l.size() < n) throw new TokenizerException("GGUF metadata: tokenizer.ggml.scores has " + l.size() + " entries, expected " + n);
        for (int i = 0; i < n; i++) {
            if (!(l.get(i) instanceof Number v)) throw Meta.wrong("tokenizer.ggml.scores[" + i + "]", "a number", l.get(i));
            s[i] = v.floatValue();
        }
        return s;
    }

    private static Tokenizer spm(Meta md, String[] tokens, TokenType[] types) {
        int n = tokens.length;
        int bos = checkedId(md, "tokenizer.ggml.bos_token_id", 1, n);
        int eos = checkedId(md, "tokenizer.ggml.eos_token_id", 2, n);
        int unk = checkedId(md, "tokenizer.ggml.unknown_token_id", 0, n);
        boolean addSpacePrefix = md.bool("tokenizer.ggml.add_space_prefix", true);
        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", true);
        boolean addEos = md.bool("tokenizer.ggml.add_eos_token", false);
        SpmModel spm = new SpmModel(tokens, scores(md, n), unk);
        // llama.cpp: a space is prepended to the first fragment and to any fragment after a special token,
        // then spaces are escaped as U+2581.
        Normalizer norm = (t, atStart, afterSpecial) -> (addSpacePrefix && afterSpecial ? "\u2581" : "") + t.replace(' ', '\u2581');
        BitSet eog = eog(md, tokens, types, eos);
        Vocab vocab = new Vocab(tokens, types, Vocab.Alphabet.SENTENCEPIECE);
        return new PipelineTokenizer(new PipelineTokenizer.Parts(vocab, specials(md, tokens, types), norm, PreTokenizer.NONE,
                spm::encode, bos, eos, addBos, addEos, eog, addSpacePrefix));
    }

    private static Tokenizer bpe(Meta md, String[] tokens, TokenType[] types) {
        int n = tokens.length;
        String pre = md.string("tokenizer.ggml.pre", null);
        LlamaCppPre.Spec spec = LlamaCppPre.of(pre);
        int defaultBos = "glm4".equals(pre) || "chatglm-bpe".equals(pre) ? -1 : 11 < n ? 11 : -1;
        int bos = checkedId(md, "tokenizer.ggml.bos_token_id", defaultBos, n);
        int eos = checkedId(md, "tokenizer.ggml.eos_token_id", 11 < n ? 11 : -1, n);
        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", spec.addBos());
        boolean addEos = md.bool("tokenizer.ggml.add_eos_token", false);
        String[] mergeStrings = md.strings("tokenizer.ggml.merges", true);
        List<String[]> merges = new ArrayList<>(mergeStrings.length);
        for (int i = 0; i < mergeStrings.length; i++) {
            String m = mergeStrings[i];
            int sp = m.indexOf(' ', 1); // llama.cpp: the first space after position 0 separates the parts
            if (sp < 0) throw new TokenizerException("GGUF metadata: tokenizer.ggml.merges[" + i + "] = '" + m + "' has no space separating two parts");
            merges.add(new String[] {m.substring(0, sp), m.substring(sp + 1)});
        }
        BpeModel bpe = BpeModel.fromMerges(tokens, merges, spec.ignoreMerges(), BpeModel.Fallback.DROP, true);
        PreTokenizer preTok = LlamaCppPre.stages(spec);
        BitSet eog = eog(md, tokens, types, eos);
        Vocab vocab = new Vocab(tokens, types, Vocab.Alphabet.BYTE_LEVEL);
        return new PipelineTokenizer(new PipelineTokenizer.Parts(vocab, specials(md, tokens, types), Normalizer.NONE, preTok,
                bpe::encode, bos, eos, addBos, addEos, eog, false));
    }

    private static Tokenizer wpm(Meta md, String[] tokens, TokenType[] types) {
        int n = tokens.length;
        int bos = checkedId(md, "tokenizer.ggml.bos_token_id", md.id("tokenizer.ggml.cls_token_id", 101 < n ? 101 : -1), n);
        int eos = checkedId(md, "tokenizer.ggml.eos_token_id", -1, n);
        int unk = checkedId(md, "tokenizer.ggml.unknown_token_id", 100 < n ? 100 : 0, n);
        int sep = checkedId(md, "tokenizer.ggml.seperator_token_id", 102 < n ? 102 : -1, n);
        boolean lowercase = md.bool("tokenizer.ggml.normalizer.lowercase", true);
        boolean stripAccents = md.bool("tokenizer.ggml.normalizer.strip_accents", lowercase);
        WpmModel wpm = new WpmModel(tokens, unk, lowercase, stripAccents);
        boolean addBos = md.bool("tokenizer.ggml.add_bos_token", true);
        boolean addSep = md.bool("tokenizer.ggml.add_sep_token", true);
        // BERT: [CLS] text [SEP]; the separator plays the part of EOS when adding special tokens.
        BitSet eog = eog(md, tokens, types, eos);
        Vocab vocab = new Vocab(tokens, types, Vocab.Alphabet.SENTENCEPIECE);
        return new PipelineTokenizer(new PipelineTokenizer.Parts(vocab, specials(md, tokens, types), Normalizer.NONE, PreTokenizer.NONE,
                wpm::encode, bos, addSep ? sep : eos, addBos, addSep && sep >= 0, eog, true));
    }

    private static int checkedId(Meta md, String key, int def, int n) {
        int id = md.id(key, def);
        if (id >= n) {
            if (md.has(key)) throw new TokenizerException("GGUF metadata: " + key + " = " + id + " is outside the vocabulary of " + n + " tokens");
            return -1;
        }
        return id;
    }

    static SpecialSplitter specials(Meta md, String[] tokens, TokenType[] types) {
        String name = md.string("general.name", "").toLowerCase(Locale.ROOT);
        String pre = md.string("tokenizer.ggml.pre", "");
        String arch = md.string("general.architecture", "");
        List<SpecialSplitter.Special> sp = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (!types[i].isSpecialText()) continue;
            String t = tokens[i];
            // llama.cpp sets these attributes from names, since GGUF does not store them (llama_vocab::impl::load)
            boolean lstrip = false, rstrip = false;
            if (containsAny(pre, "jina-v2-de", "jina-v2-es", "jina-v2-code") || containsAny(arch, "nomic-bert-moe", "jina-bert-v3")) {
                lstrip = t.equals("<mask>");
            } else if (containsAny(name, "phi-3", "phi3")) {
                rstrip = !(t.equals("<unk>") || t.equals("<s>") || t.equals("<|endoftext|>"));
            } else if (name.contains("modern-bert")) {
                lstrip = t.equals("[MASK]");
            }
            sp.add(new SpecialSplitter.Special(i, t, types[i] == TokenType.USER_DEFINED, lstrip, rstrip));
        }
        return new SpecialSplitter(sp, SpecialSplitter.C_SPACE);
    }

    private static boolean containsAny(String s, String... parts) {
        for (String p : parts) if (s.contains(p)) return true;
        return false;
    }

    /**
     * The tokens that end generation, with the token-type fix-ups llama.cpp makes on the way
     * ({@code llama_vocab::impl::load}), since GGUF files often store these tokens with another type:
     * end-of-turn and fill-in-the-middle texts become control tokens; gpt-oss's channel markers become
     * user-defined (always matched); where both &lt;|return|&gt; and &lt;|call|&gt; (gpt-oss), or &lt;|calls|&gt; and
     * &lt;|flush|&gt; (Solar Open) end generation, &lt;|end|&gt; does not and is user-defined; where &lt;|tool_response&gt;
     * does (Gemma 4), &lt;/s&gt; does not and is plain text. Changes {@code types} in place.
     */
    private static BitSet eog(Meta md, String[] tokens, TokenType[] types, int eos) {
        int n = tokens.length;
        Map<String, Integer> ids = new HashMap<>();   // the ids of the texts looked up below, not of the whole vocabulary
        for (int i = 0; i < n; i++) {
            if (LOOKED_UP.contains(tokens[i])) ids.put(tokens[i], i);   // a text repeated: its last id, as llama.cpp's token_to_id
        }
        BitSet eog = new BitSet(n);
        for (var fim : EndOfGeneration.FIM.entrySet()) {
            int id = md.id(fim.getKey(), -1);
            if (id < 0 || id >= n) id = byText(ids, fim.getValue(), types);
            if (id >= 0 && EndOfGeneration.FIM_ENDING.contains(fim.getKey())) eog.set(id);
        }
        for (int i = 0; i < n; i++) {
            if (!EndOfGeneration.LLAMA_CPP.contains(tokens[i])) continue;
            eog.set(i);
            if (types[i] != TokenType.CONTROL) types[i] = TokenType.CONTROL;
        }
        for (String t : ALWAYS_MATCHED) {
            Integer id = ids.get(t);
            if (id != null) types[id] = TokenType.USER_DEFINED;
        }
        if (eos >= 0) eog.set(eos);
        int eot = md.id("tokenizer.ggml.eot_token_id", -1);
        if (eot < 0 || eot >= n) eot = byText(ids, EndOfGeneration.EOT, types);
        if (eot >= 0) eog.set(eot);
        int eom = md.id("tokenizer.ggml.eom_token_id", -1);
        if (eom < 0 || eom >= n) eom = byText(ids, List.of("<|eom_id|>"), types);
        if (eom >= 0) eog.set(eom);
        Integer end = ids.get("<|end|>");
        if (end != null && eog.get(end) && ((ends(ids, eog, "<|return|>") && (ends(ids, eog, "<|call|>") || ends(ids, eog, "<|calls|>")))
                || ((ends(ids, eog, "<|call|>") || ends(ids, eog, "<|calls|>")) && ends(ids, eog, "<|flush|>")))) {
            eog.clear(end);
            types[end] = TokenType.USER_DEFINED;
        }
        Integer s = ids.get("</s>");
        if (s != null && eog.get(s) && ends(ids, eog, "<|tool_response>")) {
            eog.clear(s);
            types[s] = TokenType.NORMAL;
        }
        for (int i = 0; i < n; i++) if (EndOfGeneration.TEXTS.contains(tokens[i]) && !EndOfGeneration.LLAMA_CPP.contains(tokens[i])) eog.set(i);
        return eog;
    }

    /** gpt-oss's markers, which llama.cpp makes user-defined (matched even without parsing special tokens). */
    private static final List<String> ALWAYS_MATCHED = List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    /** Every text {@link #eog} looks up by name. */
    private static final Set<String> LOOKED_UP;

    static {
        Set<String> all = new HashSet<>(EndOfGeneration.EOT);
        EndOfGeneration.FIM.values().forEach(all::addAll);
        all.addAll(ALWAYS_MATCHED);
        all.addAll(List.of("<|eom_id|>", "<|end|>", "<|return|>", "<|call|>", "<|calls|>", "<|flush|>", "</s>", "<|tool_response>"));
        LOOKED_UP = Set.copyOf(all);
    }

    private static boolean ends(Map<String, Integer> ids, BitSet eog, String text) {
        Integer id = ids.get(text);
        return id != null && eog.get(id);
    }

    /** The first of {@code texts} in the vocabulary, made a control token (llama.cpp's search by text); -1 if none. */
    private static int byText(Map<String, Integer> ids, List<String> texts, TokenType[] types) {
        for (String t : texts) {
            Integer id = ids.get(t);
            if (id != null) {
                types[id] = TokenType.CONTROL;
                return id;
            }
        }
        return -1;
    }
}
