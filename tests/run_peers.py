#!/usr/bin/env python3
"""Run a peer suite (../shared/peers/nemo-vi, ../shared/peers/duckling-vi: cases with a
document date each, and a check.py) and require minimum pass rates.
Exits 77 (skipped) when the suite is not there."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def rate(check, cases, bin_):
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = os.path.join(tmp, "in.jsonl"), os.path.join(tmp, "out.jsonl")
        with open(inp, "w") as f:
            subprocess.run([sys.executable, check, "--make-input", cases], stdout=f, check=True)
        with open(out, "w") as f:
            subprocess.run([bin_, "--format", "jsonl", inp], stdout=f, check=True)
        res = subprocess.run([sys.executable, check, "--cases", cases, "--pred", out], capture_output=True, text=True)
        print(res.stdout)
        for line in res.stdout.splitlines():
            if line.startswith("overall"):
                return float(line.split()[-1].rstrip("%"))
    raise SystemExit("no overall line from check.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("--min-main", type=float, default=0)
    ap.add_argument("--min-extra", type=float, default=0)
    a = ap.parse_args()
    check = os.path.join(a.peers, "check.py")
    if not os.path.exists(check):
        print(f"skipped: {a.peers} is not there")
        sys.exit(77)
    main_rate = rate(check, os.path.join(a.peers, "cases.jsonl"), a.bin)
    extra_rate = rate(check, os.path.join(a.peers, "cases_extra.jsonl"), a.bin)
    print(f"cases.jsonl {main_rate}% (minimum {a.min_main}%), cases_extra.jsonl {extra_rate}% (minimum {a.min_extra}%)")
    if main_rate < a.min_main or extra_rate < a.min_extra:
        sys.exit(1)


if __name__ == "__main__":
    main()
