package lumen.api;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import lumen.engine.Compute;
import lumen.engine.EngineException;
import lumen.engine.Scratch;
import lumen.engine.Trace;
import lumen.engine.arch.Architecture;
import lumen.engine.run.Sequence;
import lumen.loader.ModelFile;
import lumen.sampler.constraint.Constraint;
import lumen.sampler.constraint.Constraints;
import lumen.sampler.constraint.TokenVocabulary;
import lumen.tensor.Ops;
import lumen.tensor.kernel.KernelProvider;
import lumen.tensor.memory.LargePageArena;
import lumen.tensor.parallel.ThreadPool;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/**
 * A loaded model: its memory-mapped weights, its tokenizer and a thread pool. Thread-safe to share for
 * reading; each {@link Session} is one sequence and is used from one thread at a time.
 */
public final class Model implements AutoCloseable {
    private final ModelFile file;
    /** Repacked weight matrices (closed with the model). */
    private final Arena weights;
    private final Architecture architecture;
    private final ThreadPool pool;
    private final Compute compute;
    private final int contextSize;
    private final int batchSize;
    private Tokenizer tokenizer;
    private TokenVocabulary vocabulary;

    private Model(ModelFile file, Arena weights, Architecture architecture, ThreadPool pool, int contextSize, int batchSize) {
        this.file = file;
        this.weights = weights;
        this.architecture = architecture;
        this.pool = pool;
        this.compute = new Compute(new Ops(KernelProvider.get(), pool), pool, Trace.NONE, new Scratch());
        this.contextSize = contextSize;
        this.batchSize = batchSize;
    }

    /** Opens a GGUF model (memory-mapped, nothing copied, unless {@link ModelOptions#mmap()} is false) and prepares it to run. */
    public static Model load(Path path, ModelOptions options) {
        ModelFile file = options.mmap() ? ModelFile.open(path) : ModelFile.openInMemory(path);
        Arena weights = new LargePageArena();
        try {
            Architecture architecture = Architecture.load(file, options.repack() && repackFits(file, options.mmap()) ? weights : null);
            int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
            int context = options.contextSize() > 0 ? options.contextSize() : defaultContext(architecture);
            long cacheBytes = (long) context * architecture.stateBytesPerPosition();
            long heap = Runtime.getRuntime().maxMemory();
            if (cacheBytes > heap - heap / 8) {
                throw new EngineException(String.format(java.util.Locale.ROOT,
                        "a context of %d tokens needs %.2f GiB of KV cache, more than the Java heap allows (%.2f GiB);"
                                + " lower --ctx or raise -Xmx (LUMEN_JAVA_OPTS)", context, cacheBytes / 1073741824.0, heap / 1073741824.0));
            }
            return new Model(file, weights, architecture, new ThreadPool(threads), context, options.batchSize());
        } catch (RuntimeException e) {
            weights.close();
            file.close();
            throw e;
        }
    }

    /**
     * Whether a repacked copy of the weights fits beside the Java heap in three quarters of the physical
     * memory (beside the in-memory copy of the file too, without mmap). A model larger than that keeps the
     * file's layout, so that it still runs (slower decoding) instead of exhausting memory with copies.
     */
    private static boolean repackFits(ModelFile file, boolean mapped) {
        long weights = 0;
        for (var t : file.tensorInfos()) weights += t.size();
        if (!mapped) weights *= 2;
        long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return weights <= physical / 4 * 3 - Runtime.getRuntime().maxMemory();
    }

    /** The trained context, capped so that the KV cache takes at most an eighth of the heap. */
    private static int defaultContext(Architecture a) {
        long budget = Runtime.getRuntime().maxMemory() / 8;
        long fits = Math.max(256, budget / Math.max(1, a.stateBytesPerPosition()));
        return (int) Math.min(a.trainedContext(), fits);
    }

    public Path path() {
        return file.path();
    }

    public String architecture() {
        return architecture.name();
    }

    public int vocabSize() {
        return architecture.vocabSize();
    }

    public int contextSize() {
        return contextSize;
    }

    public int threads() {
        return pool.threads();
    }

    ThreadPool pool() {
        return pool;
    }

    /** Bytes of weights one generated token reads (every matrix, one embedding row). */
    public long weightBytesPerToken() {
        return architecture.weightBytesPerToken();
    }

    /** Bytes of all tensors in the file(s). */
    public long weightBytes() {
        return file.tensorInfos().stream().mapToLong(t -> t.size()).sum();
    }

    /** Number of weights in all tensors. */
    public long parameterCount() {
        return file.tensorInfos().stream().mapToLong(t -> t.elementCount()).sum();
    }

    /**
     * Parameters that each token of a prompt is multiplied with: all but the embedding table and the
     * output matrix (a prompt's logits are computed for its last token only). Prompt FLOPs per token ≈ 2×
     * this, attention aside.
     */
    public long promptParametersPerToken() {
        return file.tensorInfos().stream().filter(t -> !t.name().equals("token_embd.weight") && !t.name().equals("output.weight"))
                .mapToLong(t -> t.elementCount()).sum();
    }

    /** llama.cpp-style description, e.g. "llama 1B Q4_0". */
    public String description() {
        return ModelDescription.of(architecture.name(), parameterCount(), file);
    }

    /** The tokenizer described by the file's metadata (read on first use). */
    synchronized Tokenizer tokenizer() {
        if (tokenizer == null) tokenizer = Tokenizers.fromGguf(file.metadata());
        return tokenizer;
    }

    /** The vocabulary as bytes, for constraints (built on first use). */
    synchronized TokenVocabulary vocabulary() {
        if (vocabulary == null) vocabulary = TokenVocabulary.of(tokenizer());
        return vocabulary;
    }

    /** Compiles a constraint over this model's vocabulary. */
    Constraint compile(OutputConstraint c) {
        TokenVocabulary v = vocabulary();
        return switch (c) {
            case OutputConstraint.None n -> throw new IllegalArgumentException("no constraint to compile");
            case OutputConstraint.JsonSchema s -> Constraints.jsonSchema(s.schema(), s.strict(), v);
            case OutputConstraint.JsonObject o -> Constraints.jsonObject(v);
            case OutputConstraint.Regex r -> Constraints.regex(r.pattern(), v);
            case OutputConstraint.Choice ch -> Constraints.choice(ch.options(), v);
            case OutputConstraint.Gbnf g -> Constraints.gbnf(g.grammar(), v);
            case OutputConstraint.Lark l -> Constraints.lark(l.grammar(), v);
        };
    }

    /** Token ids of text; adds BOS as the model's tokenizer says when addSpecial; special-token text is parsed. */
    public int[] encode(String text, boolean addSpecial) {
        return tokenizer().encode(text, addSpecial, true);
    }

    /** Text of token ids, special tokens omitted. */
    public String decode(int[] ids) {
        return tokenizer().decode(ids, false);
    }

    /** A new, empty sequence. */
    public Session newSession() {
        return new Session(this, new Sequence(architecture, compute, contextSize, batchSize));
    }

    @Override
    public void close() {
        pool.close();
        if (weights.scope().isAlive()) weights.close();
        file.close();
    }
}
