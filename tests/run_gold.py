#!/usr/bin/env python3
"""Run vnextract over a folder of documents and score it against a gold file.

Exits 77 (skipped) when the gold file is not there: the shared yardsticks live outside the
project. With --same-through-jsonl, every document is also given as a JSON Lines record and
on standard input, and the entities must be the same all three ways.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--docs", required=True)
    ap.add_argument("--min-f1", default="0")
    ap.add_argument("--min-value", default="0")
    ap.add_argument("--same-through-jsonl", action="store_true")
    a = ap.parse_args()
    if not os.path.exists(a.gold) or not os.path.isdir(a.docs):
        print(f"skipped: {a.gold} is not there")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        with open(out, "w") as f:
            rc = subprocess.run([a.bin, a.docs], stdout=f).returncode
        if rc != 0:
            sys.exit(f"vnextract exited {rc}")
        score = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--gold", a.gold, "--pred", out,
                                "--docs", a.docs, "--min-f1", a.min_f1, "--min-value", a.min_value,
                                "--show-errors"])
        if score.returncode != 0:
            sys.exit(1)
        if a.same_through_jsonl:
            by_file = {}
            for line in open(out, encoding="utf-8"):
                r = json.loads(line)
                by_file[os.path.basename(r["id"])] = r["entities"]
            for name in sorted(by_file):
                raw = open(os.path.join(a.docs, name), encoding="utf-8").read()
                line = json.dumps({"id": name, "text": raw}, ensure_ascii=False) + "\n"
                got = subprocess.run([a.bin, "--format", "jsonl", "-"], input=line.encode(),
                                     capture_output=True).stdout
                jl = json.loads(got)["entities"]
                got = subprocess.run([a.bin], input=raw.encode(), capture_output=True).stdout
                st = json.loads(got)["entities"]
                if st != by_file[name]:
                    sys.exit(f"{name}: entities on standard input differ from the file's")
                want = by_file[name]
                if jl != want:
                    sys.exit(f"{name}: entities through JSON Lines differ from the file's")
                print(f"{name}: {len(want)} entities, the same from a file, JSON Lines and standard input")


if __name__ == "__main__":
    main()
