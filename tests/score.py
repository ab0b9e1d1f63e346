#!/usr/bin/env python3
"""Score vnextract records against gold annotations, by the rules of SPEC.md section 5.

A prediction matches a gold entity of the same type when their spans overlap; each entity
matches at most once (the gold entity takes the unmatched prediction with the largest
overlap). Value accuracy counts matched pairs whose value is equal: numbers within 1e-9,
dates as strings, resolutions on id, kind, issuer and date (case-insensitive, NFC, spaces
ignored). Entities of other types are not scored. Relative dates (relative: true) are scored
as a fifth row, "relative", in gold records whose "types" lists it (value, offset, and
resolved where the gold has it), and not at all elsewhere.

usage: score.py --gold GOLD.jsonl --pred OUT.jsonl [--docs DIR] [--min-f1 X] [--min-value X]
Exits 1 when a figure is below a given minimum, or a span does not match the text.
"""
import argparse
import json
import math
import os
import sys
import unicodedata

TYPES = ("number", "percent", "date", "resolution")
ROWS = TYPES + ("relative",)


def records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(name):
    name = str(name)
    head, _, tail = name.rpartition(":")
    if head and tail.isdigit():
        name = head
    return os.path.basename(name)


def canon(s):
    return None if s is None else unicodedata.normalize("NFC", str(s)).upper().replace(" ", "")


def equal(kind, g, p):
    if kind in ("number", "percent"):
        a, b = g.get("value"), p.get("value")
        ok = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
        return ok and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if kind == "relative":
        return (g.get("value") == p.get("value") and g.get("offset") == p.get("offset")
                and ("resolved" not in g or g["resolved"] == p.get("resolved")))
    if kind == "resolution":
        a, b = g.get("value") or {}, p.get("value") or {}
        if not isinstance(b, dict):
            return False
        return all(canon(a.get(k)) == canon(b.get(k)) for k in ("id", "kind", "issuer")) and \
            a.get("date") == b.get("date")
    return g.get("value") == p.get("value")


def scored(ents, only):
    """The entities of the rows in only; a relative date is of the row "relative"."""
    out = []
    for e in ents or []:
        if e.get("relative") and e.get("type") == "date":
            e = dict(e, type="relative")
        elif e.get("relative"):
            continue
        if e.get("type") in only:
            out.append(e)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--docs")
    ap.add_argument("--min-f1", type=float, default=0.0)
    ap.add_argument("--min-value", type=float, default=0.0)
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args()
    pred = {}
    for r in records(a.pred):
        pred.setdefault(key(r.get("id", "")), r)
    st = {t: dict(tp=0, fp=0, fn=0, ok=0) for t in ROWS}
    rows = TYPES
    span_errors, missing = 0, 0
    for g in records(a.gold):
        only = set(g.get("types") or TYPES)
        if "relative" in only:
            rows = ROWS
        p = pred.get(key(g["doc"]))
        if p is None:
            missing += 1
        pe = scored(p.get("entities") if p else [], only)
        if a.docs and p:
            text = open(os.path.join(a.docs, g["doc"]), encoding="utf-8").read()
            for e in pe:
                if text[e["start"]:e["end"]] != e.get("text"):
                    span_errors += 1
                    print(f"SPAN  {g['doc']}: {e}", file=sys.stderr)
        used = set()
        for ge in scored(g["entities"], only):
            best, ov = None, 0
            for i, e in enumerate(pe):
                o = min(ge["end"], e["end"]) - max(ge["start"], e["start"])
                if i not in used and e["type"] == ge["type"] and o > ov:
                    best, ov = i, o
            s = st[ge["type"]]
            if best is None:
                s["fn"] += 1
                if a.show_errors:
                    print(f"MISS  {g['doc']}: {ge['type']} {ge['text']!r} {ge.get('value')}")
                continue
            used.add(best)
            s["tp"] += 1
            if equal(ge["type"], ge, pe[best]):
                s["ok"] += 1
            elif a.show_errors:
                print(f"VALUE {g['doc']}: {ge['type']} {ge['text']!r} want {ge.get('value')} got {pe[best].get('value')}")
        for i, e in enumerate(pe):
            if i not in used:
                st[e["type"]]["fp"] += 1
                if a.show_errors:
                    print(f"FALSE {g['doc']}: {e['type']} {e['text']!r} {e.get('value')}")
    bad = span_errors > 0 or missing > 0
    print(f"{'type':<11}{'tp':>6}{'fp':>6}{'fn':>6}{'F1':>8}{'value':>8}")
    total = dict(tp=0, fp=0, fn=0, ok=0)
    for t in rows + ("all",):
        s = st[t] if t != "all" else total
        if t != "all":
            for k in total:
                total[k] += s[k]
        p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        v = s["ok"] / s["tp"] if s["tp"] else 1.0
        print(f"{t:<11}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}{f1:>8.3f}{v:>8.3f}")
        if f1 < a.min_f1 or v < a.min_value:
            bad = True
    print(f"span errors {span_errors}, documents missing {missing}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
