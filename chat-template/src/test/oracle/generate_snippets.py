#!/usr/bin/env python3
"""Regenerate src/test/resources/snippets.json (run by hand, NOT by the tests): small templates covering
each builtin, whitespace rule and scoping rule, rendered by Jinja2 with Hugging Face's settings through
the oracle's own environment (../shared/oracles/render_template.py). Each case: template, context,
and either the expected text or the oracle's error.

usage (from chat-template/):  python3 src/test/oracle/generate_snippets.py [/work/shared]
"""
import copy, importlib.util, json, pathlib, sys
from datetime import datetime

shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared")
spec = importlib.util.spec_from_file_location("oracle", shared / "oracles" / "render_template.py")
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)
oracle.NOW = datetime.fromisoformat("2026-01-31T12:00:00")

CTX = {"s": "Hello, World", "n": 7, "f": 2.5, "neg": -3, "l": [3, 1, 2], "e": [], "none": None, "t": True,
       "d": {"b": 2, "a": 1, "items": "X"}, "msgs": [{"role": "user", "content": "hi"},
       {"role": "assistant", "content": "yo", "tool_calls": []}, {"role": "user", "content": "bye"}],
       "u": "Zürich ❄ \"q\" \\ \n\t", "big": 12345678901234567890, "fl": [0.1, 1e-05, 1e16, 123456789012345.0, 1.0, -0.0],
       "words": "  a b\tc  ", "tree": [{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}, {"name": "d"}]}, {"name": "e"}], "nested": {"x": {"y": [1, {"z": "deep"}]}}}

