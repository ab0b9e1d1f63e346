#!/usr/bin/env python3
"""The records of whole archives, byte for byte: SHA-256 digests of vnextract's output on the
bulk archives of ../shared/corpus/bulk (without and with --date), compared with those kept in
tests/archive_digests.json. A change to the rules' engine (how rules are compiled, searched,
resolved, written) must leave them as they are; a change that means to alter the output
(a rule fixed, a field added) updates them with --update, and says so in its commit.

usage: archive_digests.py --bin VNEXTRACT --bulk DIR [--update] [--threads N]
Exits 77 (skipped) when the archives are not there, 1 when a digest differs.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEPT = os.path.join(HERE, "archive_digests.json")
ARCHIVES = ["baomoi-2017.jsonl.gz", "dantri-2020-2021.jsonl.gz", "laws.jsonl.gz"]
RUNS = {"": [], "--date 2021-04-30": ["--date", "2021-04-30"]}


def digest(cmd):
    """SHA-256 and size of a command's stdout, read as it streams."""
    h, n = hashlib.sha256(), 0
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    for block in iter(lambda: p.stdout.read(1 << 20), b""):
        h.update(block)
        n += len(block)
    if p.wait() != 0:
        sys.exit(f"{' '.join(cmd)}: exit status {p.returncode}")
    return h.hexdigest(), n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--bulk", required=True, help="the folder of the bulk archives")
    ap.add_argument("--threads", default="2")
    ap.add_argument("--update", action="store_true", help="write the digests found as the kept ones")
    a = ap.parse_args()
    paths = [os.path.join(a.bulk, n) for n in ARCHIVES]
    if not all(os.path.exists(p) for p in paths):
        print(f"skipped: the archives are not in {a.bulk}")
        sys.exit(77)
    kept = json.load(open(KEPT, encoding="utf-8")) if os.path.exists(KEPT) else {}
    found, bad = {}, 0
    for name, path in zip(ARCHIVES, paths):
        for label, extra in RUNS.items():
            key = f"{name} {label}".strip()
            sha, size = digest([a.bin, "-q", "-j", a.threads, *extra, path])
            found[key] = {"sha256": sha, "bytes": size}
            want = kept.get(key)
            same = want == found[key]
            bad += not same and not a.update
            print(f"{'same' if same else 'DIFFERENT'}  {key}: {sha[:16]}… {size} bytes"
                  + ("" if same or not want else f" (kept: {want['sha256'][:16]}… {want['bytes']} bytes)"))
    if a.update:
        with open(KEPT, "w", encoding="utf-8") as f:
            json.dump(found, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {KEPT}")
        return 0
    if bad:
        print(f"{bad} output(s) differ from tests/archive_digests.json: if the change means to alter "
              "the output, run this with --update and say why in the commit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
