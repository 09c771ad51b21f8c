package lumen.tokenizer.spm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lumen.tokenizer.TokenizerException;

/**
 * Reads a SentencePiece {@code .model} file (a protobuf {@code ModelProto}) into the GGUF-style metadata that
 * llama.cpp's converter writes for it ({@code tokenizer.ggml.model = llama}, tokens, scores, token types, special
 * ids, add_space_prefix), so that it tokenizes exactly as the GGUF path. Only BPE models are supported.
 * Fields used: pieces (1: piece 1, score 2, type 3), trainer_spec (2: model_type 3, unk_id 40, bos_id 41,
 * eos_id 42, pad_id 43), normalizer_spec (3: add_dummy_prefix 3).
 */
public final class SentencePieceModelFile {
    private SentencePieceModelFile() {}

    public static Map<String, Object> read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Object> tokens = new ArrayList<>(), scores = new ArrayList<>(), types = new ArrayList<>();
        long modelType = 1, unk = 0, bos = 1, eos = 2, pad = -1;
        boolean addDummyPrefix = true;
        Reader r = new Reader(file, ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), data.length);
        while (r.more()) {
            int tag = (int) r.varint();
            int field = tag >>> 3, wire = tag & 7;
            if (field == 1 && wire == 2) {
                Reader p = r.sub();
                String piece = "";
                double score = 0;
                long type = 1;
                while (p.more()) {
                    int t = (int) p.varint();
                    if ((t >>> 3) == 1 && (t & 7) == 2) piece = p.string();
                    else if ((t >>> 3) == 2 && (t & 7) == 5) score = p.fixed32();
                    else if ((t >>> 3) == 3 && (t & 7) == 0) type = p.varint();
                    else p.skip(t & 7);
                }
                tokens.add(piece);
                scores.add(score);
                types.add(type);
            } else if ((field == 2 || field == 3) && wire == 2) {
                Reader s = r.sub();
                while (s.more()) {
                    int t = (int) s.varint();
                    int f = t >>> 3;
                    if ((t & 7) != 0) { s.skip(t & 7); continue; }
                    long v = s.varint();
                    if (field == 2) {
                        switch (f) {
                            case 3 -> modelType = v;
                            case 40 -> unk = (int) v;
                            case 41 -> bos = (int) v;
                            case 42 -> eos = (int) v;
                            case 43 -> pad = (int) v;
                            default -> { }
                        }
                    } else if (f == 3) {
                        addDummyPrefix = v != 0;
                    }
                }
            } else {
                r.skip(wire);
            }
        }
        if (modelType != 2) {
            throw new TokenizerException(file + ": trainer_spec.model_type is " + modelType + ", expected 2 (BPE); Unigram models are not supported");
        }
        if (tokens.isEmpty()) throw new TokenizerException(file + ": no pieces (not a SentencePiece model?)");
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", "llama");
        md.put("tokenizer.ggml.tokens", tokens);
        md.put("tokenizer.ggml.scores", scores);
        md.put("tokenizer.ggml.token_type", types);
        md.put("tokenizer.ggml.add_space_prefix", addDummyPrefix);
        if (unk >= 0) md.put("tokenizer.ggml.unknown_token_id", unk);
        if (bos >= 0) md.put("tokenizer.ggml.bos_token_id", bos);
        if (eos >= 0) md.put("tokenizer.ggml.eos_token_id", eos);
        if (pad >= 0) md.put("tokenizer.ggml.padding_token_id", pad);
        return md;
    }

    /** Minimal protobuf wire-format reader over a buffer range; errors name the file and offset. */
    private static final class Reader {
        private final Path file;
        private final ByteBuffer b;
        private final int end;

        Reader(Path file, ByteBuffer b, int end) {
            this.file = file;
            this.b = b;
            this.end = end;
        }

        boolean more() {
            return b.position() < end;
        }

        private void need(long n) {
            if (n < 0 || b.position() + n > end) {
                throw new TokenizerException(file + ": truncated protobuf at byte " + b.position() + " (need " + n + " more bytes)");
            }
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1);
                int x = b.get() & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if (x < 0x80) return v;
            }
            throw new TokenizerException(file + ": bad varint at byte " + b.position());
        }

        double fixed32() {
            need(4);
            return b.getFloat();
        }

        Reader sub() {
            long len = varint();
            need(len);
            int start = b.position();
            b.position(start + (int) len);
            ByteBuffer s = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            s.position(start);
            return new Reader(file, s, start + (int) len);
        }

        String string() {
            long len = varint();
            need(len);
            byte[] a = new byte[(int) len];
            b.get(a);
            return new String(a, StandardCharsets.UTF_8);
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> { need(8); b.position(b.position() + 8); }
                case 2 -> { long len = varint(); need(len); b.position(b.position() + (int) len); }
                case 5 -> { need(4); b.position(b.position() + 4); }
                default -> throw new TokenizerException(file + ": unsupported protobuf wire type " + wire + " at byte " + b.position());
            }
        }
    }
}
