"""vnextract for Python: numbers, percentages, dates and document identifiers from
Vietnamese text, through ctypes over libvnextract.so (no compile step).

    >>> import vnextract
    >>> vnextract.extract("Nghị quyết số 18-NQ/TW đạt 112,5% kế hoạch")
    [{'type': 'resolution', 'text': '18-NQ/TW', 'start': 14, 'end': 22, 'value': {...}}, ...]

Relative dates ("hôm qua", "năm ngoái", "thứ Hai tuần trước") are resolved against the
document date given as date= ("2021-04-30", or a timestamp whose date part is one):

    >>> vnextract.extract("Hôm qua, giá vàng tăng so với cùng kỳ năm ngoái", date="2021-04-30")
    [{'type': 'date', 'text': 'Hôm qua', ..., 'value': 'XXXX-XX-XX', 'relative': True,
      'offset': '-P1D', 'resolved': '2021-04-29'}, {'type': 'date', 'text': 'cùng kỳ năm ngoái',
      ..., 'value': 'XXXX', 'relative': True, 'offset': '-P1Y', 'resolved': '2020'}]

A date that is not one is not used: the record's "date" is null, and no "resolved" is
filled in. Offsets index Python str (code points). An Extractor loads and compiles the patterns once
and is safe to share between threads; extract_many() runs documents in parallel threads,
the C calls releasing the GIL.

The library is looked up in $VNEXTRACT_LIB, in the prefix this package is installed in
(PREFIX/lib/python3/dist-packages/vnextract: PREFIX/lib[/<multiarch>]/libvnextract.so), in a
source checkout (build/libvnextract.so), then by the system (ctypes.util.find_library). The
patterns in $VNEXTRACT_PATTERNS (an error when it is set but no directory), the prefix's
share/vnextract/patterns, or the checkout's patterns/.
"""
import ctypes
import ctypes.util
import json
import os
import threading
import time

__all__ = ["Extractor", "extract", "extract_many", "records_for_file", "__version__"]
__version__ = "0.1.0"   # the library's version (vnextract.version()) too

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))


class _Document(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("text", ctypes.c_char_p), ("len", ctypes.c_size_t),
                ("date", ctypes.c_char_p), ("date_prefix", ctypes.c_int), ("error", ctypes.c_char_p),
                ("where", ctypes.c_char_p), ("encoding", ctypes.c_char_p), ("html", ctypes.c_int),
                ("default_date", ctypes.c_char_p), ("keep", ctypes.c_char_p)]


class _ReaderOptions(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("text_field", ctypes.c_char_p), ("id_field", ctypes.c_char_p),
                ("date_field", ctypes.c_char_p), ("max_doc_bytes", ctypes.c_size_t),
                ("hidden", ctypes.c_int), ("globs", ctypes.POINTER(ctypes.c_char_p)), ("nglobs", ctypes.c_size_t),
                ("keep", ctypes.POINTER(ctypes.c_char_p)), ("nkeep", ctypes.c_size_t)]


def _prefixes():
    """The directories above this package, nearest first, when it is installed (in a
    dist-packages or site-packages directory): one of them is its install prefix
    (PREFIX/lib/python3/dist-packages/vnextract)."""
    if not any(p in _HERE.split(os.sep) for p in ("dist-packages", "site-packages")):
        return
    d = _HERE
    for _ in range(5):
        d = os.path.dirname(d)
        yield d


def _prefix_libraries():
    for p in _prefixes():
        for lib in ("lib", "lib64"):
            base = os.path.join(p, lib)
            yield os.path.join(base, "libvnextract.so")
            if os.path.isdir(base):
                for sub in sorted(os.listdir(base)):   # lib/x86_64-linux-gnu
                    if "-linux-" in sub:
                        yield os.path.join(base, sub, "libvnextract.so")


def _find_library():
    cands = [os.environ.get("VNEXTRACT_LIB")]
    cands += [c for c in _prefix_libraries() if os.path.exists(c)][:1]
    cands += [os.path.join(_ROOT, "build", "libvnextract.so"), os.path.join(_HERE, "libvnextract.so")]
    found = ctypes.util.find_library("vnextract")
    if found:
        cands.append(found)
    for prefix in ("/usr/local/lib", "/usr/lib"):
        cands.append(os.path.join(prefix, "libvnextract.so"))
    for c in cands:
        if c and (os.path.exists(c) or c == found):
            try:
                return ctypes.CDLL(c)
            except OSError:
                continue
    raise OSError("libvnextract.so not found: build it (cmake --build build) or set VNEXTRACT_LIB")


