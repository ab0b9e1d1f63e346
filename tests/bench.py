#!/usr/bin/env python3
"""Throughput and memory benchmark (not a test: figures vary from machine to machine).

usage: bench.py [--bin build/vnextract] [--input ARCHIVE] [--mb 40] [--threads N] [--repeat 3]
       bench.py --pathological

ARCHIVE is a JSON Lines file, .jsonl.gz or a text file. Without it, the real archive
../shared/corpus/bulk/baomoi-2017.jsonl.gz is used when it is there, else an archive is
generated reproducibly from corpus/articles (the articles repeated with their numbers varied,
as JSON Lines). The first --mb megabytes (whole lines) are used, uncompressed. It runs:
  vnextract -j1; vnextract -jN; two vnextract -j1 at once on the two halves;
  rg -o -f ../shared/bench/reference.re on the same file (when rg and the pattern exist);
  vnextract -jN over the whole archive, for its peak memory;
and prints wall time (the fastest of --repeat rounds), MB/s, documents/s and peak RSS of
each, then the targets it checks (README, "Speed"), each with "met" or "NOT met":
  -j1 MB/s >= 0.25 x ripgrep's MB/s on the same file (with, from one more -j1 run with
    --profile-rules, the rule searches' share of its time: what the rule engine could gain);
  -jN wall <= 1.15 x the wall of two -j1 processes on the halves;
  peak RSS <= 64 MB over the whole archive;
and then tests/bench_python.py: the Python binding's extract_many, threads=2 >= 1.5 x faster
than threads=1 on the dantri archive's texts.
A benchmark, not a test: figures vary from machine to machine and from run to run.
"""
import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL = os.path.join(ROOT, "..", "shared", "corpus", "bulk", "baomoi-2017.jsonl.gz")
TARGET_RG, TARGET_THREADS, TARGET_RSS_MB = 0.25, 1.15, 64


def generate(path, mb):
    """Articles of corpus/ with their digits shuffled, until mb megabytes."""
    rng = random.Random(2017)
    arts = []
    d = os.path.join(ROOT, "corpus", "articles")
    for name in sorted(os.listdir(d)):
        arts.append(open(os.path.join(d, name), encoding="utf-8").read())
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < mb * 1e6:
            text = re.sub(r"[0-9]", lambda m: str(rng.randint(0, 9)), arts[n % len(arts)])
            line = json.dumps({"id": f"gen-{n}", "text": text}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode())
            n += 1


def take(src, path, mb):
    opener = gzip.open if src.endswith(".gz") else open
    size = 0
    with opener(src, "rb") as f, open(path, "wb") as g:
        for line in f:
            g.write(line)
            size += len(line)
            if size >= mb * 1e6:
                break


def run(cmds):
    """Runs commands at once; returns wall seconds and the peak RSS (KB) of each."""
    t0 = time.monotonic()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    rss = []
    for p in procs:
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        rss.append(ru.ru_maxrss)
    return time.monotonic() - t0, rss


PATHOLOGICAL = {
    '"1.1." repeated': "1.1.",
    '"////" repeated': "////",
    "digits": "1234567890",
    "Roman numerals after cue words": "khóa XIII lần thứ XXII thế kỷ ",
    "a Roman numeral run": "khóa " + "X" * 64 + " ",
    "numeral words": "hai mươi mốt nghìn ",
    "dates and slashes": "12/12/2012/12/",
    "percent signs": "1%2%3%",
}


def stage_shares(bin_, data):
    """The shares of the CPU time that `--profile-rules` gives each stage, by name (percent)."""
    p = subprocess.run([bin_, "-q", "-j1", "--profile-rules", "-o", os.devnull, data], capture_output=True, text=True,
                       check=False)
    shares = {}
    for ln in p.stderr.partition("\n\n")[2].splitlines()[1:]:
        m = re.match(r"(.+?)\s+[0-9.]+\s+([0-9.]+)%$", ln)
        if m:
            shares[m.group(1)] = float(m.group(2))
    return shares


