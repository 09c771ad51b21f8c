#!/usr/bin/env python3
"""Regenerate chat-template golden data (run by hand, NOT by the tests).

Copies every template of ../shared/templates (*.jinja and hf/*.jinja, the latter prefixed "hf-")
into src/test/resources/templates/, and renders each one with every context in
src/test/resources/templates/contexts/ using the oracle ../shared/oracles/render_template.py
(real Jinja2 with Hugging Face's settings, clock frozen at 2026-01-31T12:00:00).
Writes src/test/resources/templates/expected/<template>.json:
  {"<context>.json": {"text": "..."} | {"error": "<oracle stderr>"}}

usage (from chat-template/):  python3 src/test/oracle/generate_expected.py [/work/shared]
"""
import json, os, pathlib, shutil, subprocess, sys

shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared")
res = pathlib.Path("src/test/resources/templates")
oracle = shared / "oracles" / "render_template.py"
NOW = "2026-01-31T12:00:00"

for src in sorted((shared / "templates").glob("*.jinja")):
    shutil.copyfile(src, res / src.name)
for src in sorted((shared / "templates" / "hf").glob("*.jinja")):
    shutil.copyfile(src, res / ("hf-" + src.name))

contexts = sorted((res / "contexts").glob("*.json"))
(res / "expected").mkdir(exist_ok=True)
errors = total = 0
for tmpl in sorted(res.glob("*.jinja")):
    out = {}
    for ctx in contexts:
        p = subprocess.run([sys.executable, str(oracle), str(tmpl), str(ctx), "--json", "--now", NOW],
                           capture_output=True, text=True)
        total += 1
        if p.returncode == 0:
            out[ctx.name] = {"text": json.loads(p.stdout)["text"]}
        elif p.returncode == 3:
            errors += 1
            out[ctx.name] = {"error": p.stderr.strip()}
        else:
            sys.exit(f"oracle failed on {tmpl.name} x {ctx.name}: {p.stderr}")
    with open(res / "expected" / (tmpl.stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
print(f"{total} renders, {errors} expected errors")
