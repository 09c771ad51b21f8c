package lumen.tokenizer.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lumen.tokenizer.Normalizer;
import lumen.tokenizer.PipelineTokenizer;
import lumen.tokenizer.SpecialSplitter;
import lumen.tokenizer.TokenType;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.TokenizerException;
import lumen.tokenizer.Vocab;
import lumen.tokenizer.bpe.BpeModel;
import lumen.tokenizer.pretokenize.ByteLevel;
import lumen.tokenizer.pretokenize.FastSplit;
import lumen.tokenizer.pretokenize.PreTokenizer;
import lumen.tokenizer.pretokenize.RegexSplit;
import lumen.tokenizer.pretokenize.Regexes;

/**
 * Builds a tokenizer from a Hugging Face tokenizer.json by interpreting its sections: {@code added_tokens},
 * {@code normalizer}, {@code pre_tokenizer}, {@code model} (BPE), {@code post_processor} and {@code decoder};
 * {@code tokenizer_config.json} beside it supplies add_bos_token / bos_token / eos_token.
 * A {@code .json.gz} file is read decompressed.
 */
final class HfTokenizers {
    private HfTokenizers() {}

    static Tokenizer load(Path file) {
        JsonNode root = readJson(file);
        Path cfgPath = file.resolveSibling("tokenizer_config.json");
        if (!Files.exists(cfgPath)) cfgPath = file.resolveSibling("tokenizer_config.json.gz");
        JsonNode cfg = Files.exists(cfgPath) ? readJson(cfgPath) : new ObjectMapper().createObjectNode();
        return build(file.toString(), root, cfg);
    }

