package lumen.tokenizer;

import java.nio.charset.StandardCharsets;

import lumen.tokenizer.pretokenize.ByteLevel;

/** Token strings, their types, and the bytes each decodes to. */
public final class Vocab {
    /** How a normal token's string turns into bytes. */
    public enum Alphabet {
        /** SentencePiece: U+2581 is a space, {@code <0xNN>} byte tokens are that byte. */
        SENTENCEPIECE,
        /** GPT-2 byte-level characters. */
        BYTE_LEVEL
    }

    private final String[] texts;
    private final TokenType[] types;
    private final byte[][] bytes;

    public Vocab(String[] texts, TokenType[] types, Alphabet alphabet) {
        this(texts, types, alphabet, true);
    }

    /**
     * @param userDefinedRaw whether user-defined tokens decode to their raw text (llama.cpp) rather than through
     *                       the alphabet (HF applies its decoder, e.g. U+2581 → space, to non-special added tokens)
     */
    public Vocab(String[] texts, TokenType[] types, Alphabet alphabet, boolean userDefinedRaw) {
        if (texts.length != types.length) throw new IllegalArgumentException("texts and types differ in length");
        this.texts = texts;
        this.types = types;
        this.bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            TokenType t = types[i] == TokenType.USER_DEFINED && !userDefinedRaw ? TokenType.NORMAL : types[i];
            bytes[i] = bytesOf(texts[i], t, alphabet);
        }
    }

    private static byte[] bytesOf(String text, TokenType type, Alphabet alphabet) {
        switch (type) {
            case CONTROL, USER_DEFINED, UNUSED -> {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            case BYTE -> {
                if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
                    return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
                }
            }
            case UNKNOWN -> {
                if (alphabet == Alphabet.SENTENCEPIECE) return "\u2585".getBytes(StandardCharsets.UTF_8); // llama.cpp shows <unk> as ▅
            }
            default -> { }
        }
        return alphabet == Alphabet.BYTE_LEVEL
                ? ByteLevel.unmap(text)
                : Utf8.encode(text.replace('\u2581', ' '));
    }

    public int size() {
        return texts.length;
    }

    public String text(int id) {
        return texts[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** The bytes of id (a shared array: do not modify). */
    public byte[] bytes(int id) {
        return bytes[id];
    }

    String[] texts() {
        return texts;
    }
}
