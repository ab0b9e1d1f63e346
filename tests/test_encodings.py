#!/usr/bin/env python3
"""Legacy encodings: the same articles written in windows-1258, TCVN3 and VNI give the same
entities (types, values and code-point offsets into the decoded text) as in UTF-8, with
--encoding NAME and with --encoding auto. Prints 'N passed, N failed'."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"


def table(path):
    rev = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        hexs, ch = line.rstrip("\n").split("\t")
        rev.setdefault(ch, bytes.fromhex(hexs))
    return rev


def encode_table(text, rev, fallback):
    out = bytearray()
    for c in text:
        if ord(c) < 0x80:
            out += c.encode()
        elif c in rev:
            out += rev[c]
        else:
            low = c.lower()
            out += rev.get(low) or fallback(c)
    return bytes(out)


def encode_1258(text):
    out = bytearray()
    for c in text:
        d = unicodedata.normalize("NFD", c)
        base = unicodedata.normalize("NFC", "".join(x for x in d if x not in TONES))
        marks = "".join(x for x in d if x in TONES)
        out += (base + marks).encode("cp1258", errors="replace")
    return bytes(out)


def entities(bin_, path, enc):
    args = [bin_, "-q"] + (["--encoding", enc] if enc else []) + [path]
    rec = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    return [(e["type"], e["start"], e["end"], json.dumps(e["value"], sort_keys=True)) for e in rec["entities"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    a = ap.parse_args()
    arts = os.path.join(a.src, "corpus", "articles")
    names = ["01_dang_bo_xa.txt", "05_nghi_dinh.txt", "11_dan_so.txt", "19_y_te.txt"]
    tcvn = table(os.path.join(a.src, "patterns", "encodings", "tcvn3.tsv"))
    vni = table(os.path.join(a.src, "patterns", "encodings", "vni.tsv"))
    encoders = {
        "windows-1258": encode_1258,
        "tcvn3": lambda t: encode_table(unicodedata.normalize("NFC", t), tcvn, lambda c: c.encode("cp1252", "replace")),
        "vni": lambda t: encode_table(unicodedata.normalize("NFC", t), vni, lambda c: c.encode("cp1252", "replace")),
    }
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = os.path.join(arts, name)
            want = entities(a.bin, path, None)
            text = open(path, encoding="utf-8").read()
            for enc, f in encoders.items():
                p = os.path.join(tmp, f"{enc}-{name}")
                open(p, "wb").write(f(text))
                for mode in (enc, "auto"):
                    got = entities(a.bin, p, mode)
                    if got == want and want:
                        passed += 1
                    else:
                        failed += 1
                        diff = [x for x in want if x not in got][:3] + ["|"] + [x for x in got if x not in want][:3]
                        print(f"FAIL: {name} in {enc}, --encoding {mode}: {diff}", file=sys.stderr)
            # UTF-16 without a byte-order mark: auto tells the byte order by its NULs
            for enc in ("utf-16-le", "utf-16-be"):
                p = os.path.join(tmp, f"{enc}-{name}")
                open(p, "wb").write(text.encode(enc))
                got = entities(a.bin, p, "auto")
                if got == want and want:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL: {name} in {enc} without a BOM, --encoding auto", file=sys.stderr)
        # a byte left over after UTF-16 pairs: the message names the encoding auto chose
        p = os.path.join(tmp, "odd-utf16.txt")
        open(p, "wb").write("Có 38 người".encode("utf-16-le") + b"\x41")
        err = subprocess.run([a.bin, "--encoding", "auto", p], capture_output=True, text=True).stderr
        if "1 byte not valid utf-16le" in err:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: the message names the encoding auto chose: {err!r}", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
