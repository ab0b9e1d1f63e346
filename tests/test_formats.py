#!/usr/bin/env python3
"""Output formats: real records validate against docs/record.schema.json (python3-jsonschema);
the CSV of the corpus loads into a real SQLite database (the sqlite3 command) with the same
counts as the JSON Lines; TSV has a row per entity; --highlight marks every entity.
Prints 'N passed, N failed'; exits 77 when jsonschema or sqlite3 is missing."""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

from checklib import check, finish


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    a = ap.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("skipped: python3-jsonschema is not installed")
        sys.exit(77)
    sqlite = shutil.which("sqlite3")
    if not sqlite:
        print("skipped: sqlite3 is not installed")
        sys.exit(77)
    arts = os.path.join(a.src, "corpus", "articles")
    out = subprocess.run([a.bin, "-q", arts], capture_output=True, text=True).stdout
    recs = [json.loads(l) for l in out.splitlines()]
    schema = json.load(open(os.path.join(a.src, "docs", "record.schema.json")))
    v = jsonschema.Draft202012Validator(schema)
    errs = [e.message for r in recs for e in v.iter_errors(r)]
    check(not errs, f"corpus records validate against the schema: {errs[:3]}")
    bad = subprocess.run([a.bin, "-q", "--format", "jsonl"], input='{"id":"x"}\n', capture_output=True, text=True).stdout
    check(not list(v.iter_errors(json.loads(bad))), "an error record validates too")
    check(list(v.iter_errors({"id": "x", "date": None, "entities": [{"type": "number", "text": "a", "start": 0, "end": 1, "value": "a"}]})),
          "the schema rejects a number whose value is a string")
    # docs/format.md and the schema name the same fields: each field of one is in the other
    import re
    doc = open(os.path.join(a.src, "docs", "format.md"), encoding="utf-8").read()
    named = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", doc, re.M))
    named = {x for pair in named for x in pair if x}
    fields = set(schema["properties"]) | set(schema["$defs"]["entity"]["properties"]) | set(schema["$defs"]["resolution"]["properties"])
    check(fields == named, f"docs/format.md and docs/record.schema.json name the same fields "
                           f"(only in the schema: {sorted(fields - named)}, only in the page: {sorted(named - fields)})")
    seen = {k for r in recs for e in r["entities"] for k in e} | {k for r in recs for k in r}
    check(seen <= fields | {"entities"}, f"records use only documented fields ({sorted(seen - fields)})")
    want = collections.Counter((os.path.basename(r["id"]), e["type"]) for r in recs for e in r["entities"])
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "e.csv")
        with open(csv, "w") as f:
            subprocess.run([a.bin, "-q", "--format", "csv", arts], stdout=f, check=True)
        db = os.path.join(tmp, "e.sqlite")
        r = subprocess.run([sqlite, db, ".import --csv " + csv + " entities",
                            "SELECT doc_id, type, count(*) FROM entities GROUP BY doc_id, type;"],
                           capture_output=True, text=True)
        got = collections.Counter()
        for line in r.stdout.splitlines():
            doc, typ, n = line.split("|")
            got[(doc, typ)] = int(n)
        check(r.returncode == 0 and got == want and sum(got.values()) > 200,
              f"SQLite counts per document and type equal the JSON Lines ({sum(got.values())} rows)")
        r = subprocess.run([sqlite, db, "SELECT text, value FROM entities WHERE type = 'percent' AND value = '91.5';"],
                           capture_output=True, text=True)
        check("91,5%|91.5" in r.stdout, "a value and its text come through CSV quoting")
        r = subprocess.run([sqlite, db, "SELECT res_kind, res_issuer, res_date FROM entities WHERE text = '18-NQ/TW' LIMIT 1;"],
                           capture_output=True, text=True)
        check(r.stdout.strip() == "NQ|TW|2017-10-25", f"a resolution's parts have columns of their own ({r.stdout!r})")
        r = subprocess.run([sqlite, db, "SELECT count(*) FROM entities WHERE type = 'date' AND value = '2017';"],
                           capture_output=True, text=True)
        check(int(r.stdout.strip() or 0) > 0, "date values are plain text: value = '2017' finds rows")
        # every field of every entity, through CSV and SQLite, equals the JSON Lines record's
        cols = ["doc_id", "type", "start", "end", "text", "value", "unit", "qualifier", "mod", "ordinal", "of",
                "target", "relative", "offset", "resolved", "res_number", "res_year", "res_kind", "res_kind_name",
                "res_issuer", "res_issuer_name", "res_date", "error"]
        r = subprocess.run([sqlite, "-json", db, "SELECT * FROM entities ORDER BY rowid;"], capture_output=True, text=True)
        rows = json.loads(r.stdout or "[]")

        def cell(v):
            if v is None:
                return ""
            if v is True:
                return "true"
            if isinstance(v, float) and v == int(v) and abs(v) < 1e15:
                return str(int(v))
            return str(v)
        expect = []
        for rec in recs:
            for e in rec["entities"]:
                val = e["value"]
                res = val if isinstance(val, dict) else {}
                row = {"doc_id": os.path.basename(rec["id"]), "type": e["type"], "start": str(e["start"]), "end": str(e["end"]),
                       "text": e["text"], "value": res.get("id", "") if res else cell(val)}
                for k in ("unit", "qualifier", "mod", "ordinal", "of", "target", "relative", "offset", "resolved"):
                    row[k] = cell(e.get(k))
                for k in ("number", "year", "kind", "kind_name", "issuer", "issuer_name", "date"):
                    row["res_" + k] = cell(res.get(k))
                row["error"] = ""
                expect.append(row)
        got = [{k: str(row.get(k, "")) for k in cols} for row in rows]

        def same(w, g):   # numbers as numbers: 17 digits in the cell, the shortest in Python
            for k in cols:
                if w[k] == g[k]:
                    continue
                try:
                    if abs(float(w[k]) - float(g[k])) <= 1e-9 * max(1.0, abs(float(w[k]))):
                        continue
                except ValueError:
                    pass
                return False
            return True
        diffs = [(w, g) for w, g in zip(expect, got) if not same(w, g)]
        check(len(got) == len(expect) and not diffs and len(got[0]) == len(cols),
              f"CSV in SQLite equals the JSON Lines field by field ({len(got)} rows, {len(expect)} entities; {diffs[:1]})")
        errcsv = subprocess.run([a.bin, "-q", "--input-format", "jsonl", "--output-format", "csv", "-"],
                                input='{"id": "ok", "text": "có 3 người"}\n{"id": "bad"}\n', capture_output=True, text=True).stdout
        erows = errcsv.splitlines()
        check(len(erows) == 3 and erows[2].startswith("bad,") and "no field" in erows[2],
              f"a document with an error gets a row with its error ({erows})")
    tsv = subprocess.run([a.bin, "-q", "--format", "tsv", arts], capture_output=True, text=True).stdout.splitlines()
    check(tsv[0].split("\t")[:8] == ["doc_id", "type", "start", "end", "text", "value", "unit", "qualifier"] and
          len(tsv) - 1 == sum(want.values()) and all(len(l.split("\t")) == 23 for l in tsv),
          "TSV: a header, then a row of 23 fields per entity")
    a01 = os.path.join(arts, "01_dang_bo_xa.txt")
    hl = subprocess.run([a.bin, "-q", "--highlight", "--color", "always", a01], capture_output=True, text=True).stdout
    n01 = sum(v for (d, _), v in want.items() if d == "01_dang_bo_xa.txt")
    check(hl.count("\033[1;") == n01 and "⟨3.633⟩" not in hl and "⟨22⟩" in hl, "--highlight colours each entity and shows its value")
    plain = subprocess.run([a.bin, "-q", "--output-format", "highlight", a01], capture_output=True, text=True).stdout
    check("\033" not in plain and plain.count("]⟨") == n01 and "[lần thứ XXII]⟨22⟩" in plain,
          "into a pipe, --color auto writes no escape codes: brackets mark the entities")
    env = dict(os.environ, NO_COLOR="1")
    r = subprocess.run(["script", "-qec", f"{a.bin} -q --highlight {a01}", "/dev/null"], capture_output=True, text=True, env=env) \
        if shutil.which("script") else None
    if r is not None:
        check("\033[1;" not in r.stdout and "]⟨" in r.stdout, "NO_COLOR: no colour on a terminal either")
    bad = subprocess.run([a.bin, "--color", "sometimes", a01], capture_output=True, text=True)
    check(bad.returncode == 2 and "--color" in bad.stderr, "a bad --color value is a usage error")
    # input and output formats are two options: JSON Lines on standard input, CSV out
    lines = "".join(json.dumps({"id": os.path.basename(r["id"]), "text": open(os.path.join(arts, os.path.basename(r["id"])), encoding="utf-8").read()},
                               ensure_ascii=False) + "\n" for r in recs[:3])
    rows = subprocess.run([a.bin, "-q", "--input-format", "jsonl", "--output-format", "csv", "-"], input=lines,
                          capture_output=True, text=True).stdout.splitlines()
    n3 = sum(len(r["entities"]) for r in recs[:3])
    check(len(rows) == n3 + 1 and all(r.split(",")[0] in {os.path.basename(x["id"]) for x in recs[:3]} for r in rows[1:]),
          f"--input-format jsonl --output-format csv reads JSON Lines on standard input ({len(rows) - 1} rows, want {n3})")
    bad = subprocess.run([a.bin, "--output-format", "xml"], capture_output=True, text=True, input="")
    check(bad.returncode == 2 and "--output-format" in bad.stderr, "a bad --output-format value is a usage error")
    finish()


if __name__ == "__main__":
    main()
