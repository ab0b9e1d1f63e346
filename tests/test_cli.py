#!/usr/bin/env python3
"""The command line: input formats, ids, dates, errors and exit codes (SPEC.md section 1,
the conventions of grep and jq). Prints 'N passed, N failed'."""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

A = None
from checklib import check, finish


def run(args, stdin=None):
    p = subprocess.run([A.bin] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def records(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def spans_ok(rec, text):
    return all(text[e["start"]:e["end"]] == e["text"] for e in rec["entities"])


def test_help_version():
    rc, out, err = run(["--help"])
    check(rc == 0 and out.startswith("Usage: vnextract") and not err, "--help prints usage on stdout, exit 0")
    rc, out, _ = run(["--version"])
    check(rc == 0 and out.startswith("vnextract "), "--version")
    rc, out, err = run(["--no-such-option"])
    check(rc == 2 and "unknown option" in err and not out, "an unknown option exits 2 with a message on stderr")
    rc, out, err = run(["--format", "xml"])
    check(rc == 2 and "xml" in err, "a bad --format value exits 2")


def test_patterns_errors(tmp):
    for name, edit, expect in [
        ("bad regex", lambda s: s.replace("pattern: {NUMSTART} (?<e> (?: (?<sign>", "pattern: {NUMSTART} (?<e> ((?: (?<sign>", 1), "bad regex"),
        ("unknown normalizer", lambda s: s.replace("normalize: number_range", "normalize: no_such", 1), "unknown normalizer"),
        ("bad needs", lambda s: s.replace("needs: digits-sep", "needs: Digits", 1), "needs: expected"),
        ("needs of an unknown lexicon", lambda s: s.replace("needs: digits-sep", "needs: @no_such", 1), "unknown lexicon"),
        ("fifth group of one name", lambda s: s.replace("pattern: {NUMSTART} (?<e> (?: (?<sign>", "pattern: (?<num>x)?(?<num>x)?(?<num>x)?(?<num>x)? {NUMSTART} (?<e> (?: (?<sign>", 1), "more than 4 groups named num"),
        ("bad kind in a needs sequence", lambda s: s.replace("needs: =phần words", "needs: =phần Words", 1), "needs: expected"),
        ("a built-in kind as a whole word", lambda s: s.replace("needs: digits-sep", "needs: =digits", 1), "needs: expected"),
        ("'roman' first in needs", lambda s: s.replace("needs: @roman_cues roman", "needs: roman @roman_cues", 1), "only ends a sequence"),
        ("'roman' alone in needs", lambda s: s.replace("needs: @roman_cues roman", "needs: roman", 1), "only ends a sequence"),
        ("duplicate rule", lambda s: s + "\nrule number.digits\n  type: number\n  normalize: number\n  pattern: x\n", "duplicate rule name"),
    ]:
        d = os.path.join(tmp, "pat-" + name.replace(" ", "_"))
        shutil.copytree(A.patterns, d)
        path = os.path.join(d, "20-numbers.rules")
        src = open(path, encoding="utf-8").read()
        bad = edit(src)
        check(bad != src, f"the test's edit for a {name} applies to 20-numbers.rules")
        open(path, "w", encoding="utf-8").write(bad)
        rc, out, err = run(["--patterns", d], stdin="38 người".encode())
        first = err.strip().splitlines()[0] if err.strip() else ""
        where = first.split(": ", 1)[1] if ": " in first else ""
        check(rc == 2 and not out and where.startswith(path + ":") and expect in err,
              f"a pattern file with a {name} stops at start with FILE:LINE ({err.strip()!r})")


def test_added_rules(tmp):
    """All 64 kinds of trigger are taken by the bundled rules: rules a user adds with words of
    their own still load and find what they should, with and without the prefilter."""
    d = os.path.join(tmp, "pat-added")
    shutil.copytree(A.patterns, d)
    letters = "abcdefghijkl"
    rules = []
    for c in letters:
        rules.append(f"""rule extra.{c}
  needs: zzk{c}
  lookback: 0
  type: number
  normalize: number
  priority: 3
  pattern: (?<e> zzk{c} \\s (?<num>[0-9]+) )
  example: "có zzk{c} 12 ở" => "zzk{c} 12" 12
""")
    rules.append("""rule extra.sequence
  needs: zzsa zzsb
  lookback: 0
  type: number
  normalize: number
  priority: 3
  pattern: (?<e> zzsa \\s zzsb \\s (?<num>[0-9]+) )
  example: "có zzsa zzsb 7 ở" => "zzsa zzsb 7" 7
""")
    open(os.path.join(d, "70-added.rules"), "w", encoding="utf-8").write("\n".join(rules))
    rc, out, err = run(["--patterns", d, "--check-patterns"])
    check(rc == 0 and " 0 failed" in out, f"13 added rules with new kinds load, their examples pass: {(err or out).strip()[-300:]!r}")
    text = " ".join(f"zzk{c} {i}" for i, c in enumerate(letters)) + " và zzsa zzsb 99, zzsa 5"
    rc, out, err = run(["--patterns", d], stdin=text.encode())
    got = [(e["text"], e["value"]) for e in records(out)[0]["entities"]] if rc == 0 else err
    want = [(f"zzk{c} {i}", i) for i, c in enumerate(letters)] + [("zzsa zzsb 99", 99), ("5", 5)]
    check(got == want, f"the added rules find their matches: {got}")
    p = subprocess.run([A.bin, "--patterns", d], input=text.encode(), capture_output=True,
                       env=dict(os.environ, VNX_NO_PREFILTER="1"))
    check(p.stdout.decode() == out, "the same without the prefilter")


def test_text_and_dirs():
    arts = os.path.join(A.corpus, "articles")
    names = sorted(os.listdir(arts))
    path = os.path.join(arts, names[0])
    rc, out, err = run([path])
    recs = records(out)
    check(rc == 0 and len(recs) == 1 and recs[0]["id"] == path, "a text file is one document, id = the path given")
    text = open(path, encoding="utf-8").read()
    check(recs[0]["date"] == text.split()[1], "the leading 'date YYYY-MM-DD' goes to the record's date")
    check(all(e["start"] > 10 for e in recs[0]["entities"]), "the date prefix is not an entity")
    check(spans_ok(recs[0], text), "spans index the text in code points")
    rc, out, _ = run([arts])
    recs = records(out)
    check(rc == 0 and [r["id"] for r in recs] == names, "a directory: every file, sorted, ids relative to it")
    rc, out2, _ = run([arts, "-q"])
    check(out2 == out, "output is the same from run to run")
    rc, out3, _ = run([], stdin=text.encode())
    check(records(out3)[0]["id"] == "-" and records(out3)[0]["entities"] == records(out)[0]["entities"],
          "standard input: the same entities, id '-'")


def test_jsonl(tmp):
    arts = os.path.join(A.corpus, "articles")
    names = sorted(os.listdir(arts))[:3]
    texts = [open(os.path.join(arts, n), encoding="utf-8").read() for n in names]
    lines = [json.dumps({"id": n, "text": t}, ensure_ascii=False) for n, t in zip(names, texts)]
    lines.insert(1, "")                       # a blank line is no document
    lines.append('{"id": "broken", "text": ')  # invalid JSON
    lines.append(json.dumps({"text": "Ngày 2/9 có 38 người", "date": "2021-05"}, ensure_ascii=False))
    lines.append(json.dumps({"id": 7, "body": "no text"}))
    lines.append(json.dumps({"id": "n", "text": 5}))
    path = os.path.join(tmp, "docs.jsonl")
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
    rc, out, err = run([path])
    recs = records(out)
    check(len(recs) == 7, f"one record per JSON line, blank lines skipped ({len(recs)})")
    check(rc == 1, f"exit 1 when some documents had errors ({rc})")
    check([r["id"] for r in recs[:3]] == names, "ids from the id field, in input order")
    check(all(spans_ok(r, t) for r, t in zip(recs, texts)), "spans index the JSON string")
    check(recs[3]["id"] == f"{path}:5" and "error" in recs[3] and recs[3]["entities"] == [],
          "an invalid JSON line gets an error record with id PATH:LINE")
    check(f"{path}:5" in err, "the message names the file and line")
    check(recs[4]["id"] == f"{path}:6" and recs[4]["date"] == "2021-05", "no id: PATH:LINE; the date field")
    d = [e for e in recs[4]["entities"] if e["type"] == "date"]
    check(d and d[0].get("resolved") == "2021-09-02", "a date without a year is resolved against the document date")
    check(recs[5]["id"] == "7" and "error" in recs[5], "a line without the text field: error record")
    check("error" in recs[6], "a non-string text: error record")
    gz = path + ".gz"
    with open(path, "rb") as f, gzip.open(gz, "wb") as g:
        g.write(f.read())
    rc, out2, _ = run([gz])
    check(records(out2)[:3] == recs[:3], ".jsonl.gz is read as a stream, the same records")
    data = open(gz, "rb").read()
    open(gz, "wb").write(data[: len(data) // 2])
    rc, out3, err3 = run([gz])
    recs3 = records(out3)
    check(rc == 1 and recs3 and "error" in recs3[-1] and "truncated" in err3, "a truncated .gz: an error record and a message")
    custom = os.path.join(tmp, "custom.jsonl")
    open(custom, "w", encoding="utf-8").write(json.dumps({"key": "a1", "body": "đạt 112,5% chỉ tiêu", "when": "2020"}, ensure_ascii=False) + "\n")
    rc, out, _ = run(["--text-field", "body", "--id-field", "key", "--date-field", "when", custom])
    r = records(out)[0]
    check(rc == 0 and r["id"] == "a1" and r["date"] == "2020" and r["entities"][0]["value"] == 112.5,
          "--text-field, --id-field, --date-field")
    rc, out, _ = run(["--format", "jsonl", "--id-field", "key", "-"], stdin=open(custom, "rb").read().replace(b'"body"', b'"text"'))
    check(records(out)[0]["id"] == "a1", "--format jsonl on standard input")


def test_errors_and_output(tmp):
    missing = os.path.join(tmp, "no-such-file.txt")
    good = os.path.join(tmp, "good.txt")
    open(good, "w", encoding="utf-8").write("có 38 người")
    rc, out, err = run([missing, good])
    recs = records(out)
    check(rc == 1 and len(recs) == 2 and recs[0]["id"] == missing and "error" in recs[0], "a missing file: error record, exit 1")
    check(missing in err, "the message names the missing file")
    check(recs[1]["entities"][0]["value"] == 38, "the run goes on after a bad input")
    bad = os.path.join(tmp, "bad-utf8.txt")
    open(bad, "wb").write(b"ab\xff\xfe c\xc3 38 ng\xc6\xb0\xe1\xbb\x9di")
    rc, out, _ = run([bad])
    r = records(out)[0]
    e = r["entities"][0]
    check(rc == 0 and e["text"] == "38" and e["start"] == 8, f"malformed UTF-8: one U+FFFD per bad byte ({e})")
    outfile = os.path.join(tmp, "out.jsonl")
    rc, out, _ = run(["-o", outfile, good])
    check(rc == 0 and not out and records(open(outfile).read())[0]["entities"][0]["value"] == 38, "-o FILE")
    if os.path.exists("/dev/full"):
        rc, out, err = run(["-o", "/dev/full", good])
        check(rc == 2 and "write error" in err, "a full disk: a message and exit 2")


def test_variants(tmp):
    nfc = "Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành khoá XII, thuỷ lợi đạt 83,3% kế hoạch."
    nfd = unicodedata.normalize("NFD", nfc)
    rc, out, _ = run(["--format", "jsonl"], stdin=(json.dumps({"id": "a", "text": nfc}) + "\n" + json.dumps({"id": "b", "text": nfd}) + "\n").encode())
    a, b = records(out)
    check([e["value"] for e in a["entities"]] == [e["value"] for e in b["entities"]] and len(a["entities"]) == 4,
          "NFD text gives the same entities and values as NFC")
    check(spans_ok(b, nfd), "spans of NFD text point into the NFD text")
    noisy = "giá\u00a03.633\u00a0đồng, tăng\u200b 19,9\u00ad% so với năm\u00a02021"
    rc, out, _ = run(["--format", "jsonl"], stdin=(json.dumps({"id": "n", "text": noisy}) + "\n").encode())
    r = records(out)[0]
    check([e["value"] for e in r["entities"]] == [3633, 19.9, "2021"] and spans_ok(r, noisy),
          f"no-break spaces, zero-width spaces and soft hyphens: {[e['text'] for e in r['entities']]}")
    doubled = "tăng so với na\u0306\u0306m 2021 và ngày 2/9&#47;2021 &amp; 5&nbsp;%"
    rc, out, _ = run(["--format", "jsonl"], stdin=(json.dumps({"id": "d", "text": doubled}) + "\n").encode())
    r = records(out)[0]
    check([(e["text"], e["value"]) for e in r["entities"]] ==
          [("na\u0306\u0306m 2021", "2021"), ("ngày 2/9&#47;2021", "2021-09-02"), ("5&nbsp;%", 5)] and spans_ok(r, doubled),
          f"doubled combining marks and HTML entities: {[(e['text'], e['value']) for e in r['entities']]}")
    page = "<html><body><p>Giá <b>3.633</b> đồng</p><p>tăng 19,9%</p><a href=\"/tin-2017/12.html\">x</a></body></html>"
    rc, out, _ = run(["--html"], stdin=page.encode())
    r = records(out)[0]
    check([e["value"] for e in r["entities"]] == [3633, 19.9] and spans_ok(r, page), f"--html: tags are not text: {r['entities']}")


def test_stats_and_sizes():
    lines = ('{"text": "có 38 người, tăng 19,9%"}\n' * 3 + '{"text": "' + "x" * 3000 + '"}\n').encode()
    rc, out, err = run(["--input-format", "jsonl", "--stats=json", "-q", "--max-doc-bytes", "2K", "-"], lines)
    try:
        st = json.loads(err.strip().splitlines()[-1])
    except (ValueError, IndexError):
        st = {}
    check(st.get("documents") == 4 and st.get("errors") == 1 and st.get("entities", {}).get("number") == 3
          and st["entities"].get("percent") == 3, f"--stats=json: one JSON object on stderr ({err[-300:]!r})")
    recs = records(out)
    check(rc == 1 and "2048 bytes" in recs[-1].get("error", ""), "--max-doc-bytes 2K is 2048 bytes")
    rc, _, err = run(["--max-doc-bytes", "2G", "-"], b"")
    check(rc == 2 and "--max-doc-bytes" in err, "more than 1G is a usage error")


def test_walk(tmp):
    """Directories are walked as ripgrep walks them: no hidden files, no binary files."""
    d = os.path.join(tmp, "walk")
    for sub in (".git", "sub"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    files = {"a.txt": "có 1 người", ".hidden.txt": "có 2 người", ".git/x.txt": "có 3 người",
             "sub/b.md": "có 4 người", "utf16.txt": None}
    for name, text in files.items():
        if text is not None:
            open(os.path.join(d, name), "w", encoding="utf-8").write(text)
    open(os.path.join(d, "utf16.txt"), "wb").write("có 5 người".encode("utf-16"))
    open(os.path.join(d, "bin.dat"), "wb").write(bytes(range(256)) * 12 + b" 12 34 56")
    rc, out, err = run(["--stats=json", d])
    ids = [r["id"] for r in records(out)]
    check(rc == 0 and ids == ["a.txt", "sub/b.md", "utf16.txt"], f"hidden and binary files are skipped ({ids})")
    st = json.loads(err.strip().splitlines()[-1]) if err.strip() else {}
    check(st.get("binary_files_skipped") == 1, f"--stats counts the binary file skipped ({err[-200:]!r})")
    rc, out, _ = run(["--hidden", "-g", "*.txt", d])
    ids = [r["id"] for r in records(out)]
    check(ids == [".git/x.txt", ".hidden.txt", "a.txt", "utf16.txt"], f"--hidden, -g '*.txt' ({ids})")
    rc, out, _ = run(["-g", "!*.md", "--glob", "!utf16.txt", d])
    check([r["id"] for r in records(out)] == ["a.txt"], "-g '!GLOB' excludes")
    rc, out, _ = run(["-g", "sub/*", d])
    check([r["id"] for r in records(out)] == ["sub/b.md"], "a glob with '/' matches the path below the directory")
    rc, out, _ = run([os.path.join(d, "bin.dat")])
    check(len(records(out)) == 1, "a binary file named on the command line is still read: a record")


def test_keep():
    lines = ('{"id": "a", "url": "http://x/1", "title": "Tin \\u00e1", "n": 3, "text": "có 38 người"}\n'
             '{"id": "b", "text": "có 2 người"}\n{"id": "c", "url": "http://x/3"}\n').encode()
    rc, out, err = run(["--input-format", "jsonl", "--keep", "url,title,n,missing", "-j2", "-"], lines)
    recs = records(out)
    check(len(recs) == 3 and list(recs[0]) == ["id", "date", "url", "title", "n", "entities"] and recs[0]["title"] == "Tin á"
          and recs[0]["n"] == 3 and "url" not in recs[1] and recs[2]["url"] == "http://x/3" and recs[2].get("error"),
          f"--keep copies the fields a line has, after date, into its record, error records too ({recs})")
    rc, _, err = run(["--keep", "id", "-"], b"")
    check(rc == 2 and "--keep" in err, "--keep of a field the record has is a usage error")


STAGES = ["decoding", "normalizing", "trigger scan", "regions", "rule searches (PCRE2)", "match checks and values",
          "overlaps and entities"]


def test_profile_rules():
    """--profile-rules: a line per rule with its counts, costliest first, and the same records;
    then the stages of extraction and the rest of the process's CPU time."""
    arts = os.path.join(A.corpus, "articles")
    _, plain, _ = run(["-q", "-j2", arts])
    rc, out, err = run(["-q", "-j2", "--profile-rules", arts])
    check(rc == 0 and out == plain, "--profile-rules leaves the records as they are")
    rules, _, stages = err.strip().partition("\n\n")
    lines = rules.splitlines()
    _, chk, _ = run(["--check-patterns", "--patterns", A.patterns])
    nrules = int(chk.split()[0]) if chk.split() and chk.split()[0].isdigit() else -1
    rows = [ln.split() for ln in lines[1:-1]]
    check(lines and lines[0].split()[:3] == ["rule", "where", "searches"] and len(rows) == nrules,
          f"--profile-rules: a header and a line per rule ({len(rows)} lines, {nrules} rules)")
    by = {r[0]: r for r in rows if len(r) == 6}
    d = by.get("number.digits")
    check(d is not None and d[1].startswith("20-numbers.rules:") and 0 < int(d[3]) <= int(d[2]),
          f"number.digits: searches and matches counted ({d})")
    ms = [float(r[4]) for r in rows if len(r) == 6]
    check(ms == sorted(ms, reverse=True), "costliest first")
    total = lines[-1].split()
    check(total[:2] == ["all", "rules"] and int(total[2]) == sum(int(r[2]) for r in rows if len(r) == 6),
          "the last line sums the searches")
    # the stages: NAME MS SHARE%, the extraction's in pipeline order, then the rest and the total
    st = {}
    for ln in stages.splitlines()[1:]:
        m = re.match(r"(.+?)\s+([0-9.]+)\s+([0-9.]+)%$", ln)
        if m:
            st[m.group(1)] = float(m.group(2))
    names = list(st)
    check(names == STAGES + ["outside extraction (start-up, reading input, writing records)", "process CPU time"],
          f"--profile-rules: the stages, in pipeline order, then the rest of the CPU time ({names})")
    if names[:len(STAGES)] == STAGES:
        check(st["rule searches (PCRE2)"] == float(total[3]), "the rule searches' stage is the rules' total")
        inside = sum(st[n] for n in STAGES)
        check(st["trigger scan"] > 0 and 0 < inside <= st["process CPU time"] + 1,
              f"the stages' time is some of the process's CPU time ({inside} of {st['process CPU time']} ms)")


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--patterns", required=True)
    ap.add_argument("--corpus", required=True)
    A = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        test_help_version()
        test_patterns_errors(tmp)
        test_added_rules(tmp)
        test_text_and_dirs()
        test_jsonl(tmp)
        test_errors_and_output(tmp)
        test_variants(tmp)
        test_stats_and_sizes()
        test_walk(tmp)
        test_keep()
        test_profile_rules()
    finish()


if __name__ == "__main__":
    main()
