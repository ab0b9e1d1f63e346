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
