package lumen.chat.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    record Snapshot(String reasoning, String content, List<RawCall> calls) {
        static final Snapshot EMPTY = new Snapshot("", "", List.of());
    }

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
        return new Snapshot(reasoning, body.content, body.calls);
    }

    private record Body(String content, List<RawCall> calls) {}

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
                break; // an unfinished block: wait
            }
            String inner = text.substring(bodyStart, e < 0 ? text.length() : e);
            List<RawCall> parsed = parseBlock(f, inner, calls.size());
            int next = e < 0 ? text.length() : e + m[1].length();
            if (parsed == null) {
                content.append(text, s, next); // malformed: keep it as text
            } else {
                calls.addAll(parsed);
            }
            p = next;
            lstrip = true;
        }
        return new Body(content.toString(), calls);
    }

    /** The tool calls inside one block, or null when it is malformed. */
    private static List<RawCall> parseBlock(OutputFormat f, String inner, int index) {
        try {
            return switch (f.toolCalls()) {
                case HERMES -> hermes(inner);
                case QWEN3_CODER -> qwen3Coder(f, inner);
                case GLM -> glm(f, inner);
                case KIMI_K2 -> kimi(inner);
                default -> null;
            };
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static List<RawCall> hermes(String inner) throws JsonProcessingException {
        JsonNode n = JSON.readTree(inner.strip());
        RawCall c = jsonCall(n);
        return c == null ? null : List.of(c);
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

    private static final Pattern FUNCTION = Pattern.compile("(?s)\\s*<function=([^>\\n]+)>(.*?)</function>\\s*");
    private static final Pattern PARAMETER = Pattern.compile("(?s)<parameter=([^>\\n]+)>(.*?)</parameter>");

    private static List<RawCall> qwen3Coder(OutputFormat f, String inner) throws JsonProcessingException {
        Matcher fm = FUNCTION.matcher(inner);
        if (!fm.matches()) {
            return null;
        }
        String name = fm.group(1).strip();
        String params = fm.group(2);
        ObjectNode args = JSON.createObjectNode();
        Matcher pm = PARAMETER.matcher(params);
        int last = 0;
        while (pm.find()) {
            if (!params.substring(last, pm.start()).isBlank()) {
                return null;
            }
            String key = pm.group(1).strip();
            args.set(key, typed(f, name, key, trimOneNewline(pm.group(2))));
            last = pm.end();
        }
        if (!params.substring(last).isBlank()) {
            return null;
        }
        return List.of(new RawCall(null, name, JSON.writeValueAsString(args)));
    }

    private static String trimOneNewline(String v) {
        String s = v.startsWith("\n") ? v.substring(1) : v;
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static final Pattern ARG = Pattern.compile("(?s)<arg_key>(.*?)</arg_key>\\s*<arg_value>(.*?)</arg_value>");

    private static List<RawCall> glm(OutputFormat f, String inner) throws JsonProcessingException {
        int first = inner.indexOf("<arg_key>");
        String name = (first < 0 ? inner : inner.substring(0, first)).strip();
        if (name.isEmpty() || name.contains("<") || name.contains("\n")) {
            return null;
        }
        ObjectNode args = JSON.createObjectNode();
        if (first >= 0) {
            String rest = inner.substring(first);
            Matcher am = ARG.matcher(rest);
            int last = 0;
            while (am.find()) {
                if (!rest.substring(last, am.start()).isBlank()) {
                    return null;
                }
                String key = am.group(1).strip();
                args.set(key, typed(f, name, key, am.group(2)));
                last = am.end();
            }
            if (!rest.substring(last).isBlank()) {
                return null;
            }
        }
        return List.of(new RawCall(null, name, JSON.writeValueAsString(args)));
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
        "(?s)\\s*<\\|tool_call_begin\\|>\\s*([^<]+?)\\s*<\\|tool_call_argument_begin\\|>(.*?)<\\|tool_call_end\\|>\\s*");

    private static List<RawCall> kimi(String inner) throws JsonProcessingException {
        List<RawCall> r = new ArrayList<>();
        Matcher km = KIMI_CALL.matcher(inner);
        int last = 0;
        while (km.find() && km.start() == last) {
            String id = km.group(1);
            String name = id.startsWith("functions.") ? id.substring("functions.".length()) : id;
            int colon = name.lastIndexOf(':');
            if (colon > 0) {
                name = name.substring(0, colon);
            }
            JsonNode args = JSON.readTree(km.group(2).strip());
            if (args == null || !args.isObject()) {
                return null;
            }
            r.add(new RawCall(id, name, JSON.writeValueAsString(args)));
            last = km.end();
        }
        return last == inner.length() && !r.isEmpty() ? r : null;
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
                if (open && !complete) {
                    break;
                }
                String name = recipient.startsWith("functions.") ? recipient.substring("functions.".length()) : recipient;
                String args = body.strip();
                try {
                    JsonNode n = JSON.readTree(args);
                    if (n != null && n.isObject()) {
                        args = JSON.writeValueAsString(n);
                    }
                } catch (JsonProcessingException e) {
                    // keep the raw arguments
                }
                calls.add(new RawCall(null, name, args));
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
        return new Snapshot(reasoning.toString(), content.toString(), calls);
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
