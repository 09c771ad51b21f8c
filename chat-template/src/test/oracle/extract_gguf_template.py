#!/usr/bin/env python3
"""Print the string value of tokenizer.chat_template from a GGUF file (minimal GGUF v3 metadata reader)."""
import struct, sys

def main(path, key="tokenizer.chat_template"):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"GGUF", "not a GGUF file"
    version, n_tensors, n_kv = struct.unpack_from("<IQQ", data, 4)
    pos = 24
    def rstr():
        nonlocal pos
        (n,) = struct.unpack_from("<Q", data, pos); pos += 8
        s = data[pos:pos + n].decode("utf-8"); pos += n
        return s
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
    def skip(t):
        nonlocal pos
        if t == 8:
            rstr()
        elif t == 9:
            (et, n) = struct.unpack_from("<IQ", data, pos); pos += 12
            for _ in range(n):
                skip(et)
        else:
            pos += sizes[t]
    for _ in range(n_kv):
        k = rstr()
        (t,) = struct.unpack_from("<I", data, pos); pos += 4
        if k == key and t == 8:
            sys.stdout.write(rstr())
            return
        skip(t)
    sys.exit(f"{path}: no {key}")

if __name__ == "__main__":
    main(*sys.argv[1:])
