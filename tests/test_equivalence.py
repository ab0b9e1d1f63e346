#!/usr/bin/env python3
"""The prefilter and the threads change nothing: the output with the prefilter equals a scan
of the whole text by every rule (VNX_NO_PREFILTER=1), and -j1 equals -jN, byte for byte.
Runs on the project's corpus, on texts at the edges of triggers and lookbacks (written, and
pieces of news joined at random), and on ../shared's articles and a slice of its bulk
archive when they are there. Prints 'N passed, N failed'."""
import argparse
import gzip
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile


EDGES = [
    "giá 123456789,5 - 10 tỷ đồng hôm qua",          # a decimal comma far before the range's dash
    "lãi -12345678,25 - 3 triệu USD",
    "Trongquý 3, vàongày 6/2, khóa XII, kỳ họp thứ IV, lần thứ ix.",
    "hai phẩy năm, không độ C, không mét, một trăm linh năm, triển khai hai dự án",
    "Tết Đinh Dậu 2017 là, WWDC 2017 hoặc, có 2000 người",
    "phần trăm, ba phần tư, 15 phần trăm, thế kỷ XXI, Mục IV Điều 1",
    "hôm ngày 6\n/2 có, ngày 25\n/\n10/2021, từ 10 -\n20 tỷ, ngày 1\u2009/\u20096",   # other white space
    "Vào thứ hai," + " " * 30 + "ngày 6/2 có, cuối\n\n\n\ttháng 10/2016",   # runs of white space
]


# pieces of news text, joined at random (seeded: the same texts every run) with white space,
# separators or nothing, so that triggers meet lookbacks in every arrangement
PIECES = ("ngày mùng tháng năm quý thứ hai ba tư mười một trăm nghìn triệu tỷ đồng USD % phần khóa XII "
          "IV ix lần kỳ họp Đại hội số Nghị quyết NQ/TW QĐ-TTg ( ) : h giờ sáng chiều hôm từ đến và Hà Nội "
          "Toyota WWDC có người khoảng hơn âm trừ không rưỡi km m2 kg 2017 2021 1999 15 6 12 2 31 100 "
          "1.250.000 3,5 123456789 0912 345 678 +84 iPhone 8 Plus thế kỷ XXI Điều Khoản chương mục những "
          "thập niên 1990 giai đoạn cuối đầu nay chủ nhật mồng rạng khuya 25 05 1/12/2017 20/11 "
          "Thông tư liên tịch Quyết định niên khóa đạt 12345/2016 123456/123456").split()
JOINS = [" ", " ", " ", "", "", "\n", "  ", "\t", "\u2009", ", ", "/", "-", ".", " - ", " / ", "\n/", " " * 12]


def random_texts(n, seed=4, words=(3, 30), joins=JOINS):
    rnd = random.Random(seed)
    for _ in range(n):
        out = []
        for _ in range(rnd.randint(*words)):
            w = rnd.choice(PIECES)
            out.append(w.capitalize() if rnd.random() < 0.1 else w)
            out.append(rnd.choice(joins))
        yield "".join(out)


# longer texts with blank lines and runs of spaces everywhere: a match may start as much
# further back than its rule's lookback as there is white space beyond single spaces near it
# (prefilter.c, extra_back), wherever that is in the document
SLACK_JOINS = JOINS + ["\n\n", "\n\n\n", "\n \n", " " * 3, " " * 40, "\n" * 30]


def run(bin_, args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([bin_, "-q"] + args, capture_output=True, env=e).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--shared", required=True)
    a = ap.parse_args()
    inputs = [os.path.join(a.corpus, "articles")]
    tmp = tempfile.mkdtemp()
    # texts at the edges of the triggers and lookbacks, one document each
    edges = os.path.join(tmp, "edges.jsonl")
    with open(edges, "w", encoding="utf-8") as f:
        for i, t in enumerate(itertools.chain(EDGES, random_texts(5000),
                                              random_texts(300, seed=5, words=(50, 400), joins=SLACK_JOINS))):
            f.write(json.dumps({"id": f"edge-{i}", "text": t}, ensure_ascii=False) + "\n")
    inputs.append(edges)
    news = os.path.join(a.shared, "corpus", "news")
    if os.path.isdir(news):
        inputs.append(news)
    bulk = os.path.join(a.shared, "corpus", "bulk", "baomoi-2017.jsonl.gz")
    if os.path.exists(bulk):
        sample = os.path.join(tmp, "bulk.jsonl")
        with gzip.open(bulk, "rt", encoding="utf-8") as f, open(sample, "w", encoding="utf-8") as g:
            g.writelines(itertools.islice(f, 1500))
        inputs.append(sample)
    passed = failed = 0
    for path in inputs:
        base = run(a.bin, ["-j1", path], {"VNX_NO_PREFILTER": "1"})
        for label, args, env in [("prefilter", ["-j1", path], None), ("-j2", ["-j2", path], None),
                                 ("-j3", ["-j3", path], None)]:
            got = run(a.bin, args, env)
            if got == base and base:
                passed += 1
            else:
                failed += 1
                print(f"FAIL: {path}: {label} differs from a full scan with one thread", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
