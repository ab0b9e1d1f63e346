#!/usr/bin/env python3
"""Relative dates over whole archives: how many occurrences of the plain news-time phrases
("hôm nay", "năm ngoái", "tuần trước"...) a relative date covers, and whether the resolved
value of each is the one computed by hand for the document date given with --date.

usage: archive_relative.py --bin VNEXTRACT [--min-coverage 0.9] ARCHIVE.jsonl[.gz] ...
Exits 77 (skipped) when no archive is there (they live in ../shared), 1 when the coverage
is below the minimum or a resolved value is wrong.
"""
import argparse
import collections
import gzip
import json
import os
import re
import subprocess
import sys

DATE = "2021-04-30"   # a Friday in ISO week 2021-W17
# phrase -> its resolved value for DATE, computed by hand (SPEC.md's table uses the same date)
RESOLVED = {
    "hôm nay": "2021-04-30", "sáng nay": "2021-04-30", "chiều nay": "2021-04-30",
    "tối nay": "2021-04-30", "hôm qua": "2021-04-29", "chiều qua": "2021-04-29",
    "tối qua": "2021-04-29", "đêm qua": "2021-04-29", "ngày mai": "2021-05-01",
    "tuần trước": "2021-W16", "tuần này": "2021-W17", "tuần tới": "2021-W18",
    "tháng trước": "2021-03", "tháng này": "2021-04", "tháng tới": "2021-05",
    "năm nay": "2021", "năm ngoái": "2020", "năm tới": "2022",
    "cùng kỳ năm ngoái": "2020", "cùng kỳ năm trước": "2020",
}
# what may stand before such a phrase in the same entity: "ngày hôm qua", "buổi sáng nay"
LEAD = re.compile(r"^(?:buổi |rạng |ngày )*")
PHRASES = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, RESOLVED), key=len, reverse=True)) + r")(?!\w)",
                     re.IGNORECASE)


def documents(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--min-coverage", type=float, default=0.0)
    ap.add_argument("--show", type=int, default=0, help="print N uncovered occurrences")
    ap.add_argument("archives", nargs="+")
    a = ap.parse_args()
    archives = [p for p in a.archives if os.path.exists(p)]
    if not archives:
        print("skipped: no archive is there")
        sys.exit(77)
    total, covered, checked, wrong = collections.Counter(), collections.Counter(), 0, []
    missed = []
    for path in archives:
        out = subprocess.run([a.bin, "-q", "--format", "jsonl", "--date", DATE, path],
                             capture_output=True, check=True).stdout.decode()
        for doc, line in zip(documents(path), out.splitlines()):
            rec = json.loads(line)
            assert rec["id"] == doc["id"], (rec["id"], doc["id"])
            text = doc["text"]
            rel = [e for e in rec["entities"] if e.get("relative")]
            for m in PHRASES.finditer(text):
                phrase = m.group(1).lower()
                total[phrase] += 1
                hit = [e for e in rel if e["start"] <= m.start() and m.end() <= e["end"]]
                if not hit:
                    missed.append((phrase, text[max(0, m.start() - 50):m.end() + 30].replace("\n", " ")))
                    continue
                covered[phrase] += 1
                e = hit[0]
                # the phrase alone, or with a part of day or "ngày" before it: resolved by hand
                if re.sub(LEAD, "", e["text"].lower()) == phrase:
                    checked += 1
                    if e.get("resolved") != RESOLVED[phrase]:
                        wrong.append((phrase, e))
    n, c = sum(total.values()), sum(covered.values())
    print(f"{'phrase':<20}{'found':>8}{'covered':>9}")
    for p, k in total.most_common():
        print(f"{p:<20}{k:>8}{covered[p]:>9}")
    cov = c / n if n else 1.0
    print(f"coverage {c}/{n} = {cov:.3f} (minimum {a.min_coverage}); resolved checked {checked}, wrong {len(wrong)}")
    for p, e in wrong[:20]:
        print("WRONG", p, json.dumps(e, ensure_ascii=False))
    for p, ctx in missed[:a.show]:
        print("MISS ", p, "|", ctx)
    sys.exit(1 if cov < a.min_coverage or wrong else 0)


if __name__ == "__main__":
    main()
