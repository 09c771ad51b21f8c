package lumen.chat.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One pass over a reply (whole, or the part received so far). With {@code complete == false} the
 * snapshot keeps back whatever later text could still change, so successive snapshots only grow.
 */
final class Scan {
    private Scan() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String THINK_OPEN = "<think>";
    private static final String THINK_CLOSE = "</think>";

    /** A tool call before it gets an id (Kimi writes its own, kept in {@code id}). */
    record RawCall(String id, String name, String arguments) {}

    /**
     * What is certain so far: complete calls, and the call being written ({@code pending}, or null) whose
     * name is known and whose arguments so far are a prefix of its final arguments.
     */
    record Snapshot(String reasoning, String content, List<RawCall> calls, RawCall pending) {
        static final Snapshot EMPTY = new Snapshot("", "", List.of(), null);

        Snapshot(String reasoning, String content, List<RawCall> calls) {
            this(reasoning, content, calls, null);
        }
    }

    /** The calls of one tool-call block: complete ones, and the one still open (streaming only). */
    private record Block(List<RawCall> calls, RawCall pending) {}

    static Snapshot scan(OutputFormat f, String text, boolean complete) {
        if (f.toolCalls() == ToolCallFormat.HARMONY) {
            return harmony(text, complete);
        }
        int pos = 0;
        String reasoning = "";
        boolean afterThink = false;
        if (f.thinkTags()) {
            boolean inThink = f.startsInReasoning();
            if (!inThink) {
                int ws = skipWs(text, 0);
                String rest = text.substring(ws);
                if (rest.startsWith(THINK_OPEN)) {
                    inThink = true;
                    pos = ws + THINK_OPEN.length();
                } else if (!complete && THINK_OPEN.startsWith(rest)) {
                    return Snapshot.EMPTY; // could still become <think>
                }
            }
            if (inThink) {
                int end = text.indexOf(THINK_CLOSE, pos);
                if (end < 0) {
                    String r = text.substring(pos);
                    if (!complete) {
                        r = holdBack(r, THINK_CLOSE).stripTrailing();
                    }
                    return new Snapshot(r.strip(), "", List.of());
                }
                reasoning = text.substring(pos, end).strip();
                pos = end + THINK_CLOSE.length();
                afterThink = true;
            }
        }
        Body body = f.toolCalls() == ToolCallFormat.LLAMA3_JSON ? llamaJson(f, text, pos, complete)
            : tagged(f, text, pos, complete, afterThink);
        return new Snapshot(reasoning, body.content, body.calls, body.pending);
    }

    private record Body(String content, List<RawCall> calls, RawCall pending) {
        Body(String content, List<RawCall> calls) {
            this(content, calls, null);
        }
    }

    /** Markers of the block that holds tool calls, per format. */
    private static String[] markers(ToolCallFormat f) {
        return switch (f) {
            case HERMES, QWEN3_CODER, GLM -> new String[] {"<tool_call>", "</tool_call>"};
            case KIMI_K2 -> new String[] {"<|tool_calls_section_begin|>", "<|tool_calls_section_end|>"};
            default -> null;
        };
    }

    private static Body tagged(OutputFormat f, String text, int pos, boolean complete, boolean lstripFirst) {
        String[] m = markers(f.toolCalls());
        StringBuilder content = new StringBuilder();
        List<RawCall> calls = new ArrayList<>();
        boolean lstrip = lstripFirst;
        RawCall pending = null;
        int p = pos;
        while (true) {
            int s = m == null ? -1 : text.indexOf(m[0], p);
            if (s < 0) {
                String tail = text.substring(p);
                if (lstrip) {
                    tail = tail.stripLeading();
                }
                if (!complete) {
                    tail = (m == null ? tail : holdBack(tail, m[0])).stripTrailing();
                }
                content.append(tail);
                break;
            }
            String before = text.substring(p, s).stripTrailing();
            content.append(lstrip ? before.stripLeading() : before);
            int bodyStart = s + m[0].length();
            int e = text.indexOf(m[1], bodyStart);
            if (e < 0 && !complete) {
                // an unfinished block: what is certain of it, once it certainly holds a call
                Block open = parseBlock(f, text.substring(bodyStart), false);
                if (open != null) {
                    calls.addAll(open.calls());
                    pending = open.pending();
                }
                break;
            }
            String inner = text.substring(bodyStart, e < 0 ? text.length() : e);
            Block parsed = parseBlock(f, inner, true);
            int next = e < 0 ? text.length() : e + m[1].length();
            if (parsed == null) {
                content.append(text, s, next); // malformed: keep it as text
            } else {
                calls.addAll(parsed.calls());
            }
            p = next;
            lstrip = true;
        }
        return new Body(content.toString(), calls, pending);
    }

