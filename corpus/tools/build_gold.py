#!/usr/bin/env python3
"""Build the project's corpus from annotated sources.

corpus/src/NAME.txt is an article with its entities marked in place:

    [[TEXT||n 3633]]                      number 3633
    [[TEXT||n 1500000000 {"unit": "đồng"}]]  with extra fields
    [[TEXT||p 112.5]]                     percent
    [[TEXT||d 2023 {"mod": "END"}]]       date (the value is written without quotes)
    [[TEXT||r ID KIND ISSUER DATE]]       resolution; "-" for null
    [[TEXT||t 17:00]]                     time of day (not scored)
    [[TEXT||x XXXX {"offset": "-P1Y", "resolved": "2020"}]]
                                          a relative date (relative: true), scored as the
                                          row "relative": every record lists all five types

It writes corpus/articles/NAME.txt (the plain text) and corpus/gold.jsonl (SPEC.md section 5,
offsets in code points). Names of kinds and issuers come from patterns/lexicons.

usage: build_gold.py [CORPUS_DIR]
"""
import json
import os
import re
import sys

MARK = re.compile(r"\[\[(.+?)\|\|(.+?)\]\]", re.S)


def lexicon(root, name):
    out = {}
    with open(os.path.join(root, "patterns", "lexicons", name + ".tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            out.setdefault(cols[0].lower(), cols[1:])
    return out


def resolution(spec, kinds, issuers):
    rid, kind, issuer, date = (None if p == "-" else p for p in spec)
    party = re.match(r"^([0-9]+[A-Z]?)-", rid)
    number = re.match(r"^([0-9]+[A-Z]?)", rid).group(1)
    year = re.match(r"^[0-9]+[A-Z]?/((?:19|20)[0-9]{2})(?:/|$)", rid)
    k = kinds.get(kind.lower()) if kind else None
    kind_name = (k[1] if party and len(k) > 1 else k[0]) if k else None
    iss = None
    if issuer:
        iss = issuers.get(issuer.lower()) or issuers.get(issuer.split("-")[0].lower())
    return {"id": rid, "number": number, "year": int(year.group(1)) if year else None,
            "kind": kind, "kind_name": kind_name, "issuer": issuer,
            "issuer_name": iss[0] if iss else None, "date": date}


def entity(text, spec, kinds, issuers):
    kind, _, rest = spec.strip().partition(" ")
    extra = {}
    m = re.search(r"\{.*\}$", rest)
    if m:
        extra = json.loads(m.group(0))
        rest = rest[: m.start()].strip()
    types = {"n": "number", "p": "percent", "d": "date", "r": "resolution", "t": "time", "x": "date"}
    e = {"type": types[kind], "text": text}
    if kind in "np":
        e["value"] = json.loads(rest)
    elif kind in "dt":
        e["value"] = rest
    elif kind == "r":
        e["value"] = resolution(rest.split(), kinds, issuers)
    elif kind == "x":
        e["relative"] = True
        if rest:
            e["value"] = rest
    e.update(extra)
    return e


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "corpus")
    kinds, issuers = lexicon(root, "kinds"), lexicon(root, "issuers")
    gold = []
    for name in sorted(os.listdir(os.path.join(corpus, "src"))):
        if not name.endswith(".txt"):
            continue
        src = open(os.path.join(corpus, "src", name), encoding="utf-8").read()
        out, ents, pos = [], [], 0
        length = 0
        for m in MARK.finditer(src):
            before = src[pos:m.start()]
            out.append(before)
            length += len(before)
            e = entity(m.group(1), m.group(2), kinds, issuers)
            e["start"], e["end"] = length, length + len(m.group(1))
            out.append(m.group(1))
            length += len(m.group(1))
            ents.append(e)
            pos = m.end()
        out.append(src[pos:])
        text = "".join(out)
        with open(os.path.join(corpus, "articles", name), "w", encoding="utf-8") as f:
            f.write(text)
        date = re.match(r"\s*date ([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)\s", text)
        for e in ents:
            assert text[e["start"]:e["end"]] == e["text"]
        gold.append({"doc": name, "date": date.group(1) if date else None,
                     "types": ["number", "percent", "date", "resolution", "relative"], "entities": ents})
    with open(os.path.join(corpus, "gold.jsonl"), "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    print(f"{len(gold)} articles, {sum(len(g['entities']) for g in gold)} entities", file=sys.stderr)


if __name__ == "__main__":
    main()
