#!/usr/bin/env python3
"""The Python binding's extract_many with threads=1 and threads=2 on the texts of an archive
(by default ../shared/corpus/bulk/dantri-2020-2021.jsonl.gz), in interleaved rounds; prints
the median time of each and the median of the rounds' ratios, against the target of 1.5.
A benchmark, not a test (tests/bench.py runs it when the library and the archive exist).

usage: bench_python.py --lib build/libvnextract.so [--patterns patterns] [--archive A] [--rounds 7]
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = 1.5


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", default=os.path.join(ROOT, "build", "libvnextract.so"))
    ap.add_argument("--patterns", default=os.path.join(ROOT, "patterns"))
    ap.add_argument("--archive", default=os.path.join(ROOT, "..", "shared", "corpus", "bulk",
                                                      "dantri-2020-2021.jsonl.gz"))
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    if not (os.path.exists(a.lib) and os.path.exists(a.archive)):
        print("python extract_many: not measured (no library or no archive)")
        return 0
    os.environ["VNEXTRACT_LIB"] = a.lib
    os.environ["VNEXTRACT_PATTERNS"] = a.patterns
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import vnextract
    with gzip.open(a.archive, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    ex = vnextract.Extractor()
    t1, t2, ratio = [], [], []
    for _ in range(a.rounds):
        s = time.perf_counter()
        one = ex.extract_many(texts, threads=1)
        t1.append(time.perf_counter() - s)
        s = time.perf_counter()
        two = ex.extract_many(texts, threads=2)
        t2.append(time.perf_counter() - s)
        ratio.append(t1[-1] / t2[-1])
        if one != two:
            sys.exit("extract_many: threads=1 and threads=2 differ")
    r = statistics.median(ratio)
    print(f"python extract_many on {len(texts)} texts of {os.path.basename(a.archive)}: threads=1 "
          f"{statistics.median(t1):.3f} s, threads=2 {statistics.median(t2):.3f} s (medians of {a.rounds} rounds)")
    print(f"  threads=1 / threads=2: {r:.3f} (target >= {TARGET}: {'met' if r >= TARGET else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
