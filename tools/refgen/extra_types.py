#!/usr/bin/env python3
"""Reference logits from llama.cpp for the quant types the shared fixtures do not hold.

The shared fixtures (../shared/fixtures) cover F32/F16/BF16/Q8_0/Q4_0/Q4_K_M/Q6_K for llama and qwen3.
It also adds RoPE scaling keys (linear, YaRN) to the shared tiny F32 files (tools/refgen/gguf_set.py).
This script quantizes two F32 sources with llama.cpp's llama-quantize into the other types Lumen reads
(Q4_1, Q5_0, Q5_1, Q2_K, Q3_K_M, Q5_K_M; the K mixes also hold Q4_K/Q5_K/Q6_K) and records llama.cpp's
logits for two token sequences per file, in the fixtures' format (refgen-logits-v1): every position of
one batch, then 16 greedy decode steps with their logits.

Sources: Lumen's own random-weight `llama-tiny` (hidden 256, so K-quants apply) and `llama-odd` (odd
sizes), written by `lumen bench --synthetic SHAPE:F32`, and the shared fixture qwen3-t64-f32.gguf.

Needs llama.cpp's llama-quantize and tools/refgen/dump_logits.c built against libllama:
    LLAMA_QUANTIZE=/path/llama-quantize DUMP_LOGITS=/path/dump_logits [RUN="loader prefix"] \
        python3 tools/refgen/extra_types.py OUT_DIR
OUT_DIR gets models/<stem>.gguf and reference/<stem>/{medium,long}.{json,logits.f32,decode.f32}.
"""
import array, hashlib, json, os, random, shlex, subprocess, sys
from pathlib import Path

out = Path(sys.argv[1])
run = shlex.split(os.environ.get("RUN", ""))
quantize = run + [os.environ["LLAMA_QUANTIZE"]]
dump = run + [os.environ["DUMP_LOGITS"]]
root = Path(__file__).resolve().parents[2]
def synthetic(shape):
    path = Path(os.environ.get("LUMEN_SYNTHETIC_DIR", "/tmp/lumen-synthetic")) / f"synthetic-{shape}-F32.gguf"
    if not path.exists():
        subprocess.run([str(root / "lumen"), "bench", "--synthetic", f"{shape}:F32", "-p", "0", "-n", "1", "-r", "1"], check=True)
    return path

SOURCES = {
    "llama-tiny": (synthetic("llama-tiny"), 1024, ["Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K_M", "Q5_K_M"]),
    # odd sizes: 5 heads sharing 1 kv head, ffn 864 (K-quants fall back to Q5_0/Q8_0), vocab 1000 (no whole 32-row groups)
    "llama-odd": (synthetic("llama-odd"), 1000, ["Q4_0", "Q8_0", "Q4_K_M"]),
    "qwen3-t64": (root.parent / "shared/fixtures/models/qwen3-t64-f32.gguf", 512, ["Q4_1", "Q5_1"]),
}
# RoPE scaling (F32, so the fixtures' strict tolerance applies): the shared tiny files with scaling keys added
fixtures = root.parent / "shared/fixtures/models"
SCALED = {
    "llama-t64-f32-rope-linear": (fixtures / "llama-t64-f32.gguf", 512,
                                  ["llama.rope.scaling.type=str:linear", "llama.rope.scaling.factor=f32:4"]),
    "llama-t64-f32-yarn": (fixtures / "llama-t64-f32.gguf", 512,
                           ["llama.rope.scaling.type=str:yarn", "llama.rope.scaling.factor=f32:8",
                            "llama.rope.scaling.original_context_length=u32:4096"]),
    "qwen3-t64-f32-yarn": (fixtures / "qwen3-t64-f32.gguf", 512,
                           ["qwen3.rope.scaling.type=str:yarn", "qwen3.rope.scaling.factor=f32:4",
                            "qwen3.rope.scaling.original_context_length=u32:4096"]),
}
PROMPTS = {"medium": 40, "long": 200}   # as the shared fixtures: their rules for long prompts apply
GREEDY = 16

def floats(path):
    a = array.array("f")
    a.frombytes(path.read_bytes())
    return a

JOBS = [(f"{base}-{qtype.lower()}", vocab, qtype, [str(source), qtype, "2"], None)
        for base, (source, vocab, types) in SOURCES.items() for qtype in types]
JOBS += [(stem, vocab, "F32", None, [str(source)] + keys) for stem, (source, vocab, keys) in SCALED.items()]

for stem, vocab, qtype, quantize_args, set_args in JOBS:
        model = out / "models" / f"{stem}.gguf"
        model.parent.mkdir(parents=True, exist_ok=True)
        if quantize_args:
            subprocess.run(quantize + quantize_args[:1] + [str(model)] + quantize_args[1:], check=True, capture_output=True)
        else:
            subprocess.run([sys.executable, str(Path(__file__).with_name("gguf_set.py")), set_args[0], str(model)] + set_args[1:], check=True)
        ref = out / "reference" / stem
        ref.mkdir(parents=True, exist_ok=True)
        for prompt, n in PROMPTS.items():
            rnd = random.Random(f"{stem}/{prompt}")
            tokens = [1] + [rnd.randrange(3, vocab) for _ in range(n - 1)]
            prefix = ref / prompt
            r = subprocess.run(dump + [str(model), ",".join(map(str, tokens)), str(GREEDY), str(prefix)],
                               check=True, capture_output=True, text=True)
            greedy = [int(t) for t in r.stdout.split(":", 1)[1].split(",")]
            logits, decode = floats(Path(f"{prefix}.logits.f32")), floats(Path(f"{prefix}.decode.f32"))
            rows = [logits[(n - 1) * vocab:n * vocab]] + [decode[k * vocab:(k + 1) * vocab] for k in range(GREEDY)]
            tops, gaps = [], []
            for k in range(GREEDY):
                row = sorted(rows[k], reverse=True)
                tops.append(row[0])
                gaps.append(row[0] - row[1])
            json.dump({
                "format": "refgen-logits-v1", "name": f"{stem}/{prompt}", "model_file": model.name,
                "model_sha256": hashlib.sha256(model.read_bytes()).hexdigest(), "model_type": qtype,
                "n_vocab": vocab, "n_tokens": n, "tokens": tokens,
                "logits_file": f"{prompt}.logits.f32", "logits_shape": [n, vocab],
                "greedy": {"n_predict": GREEDY, "tokens": greedy, "top_logits": tops, "top2_gaps": gaps,
                           "decode_logits_file": f"{prompt}.decode.f32", "decode_logits_shape": [GREEDY, vocab]},
                "settings": {"n_threads": 2, "n_batch": n, "kv_type": "f32", "flash_attn": False, "backend": "CPU"},
                "source": f"tools/refgen/extra_types.py, llama.cpp {os.environ.get('LLAMA_CPP_VERSION', '?')}",
            }, open(f"{prefix}.json", "w"), indent=1)
            print(stem, prompt, greedy[:6])
