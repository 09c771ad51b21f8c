package lumen.tokenizer.tiktoken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lumen.tokenizer.IntList;
import lumen.tokenizer.Normalizer;
import lumen.tokenizer.PipelineTokenizer;
import lumen.tokenizer.SpecialSplitter;
import lumen.tokenizer.StreamDecoder;
import lumen.tokenizer.TokenType;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.TokenizerException;
import lumen.tokenizer.Vocab;
import lumen.tokenizer.bpe.BpeModel;
import lumen.tokenizer.pretokenize.ByteLevel;
import lumen.tokenizer.pretokenize.FastSplit;
import lumen.tokenizer.pretokenize.LlamaCppPre;

/**
 * tiktoken-style tokenizers (Kimi K2): a {@code tiktoken.model} file of {@code <base64 bytes> <rank>} lines, the
 * rank being the id; merging two parts is allowed when their concatenation is a token, lowest rank first.
 * Special tokens follow the base vocabulary (names from {@code added_tokens_decoder} of tokenizer_config.json,
 * others {@code <|reserved_token_ID|>}). As the reference, long input is encoded in chunks of at most 400,000
 * characters, cut so that no run of whitespace or of non-whitespace exceeds 25,000 characters.
 */
public final class Tiktoken implements Tokenizer {
    static final int MAX_CHUNK = 400_000;
    static final int MAX_RUN = 25_000;
    static final int RESERVED_SPECIALS = 256;

    private final PipelineTokenizer inner;

    private Tiktoken(PipelineTokenizer inner) {
        this.inner = inner;
    }

    /** Kimi K2's tokenizer from its tiktoken.model and (optional) tokenizer_config.json. */
    public static Tokenizer load(Path tiktokenModel, Path tokenizerConfig) {
        List<byte[]> ranks = readRanks(tiktokenModel);
        Map<Integer, String> named = new TreeMap<>();
        String bos = "[BOS]", eos = "[EOS]";
        if (tokenizerConfig != null && Files.exists(tokenizerConfig)) {
            try {
                JsonNode cfg = new ObjectMapper().readTree(tokenizerConfig.toFile());
                for (Map.Entry<String, JsonNode> e : cfg.path("added_tokens_decoder").properties()) {
                    named.put(Integer.parseInt(e.getKey()), e.getValue().path("content").asText());
                }
                bos = text(cfg.path("bos_token"), bos);
                eos = text(cfg.path("eos_token"), eos);
            } catch (IOException | NumberFormatException e) {
                throw new TokenizerException(tokenizerConfig + ": cannot read tokenizer config: " + e.getMessage(), e);
            }
        }
        return fromRanks(ranks, named, LlamaCppPre.KIMI_K2, bos, eos);
    }

    private static String text(JsonNode n, String def) {
        if (n.isTextual()) return n.asText();
        if (n.has("content")) return n.get("content").asText();
        return def;
    }

