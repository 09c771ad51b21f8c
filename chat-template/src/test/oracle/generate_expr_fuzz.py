#!/usr/bin/env python3
"""Regenerate src/test/resources/expr-fuzz.json (run by hand, NOT by the tests): seeded random Jinja
expressions (literals, variables, operators, filters, tests, methods, slices, conditionals) printed with
{{ }} and rendered by the oracle's Jinja2 environment, with the same context as snippets.json."""
import copy, importlib.util, json, pathlib, random, sys
from datetime import datetime

shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared")
spec = importlib.util.spec_from_file_location("oracle", shared / "oracles" / "render_template.py")
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)
oracle.NOW = datetime.fromisoformat("2026-01-31T12:00:00")
CTX = json.load(open("src/test/resources/snippets.json", encoding="utf-8"))["context"]
rnd = random.Random(7)

ATOMS = ["n", "f", "neg", "s", "l", "e", "none", "t", "d", "msgs", "u", "words", "nested", "missing", "0", "1", "-2", "2.5",
         "'abc'", "''", "'A b'", "[1, 'x']", "[]", "{'k': 1}", "true", "false", "(1, 2)", "msgs[0]", "d.a", "nested.x.y"]
FILTERS = ["length", "string", "trim", "upper", "lower", "list", "first", "last", "tojson", "default('D')", "join(',')",
           "reverse|list", "sort|list", "unique|list", "int", "float", "abs", "round", "items|list", "dictsort",
           "selectattr('role')|list", "map('string')|list", "capitalize", "title", "replace('a', 'Z')", "indent(2)",
           "wordcount", "sum", "max", "min", "count", "tojson(indent=1)", "d", "batch(2)|list", "center(7)", "e", "safe"]
TESTS = ["defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "sequence", "iterable",
         "boolean", "true", "false", "odd", "even", "lower", "upper", "callable", "eq 1", "in l", "divisibleby 2", "gt 1"]
OPS = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">=", "in", "not in", "and", "or", "**"]
METHODS = ["strip()", "split()", "upper()", "startswith('a')", "get('a')", "keys()|list", "items()|list", "count(1)",
           "replace('b', 'c')", "endswith('c')", "title()", "lstrip('H')", "rsplit(',', 1)", "find('l')", "values()|list"]

def expr(depth=0):
    r = rnd.random()
    if depth > 2 or r < 0.25:
        return rnd.choice(ATOMS)
    if r < 0.45:
        return f"({expr(depth + 1)})|{rnd.choice(FILTERS)}"
    if r < 0.6:
        return f"{expr(depth + 1)} {rnd.choice(OPS)} {expr(depth + 1)}"
    if r < 0.7:
        return f"({expr(depth + 1)}) is {rnd.choice(['', 'not '])}{rnd.choice(TESTS)}"
    if r < 0.8:
        return f"({expr(depth + 1)}).{rnd.choice(METHODS)}"
    if r < 0.87:
        return "(" + expr(depth + 1) + ")[" + rnd.choice(["0", "-1", "1:", ":2", "::-1", "'a'"]) + "]"
    if r < 0.94:
        return f"{expr(depth + 1)} if {expr(depth + 1)} else {expr(depth + 1)}"
    return f"not {expr(depth + 1)}"

cases, seen = [], set()
while len(cases) < 1500:
    t = "{{ " + expr() + " }}"
    if t in seen:
        continue
    seen.add(t)
    try:
        out = oracle.compile_template(t).render(**copy.deepcopy(CTX))  # some filters mutate lists
        if " at 0x" in out:  # a memory address (printed method or generator): not reproducible
            continue
        cases.append({"template": t, "text": out})
    except Exception as e:
        cases.append({"template": t, "error": f"{type(e).__name__}: {e}"})
with open("src/test/resources/expr-fuzz.json", "w", encoding="utf-8") as fh:
    json.dump({"context": CTX, "cases": cases}, fh, ensure_ascii=False, indent=0)
    fh.write("\n")
print(len(cases), "cases,", sum("error" in c for c in cases), "errors")
