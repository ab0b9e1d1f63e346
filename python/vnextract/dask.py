"""Run vnextract over many archive files on a Dask cluster (dask.distributed).

    from dask.distributed import Client
    from vnextract.dask import extract_files
    client = Client("scheduler:8786")
    for path, records in extract_files(client, ["a.jsonl.gz", "b.jsonl.gz"]):
        ...  # records: JSON Lines strings, one per document, in file order

Each file is one task: a worker loads the patterns once per process and reads the file the
way the command line does (text, JSON Lines, .gz). Files must be readable by the workers
(a shared file system). The results come back in the order of the paths given.
"""
import vnextract

_extractors = {}


def _records(path, patterns=None, text_field="text", id_field="id", date_field="date"):
    ex = _extractors.get(patterns)
    if ex is None:
        ex = _extractors[patterns] = vnextract.Extractor(patterns)
    return ex.records_for_file(path, text_field=text_field, id_field=id_field, date_field=date_field)


def extract_files(client, paths, patterns=None, **fields):
    """Yields (path, [record JSON strings]) for every path, in the order given."""
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
