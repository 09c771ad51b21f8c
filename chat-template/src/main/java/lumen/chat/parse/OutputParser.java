package lumen.chat.parse;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Splits a model's reply into content, reasoning and tool calls, whole ({@link #parse}) or streamed
 * ({@link #push}/{@link #finish}). Streaming re-scans the text received so far and emits only what can
 * no longer change: text that might be the start of a marker and trailing whitespace are held back, and
 * a tool call starts once its name is certain and then streams its arguments (Hermes/Qwen3, Kimi and
 * harmony pass the model's JSON text through; Qwen3-Coder/Nemotron and GLM add one parameter at a time;
 * Llama JSON calls arrive whole at the end), so the deltas always add up to the final parse.
 * Malformed tool calls become plain content; this class never throws on model output.
 */
public final class OutputParser {
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutputFormat format;
    private final IntFunction<String> ids;
    private final StringBuilder text = new StringBuilder();
    private Scan.Snapshot emitted = Scan.Snapshot.EMPTY;
    private final List<ToolCall> calls = new ArrayList<>();
    /** Ids of the calls whose CallStart was emitted (one more than {@code calls} while a call streams). */
    private final List<String> startedIds = new ArrayList<>();
    /** The arguments of the streaming call emitted so far. */
    private String streamedArgs = "";
    private boolean finished;

    /** A parser whose tool calls get random ids {@code call_XXXXXXXXXXXXXXXXXXXXXXXX}. */
    public OutputParser(OutputFormat format) {
        this(format, i -> randomId());
    }

    /** A parser whose i-th tool call gets {@code ids.apply(i)} unless the model wrote its own id (Kimi). */
    public OutputParser(OutputFormat format, IntFunction<String> ids) {
        this.format = format;
        this.ids = ids;
    }

    public static ParsedOutput parse(OutputFormat format, String text) {
        OutputParser p = new OutputParser(format);
        p.push(text);
        p.finish();
        return p.result();
    }

    static String randomId() {
        StringBuilder sb = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) {
            sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    /** Adds generated text; returns what became certain. */
    public List<Delta> push(String chunk) {
        if (finished) {
            throw new IllegalStateException("push after finish");
        }
        text.append(chunk);
        return advance(Scan.scan(format, text.toString(), false));
    }

    /** Ends the reply: flushes held-back text and decides unfinished tool calls. */
    public List<Delta> finish() {
        if (finished) {
            return List.of();
        }
        finished = true;
        return advance(Scan.scan(format, text.toString(), true));
    }

    /** Everything emitted so far, as one message. */
    public ParsedOutput result() {
        return new ParsedOutput(emitted.content(), emitted.reasoning(), calls);
    }

    private List<Delta> advance(Scan.Snapshot next) {
        List<Delta> out = new ArrayList<>();
        String reasoning = emitted.reasoning();
        if (next.reasoning().length() > reasoning.length() && next.reasoning().startsWith(reasoning)) {
            out.add(new Delta.Reasoning(next.reasoning().substring(reasoning.length())));
            reasoning = next.reasoning();
        }
        String content = emitted.content();
        if (next.content().length() > content.length() && next.content().startsWith(content)) {
            out.add(new Delta.Content(next.content().substring(content.length())));
            content = next.content();
        }
        for (int i = calls.size(); i < next.calls().size(); i++) {
            Scan.RawCall rc = next.calls().get(i);
            streamArguments(i, rc, out);
            ToolCall tc = new ToolCall(startedIds.get(i), rc.name(), rc.arguments());
            calls.add(tc);
            streamedArgs = "";
            out.add(new Delta.Call(i, tc));
        }
        if (next.pending() != null) {
            streamArguments(calls.size(), next.pending(), out);
        }
        emitted = new Scan.Snapshot(reasoning, content, List.copyOf(next.calls()), next.pending());
        return out;
    }

    /** Starts call {@code i} if needed and emits the part of its arguments not sent yet. */
    private void streamArguments(int i, Scan.RawCall rc, List<Delta> out) {
        if (i >= startedIds.size()) {
            String id = rc.id() != null ? rc.id() : ids.apply(i);
            startedIds.add(id);
            streamedArgs = "";
            out.add(new Delta.CallStart(i, id, rc.name()));
        }
        String args = rc.arguments();
        if (args.length() > streamedArgs.length() && args.startsWith(streamedArgs)) {
            out.add(new Delta.CallArguments(i, args.substring(streamedArgs.length())));
            streamedArgs = args;
        }
    }
}