def pathological(bin_):
    """Each input at 1, 2 and 4 MB as one document: time grows linearly with size."""
    print(f"{'input':<34}{'1 MB s':>9}{'2 MB s':>9}{'4 MB s':>9}{'4MB/1MB':>9}")
    tmp = tempfile.mkdtemp()
    for name, unit in PATHOLOGICAL.items():
        times = []
        for mb in (1, 2, 4):
            path = os.path.join(tmp, "p.txt")
            n = int(mb * 1e6 / len(unit.encode()))
            with open(path, "w", encoding="utf-8") as f:
                f.write(unit * n)
            t0 = time.monotonic()
            subprocess.run([bin_, "-q", "-j1", "-o", os.devnull, path], check=False)
            times.append(time.monotonic() - t0)
        print(f"{name:<34}{times[0]:>9.2f}{times[1]:>9.2f}{times[2]:>9.2f}{times[2] / max(times[0], 1e-3):>9.1f}")
    shutil.rmtree(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "vnextract"))
    ap.add_argument("--input")
    ap.add_argument("--mb", type=float, default=40)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of all runs; each row shows its fastest (machines drift)")
    ap.add_argument("--reference", default=os.path.join(ROOT, "..", "shared", "bench", "reference.re"))
    ap.add_argument("--pathological", action="store_true",
                    help="time 1, 2 and 4 MB documents of inputs that could make regexes backtrack")
    a = ap.parse_args()
    if a.pathological:
        return pathological(a.bin)
    tmp = tempfile.mkdtemp()
    data = os.path.join(tmp, "bench.jsonl")
    if not a.input and os.path.exists(REAL):
        a.input = os.path.normpath(REAL)
    if a.input:
        take(a.input, data, a.mb)
    else:
        generate(data, a.mb)
    # stream, so that this process stays small: a child's peak RSS counts the parent's pages
    # it was forked from
    with open(data, "rb") as f:
        docs = sum(1 for _ in f)
    h1, h2 = os.path.join(tmp, "h1.jsonl"), os.path.join(tmp, "h2.jsonl")
    with open(data, "rb") as f, open(h1, "wb") as g1, open(h2, "wb") as g2:
        for i, line in enumerate(f):
            (g1 if i < docs // 2 else g2).write(line)
    mb = os.path.getsize(data) / 1e6
    print(f"input: {a.input or 'generated from corpus/'}, {mb:.1f} MB, {docs} documents, {os.cpu_count()} cores")
    rows = []
    b = a.bin
    runs = [("vnextract -j1", [[b, "-q", "-j1", data]]),
            (f"vnextract -j{a.threads}", [[b, "-q", f"-j{a.threads}", data]]),
            ("2 x vnextract -j1 on halves", [[b, "-q", "-j1", h1], [b, "-q", "-j1", h2]])]
    rg = shutil.which("rg")
    if rg and os.path.exists(a.reference):
        runs.append(("rg -o -f reference.re", [[rg, "-o", "-f", a.reference, data]]))
    else:
        print("(rg or the reference pattern is missing: no ripgrep row)")
    whole = f"vnextract -j{a.threads} whole archive"
    if a.input:
        runs.append((whole, [[b, "-q", f"-j{a.threads}", a.input]]))
    res, peak = {}, {}
    for _ in range(max(1, a.repeat)):   # rounds, so that a slow spell of the machine hits every row
        for name, cmds in runs:
            secs, rss = run(cmds)
            res[name] = min(secs, res.get(name, secs))
            peak[name] = max(max(rss), peak.get(name, 0))
    for name, _ in runs:
        if name == whole:
            continue
        secs = res[name]
        rows.append((name, secs, mb / secs, docs / secs, peak[name] / 1024))
    print(f"{'run':<32}{'wall s':>8}{'MB/s':>9}{'docs/s':>10}{'peak RSS MB':>13}")
    for name, secs, mbs, dps, rss in rows:
        print(f"{name:<32}{secs:>8.2f}{mbs:>9.1f}{dps:>10.0f}{rss:>13.1f}")
    if whole in res:
        print(f"{whole + ' (' + os.path.basename(a.input) + ')':<56}{res[whole]:>8.2f} s, peak RSS "
              f"{peak[whole] / 1024:.1f} MB")
    j1, jn, two = res["vnextract -j1"], res[f"vnextract -j{a.threads}"], res["2 x vnextract -j1 on halves"]

    def verdict(ok):
        return "met" if ok else "NOT met"
    print("targets:")
    if "rg -o -f reference.re" in res:
        ratio = res["rg -o -f reference.re"] / j1
        print(f"  -j1 MB/s / ripgrep MB/s: {ratio:.3f} (target >= {TARGET_RG}: {verdict(ratio >= TARGET_RG)})")
        searches = stage_shares(b, data).get("rule searches (PCRE2)")
        if searches is not None:   # what the rule engine could gain at most
            budget = res["rg -o -f reference.re"] / TARGET_RG
            print(f"    (--profile-rules: the rule searches are {searches:.1f} % of -j1's CPU time; the rest alone takes "
                  f"about {j1 * (1 - searches / 100):.2f} s, the target's budget is {budget:.2f} s)")
    else:
        print("  -j1 MB/s / ripgrep MB/s: not measured (no rg or no reference pattern)")
    print(f"  -j{a.threads} wall / two -j1 processes wall: {jn / two:.2f} "
          f"(target <= {TARGET_THREADS}: {verdict(jn / two <= TARGET_THREADS)})")
    rss = peak.get(whole, max(peak.values())) / 1024
    print(f"  peak RSS{' over the whole archive' if whole in peak else ''}: {rss:.1f} MB "
          f"(target <= {TARGET_RSS_MB} MB: {verdict(rss <= TARGET_RSS_MB)})")
    if not a.input:
        print("  (generated input: the targets are set for the real archive in ../shared)")
    shutil.rmtree(tmp)
    # the Python binding's batch call, with the library beside the binary
    lib = os.path.join(os.path.dirname(os.path.abspath(b)), "libvnextract.so")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench_python.py"), "--lib", lib], check=False)


if __name__ == "__main__":
    main()
