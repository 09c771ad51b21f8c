package lumen.tokenizer;

/** Text to token ids and back, exactly as the model's reference tokenizer does it. Instances are thread-safe. */
public interface Tokenizer {
    /** Token ids of text; addSpecial inserts BOS/EOS as the model's settings say; parseSpecial matches special-token text. */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** Text of ids (lossy UTF-8 replaced with U+FFFD); special/control tokens included only if showSpecial. */
    String decode(int[] ids, boolean showSpecial);

    /** A streaming decoder: feed ids one at a time, get the text that is complete so far (holds back split UTF-8). */
    StreamDecoder streamDecoder(boolean showSpecial);

    /** The raw bytes token id decodes to (byte tokens &lt;0xNN&gt; → that byte; SPM '▁' → space; GPT-2 byte map undone). */
    byte[] tokenBytes(int id);

    /** The vocabulary string of id as stored. */
    String tokenText(int id);

    /** Number of token ids. */
    int vocabSize();

    /** Beginning-of-sequence id, -1 if none. */
    int bos();

    /** End-of-sequence id, -1 if none. */
    int eos();

    /** Ids that end generation: EOS, EOT (&lt;|im_end|&gt;, &lt;|eot_id|&gt;, ...) and tokens typed as such. */
    boolean isEndOfGeneration(int id);

    /** Control / user-defined tokens. */
    boolean isSpecial(int id);
}