    private static JsonNode readJson(Path p) {
        try (InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(p), 1 << 16) : Files.newInputStream(p)) {
            // The vocab object has 10^5 keys: interning and canonicalizing them as field names only costs time.
            com.fasterxml.jackson.core.JsonFactory f = com.fasterxml.jackson.core.JsonFactory.builder()
                    .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                    .disable(com.fasterxml.jackson.core.JsonFactory.Feature.INTERN_FIELD_NAMES).build();
            return new ObjectMapper(f).readTree(in);
        } catch (IOException e) {
            throw new TokenizerException(p + ": cannot read JSON: " + e.getMessage(), e);
        }
    }

    static Tokenizer build(String where, JsonNode root, JsonNode cfg) {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw new TokenizerException(where + ": model.type is '" + type + "', expected BPE (WordPiece/Unigram are not supported)");
        }
        // Vocabulary: model.vocab plus added tokens (which may lie beyond it).
        Map<Integer, String> byId = new HashMap<>();
        int size = 0;
        for (Map.Entry<String, JsonNode> e : model.path("vocab").properties()) {
            int id = e.getValue().asInt();
            byId.put(id, e.getKey());
            size = Math.max(size, id + 1);
        }
        JsonNode added = root.path("added_tokens");
        for (JsonNode a : added) size = Math.max(size, a.path("id").asInt() + 1);
        String[] texts = new String[size];
        TokenType[] types = new TokenType[size];
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (int i = 0; i < size; i++) {
            String t = byId.get(i);
            texts[i] = t == null ? "" : t;
            types[i] = t == null ? TokenType.UNUSED
                    : byteFallback && t.length() == 6 && t.startsWith("<0x") && t.endsWith(">") ? TokenType.BYTE : TokenType.NORMAL;
        }
        List<SpecialSplitter.Special> specials = new ArrayList<>();
        Map<String, Integer> addedIds = new HashMap<>();
        for (JsonNode a : added) {
            int id = a.path("id").asInt();
            String content = a.path("content").asText();
            boolean special = a.path("special").asBoolean(false);
            texts[id] = content;
            types[id] = special ? TokenType.CONTROL : TokenType.USER_DEFINED;
            addedIds.put(content, id);
            specials.add(new SpecialSplitter.Special(id, content, !special, a.path("lstrip").asBoolean(false), a.path("rstrip").asBoolean(false)));
        }

        // Merges: "a b" strings or [a, b] pairs.
        List<String[]> merges = new ArrayList<>();
        int mi = 0;
        for (JsonNode m : model.path("merges")) {
            if (m.isArray() && m.size() == 2) {
                merges.add(new String[] {m.get(0).asText(), m.get(1).asText()});
            } else {
                String s = m.asText();
                int sp = s.indexOf(' ', 1);
                if (sp < 0) throw new TokenizerException(where + ": model.merges[" + mi + "] = '" + s + "' is not two parts");
                merges.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
            }
            mi++;
        }
        Normalizer normalizer = normalizer(where, root.path("normalizer"));
        List<PreTokenizer> pre = new ArrayList<>();
        normalizer = preTokenizer(where, root.path("pre_tokenizer"), pre, normalizer);
        // A trailing byte-level mapping moves into the model, whose cache is then keyed by raw pieces.
        boolean byteLevelInput = !pre.isEmpty() && pre.getLast() instanceof ByteLevel bl && bl.isPureMapping();
        if (byteLevelInput) pre.removeLast();
        String[] modelVocab = new String[size];
        for (int i = 0; i < size; i++) modelVocab[i] = byId.getOrDefault(i, "\u0000<unused " + i + ">");
        BpeModel bpe = BpeModel.fromMerges(modelVocab, merges, model.path("ignore_merges").asBoolean(false),
                byteFallback ? BpeModel.Fallback.BYTE_TOKENS : BpeModel.Fallback.DROP, byteLevelInput);


        // Decoder: byte-level or SentencePiece-style.
        boolean[] stripLeading = {false};
        Vocab.Alphabet alphabet = decoderAlphabet(root.path("decoder"), stripLeading);

        // BOS / EOS: tokenizer_config first, then the post-processor's template.
        int bos = tokenId(cfg.path("bos_token"), addedIds, texts);
        int eos = tokenId(cfg.path("eos_token"), addedIds, texts);
        boolean addBos = false, addEos = false;
        JsonNode post = root.path("post_processor");
        List<JsonNode> procs = new ArrayList<>();
        if ("Sequence".equals(post.path("type").asText())) post.path("processors").forEach(procs::add); else procs.add(post);
        for (JsonNode pp : procs) {
            if (!"TemplateProcessing".equals(pp.path("type").asText())) continue;
            JsonNode single = pp.path("single");
            if (single.size() > 0 && single.get(0).has("SpecialToken")) {
                addBos = true;
                Integer id = addedIds.get(single.get(0).path("SpecialToken").path("id").asText());
                if (id != null && bos < 0) bos = id;
            }
            if (single.size() > 1 && single.get(single.size() - 1).has("SpecialToken")) {
                addEos = true;
                Integer id = addedIds.get(single.get(single.size() - 1).path("SpecialToken").path("id").asText());
                if (id != null && eos < 0) eos = id;
            }
        }
        if (cfg.has("add_bos_token") && !cfg.get("add_bos_token").isNull()) addBos = cfg.get("add_bos_token").asBoolean();
        if (cfg.has("add_eos_token") && !cfg.get("add_eos_token").isNull()) addEos = cfg.get("add_eos_token").asBoolean();

        BitSet eog = new BitSet(size);
        if (eos >= 0) eog.set(eos);
        for (int i = 0; i < size; i++) if (types[i] == TokenType.CONTROL && EndOfGeneration.TEXTS.contains(texts[i])) eog.set(i);

        Vocab vocab = new Vocab(texts, types, alphabet, alphabet == Vocab.Alphabet.BYTE_LEVEL);
        return new PipelineTokenizer(new PipelineTokenizer.Parts(vocab, new SpecialSplitter(specials), normalizer,
                PreTokenizer.sequence(pre), bpe::encode, bos, eos, addBos && bos >= 0, addEos && eos >= 0, eog, stripLeading[0]));
    }

    private static int tokenId(JsonNode spec, Map<String, Integer> addedIds, String[] texts) {
        String content = spec.isTextual() ? spec.asText() : spec.path("content").asText(null);
        if (content == null) return -1;
        Integer id = addedIds.get(content);
        if (id != null) return id;
        for (int i = 0; i < texts.length; i++) if (texts[i].equals(content)) return i;
        return -1;
    }

    private static Normalizer normalizer(String where, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return Normalizer.NONE;
        String type = n.path("type").asText();
        return switch (type) {
            case "Sequence" -> {
                Normalizer all = Normalizer.NONE;
                for (JsonNode c : n.path("normalizers")) all = all.then(normalizer(where, c));
                yield all;
            }
            case "NFC" -> (t, s, a) -> nfc(t);
            case "NFKC" -> (t, s, a) -> java.text.Normalizer.normalize(t, java.text.Normalizer.Form.NFKC);
            case "NFD" -> (t, s, a) -> java.text.Normalizer.normalize(t, java.text.Normalizer.Form.NFD);
            case "NFKD" -> (t, s, a) -> java.text.Normalizer.normalize(t, java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> (t, s, a) -> t.toLowerCase(java.util.Locale.ROOT);
            case "Prepend" -> {
                String p = n.path("prepend").asText();
                yield (t, s, a) -> t.isEmpty() ? t : p + t;
            }
            case "Replace" -> {
                String content = n.path("content").asText();
                Pattern pat = pattern(where, n.path("pattern"));
                yield (t, s, a) -> pat.matcher(t).replaceAll(java.util.regex.Matcher.quoteReplacement(content));
            }
            case "Strip" -> {
                boolean left = n.path("strip_left").asBoolean(true), right = n.path("strip_right").asBoolean(true);
                yield (t, s, a) -> left && right ? t.strip() : left ? t.stripLeading() : right ? t.stripTrailing() : t;
            }
            default -> throw new TokenizerException(where + ": normalizer type '" + type + "' is not supported");
        };
    }

    /**
     * NFC of t, normalizing only the stretches that can change. Characters below U+0300 are NFC-stable starters
     * that never compose with what precedes them, so normalization never crosses the point before one: each
     * stretch from such a character through the following characters at or above U+0300 is normalized alone.
     */
    static String nfc(String t) {
        int n = t.length(), i = 0;
        while (i < n && t.charAt(i) < 0x300) i++;
        if (i == n) return t;
        StringBuilder sb = null;
        int done = 0;
        while (i < n) {
            if (t.charAt(i) < 0x300) { i++; continue; }
            int start = i > 0 ? i - 1 : 0; // the starter before a combining stretch may compose with it
            int end = i;
            while (end < n && t.charAt(end) >= 0x300) end++;
            String seg = t.substring(start, end);
            if (!java.text.Normalizer.isNormalized(seg, java.text.Normalizer.Form.NFC)) {
                if (sb == null) sb = new StringBuilder(n);
                sb.append(t, done, start).append(java.text.Normalizer.normalize(seg, java.text.Normalizer.Form.NFC));
                done = end;
            }
            i = end;
        }
        if (sb == null) return t;
        return sb.append(t, done, n).toString();
    }

    private static Pattern pattern(String where, JsonNode p) {
        if (p.has("String")) return Pattern.compile(Pattern.quote(p.get("String").asText()));
        if (p.has("Regex")) return Regexes.compile(p.get("Regex").asText(), where);
        throw new TokenizerException(where + ": pattern " + p + " is neither String nor Regex");
    }

    /** Appends the stages of pre-tokenizer n; Metaspace contributes to the normalizer, which is returned. */
    private static Normalizer preTokenizer(String where, JsonNode n, List<PreTokenizer> out, Normalizer norm) {
        if (n.isMissingNode() || n.isNull()) return norm;
        String type = n.path("type").asText();
        switch (type) {
            case "Sequence" -> {
                for (JsonNode c : n.path("pretokenizers")) norm = preTokenizer(where, c, out, norm);
            }
            case "Split" -> {
                RegexSplit.Behavior behavior = behavior(where, n.path("behavior").asText());
                boolean invert = n.path("invert").asBoolean(false);
                FastSplit fast = n.path("pattern").has("Regex") && behavior == RegexSplit.Behavior.ISOLATED && !invert
                        ? FastSplit.forPattern(n.path("pattern").get("Regex").asText()) : null;
                out.add(fast != null ? fast : new RegexSplit(pattern(where, n.path("pattern")), behavior, invert));
            }
            case "ByteLevel" -> {
                boolean addPrefixSpace = n.path("add_prefix_space").asBoolean(false);
                if (addPrefixSpace) out.add(new ByteLevel(true, false, false));
                if (n.path("use_regex").asBoolean(true)) out.add(FastSplit.isolated(Regexes.GPT2, where));
                out.add(new ByteLevel(false, false));
            }
            case "Digits" -> out.add(new RegexSplit(Regexes.compile("\\p{N}", where),
                    n.path("individual_digits").asBoolean(false) ? RegexSplit.Behavior.ISOLATED : RegexSplit.Behavior.CONTIGUOUS, false));
            case "Whitespace" -> {
                out.add(new RegexSplit(Regexes.compile("\\s+", where), RegexSplit.Behavior.REMOVED, false));
                out.add(RegexSplit.isolated(Regexes.compile("\\w+|[^\\w\\s]+", where)));
            }
            case "WhitespaceSplit" -> out.add(new RegexSplit(Regexes.compile("\\s+", where), RegexSplit.Behavior.REMOVED, false));
            case "Punctuation" -> out.add(new RegexSplit(Regexes.compile("\\p{P}", where), RegexSplit.Behavior.ISOLATED, false));
            case "Metaspace" -> {
                String rep = n.path("replacement").asText("\u2581");
                String scheme = n.path("prepend_scheme").asText(n.path("add_prefix_space").asBoolean(true) ? "always" : "never");
                norm = norm.then((t, atStart, afterSpecial) -> {
                    String r = t.replace(" ", rep);
                    boolean prepend = scheme.equals("always") || (scheme.equals("first") && atStart);
                    return prepend && !r.startsWith(rep) ? rep + r : r;
                });
                if (n.path("split").asBoolean(true)) {
                    out.add(new RegexSplit(Pattern.compile(Pattern.quote(rep)), RegexSplit.Behavior.MERGED_WITH_NEXT, false));
                }
            }
            default -> throw new TokenizerException(where + ": pre_tokenizer type '" + type + "' is not supported");
        }
        return norm;
    }

    private static RegexSplit.Behavior behavior(String where, String b) {
        return switch (b) {
            case "Isolated" -> RegexSplit.Behavior.ISOLATED;
            case "Removed" -> RegexSplit.Behavior.REMOVED;
            case "MergedWithPrevious" -> RegexSplit.Behavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> RegexSplit.Behavior.MERGED_WITH_NEXT;
            case "Contiguous" -> RegexSplit.Behavior.CONTIGUOUS;
            default -> throw new TokenizerException(where + ": Split behavior '" + b + "' is not supported");
        };
    }

    private static Vocab.Alphabet decoderAlphabet(JsonNode d, boolean[] stripLeading) {
        if (d.isMissingNode() || d.isNull()) return Vocab.Alphabet.BYTE_LEVEL;
        String type = d.path("type").asText();
        switch (type) {
            case "ByteLevel":
                return Vocab.Alphabet.BYTE_LEVEL;
            case "Metaspace":
                stripLeading[0] = !"never".equals(d.path("prepend_scheme").asText(d.path("add_prefix_space").asBoolean(true) ? "always" : "never"));
                return Vocab.Alphabet.SENTENCEPIECE;
            case "Sequence": {
                Vocab.Alphabet a = Vocab.Alphabet.SENTENCEPIECE;
                boolean byteLevel = false;
                for (JsonNode c : d.path("decoders")) {
                    String t = c.path("type").asText();
                    if (t.equals("ByteLevel")) byteLevel = true;
                    if (t.equals("Strip") && c.path("start").asInt(0) > 0 && " ".equals(c.path("content").asText())) stripLeading[0] = true;
                    if (t.equals("Metaspace")) decoderAlphabet(c, stripLeading);
                }
                return byteLevel ? Vocab.Alphabet.BYTE_LEVEL : a;
            }
            default:
                return Vocab.Alphabet.SENTENCEPIECE;
        }
    }
}
