#!/usr/bin/env python3
"""Copies a GGUF file with metadata keys added or replaced: gguf_set.py IN OUT KEY=TYPE:VALUE ...
TYPE: u32, i32, f32, str, bool. Tensor data is copied unchanged (re-aligned after the new header)."""
import struct, sys

TYPES = {"u32": (4, "I"), "i32": (5, "i"), "f32": (6, "f"), "bool": (7, "?"), "str": (8, None)}
FMT = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

def main(src, dst, sets):
    b = open(src, "rb").read()
    o = 0
    def rd(fmt):
        nonlocal o
        v = struct.unpack_from("<" + fmt, b, o); o += struct.calcsize("<" + fmt); return v[0]
    def raw_value(t):   # returns the value's bytes, advancing o
        nonlocal o
        start = o
        if t == 8: n = rd("Q"); o += n
        elif t == 9:
            et = rd("I"); n = rd("Q")
            for _ in range(n): raw_value(et)
        else: o += struct.calcsize("<" + FMT[t])
        return b[start:o]
    def rs():
        nonlocal o
        n = rd("Q"); s = b[o:o + n]; o += n; return s
    magic, version, nt, nk = rd("I"), rd("I"), rd("Q"), rd("Q")
    kvs = []
    for _ in range(nk):
        k = rs(); t = rd("I"); kvs.append((k, t, raw_value(t)))
    infos = []
    for _ in range(nt):
        name = rs(); nd = rd("I"); dims = [rd("Q") for _ in range(nd)]; typ = rd("I"); off = rd("Q")
        infos.append((name, dims, typ, off))
    align = 32
    for k, t, v in kvs:
        if k == b"general.alignment": align = struct.unpack("<I", v)[0]
    data = (o + align - 1) // align * align
    for s in sets:
        key, tv = s.split("=", 1); tname, val = tv.split(":", 1)
        t, fmt = TYPES[tname]
        v = struct.pack("<Q", len(val.encode())) + val.encode() if t == 8 else struct.pack("<" + fmt, {"f": float, "?": lambda x: x == "true"}.get(fmt, int)(val))
        kvs = [kv for kv in kvs if kv[0] != key.encode()] + [(key.encode(), t, v)]
    out = bytearray(struct.pack("<IIQQ", magic, version, nt, len(kvs)))
    for k, t, v in kvs: out += struct.pack("<Q", len(k)) + k + struct.pack("<I", t) + v
    for name, dims, typ, off in infos:
        out += struct.pack("<Q", len(name)) + name + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", typ, off)
    out += b"\0" * ((len(out) + align - 1) // align * align - len(out))
    open(dst, "wb").write(bytes(out) + b[data:])

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
