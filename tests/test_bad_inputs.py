#!/usr/bin/env python3
"""Dirty input: every document still gets exactly one record, in input order; a document
that cannot be processed gets "error" and no entities, with a message naming the file (and
line); the run goes on; the exit status is 1 when any document had an error.
Prints 'N passed, N failed'."""
import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

A = None
from checklib import check, finish


def run(args, stdin=None, timeout=300):
    p = subprocess.run([A.bin] + args, input=stdin, capture_output=True, timeout=timeout)
    recs = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            recs.append(json.loads(line))
        except ValueError:
            recs.append(None)
    return p.returncode, recs, p.stderr.decode("utf-8", "replace")


def good(tmp):
    path = os.path.join(tmp, "good.txt")
    open(path, "w", encoding="utf-8").write("Có 38 người")
    return path


def test_text_files(tmp):
    g = good(tmp)
    cases = {
        "nul.txt": b"ab\x00\x00 12 ng\xc3\xa0y",
        "binary.bin": bytes(random.Random(7).randrange(256) for _ in range(20000)),
        "empty.txt": b"",
        "bom-only.txt": b"\xef\xbb\xbf",
        "utf16.txt": "Có 38 người".encode("utf-16"),
    }
    paths = []
    for name, data in cases.items():
        p = os.path.join(tmp, name)
        open(p, "wb").write(data)
        paths.append(p)
    rc, recs, err = run(paths + [g])
    check(len(recs) == len(paths) + 1 and all(recs), f"one record per file ({len(recs)})")
    check([r["id"] for r in recs] == paths + [g], "records in input order")
    check(rc == 0, f"bad bytes are not errors: exit 0 ({rc})")
    check(recs[0]["entities"][0]["text"] == "12" and recs[0]["entities"][0]["start"] == 5,
          "NUL bytes count one code point each")
    check("nul.txt" in err and "binary.bin" in err, "a message names each file with invalid bytes")
    check(recs[2]["entities"] == [] and recs[3]["entities"] == [], "an empty file: a record, no entities")
    check(recs[4]["entities"][0]["value"] == 38, "UTF-16 with a BOM")
    check(recs[-1]["entities"][0]["value"] == 38, "the run goes on")


