"""The Python binding (ctypes over libvnextract.so): run by ctest with Debian's pytest."""
import json
import os
import subprocess

import pytest

import vnextract

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("VNEXTRACT_BIN", os.path.join(ROOT, "build", "vnextract"))


def test_extract_spec_format():
    ents = vnextract.extract("Nghị quyết số 18-NQ/TW ngày 25/10/2017 đạt 112,5% kế hoạch")
    assert [e["type"] for e in ents] == ["resolution", "date", "percent"]
    assert ents[0]["value"]["kind"] == "NQ" and ents[0]["value"]["date"] == "2017-10-25"
    assert ents[2]["value"] == 112.5


def test_offsets_index_python_str():
    text = "Thủy lợi 😀 đạt 3.633 tỷ đồng, tăng 19,9%"
    for e in vnextract.extract(text):
        assert text[e["start"]:e["end"]] == e["text"]
    nfd = "Ngày 2/9 tha\u0300nh lập, tăng 5%"
    for e in vnextract.extract(nfd):
        assert nfd[e["start"]:e["end"]] == e["text"]


def test_date_resolves_missing_year():
    (d,) = vnextract.extract("ngày 2/9", date="2021-05")
    assert d["value"] == "XXXX-09-02" and d["resolved"] == "2021-09-02"


def test_relative_dates_resolve_against_the_document_date(tmp_path):
    a, b = vnextract.extract("Hôm qua, giá tăng so với cùng kỳ năm ngoái", date="2021-04-30T08:15:00+07:00")
    assert (a["value"], a["offset"], a["resolved"]) == ("XXXX-XX-XX", "-P1D", "2021-04-29") and a["relative"]
    assert (b["text"], b["offset"], b["resolved"]) == ("cùng kỳ năm ngoái", "-P1Y", "2020")
    rec = vnextract.Extractor().record("hôm qua", date="01/05/2021")
    assert rec["date"] is None and "resolved" not in rec["entities"][0]
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "x", "text": "tuần trước"}\n{"id": "y", "text": "tuần trước", "date": "2017-02-02"}\n')
    x, y = (json.loads(r) for r in vnextract.records_for_file(str(f), date="2021-04-30"))
    assert x["date"] == "2021-04-30" and x["entities"][0]["resolved"] == "2021-W16"
    assert y["entities"][0]["resolved"] == "2017-W04"


def test_extractor_reusable_and_patterns_errors(tmp_path):
    ex = vnextract.Extractor()
    assert ex.extract("có 38 người")[0]["value"] == 38
    assert ex.extract("có 39 người")[0]["value"] == 39
    (tmp_path / "x.rules").write_text("rule a\n  type: number\n  normalize: nope\n  pattern: x\n")
    with pytest.raises(ValueError, match="x.rules:3: unknown normalizer"):
        vnextract.Extractor(str(tmp_path))


def test_extract_many_in_order_and_parallel():
    texts = [f"có {i} người" for i in range(2000)]
    got = vnextract.extract_many(texts, threads=4)
    assert [g[0]["value"] for g in got] == list(range(2000))
    # the batch call, in C threads or in this one, gives what extract() gives document by
    # document: articles of the corpus, (text, date) pairs, relative dates with a default date
    ex = vnextract.Extractor()
    d = os.path.join(ROOT, "corpus", "articles")
    arts = [open(os.path.join(d, n), encoding="utf-8").read() for n in sorted(os.listdir(d))]
    one = [ex.extract(t) for t in arts]
    assert ex.extract_many(arts, threads=1) == one
    assert ex.extract_many(arts, threads=3) == one
    pairs = [("hôm qua", "2021-04-30"), ("năm ngoái", None), ("năm ngoái", "2020-01-01")]
    got = ex.extract_many(pairs, threads=2, date="2019-06-01")
    assert [g[0].get("resolved") for g in got] == ["2021-04-29", "2018", "2019"]
    assert ex.extract_many([], threads=2) == []


def test_extract_many_bad_item_ends_the_call():
    # the texts are encoded while the C threads run: an item that is no text stops the
    # encoding with its error, and the call still ends (the rest go in empty) and frees all
    ex = vnextract.Extractor()
    texts = [f"có {i} người" for i in range(100)]
    for threads in (1, 2):
        with pytest.raises(TypeError):
            ex.extract_many(texts[:50] + [None] + texts[50:], threads=threads)
    assert [g[0]["value"] for g in ex.extract_many(texts, threads=2)] == list(range(100))


def test_same_records_as_the_cli():
    path = os.path.join(ROOT, "corpus", "articles")
    cli = subprocess.run([BIN, "-q", "-j1", path], capture_output=True, text=True).stdout.splitlines()
    mine = vnextract.records_for_file(path)
    assert mine == cli and len(mine) >= 20
    text = open(os.path.join(path, "01_dang_bo_xa.txt"), encoding="utf-8").read()
    rec = json.loads(cli[0])
    assert vnextract.extract(text) != rec["entities"]          # the date prefix is text here
    assert vnextract.Extractor().record(text, id="x")["entities"] == [
        e for e in vnextract.extract(text)]
