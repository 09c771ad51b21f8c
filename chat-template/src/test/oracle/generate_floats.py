#!/usr/bin/env python3
"""Regenerate src/test/resources/float-repr.txt (run by hand, NOT by the tests): doubles as IEEE bits
(hex) and Python's repr(), which Jinja2 prints and json.dumps writes. Random bit patterns over all
exponents, random short decimals, integers and powers of ten near the fixed/scientific switch."""
import random, struct
rnd = random.Random(20260131)
vals = []
for _ in range(1500):
    bits = rnd.getrandbits(64)
    v = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if v == v and v not in (float("inf"), float("-inf")):
        vals.append(v)
for _ in range(700):
    vals.append(round(rnd.uniform(-1000, 1000), rnd.randint(0, 6)))
for e in range(-330, 310):
    vals.append(float(f"1e{e}"))
    vals.append(float(f"{rnd.randint(1, 99999)}e{e}"))
vals += [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456789012345678.0,
         9007199254740993.0, 0.5, 100.0, 1e15, 1e16, 1e-4, 1e-5, 0.00012345, 1234567890123456.7]
with open("src/test/resources/float-repr.txt", "w") as f:
    for v in vals:
        f.write("%016x %s\n" % (struct.unpack("<Q", struct.pack("<d", v))[0], repr(v)))
print(len(vals), "floats")