def _find_patterns():
    env = os.environ.get("VNEXTRACT_PATTERNS")
    if env:
        if not os.path.isdir(env):
            raise OSError(f"VNEXTRACT_PATTERNS is {env!r}, which is no directory")
        return env
    cands = [os.path.join(p, "share", "vnextract", "patterns") for p in _prefixes()]
    cands += [os.path.join(_ROOT, "patterns"), "/usr/local/share/vnextract/patterns", "/usr/share/vnextract/patterns"]
    for c in cands:
        if c and os.path.isdir(c):
            return c
    raise OSError("vnextract patterns not found: pass patterns= or set VNEXTRACT_PATTERNS")


_lib = None


def _load():
    global _lib
    if _lib is not None:
        return _lib
    lib = _find_library()
    P, S = ctypes.c_void_p, ctypes.c_size_t
    sig = {
        "vnx_extractor_new": (P, [ctypes.c_char_p, ctypes.c_char_p, S]),
        "vnx_extractor_free": (None, [P]),
        "vnx_extract": (P, [P, ctypes.POINTER(_Document)]),
        "vnx_result_json": (P, [P]),
        "vnx_result_free": (None, [P]),
        "vnx_free": (None, [P]),
        "vnx_version": (ctypes.c_char_p, []),
        "vnx_reader_open": (P, [ctypes.POINTER(ctypes.c_char_p), S, ctypes.POINTER(_ReaderOptions)]),
        "vnx_reader_next": (ctypes.c_int, [P, ctypes.POINTER(_Document)]),
        "vnx_reader_free": (None, [P]),
        "vnx_extract_json_many": (None, [P, ctypes.POINTER(_Document), S, ctypes.c_uint, ctypes.POINTER(P),
                                         ctypes.POINTER(S)]),
        "vnx_extract_json_supplied": (None, [P, ctypes.POINTER(_Document), S, ctypes.c_uint, ctypes.POINTER(P),
                                             ctypes.POINTER(S), ctypes.POINTER(S)]),
        "vnx_supply": (None, [ctypes.POINTER(S), S]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    _lib = lib
    return lib


def _encode(text):
    """A text as the library takes it: UTF-8 bytes (lone surrogates kept, as the JSON reader
    does), or bytes as they are."""
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)


def _take_string(lib, ptr):
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.vnx_free(ptr)


class Extractor:
    """Compiled rules of a patterns directory (default: the bundled ones). Thread-safe."""

    def __init__(self, patterns=None):
        self._lib = _load()
        self.patterns = patterns or _find_patterns()
        err = ctypes.create_string_buffer(1024)
        self._ex = self._lib.vnx_extractor_new(self.patterns.encode(), err, len(err))
        if not self._ex:
            raise ValueError(err.value.decode("utf-8", "replace"))

    def __del__(self):
        ex, self._ex = getattr(self, "_ex", None), None
        if ex and getattr(self, "_lib", None):
            self._lib.vnx_extractor_free(ex)

    def record(self, text, date=None, id="", html=False):
        """The whole record of one document, as a dict (docs/format.md of the project)."""
        data = _encode(text)
        doc = _Document(id.encode(), data, len(data), date.encode() if date else None, 0, None, None, None,
                        1 if html else 0)
        r = self._lib.vnx_extract(self._ex, ctypes.byref(doc))
        try:
            return json.loads(_take_string(self._lib, self._lib.vnx_result_json(r)))
        finally:
            self._lib.vnx_result_free(r)

    def extract(self, text, date=None):
        """The entities of text: a list of dicts with type, text, start, end, value..."""
        return self.record(text, date)["entities"]

    @staticmethod
    def _document(docs, k, item, date):
        """docs[k] for a text or a (text, date) pair; returns the encoded bytes it points to
        (which must outlive it)."""
        text, d = item if isinstance(item, tuple) else (item, None)
        d = d or date
        data = _encode(text)
        dd = d.encode() if d else None
        docs[k].id, docs[k].text, docs[k].len, docs[k].date = b"", data, len(data), dd
        return data, dd

    def _entities(self, ptr):
        return json.loads(_take_string(self._lib, ptr))["entities"]

    def extract_many(self, texts, threads=None, date=None):
        """extract() over an iterable of texts (or (text, date) pairs; date: that of those
        without their own), in order. threads=1 works in the calling thread. More extract in
        that many C threads (default: the cores) in one call of the library, made from a
        helper thread while ctypes has released the GIL. This thread meanwhile encodes the
        texts, handing each to the C threads as soon as it is encoded, and then turns the
        records already made into dicts, as the library counts them ready."""
        threads = threads or os.cpu_count() or 2
        items = list(texts)
        n = len(items)
        if not n:
            return []
        docs = (_Document * n)()
        out = (ctypes.c_void_p * n)()
        if threads <= 1:
            keep = [self._document(docs, k, item, date) for k, item in enumerate(items)]
            self._lib.vnx_extract_json_many(self._ex, docs, n, 1, out, None)
            return [self._entities(p) for p in out]
        ready, supplied = ctypes.c_size_t(0), ctypes.c_size_t(0)
        call = threading.Thread(target=self._lib.vnx_extract_json_supplied,
                                args=(self._ex, docs, n, threads, out, ctypes.byref(ready), ctypes.byref(supplied)))
        call.start()
        keep, result = [], []

        def take_ready():
            r = ready.value
            for k in range(len(result), r):
                p, out[k] = out[k], None
                result.append(self._entities(p))
            return r

        try:
            for k, item in enumerate(items):
                keep.append(self._document(docs, k, item, date))
                if k % 16 == 15 or k == n - 1:   # a call per text would cost more than it saves
                    self._lib.vnx_supply(ctypes.byref(supplied), k + 1)
                    take_ready()
            while take_ready() < n:
                time.sleep(0.0005)   # the C threads need no GIL: nothing to hand over
        finally:
            # after an exception here: the documents not yet supplied go in empty, so that
            # the call ends; then the records not taken are freed
            for k in range(len(keep), n):
                docs[k].id, docs[k].text, docs[k].len = b"", b"", 0
            self._lib.vnx_supply(ctypes.byref(supplied), n)
            call.join()
            for p in out:
                if p:
                    self._lib.vnx_free(p)
        return result

    def iter_records(self, path, text_field="text", id_field="id", date_field="date", format=None,
                     date=None, dicts=False):
        """The records of a file one by one, as the command line reads it (text, .jsonl, .gz,
        directory): JSON Lines strings (dicts=True: dicts), in order. Memory stays that of one
        document, whatever the file's size. date: the document date of documents without one
        (the command line's --date)."""
        fmt = {"jsonl": 2, "text": 1, None: 0}[format]
        opt = _ReaderOptions(fmt, text_field.encode(), id_field.encode(), date_field.encode(), 0)
        arr = (ctypes.c_char_p * 1)(path.encode())
        rd = self._lib.vnx_reader_open(arr, 1, ctypes.byref(opt))
        try:
            doc = _Document()
            default_date = date.encode() if date else None
            while self._lib.vnx_reader_next(rd, ctypes.byref(doc)):
                doc.default_date = default_date
                r = self._lib.vnx_extract(self._ex, ctypes.byref(doc))
                try:
                    rec = _take_string(self._lib, self._lib.vnx_result_json(r))
                finally:
                    self._lib.vnx_result_free(r)
                yield json.loads(rec) if dicts else rec
        finally:
            self._lib.vnx_reader_free(rd)

    def records_for_file(self, path, text_field="text", id_field="id", date_field="date", format=None,
                         date=None, dicts=False):
        """iter_records as a list."""
        return list(self.iter_records(path, text_field, id_field, date_field, format, date, dicts))


_default = None


def _extractor():
    global _default
    if _default is None:
        _default = Extractor()
    return _default


def extract(text, date=None):
    """The entities of text with the bundled patterns (loaded once)."""
    return _extractor().extract(text, date)


def extract_many(texts, threads=None, date=None):
    return _extractor().extract_many(texts, threads=threads, date=date)


def records_for_file(path, **kw):
    return _extractor().records_for_file(path, **kw)


def version():
    return _load().vnx_version().decode()
