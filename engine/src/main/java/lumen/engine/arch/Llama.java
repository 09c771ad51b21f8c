package lumen.engine.arch;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lumen.engine.Compute;
import lumen.engine.EngineException;
import lumen.engine.block.Attention;
import lumen.engine.block.Ffn;
import lumen.engine.block.Norm;
import lumen.engine.block.Rope;
import lumen.engine.cache.KvCache;
import lumen.engine.cache.SequenceState;
import lumen.loader.ModelFile;
import lumen.tensor.Ops;
import lumen.tensor.Tensor;

/**
 * The dense decoder-only transformer of Llama (Touvron et al. 2023) and Qwen3: pre-RMSNorm, rotary
 * grouped-query attention, SwiGLU feed-forward. Qwen3 adds an RMSNorm over each query and key head
 * before RoPE and rotates in the NEOX layout; both are data here, not code paths.
 */
public final class Llama implements Architecture {

    /** What differs between the families this class runs. */
    enum Variant {
        LLAMA("llama", false),
        QWEN3("qwen3", true);

        final String key;
        final boolean neoxRope;

        Variant(String key, boolean neoxRope) {
            this.key = key;
            this.neoxRope = neoxRope;
        }
    }

    /** Hyperparameters, named after their GGUF keys ({@code <arch>.embedding_length}, …). */
    public record Config(int embeddingLength, int blockCount, int feedForwardLength, int headCount, int headCountKv,
                         int keyLength, int valueLength, float rmsEpsilon, int contextLength, int vocabSize) {
    }

    /** One transformer block's weights; names follow GGUF's {@code blk.N.*}. */
    public record Layer(float[] attnNorm,      // [embd]
                        Tensor attnQ,          // [headCount*keyLength][embd]
                        Tensor attnK,          // [headCountKv*keyLength][embd]
                        Tensor attnV,          // [headCountKv*valueLength][embd]
                        Tensor attnOutput,     // [embd][headCount*valueLength]
                        Optional<float[]> attnQNorm, // [keyLength], Qwen3
                        Optional<float[]> attnKNorm, // [keyLength], Qwen3
                        float[] ffnNorm,       // [embd]
                        Tensor ffnGate,        // [ffn][embd]
                        Tensor ffnUp,          // [ffn][embd]
                        Tensor ffnDown) {      // [embd][ffn]
    }

    private final Variant variant;
    private final Config config;
    private final Tensor tokenEmbd;   // [vocab][embd]
    private final List<Layer> layers;
    private final float[] outputNorm; // [embd]
    private final Tensor output;      // [vocab][embd]; token_embd when the embeddings are tied
    private final Rope rope;

    private Llama(Variant variant, Config config, Tensor tokenEmbd, List<Layer> layers, float[] outputNorm,
                  Tensor output, Rope rope) {
        this.variant = variant;
        this.config = config;
        this.tokenEmbd = tokenEmbd;
        this.layers = layers;
        this.outputNorm = outputNorm;
        this.output = output;
        this.rope = rope;
    }