T = [
    # output of values (Python str/repr)
    "{{ n }}|{{ f }}|{{ t }}|{{ none }}|{{ l }}|{{ d }}|{{ e }}|{{ fl }}", "{{ msgs[0] }}", "{{ u }}|{{ [u] }}",
    "{{ big }}|{{ big + 1 }}",
    "{{ ['\u00a0nbsp', '\u200bzw', '\u2028ls', 'é😀', '\x85\x9f\x7f\x00', '\ufeff', '\u3000', 'x\ty\rz', '\U0001f600\U000e0001', \"'\\\"\"] }}", "{{ 'it''s' }}|{{ \"a\\tb\" }}|{{ 'x\\ny' }}|{{ '\\u00e9\\x41' }}", "{{ [\"it's\"] }}|{{ ['a\"b'] }}",
    # arithmetic and operators
    "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }}",
    "{{ 'ab' * 3 }} {{ [1] * 2 }} {{ 'a' ~ 1 ~ none ~ t }} {{ [1, 2] + [3] }} {{ 1.5 + 1 }} {{ 10 / 4 }} {{ 4 / 2 }}",
    "{{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ t == 1 }} {{ 'a' != 'a' }}",
    "{{ 'ell' in s }} {{ 3 in l }} {{ 'a' in d }} {{ 'z' not in d }} {{ not t }} {{ t and 'x' }} {{ none or 'y' }} {{ 0 or e }}",
    "{{ -n }} {{ - f }} {{ -neg|abs }} {{ 'yes' if t else 'no' }} {{ 'yes' if none }}|{{ ('a', 'b') }}",
    "{{ not n == 7 }} {{ t or false and false }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ (1 + 2) ~ 3 }} {{ 'a' ~ (1 + 2) }} {{ 2 ** -1 }} {{ 10 // 3.0 }} {{ -7.5 // 2 }} {{ 0.1 + 0.2 }} {{ 1e100 }} {{ 1.5e-7 }} {{ t + 1 }}",
    "{{ 'a' ~ 1 + 2 }}",
    "{{ 'a' if none else 'b' if t else 'c' }} {{ -1|abs }} {{ not e|length }} {{ 3 in l|select('odd') }} {{ none == none }} {{ [] == [] }} {{ {} == {} }} {{ d.zz is defined }} {{ msgs[0]['role'] is string }}",
    "{{ {'a': 1,} }} {{ [1, 2,] }} {{ (1,) }} {{ () }} {{ range(3)|reverse|list }} {{ l|sort|first }} {{ '%s'|format(l) }} {{ '%d items' % 3 }} {{ '%s and %s' % (1, 'x') }} {{ '%5.2f|%-4s|%03d' % (3.14159, 'ab', 7) }}",
    "{{ 'é'|length }} {{ '😀x'|length }} {{ '😀x'[0] }} {{ '😀x'[1:] }} {{ 'abc'[-1] }} {{ '😀'|tojson }} {{ '<b>'|safe|tojson }} {{ l|tojson|safe }} {{ l|string|length }}",
    "{{ 'a' 'b' }} {{ \"it's\" }} {{ 'say \\'hi\\'' }} {{ '\\\\' }}",
    # subscripts and slices
    "{{ l[0] }} {{ l[-1] }} {{ l[1:] }} {{ l[::-1] }} {{ s[:5] }} {{ s[-5:] }} {{ s[::2] }} {{ l[5] }}|{{ d['a'] }} {{ d.b }}",
    "{{ d.items is callable }}|{{ d['items'] }}", "{{ nested.x.y[1].z }} {{ nested['x']['y'][0] }} {{ msgs[1].tool_calls }}",
    "{{ s.missing }}|{{ d.missing }}|{{ l.missing }}",
    # whitespace control
    "a\n  {% if t %}\n  b\n  {% endif %}\nc", "a  {%- if t -%}  b  {%- endif -%}  c", "x {{- ' y ' -}} z",
    "  {%+ if t %}kept{% endif %}", "line\n    {{ n }}\n{# comment #}\nend\n", "{% if t %}a{% endif %}\n\nb",
    "{%- for i in l %}\n  {{ i }}\n{%- endfor %}", "{% raw %}{{ not rendered }}{% endraw %}", "a\n{#- c -#}\nb",
    # control flow and scoping
    "{% for i in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }},{% endfor %}",
    "{% for i in l %}{% if loop.previtem is defined %}{{ loop.previtem }}<{% endif %}{{ i }}{% if not loop.last %}>{{ loop.nextitem }}{% endif %};{% endfor %}",
    "{% for i in l if i > 1 %}{{ i }}:{{ loop.length }} {% endfor %}", "{% for i in e %}x{% else %}empty{% endfor %}",
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "{% for k in d %}{{ k }}{% endfor %}",
    "{% for i in l %}{% if i == 1 %}{% break %}{% endif %}{{ i }}{% endfor %}|{% for i in l %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
    "{% set x = 1 %}{% for i in l %}{% set x = x + i %}{{ x }},{% endfor %}{{ x }}",
    "{% set ns = namespace(total=0, seen=[]) %}{% for i in l %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
    "{% if t %}{% set y = 'set in if' %}{% endif %}{{ y }}", "{% set a, b = [1, 2] %}{{ b }}{{ a }}",
    "{% set block %}inner {{ n }}{% endset %}[{{ block }}]", "{% set up | upper %}shout{% endset %}{{ up }}",
    "{% for row in [[1, 2], [3]] %}{% for c in row %}{{ loop.index }}/{{ c }} {% endfor %}|{% endfor %}",
    "{% for i in l %}{{ loop.cycle('odd', 'even') }} {% endfor %}",
    "{% for m in msgs + msgs %}{% if loop.changed(m.role) %}[{{ m.role }}]{% endif %}{{ m.content }} {% endfor %}",
    "{% for item in tree recursive %}{{ item.name }}{{ loop.depth }}{{ loop.depth0 }}{% if item.children %}[{{ loop(item.children) }}]{% endif %}{% endfor %}",
    "{% for i in l %}{{ loop(l) }}{% endfor %}",
    # macros and call blocks
    "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet() }}",
    "{% macro rec(k) %}{% if k > 0 %}{{ k }}{{ rec(k - 1) }}{% endif %}{% endmacro %}{{ rec(4) }}",
    "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}body {{ n }}{% endcall %}",
    "{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}",
    "{% set g = 'global' %}{% macro show() %}{{ g }}{% endmacro %}{{ show() }}",
    "{% macro m() %}{{ v }}{% endmacro %}{% set v = 1 %}{{ m() }}{% set v = 2 %}{{ m() }}",
    "{% set v = 0 %}{% for i in [1] %}{% macro m() %}{{ v }}{% endmacro %}{% set v = 5 %}{{ m() }}{% endfor %}{{ v }}",
    "{% set ns = namespace(c=0) %}{% macro inc() %}{% set ns.c = ns.c + 1 %}{% endmacro %}{{ inc() }}{{ inc() }}{{ ns.c }}",
    "{% for a in [1, 2] %}{% for b in [3] %}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}",
    "{% set x = 1 %}{% macro m(x) %}{{ x }}{% set x = 9 %}{{ x }}{% endmacro %}{{ m(2) }}{{ x }}",
    "{% macro w() %}{{ caller(5) }}|{{ caller(6) }}{% endmacro %}{% call(n) w() %}n={{ n }}{% endcall %}",
    "{% macro m() %}abc{% endmacro %}{{ m()|upper }}{{ m() ~ 'd' }}{{ m() + 'e' }}",
    "{% for i in l %}{% set last = i %}{% endfor %}{{ last }}|{% for i in e %}{% else %}{% set z = 1 %}{{ z }}{% endfor %}{{ z }}",
    "{% if t %}{% for i in l %}{% if loop.first %}{% set first = i %}{% endif %}{% endfor %}{% endif %}{{ first }}",
    "{% set d2 = {'k': [1, 2]} %}{{ d2.k|length }}{{ d2['k'][1] }}{% set d2 = none %}{{ d2 }}",
    "{% filter upper %}loud {{ s }}{% endfilter %}",
    "{% set a = 0 %}{% with a = 1, b = a + 1 %}{{ a }}{{ b }}{% set c = 3 %}{% endwith %}{{ a }}{{ c }}", "{% generation %}gen {{ n }}{% endgeneration %}",
    # filters
    "{{ l|length }} {{ s|length }} {{ d|count }} {{ undefined_thing|length }}", "[{{ words|trim }}] [{{ 'xxaxx'|trim('x') }}]",
    "{{ n|string ~ 'x' }} {{ none|string }} {{ l|string }}", "{{ missing|default('dflt') }} {{ ''|default('e', true) }} {{ none|default('nd') }} {{ 0|d('z', boolean=true) }}",
    "{{ l|join(', ') }} {{ ['a', 'b']|join }} {{ msgs|join('|', attribute='role') }}",
    "{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %} {% for k, v in d|dictsort %}{{ k }}{% endfor %} {{ {'B': 1, 'a': 2}|dictsort }} {{ {'x': 2, 'y': 1, 'z': 3}|dictsort(by='value', reverse=true) }}",
    "{{ s|upper }} {{ s|lower }} {{ 'hello world'|title }} {{ 'hELLO'|capitalize }} {{ \"they're x-ray (mIxEd) 3rd\"|title }} {{ \"they're 3rd\".title() }} {{ 'straße'|upper }}",
    "{{ msgs|selectattr('role', 'equalto', 'user')|map(attribute='content')|list }} {{ msgs|rejectattr('role', 'eq', 'user')|list|length }}",
    "{{ msgs|selectattr('tool_calls', 'defined')|list|length }} {{ msgs|selectattr('tool_calls')|list|length }} {{ l|select('odd')|list }} {{ l|reject('even')|list }}",
    "{{ l|map('string')|join('-') }} {{ ['a', 'b']|map('upper')|list }} {{ msgs|map(attribute='missing', default='m')|list }}",
    "{{ 'a\nb\n\nc'|indent(2) }}|{{ 'a\nb'|indent(4, true) }}|{{ 'a\n\nb'|indent('> ', blank=true) }}|{{ 'x'|indent }}",
    "{{ s|replace('l', 'L') }} {{ s|replace('l', '', 1) }} {{ '42'|int + 1 }} {{ '3.7'|int }} {{ 'x'|int(5) }} {{ '2.5'|float * 2 }} {{ 3|float }}",
    "{{ [3, 1, 3, 2]|unique|list }} {{ l|sort }} {{ l|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ msgs|sort(attribute='content')|map(attribute='content')|list }}",
    "{{ l|first }} {{ l|last }} {{ s|first }} {{ e|first is undefined }} {{ l|reverse|list }} {{ s|reverse }}",
    "{{ neg|abs }} {{ 2.567|round(2) }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.1|round(method='ceil') }} {{ l|sum }} {{ l|max }} {{ l|min }}",
    "{{ 'a b  c'|wordcount }} {{ '%s-%d'|format('x', 3) }} {{ 'abcdefghij'|truncate(5, leeway=0) }} {{ 'The quick brown fox jumps'|truncate(15, leeway=0) }} {{ 'ab'|center(6) }}|",
    "{{ l|batch(2)|list }} {{ '<b>'|e }} {{ '<b>'|safe }} {{ ('<a>'|safe) + '<b>' }} {{ '<b>' + ('<a>'|safe) }}",
    "{{ d|tojson }} {{ u|tojson }} {{ fl|tojson }} {{ [none, t, false, 1.5, 'x']|tojson }} {{ msgs[1]|tojson }}",
    "{{ d|tojson(indent=2) }}|{{ l|tojson(indent=1) }}|{{ e|tojson(indent=2) }}|{{ {}|tojson(indent=2) }}",
    "{{ d|tojson(sort_keys=true) }} {{ d|tojson(separators=(',', ':')) }} {{ u|tojson(ensure_ascii=true) }} {{ 'é'|tojson(true) }}",
    "{{ nested|tojson(indent='\t') }}",
    "{{ {'a': [1, {'b': none}], 'c': 'é'}|tojson(indent=2, sort_keys=true) }}|{{ [1.0e-7, 123456789.123, 1e22, -1.5, 5e-324, 1.7976931348623157e308]|tojson }}|{{ {1: 'a', true: 'b'}|tojson }}",
    "{{ {'x': none, 'y': [1, 2]}|tojson(indent=0) }}|{{ 'a\u2028b\x7f\x00\x1f'|tojson }}|{{ 'a\u2028b\x7f\x00'|tojson(ensure_ascii=true) }}|{{ [[], {}, [[]]]|tojson(indent=2) }}",
    "{{ [1.0e-7, 123456789.123, 1e22, 5e-324, 1.7976931348623157e308, 0.5, 100.0, 1e15, 1e16, 12345.678e10] }}", "{{ d|attr('items') is callable }}",
    "{{ l|map('string')|join }} {{ 'abc'|list }} {{ ['A', 'a', 'b']|unique|list }} {{ ['A', 'a']|unique(case_sensitive=true)|list }} {{ msgs|sort(attribute='role')|map(attribute='content')|join(',') }}",
    "{{ ['1', '2']|map('int')|sum }} {{ [none, 'x']|map('default', 'z')|list }} {{ msgs|selectattr('role', 'in', ['user'])|list|length }} {{ [none, 1]|select('none')|list }}",
    "{{ d|first }} {{ d|last }} {{ t|int }} {{ 3.9|int }} {{ '  12 '|int }} {{ '1e3'|int }} {{ 'abc'|float }} {{ none|float }} {{ 3|round }} {{ 3|round(1) }} {{ -2.5|abs }}",
    "{{ [{'n': 1}, {'n': 2.5}]|sum(attribute='n') }} {{ ['b', 'A', 'c']|max }} {{ ['B', 'a']|max }} {{ ['B', 'a']|min }} {{ ['B', 'a']|max(case_sensitive=true) }} {{ msgs|max(attribute='content') }}",
    "{{ 'abc'|replace('', '-') }} [{{ '\n x \t\n'|trim }}] {{ 'a\nb'|indent(2, first=true, blank=true) }}|{{ 'one two, three'|wordcount }} [{{ 'abc'|center(9) }}] [{{ 'ab'|center(5) }}] {{ {'x': 2, 'y': 1}|dictsort(false, 'value') }}",
    "{{ 'a b'.split(' ') }} {{ 'a  b'.split(' ') }} {{ ''.split() }} {{ ''.split(',') }} {{ '  x  y '.rsplit() }} {{ 'a\r\nb\rc'.splitlines() }} {{ '  x'.lstrip(' ') }} {{ 'abc'.startswith('') }} {{ 'abc'.find('z') }} {{ 'abc'.replace('', '-') }}",
    "{{ d.get('a', 5) }} {{ {}.get('a') }} {{ '%s' % none }} {{ none|string }} {{ d|string }} {{ [1.0, 2.50] }} {{ 1 if 0.0 else 2 }} {{ l[1:2] + l[0:1] }} {{ l|list == l }} {{ 'x'.upper().lower() }}",
    "{{ 'a-b_c d'.title() }} {{ 'ABC'.lower().capitalize() }} {{ 'x=1'.partition('=') }} {{ 'file.tar.gz'.rsplit('.', 1)[0] }} {{ '  '.isspace() }} {{ 'Ab1'.isalnum() }} {{ 'abc'.endswith('bc') }}",
    "{{ d.keys() }}", "{{ d.values() }}", "{{ d.items() }}", "{{ l.index(5) }}", "{{ l|map(attribute='x')|list }}",
    # tests
    "{{ n is number }} {{ f is float }} {{ n is integer }} {{ t is boolean }} {{ t is number }} {{ s is string }} {{ l is sequence }} {{ d is mapping }} {{ s is sequence }} {{ d is sequence }}",
    "{{ x is defined }} {{ x is undefined }} {{ none is none }} {{ none is not none }} {{ l is iterable }} {{ n is iterable }} {{ t is true }} {{ 1 is true }} {{ false is false }}",
    "{{ n is odd }} {{ n is even }} {{ 9 is divisibleby 3 }} {{ n is eq 7 }} {{ n is ne 7 }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ 2 is in l }} {{ n is gt 3 }} {{ n is le 7 }} {{ none is sameas none }}",
    "{{ d.get is callable }} {{ 'upper' is filter }} {{ 'odd' is test }} {{ l|map('string') is iterable }} {{ loop is defined }}",
    # methods
    "{{ words.strip() }}|{{ words.lstrip() }}|{{ words.rstrip() }}|{{ 'xxhixx'.strip('x') }}|{{ s.split(', ') }}|{{ words.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}",
    "{{ s.startswith('Hell') }} {{ s.endswith(('x', 'ld')) }} {{ s.replace('o', '0') }} {{ s.upper() }} {{ s.lower() }} {{ s.find('o') }} {{ s.count('l') }} {{ '-'.join(['a', 'b']) }} {{ 'a\nb'.splitlines() }}",
    "{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ '12'.isdigit() }} {{ 'ab'.isalpha() }} {{ 'x{}y{}'.format(1, 2) }} {{ '{a}!'.format(a='b') }}",
    "{{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 'dflt') }} {{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|list }} {{ l.index(2) }} {{ l.count(3) }}",
    # globals
    "{{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(5, 0, -2)|list }} {{ dict(a=1, b=2) }} {{ namespace(a=1).a }}",
    "{{ strftime_now('%Y-%m-%d %H:%M:%S %A %a %B %b %d %j %p %I %y') }}", "{% set j = joiner(', ') %}{% for i in l %}{{ j() }}{{ i }}{% endfor %}",
    # undefined values
    "{{ missing|default(none) is none }} {{ missing ~ 'a' }} {% for i in missing %}x{% endfor %} {{ missing|list }} {{ missing|join(',') }} {{ missing is iterable }} {{ missing is sequence }} {{ missing == none }}",
    "[{{ missing|string }}] [{{ missing|trim }}] [{{ missing|upper }}] {{ missing or 'fallback' }} {{ msgs[5] is defined }} {{ missing is not defined }} {{ missing|length }} {{ missing|first is defined }}",
    "{{ missing|tojson }}", "{% if missing.x %}{% endif %}", "{{ msgs[5].role }}", "{{ d['zz']['yy'] }}", "{{ x.y is defined }}", "{{ missing() }}", "{{ missing[0] }}", "{{ -missing }}", "{{ missing < 1 }}",
    # whitespace inside macros and call blocks
    "{%- macro m(x) -%}\n  <{{- x -}}>\n{%- endmacro -%}\n[{{ m(1) }}]\n{{- m(2) }}",
    "{% macro m() %}\n\tline\n{% endmacro %}\n{{ m() }}|{{ m()|trim }}",
    "\t{% if t %}\n\tx\n\t{% endif %}\n  {# c #}\n\t{%- raw -%}  {{ r }}  {%- endraw -%}  \nend",
    "{% for m in msgs %}\n    {%- if m.role == 'user' %}\n        U:{{ m.content }}\n    {%- else %}\n        A:{{ m.content }}\n    {%- endif %}\n{% endfor %}",
    # errors (Lumen must raise too)
    "{{ raise_exception('custom failure') }}", "{{ missing.attr }}", "{{ l.append(4) }}", "{% set x = d.update({}) %}{{ x }}",
    "{{ none.split() }}", "{{ 'a' + 1 }}", "{{ 1 + 'a' }}", "{{ l + none }}", "{{ n|items|list }}", "{{ none|length }}",
    "{% for i in none %}{% endfor %}", "{{ 1 / 0 }}", "{{ l|map('upper')|tojson }}", "{{ l|no_such_filter }}", "{{ n is no_such_test }}",
    "{{ 1 < 'a' }}", "{{ missing + 1 }}", "{{ 'x' in none }}",
]

