package lumen.sampler.constraint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import lumen.sampler.constraint.json.Json;

/**
 * Test helper: the token bytes of a byte-level BPE tokenizer.json (GPT-2 byte-to-unicode map, as in
 * HF tokenizers' ByteLevel decoder). Added tokens are taken verbatim; end-of-generation ids are the
 * added tokens named in {@code eog}.
 */
final class HfVocab {
    private HfVocab() {}

    /** GPT-2's bytes_to_unicode, inverted: code point -> byte. */
    static int[] unicodeToByte() {
        int[] inv = new int[512];
        java.util.Arrays.fill(inv, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable) inv[b] = b;
            else inv[256 + n++] = b;
        }
        return inv;
    }

    @SuppressWarnings("unchecked")
    static TokenVocabulary load(Path tokenizerJson, List<String> eog) throws IOException {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(tokenizerJson), tokenizerJson.toString());
        Map<String, Object> vocab = (Map<String, Object>) ((Map<String, Object>) doc.get("model")).get("vocab");
        List<Object> added = (List<Object>) doc.get("added_tokens");
        int size = 0;
        for (Object id : vocab.values()) size = Math.max(size, ((Json.Num) id).value().intValue() + 1);
        for (Object a : added) size = Math.max(size, ((Json.Num) ((Map<String, Object>) a).get("id")).value().intValue() + 1);
        byte[][] bytes = new byte[size][];
        int[] inv = unicodeToByte();
        for (var e : vocab.entrySet()) {
            String s = e.getKey();
            byte[] b = new byte[s.length()];
            for (int i = 0; i < s.length(); i++) b[i] = (byte) inv[s.charAt(i)];
            bytes[((Json.Num) e.getValue()).value().intValue()] = b;
        }
        BitSet special = new BitSet(), end = new BitSet();
        for (Object ao : added) {
            Map<String, Object> a = (Map<String, Object>) ao;
            int id = ((Json.Num) a.get("id")).value().intValue();
            String content = (String) a.get("content");
            bytes[id] = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (Boolean.TRUE.equals(a.get("special"))) special.set(id);
            if (eog.contains(content)) end.set(id);
        }
        for (int i = 0; i < size; i++) if (bytes[i] == null) bytes[i] = new byte[0];
        return new TokenVocabulary(bytes, end, special);
    }
}