    /** Reads {@code <base64> <rank>} lines; ranks must be 0..n-1 in order. A {@code .gz} file is decompressed. */
    public static List<byte[]> readRanks(Path file) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            String all = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int lineNo = 0;
            for (String line : all.split("\n")) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(" ");
                if (parts.length != 2) throw new TokenizerException(file + ":" + lineNo + ": expected '<base64> <rank>', found '" + line + "'");
                int rank = Integer.parseInt(parts[1]);
                if (rank != out.size()) throw new TokenizerException(file + ":" + lineNo + ": rank " + rank + ", expected " + out.size());
                out.add(Base64.getDecoder().decode(parts[0]));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenizerException(file + ": cannot read tiktoken ranks: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A tiktoken tokenizer from token bytes (index = rank = id), special tokens by id (ids from the end of the base
     * vocabulary; missing ones up to 256 reserved are named {@code <|reserved_token_ID|>}), the split pattern, and
     * the texts of BOS and EOS.
     */
    public static Tokenizer fromRanks(List<byte[]> ranks, Map<Integer, String> specialsById, String pattern, String bosText, String eosText) {
        int base = ranks.size();
        int size = base + RESERVED_SPECIALS;
        for (int id : specialsById.keySet()) size = Math.max(size, id + 1);
        String[] texts = new String[size];
        TokenType[] types = new TokenType[size];
        String[] model = new String[base];
        for (int i = 0; i < base; i++) {
            StringBuilder sb = new StringBuilder(ranks.get(i).length);
            for (byte b : ranks.get(i)) sb.append(ByteLevel.charOf(b));
            model[i] = texts[i] = sb.toString();
            types[i] = TokenType.NORMAL;
        }
        List<SpecialSplitter.Special> specials = new ArrayList<>();
        int bos = -1, eos = -1;
        for (int id = base; id < size; id++) {
            String name = specialsById.getOrDefault(id, "<|reserved_token_" + id + "|>");
            texts[id] = name;
            types[id] = TokenType.CONTROL;
            specials.add(new SpecialSplitter.Special(id, name, false, false, false));
            if (name.equals(bosText)) bos = id;
            if (name.equals(eosText)) eos = id;
        }
        BitSet eog = new BitSet(size);
        if (eos >= 0) eog.set(eos);
        for (int id = base; id < size; id++) if (texts[id].equals("<|im_end|>") || texts[id].equals("[EOT]")) eog.set(id);
        BpeModel bpe = BpeModel.fromRanks(model, true);
        PipelineTokenizer inner = new PipelineTokenizer(new PipelineTokenizer.Parts(
                new Vocab(texts, types, Vocab.Alphabet.BYTE_LEVEL), new SpecialSplitter(specials), Normalizer.NONE,
                FastSplit.isolated(pattern, "tiktoken pattern"), bpe::encode, bos, eos, false, false, eog, false));
        return new Tiktoken(inner);
    }

    /** The chunks the reference encodes separately (see the class comment); code points are counted. */
    static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        int[] cps = text.codePoints().toArray();
        for (int start = 0; start < cps.length; start += MAX_CHUNK) {
            int end = Math.min(cps.length, start + MAX_CHUNK);
            int sliceStart = start, runLen = 0;
            boolean runSpace = start < end && isPySpace(cps[start]);
            for (int i = start; i < end; i++) {
                boolean space = isPySpace(cps[i]);
                if (space != runSpace) {
                    runLen = 1;
                    runSpace = space;
                } else if (++runLen > MAX_RUN) {
                    out.add(new String(cps, sliceStart, i - sliceStart));
                    sliceStart = i;
                    runLen = 1;
                }
            }
            out.add(new String(cps, sliceStart, end - sliceStart));
        }
        return out;
    }

    /** Python's str.isspace. */
    static boolean isPySpace(int cp) {
        return Character.isWhitespace(cp) || cp == 0x85 || cp == 0xA0 || cp == 0x2007 || cp == 0x202F;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        if (text.length() <= MAX_RUN) return inner.encode(text, addSpecial, parseSpecial);
        IntList out = new IntList(text.length() / 3);
        for (String chunk : chunks(text)) out.addAll(inner.encode(chunk, false, parseSpecial));
        return out.toArray();
    }

    @Override public String decode(int[] ids, boolean showSpecial) { return inner.decode(ids, showSpecial); }
    @Override public StreamDecoder streamDecoder(boolean showSpecial) { return inner.streamDecoder(showSpecial); }
    @Override public byte[] tokenBytes(int id) { return inner.tokenBytes(id); }
    @Override public String tokenText(int id) { return inner.tokenText(id); }
    @Override public int vocabSize() { return inner.vocabSize(); }
    @Override public int bos() { return inner.bos(); }
    @Override public int eos() { return inner.eos(); }
    @Override public boolean isEndOfGeneration(int id) { return inner.isEndOfGeneration(id); }
    @Override public boolean isSpecial(int id) { return inner.isSpecial(id); }
}