# whitespace control, systematically: every opener/closer sign with awkward surroundings
PADS = ["", " ", "\n", "  \n  ", "\t\n\n ", "x\n "]
for o in ["{%", "{%-", "{%+"]:
    for c in ["%}", "-%}", "+%}"]:
        for pre in PADS:
            for post in PADS:
                T.append(f"A{pre}{o} if t {c}{post}B{pre}{o} endif {c}{post}C")
for o in ["{#", "{#-"]:
    for c in ["#}", "-#}"]:
        for pre in PADS:
            for post in PADS:
                T.append(f"A{pre}{o} note {c}{post}B")
for o in ["{{", "{{-"]:
    for c in ["}}", "-}}"]:
        for pre in PADS:
            for post in PADS:
                T.append(f"A{pre}{o} n {c}{post}B")
for pre in PADS:
    T.append(f"{pre}{{% set x = 1 %}}{pre}{{{{ x }}}}{pre}")
    T.append(f"{{% for i in l %}}{pre}{{{{ i }}}}{pre}{{% endfor %}}{pre}end\n")

cases = []
for t in T:
    try:
        cases.append({"template": t, "text": oracle.compile_template(t).render(**copy.deepcopy(CTX))})
    except Exception as e:
        cases.append({"template": t, "error": f"{type(e).__name__}: {e}"})
out = pathlib.Path("src/test/resources/snippets.json")
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"context": CTX, "cases": cases}, fh, ensure_ascii=False, indent=1)
    fh.write("\n")
print(len(cases), "cases,", sum("error" in c for c in cases), "errors")
