"""Run vnextract over many archive files on a Dask cluster (dask.distributed).

    from dask.distributed import Client
    from vnextract.dask import write_parts, to_bag
    client = Client("scheduler:8786")
    write_parts(client, ["a.jsonl.gz", "b.jsonl.gz"], "out/")   # out/part-00000.jsonl.gz ...
    to_bag(["a.jsonl.gz", "b.jsonl.gz"]).filter(lambda r: r["entities"]).count().compute()

Each file is one task: a worker loads the patterns once per process and reads the file the
way the command line does (text, JSON Lines, .gz), a document at a time. Files must be
readable by the workers, and write_parts' directory writable by them (a shared file system).

- write_parts: each worker writes its file's records to a part of its own, gzip-compressed,
  in order; only counts come back, so the client's memory does not grow with the archive.
- to_bag: a dask.bag of records (dicts), built lazily from the paths.
- extract_files, write_jsonl: the records come back to the client (small archives only).
"""
import gzip
import os

import vnextract

_extractors = {}


def _extractor(patterns):
    ex = _extractors.get(patterns)
    if ex is None:
        ex = _extractors[patterns] = vnextract.Extractor(patterns)
    return ex


def _records(path, patterns=None, text_field="text", id_field="id", date_field="date"):
    return _extractor(patterns).records_for_file(path, text_field=text_field, id_field=id_field,
                                                 date_field=date_field)


def _write_part(index, path, outdir, patterns=None, **fields):
    part = os.path.join(outdir, f"part-{index:05d}.jsonl.gz")
    tmp = part + ".tmp"
    n = 0
    # mtime 0: the same records make the same bytes, whichever worker wrote them
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for rec in _extractor(patterns).iter_records(path, **fields):
            gz.write(rec.encode("utf-8") + b"\n")
            n += 1
    os.replace(tmp, part)   # a part is there whole or not at all
    return path, part, n


def write_parts(client, paths, outdir, patterns=None, **fields):
    """Has the workers write outdir/part-NNNNN.jsonl.gz, one per path in the order given,
    each holding that file's records as `vnextract PATH` writes them. Returns [(path, part,
    records)] in the order of the paths; the records stay on the workers' side."""
    os.makedirs(outdir, exist_ok=True)
    paths = list(paths)
    futures = client.map(_write_part, range(len(paths)), paths, outdir=outdir, patterns=patterns,
                         pure=False, **fields)
    return client.gather(futures)


def _bag_partition(paths, patterns=None, **fields):
    """The records of a partition's files (a list: partitions travel between processes)."""
    return [r for path in paths for r in _extractor(patterns).iter_records(path, dicts=True, **fields)]


def to_bag(paths, patterns=None, **fields):
    """A dask.bag of the records (dicts) of the paths, a partition per path, in order; lazy:
    nothing is read until it is computed."""
    import dask.bag as db
    paths = list(paths)
    return db.from_sequence(paths, npartitions=max(1, len(paths))).map_partitions(
        _bag_partition, patterns=patterns, **fields)


def extract_files(client, paths, patterns=None, **fields):
    """Yields (path, [record JSON strings]) for every path, in the order given. Every record
    comes back to the client: for archives that fit its memory."""
    futures = client.map(_records, list(paths), patterns=patterns, pure=False, **fields)
    for path, fut in zip(paths, futures):
        yield path, fut.result()


def write_jsonl(client, paths, out, patterns=None, **fields):
    """Writes the records of all paths to the file object out, in order: the same bytes as
    `vnextract PATH...` would write. Returns the number of records."""
    n = 0
    for _, recs in extract_files(client, paths, patterns=patterns, **fields):
        for r in recs:
            out.write(r + "\n")
            n += 1
    return n
