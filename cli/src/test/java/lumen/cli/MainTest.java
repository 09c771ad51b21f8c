package lumen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on the shipped demo model: output, exit codes and one-line errors. */
class MainTest {
    static final String DEMO = Path.of("../models/lumen-demo-q8_0.gguf").toString();

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Greedy text of the demo model is llama.cpp's greedy continuation (reference lumen-demo-q8_0/short: 16 ids). */
    @Test
    void runGreedyOnTheDemoModelTellsTheKnownStory() {
        Result r = run("run", "-m", DEMO, "-p", "Once upon a time, there was", "-n", "16", "--temp", "0", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("Once upon a time, there was a happy fox named Sam. He lived in a sunny garden. Sam loved to", r.out().strip());
        assertTrue(r.err().contains("tok/s"), r.err());
    }

    /** --no-mmap copies the same bytes into memory: llama.cpp's greedy continuation again. */
    @Test
    void noMmapRunsTheSameModelFromMemory() {
        Result r = run("run", "-m", DEMO, "-p", "Once upon a time, there was", "-n", "16", "--temp", "0", "--no-mmap");
        assertEquals(0, r.code(), r.err());
        assertEquals("Once upon a time, there was a happy fox named Sam. He lived in a sunny garden. Sam loved to", r.out().strip());
    }

    @Test
    void sameSeedSameText() {
        Result a = run("run", "-m", DEMO, "-p", "Once upon a time", "-n", "30", "--temp", "0.8", "-s", "7");
        Result b = run("run", "-m", DEMO, "-p", "Once upon a time", "-n", "30", "--temp", "0.8", "-s", "7", "-t", "1");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void logitsWritesOneRowPerTokenAndGreedyIds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("l.f32");
        Result r = run("logits", "-m", DEMO, "--tokens", "1,4,5", "-o", file.toString(), "--greedy", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(3L * 2048 * 4, Files.size(file));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] last = new float[2048];
        b.position(2 * 2048 * 4);
        b.asFloatBuffer().get(last);
        String firstGreedy = r.out().trim().split(",")[0];
        assertEquals(LogitsCommand.argmax(last), Integer.parseInt(firstGreedy));
        assertEquals(3, r.out().trim().split(",").length);
    }

    /** llama-bench's table and one JSON line per test, at a depth (tokens already in the context) as llama-bench's -d. */
    @Test
    void benchPrintsTheTableAndJsonAtADepth() {
        Result r = run("bench", "-m", DEMO, "-p", "8", "-n", "4", "-d", "16", "-r", "2", "--warmup", "0", "-t", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(" pp8 @ d16 |"), r.out());
        assertTrue(r.out().contains(" tg4 @ d16 |"), r.out());
        long json = r.out().lines().filter(l -> l.startsWith("{") && l.contains("\"n_depth\": 16")).count();
        assertEquals(2, json, r.out());
        assertTrue(r.out().contains("\"test\": \"tg4 @ d16\"") && r.out().contains("\"bandwidth_ratio\": "), r.out());
        Result tooDeep = run("bench", "-m", DEMO, "-d", "2147483647");
        assertEquals(1, tooDeep.code());
        assertEquals("lumen: error: -d plus the larger of -p and -n is 2147484159 tokens, too many for a context", tooDeep.err().strip());
    }

    @Test
    void benchTakesListsAsLlamaBench() {
        Result r = run("bench", "-m", DEMO, "-p", "8,16", "-n", "0,4", "-d", "0,16", "-r", "1", "--warmup", "0", "-t", "2");
        assertEquals(0, r.code(), r.err());
        List<String> tests = r.out().lines().filter(l -> l.startsWith("| llama")).map(l -> l.split("\\|")[6].strip()).toList();
        assertEquals(List.of("pp8", "pp16", "tg4", "pp8 @ d16", "pp16 @ d16", "tg4 @ d16"), tests, r.out());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("{")).count(), r.out());
        Result negative = run("bench", "-m", DEMO, "-p", "8,-1");
        assertEquals(1, negative.code());
        assertTrue(negative.err().contains("must be >= 0, found -1"), negative.err());
    }

    @Test
    void missingModelIsOneClearLine() {
        Result r = run("run", "-m", "no/such/model.gguf", "-p", "x");
        assertEquals(1, r.code());
        assertEquals("lumen: error: no/such/model.gguf: no such file", r.err().trim());
    }

    @Test
    void notAGgufFileIsOneClearLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.gguf");
        Files.writeString(bad, "this is not a model");
        Result r = run("run", "-m", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("lumen: error: ") && r.err().contains("bad.gguf"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void badFlagExitsNonZeroWithUsageHint() {
        Result r = run("run", "--no-such-flag");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-flag"), r.err());
    }

    @Test
    void fullContextIsAnErrorOrAStopNotACrash() {
        Result r = run("run", "-m", DEMO, "-p", "Once upon a time", "-n", "50", "--ctx", "16", "--temp", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("context (16 tokens) is full"), r.err());
        Result tooLong = run("run", "-m", DEMO, "-p", "Once upon a time there was a fox and a cat and a dog", "--ctx", "4");
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.err().contains("the context holds 4"), tooLong.err());
        assertEquals("", tooLong.out(), "nothing printed before the error");
    }

    @Test
    void minusOneGeneratesUntilTheEndOrAFullContextAsLlamaCpp() {
        Result r = run("run", "-m", DEMO, "-p", "Once upon a time", "-n", "-1", "--ctx", "24", "--temp", "0");
        assertEquals(0, r.code(), r.err());
        // 5 prompt tokens, so up to 20 generated: the greedy story does not end that soon
        assertTrue(r.err().contains("generated: 20 tokens") && r.err().contains("context (24 tokens) is full"), r.err());
        Result bad = run("run", "-m", DEMO, "-n", "-3");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("-n must be >= -2"), bad.err());
    }

    @Test
    void aContextLargerThanTheHeapIsRefusedUpFront() {
        Result r = run("run", "-m", DEMO, "--ctx", "2000000000");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("lower --ctx"), r.err());
    }

    @Test
    void perplexityPrintsChunksAndTheFinalEstimateLikeLlamaCpp(@TempDir Path dir) throws Exception {
        String story = "Once upon a time, there was a happy fox named Sam. He lived in a sunny garden. Sam loved to play the drum.\n";
        Path text = dir.resolve("t.txt");
        Files.writeString(text, story.repeat(12));
        Result r = run("perplexity", "-m", DEMO, "-f", text.toString(), "--ctx", "64");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("[1]"), r.out());
        assertTrue(r.out().contains("Final estimate: PPL = "), r.out());
        Result tooShort = run("perplexity", "-m", DEMO, "-f", text.toString(), "--ctx", "512");
        assertEquals(1, tooShort.code());
        assertTrue(tooShort.err().contains("perplexity needs at least 1024 tokens"), tooShort.err());
    }

    /** Ids of the demo model's tokenizer for llama.cpp's reference prompt (lumen-demo-q8_0/short). */
    @Test
    void tokenizeAndDecode() {
        Result r = run("tokenize", "-m", DEMO, "Once upon a time, there was");
        assertEquals(0, r.code(), r.err());
        assertEquals("[1, 426, 427, 268, 359, 1985, 407, 333]", r.out().strip());
        Result d = run("tokenize", "-m", DEMO, "--decode", "426,427,268,359");
        assertEquals("Once upon a time", d.out());
        Result noBos = run("tokenize", "-m", DEMO, "--no-bos", "<|im_start|>");
        assertEquals("[4]", noBos.out().strip());
        Result plain = run("tokenize", "-m", DEMO, "--no-bos", "--no-special", "<|im_start|>");
        assertFalse(plain.out().strip().equals("[4]"), plain.out());
    }

    @Test
    void templateRendersTheModelsChatTemplate(@TempDir Path dir) throws Exception {
        Path ctx = dir.resolve("ctx.json");
        Files.writeString(ctx, """
                {"messages": [{"role": "user", "content": "Hello!"}], "add_generation_prompt": true,
                 "chat_template_kwargs": {"enable_thinking": false}}""");
        Result r = run("template", "-m", DEMO, "--context", ctx.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", r.out());
    }
}
