"""vnextract.dask on a real LocalCluster with two worker processes: the records equal the
command line's, file by file, in order."""
import os
import subprocess

import pytest

distributed = pytest.importorskip("distributed")

import vnextract.dask as vd  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("VNEXTRACT_BIN", os.path.join(ROOT, "build", "vnextract"))


def test_local_cluster_matches_cli(tmp_path):
    arts = os.path.join(ROOT, "corpus", "articles")
    files = [os.path.join(arts, f) for f in sorted(os.listdir(arts))]
    jsonl = tmp_path / "some.jsonl"
    jsonl.write_text(subprocess.run(
        ["python3", "-c", "import json,sys\nfor p in sys.argv[1:]: print(json.dumps({'id': p, 'text': open(p).read()}))"]
        + files[:5], capture_output=True, text=True).stdout)
    paths = files + [str(jsonl)]
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        workers = client.run(os.getpid)
        assert len(set(workers.values())) == 2
        got = list(vd.extract_files(client, paths))
    finally:
        client.close()
        cluster.close()
    cli = subprocess.run([BIN, "-q", "-j1"] + paths, capture_output=True, text=True).stdout.splitlines()
    flat = [r for _, recs in got for r in recs]
    assert [p for p, _ in got] == paths
    assert flat == cli and len(flat) == len(files) + 5


def test_write_parts_and_bag(tmp_path):
    """write_parts: each worker writes its file's part, the counts come back; the parts equal
    the command line's output for each file byte for byte. to_bag: the same records, dicts."""
    import gzip
    import json
    arts = os.path.join(ROOT, "corpus", "articles")
    files = [os.path.join(arts, f) for f in sorted(os.listdir(arts))][:6]
    jsonl = tmp_path / "some.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as f:
        for p in files:
            f.write(json.dumps({"id": p, "text": open(p, encoding="utf-8").read()}, ensure_ascii=False) + "\n")
    paths = files[:3] + [str(jsonl)]
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        assert len(set(client.run(os.getpid).values())) == 2
        counts = vd.write_parts(client, paths, str(tmp_path / "out"))
        bag = vd.to_bag(paths)
        recs = bag.compute(scheduler=client.get)
    finally:
        client.close()
        cluster.close()
    print("write_parts:", [(os.path.basename(p), os.path.basename(part), n) for p, part, n in counts])
    assert [c[0] for c in counts] == paths and [c[2] for c in counts] == [1, 1, 1, 6]
    cli_all = []
    for path, part, n in counts:
        cli = subprocess.run([BIN, "-q", "-j1", path], capture_output=True).stdout
        with gzip.open(part, "rb") as f:
            assert f.read() == cli
        cli_all += [json.loads(line) for line in cli.decode("utf-8").splitlines()]
    assert recs == cli_all and isinstance(recs[0], dict)