def test_jsonl(tmp):
    p = os.path.join(tmp, "bad.jsonl")
    deep = "[" * 100000 + "]" * 100000
    huge = "Tăng 19,9% " + "x" * (20 * 1024 * 1024) + " còn 38 người"
    lines = [
        json.dumps({"id": "a", "text": "đạt 112,5%"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": ["x"]}),
        '{"id": "e", "text": ' + deep + "}",
        json.dumps({"id": "f", "text": huge}),
        '"just a string"',
        json.dumps({"id": "g", "text": "ngày 2/9/2021"}),
    ]
    open(p, "w", encoding="utf-8").write("\n".join(lines) + "\n")
    rc, recs, err = run([p])
    ids = [r["id"] if r else None for r in recs]
    check(ids == ["a", f"{p}:3", "c", "d", f"{p}:6", "f", f"{p}:8", "g"], f"one record per non-blank line, in order: {ids}")
    check(rc == 1, "exit 1 when some documents had errors")
    errs = {r["id"]: r.get("error") for r in recs if r}
    check(all(errs[k] for k in (f"{p}:3", "c", "d", f"{p}:6", f"{p}:8")), "bad lines carry an error")
    check(all(r["entities"] == [] for r in recs if r and r.get("error")), "error records have no entities")
    check(all(f"{p}:{n}" in err for n in (3, 4, 5, 6, 8)), "messages name the file and line")
    f = [r for r in recs if r and r["id"] == "f"][0]
    check([e["value"] for e in f["entities"]] == [19.9, 38], "a 20 MB JSON string is processed whole")
    check(recs[-1]["entities"][0]["value"] == "2021-09-02", "the run goes on after them")


def test_escapes_and_names(tmp):
    """JSON escapes that a C string cannot hold, and bytes that are not UTF-8 in ids, dates
    and file names: nothing is lost, and every record is valid UTF-8."""
    p = os.path.join(tmp, "escapes.jsonl")
    texts = ["trước\x00 sau có 12 người", "lỗi \ud800 rồi tăng 7%", "cặp \ud83d\ude00 ngày 2/9/2021 \udc00 và 5 \ud800\ud800 6"]
    lines = [json.dumps({"id": f"e{i}", "text": t}) for i, t in enumerate(texts)]   # ensure_ascii: \u escapes
    lines.append(json.dumps({"id": "lit", "text": "chuỗi \\u0000 có 3 người"}))   # an escaped backslash: text
    with open(p, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    rc, recs, err = run([p])
    check(rc == 0 and len(recs) == 4 and not any(r.get("error") for r in recs), f"escapes are no errors: exit {rc}")
    for r, t in zip(recs, (json.loads(line)["text"] for line in lines)):   # as Python reads them
        want = [e["text"] for e in r["entities"]]
        got = [t[e["start"]:e["end"]] for e in r["entities"]]
        check(want == got and want, f"{r['id']}: spans are Python's code points after \\u0000 and lone surrogates: {want} {got}")
    check([e["value"] for e in recs[0]["entities"]] == [12], "the text after \\u0000 is read, not cut off")
    check([e["value"] for e in recs[2]["entities"]] == ["2021-09-02", 5, 6], "a pair is one code point, a lone half one U+FFFD")
    check(f"{p}:1" in err and f"{p}:2" in err, "a message names the lines read with U+FFFD")
    d = os.path.join(tmp, "dup.jsonl")
    with open(d, "w", encoding="utf-8") as f:
        f.write('{"id": "x", "text": "có 1 người", "id": "y", "text": "có 22 người"}\n')
    rc, recs, err = run([d])
    check(recs[0]["id"] == "y" and [e["value"] for e in recs[0]["entities"]] == [22],
          f"a repeated key: the last one, as Python and jq read it ({recs})")

    q = os.path.join(tmp, "names.jsonl")
    with open(q, "wb") as f:
        f.write(b'{"id": "a\xffb", "date": "2021-09\xfe", "text": "c\xf3 1 ng\xc6\xb0\xe1\xbb\x9di"}\n')
    named = os.path.join(os.fsencode(tmp), b"t\xe9n.txt")   # a Latin-1 file name
    with open(named, "wb") as f:
        f.write("có 2 người".encode())
    for fmt in ([], ["--format", "tsv"], ["--format", "csv"]):
        out = subprocess.run([A.bin] + fmt + [q, os.fsdecode(named)], capture_output=True).stdout
        try:
            text = out.decode("utf-8")
        except UnicodeDecodeError as e:
            check(False, f"output {fmt or 'jsonl'} is valid UTF-8: {e}")
            continue
        check("\ufffd" in text, f"output {fmt or 'jsonl'} is valid UTF-8, the bad bytes as U+FFFD")
    res = subprocess.run([A.bin, q, os.fsdecode(named)], capture_output=True)
    recs = [json.loads(line) for line in res.stdout.decode("utf-8", "replace").splitlines()]
    check([r["id"] for r in recs] == ["a\ufffdb", os.path.join(tmp, "t\ufffdn.txt")]
          and [e["value"] for r in recs for e in r["entities"]] == [1, 2], f"ids keep their valid part: {recs}")
    check(recs[0]["date"] is None and "document date '2021-09\ufffd' is not a date" in res.stderr.decode("utf-8"),
          f"a date with a bad byte is no date: null, and a warning that shows it ({recs[0]}, {res.stderr!r})")


def test_gzip(tmp):
    p = os.path.join(tmp, "docs.jsonl.gz")
    data = "".join(json.dumps({"id": f"d{i}", "text": f"có {i} người"}) + "\n" for i in range(2000)).encode()
    gz = gzip.compress(data)
    open(p, "wb").write(gz[: len(gz) * 2 // 3])
    rc, recs, err = run([p])
    check(rc == 1 and recs and "error" in recs[-1] and "truncated" in err, "a truncated .gz: records, then an error")
    check(all(not r.get("error") for r in recs[:-1]) and recs[0]["id"] == "d0", "what was readable came through")
    bad = os.path.join(tmp, "corrupt.txt.gz")
    open(bad, "wb").write(gz[:20] + b"\x00garbage\xff" * 50)
    rc, recs, err = run([bad, good(tmp)])
    check(rc == 1 and len(recs) == 2 and "error" in recs[0] and recs[1]["entities"], "a corrupt .gz: an error record, the run goes on")
    check(bad in err and "<fd:" not in err and "<fd:" not in recs[0]["error"],
          f"the message names the file, not zlib's '<fd:N>' ({err.strip()[:200]!r})")


def test_paths(tmp):
    d = os.path.join(tmp, "tree")
    os.makedirs(os.path.join(d, "sub"))
    open(os.path.join(d, "a.txt"), "w").write("có 1 người")
    open(os.path.join(d, "sub", "b.txt"), "w").write("có 2 người")
    os.symlink(d, os.path.join(d, "sub", "loop"))
    os.symlink(os.path.join(tmp, "nowhere"), os.path.join(d, "dangling.txt"))
    rc, recs, err = run([d])
    ids = [r["id"] for r in recs]
    check(ids[:2] == ["a.txt", "dangling.txt"] and "sub/b.txt" in ids and "sub/loop" in ids, f"a tree with a loop: {ids}")
    loop = [r for r in recs if r["id"] == "sub/loop"][0]
    check("loop" in loop.get("error", ""), "a symbolic link loop is an error record, not an endless walk")
    check("error" in recs[1] and rc == 1, "an unreadable (dangling) file is an error record")


def test_big(tmp):
    p = os.path.join(tmp, "big.txt")
    with open(p, "w", encoding="utf-8") as f:
        # an HTML entity: the whole text is rewritten for matching, with a map back
        f.write("Đầu văn bản có 38 người &amp; ")
        chunk = "Văn bản rất dài không có chữ số nào cả, chỉ có chữ và dấu câu. " * 1000
        while f.tell() < 100 * 1024 * 1024:
            f.write(chunk)
        f.write(" Cuối văn bản tăng 19,9%.")
        size = f.tell()
    proc = subprocess.Popen([A.bin, p], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)   # its peak memory, which wait() would not give
    proc.stdout.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    recs = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    check(proc.returncode == 0 and len(recs) == 1 and [e["value"] for e in recs[0]["entities"]] == [38, 19.9]
          and recs[0]["entities"][1]["start"] == len(open(p, encoding="utf-8").read()) - 6,
          "a single 100 MB document: one record, entities at both ends, the last at its code point")
    if not os.environ.get("ASAN_OPTIONS"):   # the sanitizer build's memory says nothing
        peak = usage.ru_maxrss * 1024
        check(peak < 4 * size, f"a 100 MB document needs less than 4 times its size: {peak / size:.1f} times")
    rc, recs, err = run(["--max-doc-bytes", "1000000", p, good(tmp)])
    check(rc == 1 and "error" in recs[0] and "limit" in recs[0]["error"] and recs[1]["entities"],
          "a document over --max-doc-bytes: an error record, the run goes on")
    j = os.path.join(tmp, "long_line.jsonl")
    with open(j, "w", encoding="utf-8") as f:
        f.write('{"id":"a","text":"%s 12 người"}\n{"id":"b","text":"3 người"}\n' % ("x" * 1000))
    rc, recs, err = run(["--max-doc-bytes", "100", j])
    check(rc == 1 and len(recs) == 2 and recs[0]["id"] == f"{j}:1" and "limit" in recs[0].get("error", "")
          and [e["value"] for e in recs[1]["entities"]] == [3],
          "a JSON line over --max-doc-bytes, short as it is: an error record, the next line is read")
    m = os.path.join(tmp, "million.jsonl")
    with open(m, "w") as f:
        for i in range(1000000):
            f.write('{"text":"%d"}\n' % (i % 97))
    rc, recs, err = run(["-q", m], timeout=900)
    check(rc == 0 and len(recs) == 1000000 and recs[-1]["id"] == f"{m}:1000000", "a million tiny documents")


def test_dates(tmp):
    """Document dates that are none, offsets that would leave the calendar, and a megabyte of
    relative dates."""
    p = os.path.join(tmp, "dates.jsonl")
    values = ["2021-04-30", "01/05/2021", "hôm qua", 20210430, {"y": 2021}, "2021-02-29", "9999-12-31", "0001-01-01",
              "2021-04-30T23:59:59+07:00"]
    with open(p, "w", encoding="utf-8") as f:
        for v in values:
            f.write(json.dumps({"text": "hôm qua, năm sau, 10 năm trước", "date": v}, ensure_ascii=False) + "\n")
    rc, recs, err = run([p])
    check(rc == 0 and len(recs) == len(values) and all(recs), f"a record per line, exit 0 ({rc}, {len(recs)})")
    dates = [r["date"] for r in recs]
    check(dates == ["2021-04-30", None, None, None, None, None, "9999-12-31", "0001-01-01", "2021-04-30"],
          f"dates that are none are null in the record; a timestamp gives its date ({dates})")
    for line in (2, 3, 4, 5, 6):
        check(f"{p}:{line}: document date" in err, f"a warning names line {line} ({err[:300]!r})")
    check(err.count("is not a date") == 5, "one warning per document")
    res = [[e.get("resolved") for e in r["entities"]] for r in recs]
    check(res[0] == ["2021-04-29", "2022", "2011"], f"resolved against the document date ({res[0]})")
    check(res[1] == [None, None, None], f"no date, nothing resolved ({res[1]})")
    check(res[6] == ["9999-12-30", None, "9989"] and res[7] == [None, "0002", None],
          f"nothing resolved past year 9999 or before year 1 ({res[6]}, {res[7]})")
    rc, recs, err = run(["--date", "2021-04-30", p])
    check([r["date"] for r in recs][:2] == ["2021-04-30", "2021-04-30"],
          "--date stands in for a date that is none, and a date field wins over it")
    rc, _, err = run(["--date", "30/04/2021", p])
    check(rc == 2 and "--date" in err, f"a --date that is no date is a usage error ({rc})")
    big = "hôm qua " * 140000   # about a megabyte
    rc, recs, err = run(["--format", "jsonl", "-"], (json.dumps({"text": big, "date": "2021-03-01"}) + "\n").encode())
    ents = recs[0]["entities"] if recs and recs[0] else []
    check(rc == 0 and len(ents) == 140000 and all(e["resolved"] == "2021-02-28" for e in ents),
          f"a megabyte of 'hôm qua': every one resolved ({rc}, {len(ents)})")


def test_output():
    p = subprocess.Popen(f"yes '{{\"text\": \"có 38 người, tăng 19,9%\"}}' | head -n 300000 | {A.bin} --format jsonl -j2 | head -1",
                         shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=120)
    check(p.returncode == 0 and out.count(b"\n") == 1 and not err, f"'| head -1' ends quietly ({err[:200]!r})")


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true", help="skip the 100 MB and million-document cases")
    A = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        test_text_files(tmp)
        test_jsonl(tmp)
        test_escapes_and_names(tmp)
        test_gzip(tmp)
        test_paths(tmp)
        test_dates(tmp)
        if not A.quick:
            test_big(tmp)
        test_output()
    finish()


if __name__ == "__main__":
    main()
