#!/usr/bin/env python3
"""Regenerate src/test/resources/fuzz/ (run by hand, NOT by the tests): seeded random conversations
(roles, part arrays, reasoning, tool calls with object or string arguments, tool results, awkward text)
rendered with the seed models' templates by the oracle's own Jinja2 environment and context handling
(../shared/oracles/render_template.py, clock frozen). contexts.json holds the contexts; expected.json maps
template -> list of {"text"} or {"error"} in the same order."""
import copy, importlib.util, json, pathlib, random, sys
from datetime import datetime

shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared")
spec = importlib.util.spec_from_file_location("oracle", shared / "oracles" / "render_template.py")
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)
oracle.NOW = datetime.fromisoformat("2026-01-31T12:00:00")

TEMPLATES = ["Qwen-Qwen3-0.6B.jinja", "Qwen3.5-4B.jinja", "Qwen3-Coder.jinja", "GLM-4.7-Flash.jinja", "GLM-4.6.jinja",
             "Kimi-K2-Thinking.jinja", "moonshotai-Kimi-K2.jinja", "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16.jinja",
             "openai-gpt-oss-120b.jinja", "meta-llama-Llama-3.1-8B-Instruct.jinja", "deepseek-ai-DeepSeek-V3.1.jinja",
             "lumen-demo.jinja"]
rnd = random.Random(5)
PIECES = ["Hello", "wie geht's?", "naïve café", "😀🚀", "line\nbreak", "  padded  ", "tab\there", "\"quoted\"", "it's",
          "<think>fake</think>", "{\"json\": [1, 2]}", "a\\b", "", "日本語", "x" * 40, "</tool_call>", "<|im_end|>"]
TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather for a city.",
     "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}}},
    {"type": "function", "function": {"name": "run_code", "description": "Run Python code.",
     "parameters": {"type": "object", "properties": {"code": {"type": "string"}, "timeout": {"type": "number"}}, "required": ["code"]}}},
]

def text():
    return " ".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 4)))

def content():
    t = text()
    return [{"type": "text", "text": t}] if rnd.random() < 0.1 else t

def args():
    a = rnd.choice([{"city": rnd.choice(["Paris", "Zürich", "São Paulo"]), "days": rnd.randint(1, 5)},
                    {"code": "print('hi')\nx = {\"a\": 1}", "timeout": 2.5}])
    return json.dumps(a, ensure_ascii=False) if rnd.random() < 0.15 else a

def context(k):
    msgs = []
    if rnd.random() < 0.4:
        msgs.append({"role": rnd.choice(["system", "system", "developer"]), "content": text()})
    ncall = 0
    for turn in range(rnd.randint(1, 3)):
        msgs.append({"role": "user", "content": content()})
        if turn == 0 and rnd.random() < 0.2 and k % 2:
            break
        a = {"role": "assistant", "content": text()}
        if rnd.random() < 0.5:
            a["reasoning_content"] = text()
        if rnd.random() < 0.4:
            a["content"] = rnd.choice(["", text()])
            a["tool_calls"] = []
            for _ in range(rnd.randint(1, 2)):
                ncall += 1
                a["tool_calls"].append({"id": f"call{ncall:05d}", "type": "function", "function": {
                    "name": rnd.choice(["get_weather", "run_code"]), "arguments": args()}})
            msgs.append(a)
            for c in a["tool_calls"]:
                msgs.append({"role": "tool", "tool_call_id": c["id"], "name": c["function"]["name"], "content": text()})
            if rnd.random() < 0.7:
                msgs.append({"role": "assistant", "content": text()})
        else:
            msgs.append(a)
    ctx = {"messages": msgs, "bos_token": "<s>", "eos_token": "</s>"}
    if msgs[-1]["role"] == "assistant" and rnd.random() < 0.3:
        ctx["continue_final_message"] = True
    else:
        ctx["add_generation_prompt"] = msgs[-1]["role"] != "assistant" or rnd.random() < 0.3
    if rnd.random() < 0.5:
        ctx["tools"] = TOOLS
    kw = {}
    if rnd.random() < 0.6:
        kw["enable_thinking"] = rnd.random() < 0.5
    if rnd.random() < 0.2:
        kw["reasoning_effort"] = rnd.choice(["low", "high"])
    if kw:
        ctx["chat_template_kwargs"] = kw
    return ctx

def render(src, ctx):
    ctx = copy.deepcopy(ctx)  # the same steps as render_template.py's main()
    kw = ctx.pop("chat_template_kwargs", None)
    if isinstance(kw, dict):
        ctx.update(kw)
    ctx.setdefault("add_generation_prompt", False)
    ctx.setdefault("tools", None)
    ctx.setdefault("documents", None)
    cont = ctx.pop("continue_final_message", False)
    try:
        final_text = None
        if cont:
            field = cont if isinstance(cont, str) else "content"
            final_text = oracle.mark_final_message(ctx["messages"], field, src)
        out = oracle.compile_template(src).render(**ctx)
        if cont:
            out = oracle.cut_at_marker(out, final_text)
        return {"text": out}
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}

contexts = [context(k) for k in range(60)]
res = pathlib.Path("src/test/resources")
expected = {}
for t in TEMPLATES:
    src = (res / "templates" / t).read_text(encoding="utf-8")
    expected[t] = [render(src, c) for c in contexts]
(res / "fuzz").mkdir(exist_ok=True)
(res / "fuzz" / "contexts.json").write_text(json.dumps(contexts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
(res / "fuzz" / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(contexts), "contexts x", len(TEMPLATES), "templates,",
      sum("error" in r for v in expected.values() for r in v), "errors")