    /**
     * The tool calls inside one block ({@code closed}), or what is certain of an open one; null when it
     * is malformed or, while open, not yet certainly a call. Whatever an open block yields, the closed
     * block yields too, extended: a call once started is never taken back.
     */
    private static Block parseBlock(OutputFormat f, String inner, boolean closed) {
        try {
            return switch (f.toolCalls()) {
                case HERMES -> hermes(inner, closed);
                case QWEN3_CODER -> qwen3Coder(f, inner, closed);
                case GLM -> glm(f, inner, closed);
                case KIMI_K2 -> kimi(inner, closed);
                default -> null;
            };
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code {"name": "NAME", "arguments": {…}}} in this order (as Qwen3 writes it) streams: the call starts once
     * the arguments object opens, and its arguments are the model's own text of that object. Any other shape
     * is read whole when the block closes.
     */
    private static Block hermes(String inner, boolean closed) throws JsonProcessingException {
        int[] span = new int[2];
        String name = hermesHead(inner, span);
        if (name != null) {
            int end = span[1];
            String args = end > 0 ? inner.substring(span[0], end) : inner.substring(span[0]).stripTrailing();
            RawCall c = new RawCall(null, name, args);
            return closed || end > 0 ? new Block(List.of(c), null) : new Block(List.of(), c);
        }
        if (!closed) {
            return null;
        }
        JsonNode n = JSON.readTree(inner.strip());
        RawCall c = jsonCall(n);
        return c == null ? null : new Block(List.of(c), null);
    }

    /**
     * The name when {@code s} starts with {@code {"name": "…", "arguments": {}; span gets where the arguments
     * object starts and ends (end 0 while it is still open). Null for any other beginning.
     */
    private static String hermesHead(String s, int[] span) throws JsonProcessingException {
        int i = skipWs(s, 0);
        if (!s.startsWith("{", i)) {
            return null;
        }
        i = skipWs(s, i + 1);
        if (!s.startsWith("\"name\"", i)) {
            return null;
        }
        i = skipWs(s, i + 6);
        if (!s.startsWith(":", i)) {
            return null;
        }
        int nameStart = skipWs(s, i + 1);
        int nameEnd = stringEnd(s, nameStart);
        if (nameEnd < 0) {
            return null;
        }
        i = skipWs(s, nameEnd);
        if (!s.startsWith(",", i)) {
            return null;
        }
        i = skipWs(s, i + 1);
        if (!s.startsWith("\"arguments\"", i)) {
            return null;
        }
        i = skipWs(s, i + 11);
        if (!s.startsWith(":", i)) {
            return null;
        }
        i = skipWs(s, i + 1);
        if (!s.startsWith("{", i)) {
            return null;
        }
        span[0] = i;
        span[1] = 0;
        int depth = 0;
        for (int k = i; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"') {
                int e = stringEnd(s, k);
                if (e < 0) {
                    break;
                }
                k = e - 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    span[1] = k + 1;
                    break;
                }
            }
        }
        return JSON.readValue(s.substring(nameStart, nameEnd), String.class);
    }

    /** The index just after the JSON string starting at {@code from}, or -1 when it is not (yet) complete. */
    private static int stringEnd(String s, int from) {
        if (from >= s.length() || s.charAt(from) != '"') {
            return -1;
        }
        for (int k = from + 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k + 1;
            }
        }
        return -1;
    }

    /** {"name": …, "arguments"|"parameters": {…} or "…"} as a call, or null. */
    private static RawCall jsonCall(JsonNode n) throws JsonProcessingException {
        if (n == null || !n.isObject() || !n.path("name").isTextual()) {
            return null;
        }
        JsonNode args = n.has("arguments") ? n.get("arguments") : n.get("parameters");
        String a;
        if (args == null || args.isNull()) {
            a = "{}";
        } else if (args.isTextual()) {
            a = args.asText();
        } else if (args.isObject()) {
            a = JSON.writeValueAsString(args);
        } else {
            return null;
        }
        return new RawCall(null, n.get("name").asText(), a);
    }

    private static final Pattern FUNCTION = Pattern.compile("\\s*<function=([^>\\n]+)>");
    private static final Pattern PARAMETER = Pattern.compile("(?s)<parameter=([^>\\n]+)>(.*?)</parameter>");

    /** The function header, then complete parameters in order; anything else after them is ignored. */
    private static Block qwen3Coder(OutputFormat f, String inner, boolean closed) throws JsonProcessingException {
        Matcher fm = FUNCTION.matcher(inner);
        if (!fm.lookingAt()) {
            return null;
        }
        String name = fm.group(1).strip();
        StringBuilder args = new StringBuilder("{");
        Matcher pm = PARAMETER.matcher(inner);
        int last = fm.end();
        while (pm.find(last) && inner.substring(last, pm.start()).isBlank()) {
            String key = pm.group(1).strip();
            appendArg(args, key, typed(f, name, key, trimOneNewline(pm.group(2))));
            last = pm.end();
        }
        return finish(name, args, closed);
    }

    private static void appendArg(StringBuilder args, String key, JsonNode value) throws JsonProcessingException {
        if (args.length() > 1) {
            args.append(',');
        }
        args.append(JSON.writeValueAsString(key)).append(':').append(JSON.writeValueAsString(value));
    }

    private static Block finish(String name, StringBuilder args, boolean closed) {
        if (closed) {
            return new Block(List.of(new RawCall(null, name, args.append('}').toString())), null);
        }
        return new Block(List.of(), new RawCall(null, name, args.toString()));
    }

    private static String trimOneNewline(String v) {
        String s = v.startsWith("\n") ? v.substring(1) : v;
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static final Pattern ARG = Pattern.compile("(?s)<arg_key>(.*?)</arg_key>\\s*<arg_value>(.*?)</arg_value>");

    /** The name (certain once the first {@code <arg_key>} or the block end arrives), then complete pairs in order. */
    private static Block glm(OutputFormat f, String inner, boolean closed) throws JsonProcessingException {
        int first = inner.indexOf("<arg_key>");
        if (first < 0 && !closed) {
            return null;
        }
        String name = (first < 0 ? inner : inner.substring(0, first)).strip();
        if (name.isEmpty() || name.contains("<") || name.contains("\n")) {
            return null;
        }
        StringBuilder args = new StringBuilder("{");
        if (first >= 0) {
            Matcher am = ARG.matcher(inner);
            int last = first;
            while (am.find(last) && inner.substring(last, am.start()).isBlank()) {
                String key = am.group(1).strip();
                appendArg(args, key, typed(f, name, key, am.group(2)));
                last = am.end();
            }
        }
        return finish(name, args, closed);
    }

    /** A parameter value: raw text for string parameters, JSON for the others (raw text if it is not JSON). */
    private static JsonNode typed(OutputFormat f, String function, String param, String value) {
        String type = f.paramType(function, param);
        if ("string".equals(type)) {
            return TextNode.valueOf(value);
        }
        try {
            JsonNode n = JSON.readTree(value.strip());
            if (n != null && !n.isMissingNode()) {
                return n;
            }
        } catch (JsonProcessingException e) {
            // not JSON: keep the text
        }
        return TextNode.valueOf(value);
    }

    private static final Pattern KIMI_CALL = Pattern.compile(
        "(?s)\\s*<\\|tool_call_begin\\|>\\s*([^<]+?)\\s*<\\|tool_call_argument_begin\\|>(.*?)<\\|tool_call_end\\|>");
    private static final Pattern KIMI_OPEN = Pattern.compile(
        "(?s)\\s*<\\|tool_call_begin\\|>\\s*([^<]+?)\\s*<\\|tool_call_argument_begin\\|>");
    private static final String KIMI_END = "<|tool_call_end|>";

    /** Calls in order, arguments as the model wrote them (stripped); what follows the last call is ignored. */
    private static Block kimi(String inner, boolean closed) {
        List<RawCall> r = new ArrayList<>();
        Matcher km = KIMI_CALL.matcher(inner);
        int last = 0;
        while (km.find(last) && km.start() == last) {
            r.add(kimiCall(km.group(1), km.group(2).strip()));
            last = km.end();
        }
        RawCall pending = null;
        if (!closed) {
            Matcher open = KIMI_OPEN.matcher(inner);
            open.region(last, inner.length());
            if (open.lookingAt()) {
                pending = kimiCall(open.group(1), holdBack(inner.substring(open.end()), KIMI_END).strip());
            }
        }
        return r.isEmpty() && pending == null ? null : new Block(r, pending);
    }

    private static RawCall kimiCall(String id, String args) {
        String name = id.startsWith("functions.") ? id.substring("functions.".length()) : id;
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            name = name.substring(0, colon);
        }
        return new RawCall(id, name, args);
    }

    private static final String PYTHON_TAG = "<|python_tag|>";

    private static Body llamaJson(OutputFormat f, String text, int pos, boolean complete) {
        String rest = text.substring(pos);
        String t = rest.strip();
        boolean maybeCall = t.startsWith("{") || t.startsWith(PYTHON_TAG) || PYTHON_TAG.startsWith(t);
        if (!maybeCall) {
            String c = pos > 0 ? rest.stripLeading() : rest;
            return new Body(complete ? c : c.stripTrailing(), List.of());
        }
        if (!complete) {
            return new Body("", List.of());
        }
        String body = t.startsWith(PYTHON_TAG) ? t.substring(PYTHON_TAG.length()).strip() : t;
        List<RawCall> calls = new ArrayList<>();
        try {
            for (String part : body.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                RawCall c = jsonCall(JSON.readTree(part.strip()));
                if (c == null) {
                    calls = null;
                    break;
                }
                calls.add(c);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            calls = null;
        }
        if (calls == null || calls.isEmpty()) {
            return new Body(pos > 0 ? rest.stripLeading() : rest, List.of());
        }
        return new Body("", calls);
    }

    // ---- gpt-oss harmony

    private static final String[] HARMONY_ENDS = {"<|end|>", "<|call|>", "<|return|>"};

    private static Snapshot harmony(String text, boolean complete) {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        List<RawCall> calls = new ArrayList<>();
        RawCall pending = null;
        int p = 0;
        while (p < text.length()) {
            int h = text.indexOf("<|message|>", p);
            if (h < 0) {
                if (complete && !text.substring(p).contains("<|")) {
                    content.append(text.substring(p)); // no harmony framing at all
                }
                break;
            }
            String header = text.substring(p, h);
            int bodyStart = h + "<|message|>".length();
            int end = -1;
            String endTok = null;
            for (String e : HARMONY_ENDS) {
                int i = text.indexOf(e, bodyStart);
                if (i >= 0 && (end < 0 || i < end)) {
                    end = i;
                    endTok = e;
                }
            }
            String channel = headerField(header, "<|channel|>");
            String recipient = recipient(header);
            boolean open = end < 0;
            String body = text.substring(bodyStart, open ? text.length() : end);
            if (recipient != null) {
                String name = recipient.startsWith("functions.") ? recipient.substring("functions.".length()) : recipient;
                if (open && !complete) {
                    pending = new RawCall(null, name, holdBack(body, HARMONY_ENDS).strip());
                    break;
                }
                calls.add(new RawCall(null, name, body.strip())); // the arguments as the model wrote them
                if (open) {
                    break;
                }
            } else {
                if (open && !complete) {
                    body = holdBack(body, HARMONY_ENDS);
                }
                if ("analysis".equals(channel)) {
                    reasoning.append(body);
                } else {
                    content.append(body);
                }
                if (open) {
                    break;
                }
            }
            p = end + endTok.length();
            if (text.startsWith("<|start|>", p)) {
                p += "<|start|>".length();
            }
        }
        return new Snapshot(reasoning.toString(), content.toString(), calls, pending);
    }

    private static String headerField(String header, String marker) {
        int i = header.indexOf(marker);
        if (i < 0) {
            return null;
        }
        String v = header.substring(i + marker.length());
        int stop = v.length();
        for (String s : new String[] {" ", "<|"}) {
            int j = v.indexOf(s);
            if (j >= 0) {
                stop = Math.min(stop, j);
            }
        }
        return v.substring(0, stop).strip();
    }

    private static String recipient(String header) {
        Matcher m = Pattern.compile("to=([^\\s<]+)").matcher(header);
        return m.find() ? m.group(1) : null;
    }

    // ---- helpers

    private static int skipWs(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code s} without its longest suffix that is a proper prefix of one of the markers. */
    static String holdBack(String s, String... markers) {
        int cut = s.length();
        for (String m : markers) {
            for (int k = Math.min(m.length() - 1, s.length()); k > 0; k--) {
                if (s.regionMatches(s.length() - k, m, 0, k)) {
                    cut = Math.min(cut, s.length() - k);
                    break;
                }
            }
        }
        return s.substring(0, cut);
    }

}