    static Llama load(ModelFile f, Variant variant, Arena repackInto) {
        String a = variant.key + ".";
        int embd = (int) f.integer(a + "embedding_length");
        int heads = (int) f.integer(a + "attention.head_count");
        int kvHeads = (int) f.integer(a + "attention.head_count_kv", heads);
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new EngineException(f.path().getFileName() + ": " + a + "attention.head_count " + heads
                    + " is not a positive multiple of head_count_kv " + kvHeads);
        }
        int keyLength = (int) f.integer(a + "attention.key_length", embd / heads);
        int valueLength = (int) f.integer(a + "attention.value_length", keyLength);
        int vocab = Math.toIntExact(f.tensor("token_embd.weight").rowCount());
        Config c = new Config(embd, (int) f.integer(a + "block_count"), (int) f.integer(a + "feed_forward_length"),
                heads, kvHeads, keyLength, valueLength, (float) f.number(a + "attention.layer_norm_rms_epsilon"),
                (int) f.integer(a + "context_length", 4096), vocab);
        var w = new Weights(f, repackInto);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.blockCount(); i++) {
            String b = "blk." + i + ".";
            layers.add(new Layer(
                    w.vector(b + "attn_norm.weight", embd),
                    w.matrix(b + "attn_q.weight", embd, (long) heads * keyLength),
                    w.matrix(b + "attn_k.weight", embd, (long) kvHeads * keyLength),
                    w.matrix(b + "attn_v.weight", embd, (long) kvHeads * valueLength),
                    w.matrix(b + "attn_output.weight", (long) heads * valueLength, embd),
                    w.optionalVector(b + "attn_q_norm.weight", keyLength),
                    w.optionalVector(b + "attn_k_norm.weight", keyLength),
                    w.vector(b + "ffn_norm.weight", embd),
                    w.matrix(b + "ffn_gate.weight", embd, c.feedForwardLength()),
                    w.matrix(b + "ffn_up.weight", embd, c.feedForwardLength()),
                    w.matrix(b + "ffn_down.weight", c.feedForwardLength(), embd)));
        }
        Tensor tokenEmbd = w.matrix("token_embd.weight", embd, vocab);
        Tensor output = w.optionalMatrix("output.weight", embd, vocab).orElse(tokenEmbd);
        return new Llama(variant, c, tokenEmbd, List.copyOf(layers), w.vector("output_norm.weight", embd), output,
                RopeConfig.read(f, a, keyLength, variant.neoxRope, w));
    }

    @Override
    public String name() {
        return variant.key;
    }

    public Config config() {
        return config;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int trainedContext() {
        return config.contextLength();
    }

    @Override
    public long stateBytesPerPosition() {
        return KvCache.bytes(config.blockCount(), 1, config.headCountKv(), config.keyLength(), config.valueLength());
    }

    @Override
    public long weightBytesPerToken() {
        long bytes = output.data().byteSize() + tokenEmbd.rowBytes();
        for (Layer l : layers) {
            for (Tensor t : List.of(l.attnQ(), l.attnK(), l.attnV(), l.attnOutput(), l.ffnGate(), l.ffnUp(), l.ffnDown())) {
                bytes += t.data().byteSize();
            }
        }
        return bytes;
    }

    @Override
    public SequenceState newState(int contextSize) {
        return new KvCache(config.blockCount(), contextSize, config.headCountKv(), config.keyLength(), config.valueLength());
    }

    @Override
    public void forward(Compute c, SequenceState state, int[] tokens, int pos, float[] logits, boolean allRows) {
        KvCache cache = (KvCache) state;
        int n = tokens.length, embd = config.embeddingLength(), heads = config.headCount(), kvHeads = config.headCountKv();
        int qWidth = heads * config.keyLength(), kWidth = kvHeads * config.keyLength(), vWidth = kvHeads * config.valueLength();
        cache.checkRoom(pos, n);
        Ops ops = c.ops();
        float scale = (float) (1.0 / Math.sqrt(config.keyLength()));

        float[] residual = new float[n * embd];     // [n][embd]
        float[] normed = new float[n * embd];       // [n][embd]
        float[] q = new float[n * qWidth];          // [n][heads*keyLength]
        float[] k = new float[n * kWidth];          // [n][kvHeads*keyLength]
        float[] v = new float[n * vWidth];          // [n][kvHeads*valueLength]
        float[] attnOut = new float[n * heads * config.valueLength()];
        float[] blockOut = new float[n * embd];     // [n][embd]

        ops.getRows(tokenEmbd, tokens, residual);
        c.trace().at("inp_embd", -1, residual, n);
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            Norm.rms(residual, 0, normed, 0, n, l.attnNorm(), config.rmsEpsilon());
            c.trace().at("attn_norm", li, normed, n);
            ops.matmul(new Tensor[] {l.attnQ(), l.attnK(), l.attnV()}, normed, n, new float[][] {q, k, v});
            l.attnQNorm().ifPresent(weight -> Norm.rmsInPlace(q, n * heads, weight, config.rmsEpsilon()));
            l.attnKNorm().ifPresent(weight -> Norm.rmsInPlace(k, n * kvHeads, weight, config.rmsEpsilon()));
            for (int t = 0; t < n; t++) {
                rope.apply(q, t * qWidth, heads, config.keyLength(), pos + t);
                rope.apply(k, t * kWidth, kvHeads, config.keyLength(), pos + t);
            }
            c.trace().at("Qcur", li, q, n);
            c.trace().at("Kcur", li, k, n);
            cache.store(li, pos, n, k, v);
            Attention.attend(c.pool(), cache, li, q, attnOut, n, pos, heads, scale);
            ops.matmul(l.attnOutput(), attnOut, n, blockOut);
            add(residual, blockOut);
            c.trace().at("ffn_inp", li, residual, n);
            Norm.rms(residual, 0, normed, 0, n, l.ffnNorm(), config.rmsEpsilon());
            Ffn.swiglu(c, l.ffnGate(), l.ffnUp(), l.ffnDown(), normed, n, blockOut);
            add(residual, blockOut);
            c.trace().at("l_out", li, residual, n);
        }
        int first = allRows ? 0 : n - 1, rows = n - first;
        Norm.rms(residual, first * embd, normed, 0, rows, outputNorm, config.rmsEpsilon());
        c.trace().at("result_norm", -1, normed, rows);
        ops.matmul(output, normed, rows, logits);
    }

    private static void add(float[] into, float[] x) {
        for (int i = 0; i < into.length; i++) into[i] += x[i];
    }

    /** Reads the RoPE settings of a llama-family file: base, dimension count, scaling, llama 3 frequency factors. */
    private static final class RopeConfig {
        static Rope read(ModelFile f, String a, int keyLength, boolean neox, Weights w) {
            int dims = (int) f.integer(a + "rope.dimension_count", keyLength);
            float base = (float) f.number(a + "rope.freq_base", 10000.0);
            String scaling = f.find(a + "rope.scaling.type").map(Object::toString).orElse("none");
            double factor = scaling.equals("none") ? 1 : f.number(a + "rope.scaling.factor", 1.0);
            factor = f.number(a + "rope.scale_linear", factor); // the key older converters wrote
            float freqScale = factor > 0 ? (float) (1 / factor) : 1;
            float[] freqFactors = w.optionalVector("rope_freqs.weight", dims / 2).orElse(new float[0]);
            Rope.Yarn yarn = Rope.Yarn.OFF;
            if (scaling.equals("yarn")) {
                int original = (int) f.integer(a + "rope.scaling.original_context_length", f.integer(a + "context_length", 4096));
                yarn = Rope.Yarn.of(dims, original, base, (float) f.number(a + "rope.scaling.yarn_beta_fast", 32),
                        (float) f.number(a + "rope.scaling.yarn_beta_slow", 1), 1);
            }
            return new Rope(neox, dims, base, freqScale, freqFactors, yarn);
        }
    }
}
