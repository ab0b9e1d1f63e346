/* Stage 0, input: paths to documents (SPEC.md section 1).
 *
 * A plain text file is one document; a JSON Lines file (.jsonl, .ndjson, or --format jsonl)
 * has one per line; .gz is decompressed as a stream; a directory is walked recursively in
 * sorted order; "-" is standard input. Everything that goes wrong with a path or a line
 * becomes a document with an error, so that it gets its record and nothing is lost silently.
 * Blank lines of a JSON Lines file are not documents. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cjson/cJSON.h>

#include "decode.h"
#include "util.h"
#include "vnextract.h"

typedef struct {
    char *path;      /* to open */
    char *id;        /* document id: as given, or relative to the directory given */
} item_t;

typedef struct dirmark { dev_t dev; ino_t ino; } dirmark;

struct vnx_reader {
    vnx_reader_options opt;
    item_t *todo;             /* a stack: the next item is at the end */
    size_t ntodo, captodo;
    dirmark *seen;            /* directories on the way, against symlink loops */
    size_t nseen;
    /* the open file */
    gzFile gz;
    char *cur_path, *cur_id;
    int jsonl;
    long line;
    char *rbuf;               /* read buffer */
    size_t rlen, rpos, rcap;
    int eof, gzerr;
    /* the current document's storage; its text (a string cJSON parsed, or the buffer of a
     * text file) is own until vnx_reader_take_text hands it over */
    char *own;
    vnx_buf msg, idbuf, datebuf, where;
    vnx_buf keepbuf;   /* the kept fields of the current line, as JSON members */
    vnx_buf fix;   /* an id or date made valid UTF-8 */
    unsigned long long bytes;
    unsigned long long raw_done, raw_total;   /* files as stored: closed ones, and all */
    int total_unknown;
    unsigned long long skipped;   /* binary files a directory walk passed over */
};

static void push(vnx_reader *rd, const char *path, const char *id)
{
    if (rd->ntodo == rd->captodo) {
        rd->captodo = rd->captodo ? rd->captodo * 2 : 16;
        rd->todo = vnx_xrealloc(rd->todo, rd->captodo * sizeof *rd->todo);
    }
    rd->todo[rd->ntodo].path = vnx_xstrdup(path);
    rd->todo[rd->ntodo].id = vnx_xstrdup(id);
    rd->ntodo++;
}

vnx_reader *vnx_reader_open(const char *const *paths, size_t n, const vnx_reader_options *opt)
{
    vnx_reader *rd = vnx_xcalloc(1, sizeof *rd);
    if (opt) rd->opt = *opt;
    if (!rd->opt.text_field) rd->opt.text_field = "text";
    if (!rd->opt.id_field) rd->opt.id_field = "id";
    if (!rd->opt.date_field) rd->opt.date_field = "date";
    if (!rd->opt.max_doc_bytes || rd->opt.max_doc_bytes > VNX_DOC_BYTES_MAX) rd->opt.max_doc_bytes = VNX_DOC_BYTES_MAX;
    if (n == 0) push(rd, "-", "-");
    for (size_t i = 0; i < n; i++) {   /* the total, for an ETA, when every path is a file */
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
            rd->raw_total += (unsigned long long)st.st_size;
        else
            rd->total_unknown = 1;
    }
    if (n == 0) rd->total_unknown = 1;
    for (size_t i = n; i-- > 0;) push(rd, paths[i], paths[i]);   /* a stack: reversed */
    return rd;
}

unsigned long long vnx_reader_bytes(const vnx_reader *rd) { return rd->bytes; }

void vnx_reader_progress(const vnx_reader *rd, unsigned long long *done, unsigned long long *total)
{
    long off = rd->gz ? gzoffset(rd->gz) : 0;
    *done = rd->raw_done + (off > 0 ? (unsigned long long)off : 0);
    *total = rd->total_unknown ? 0 : rd->raw_total;
}

static void close_file(vnx_reader *rd)
{
    if (rd->gz) {
        long off = gzoffset(rd->gz);
        if (off > 0) rd->raw_done += (unsigned long long)off;
        gzclose(rd->gz);
    }
    rd->gz = NULL;
    free(rd->cur_path);
    free(rd->cur_id);
    rd->cur_path = rd->cur_id = NULL;
    rd->rlen = rd->rpos = 0;
    rd->eof = rd->gzerr = 0;
}

void vnx_reader_free(vnx_reader *rd)
{
    if (!rd) return;
    close_file(rd);
    for (size_t i = 0; i < rd->ntodo; i++) { free(rd->todo[i].path); free(rd->todo[i].id); }
    free(rd->todo);
    free(rd->seen);
    free(rd->rbuf);
    free(rd->own);
    vnx_buf_free(&rd->msg);
    vnx_buf_free(&rd->idbuf);
    vnx_buf_free(&rd->datebuf);
    vnx_buf_free(&rd->keepbuf);
    vnx_buf_free(&rd->fix);
    vnx_buf_free(&rd->where);
    free(rd);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int is_jsonl_name(const char *p)
{
    return has_suffix(p, ".jsonl") || has_suffix(p, ".ndjson") || has_suffix(p, ".jsonl.gz") ||
           has_suffix(p, ".ndjson.gz");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void set_msg(vnx_reader *rd, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    rd->msg.len = 0;
    vnx_buf_adds(&rd->msg, tmp);
}

static void error_doc(vnx_reader *rd, vnx_document *doc, const char *id, const char *where)
{
    memset(doc, 0, sizeof *doc);
    rd->idbuf.len = 0;
    vnx_buf_adds(&rd->idbuf, id);
    rd->where.len = 0;
    vnx_buf_adds(&rd->where, where);
    doc->id = rd->idbuf.p;
    doc->where = rd->where.p;
    doc->error = rd->msg.p;
    doc->text = "";
}

/* Expands a directory onto the stack, in sorted order. Returns 0, or -1 with a message. */
static int expand_dir(vnx_reader *rd, const char *path, const char *id, const struct stat *st)
{
    for (size_t i = 0; i < rd->nseen; i++)
        if (rd->seen[i].dev == st->st_dev && rd->seen[i].ino == st->st_ino) {
            set_msg(rd, "directory loop (a symbolic link to %s)", path);
            return -1;
        }
    DIR *d = opendir(path);
    if (!d) {
        set_msg(rd, "cannot open directory: %s", strerror(errno));
        return -1;
    }
    rd->seen = vnx_xrealloc(rd->seen, (rd->nseen + 1) * sizeof *rd->seen);
    rd->seen[rd->nseen++] = (dirmark){st->st_dev, st->st_ino};
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if (de->d_name[0] == '.' && !rd->opt.hidden) continue;   /* ".git", ".DS_Store" */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = vnx_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = vnx_xstrdup(de->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    /* a marker that pops this directory off the loop guard once it is done */
    push(rd, "", "");
    rd->todo[rd->ntodo - 1].path[0] = 0;
    for (size_t i = n; i-- > 0;) {
        vnx_buf p = {0}, q = {0};
        vnx_buf_adds(&p, path);
        if (p.len && p.p[p.len - 1] != '/') vnx_buf_addc(&p, '/');
        vnx_buf_adds(&p, names[i]);
        int top = strcmp(id, "") == 0;
        if (!top) { vnx_buf_adds(&q, id); vnx_buf_addc(&q, '/'); }
        vnx_buf_adds(&q, names[i]);
        push(rd, p.p, q.p);
        vnx_buf_free(&p);
        vnx_buf_free(&q);
        free(names[i]);
    }
    free(names);
    return 0;
}

/* zlib's message without the "<fd:3>: " it puts first for a stream opened from a descriptor:
 * the file's name comes before it in every message already. */
static const char *gz_message(gzFile gz, int *errnum)
{
    const char *m = gzerror(gz, errnum);
    if (m && m[0] == '<') {
        const char *p = strstr(m, ">: ");
        if (p) m = p + 3;
    }
    return m;
}

/* Reads more of the open file into rbuf. Returns bytes read, 0 at the end. */
static size_t fill(vnx_reader *rd)
{
    if (rd->eof) return 0;
    if (rd->rpos > 0) {
        memmove(rd->rbuf, rd->rbuf + rd->rpos, rd->rlen - rd->rpos);
        rd->rlen -= rd->rpos;
        rd->rpos = 0;
    }
    if (rd->rcap - rd->rlen < 65536) {
        rd->rcap = rd->rcap ? rd->rcap * 2 : 1 << 17;
        rd->rbuf = vnx_xrealloc(rd->rbuf, rd->rcap);
    }
    int got = gzread(rd->gz, rd->rbuf + rd->rlen, (unsigned)(rd->rcap - rd->rlen));
    if (got < 0) {
        int errnum;
        const char *m = gz_message(rd->gz, &errnum);
        set_msg(rd, "read error: %s", errnum == Z_ERRNO ? strerror(errno) : m);
        rd->gzerr = 1;
        rd->eof = 1;
        return 0;
    }
    if (got == 0) {
        rd->eof = 1;
        int errnum;
        const char *m = gz_message(rd->gz, &errnum);
        if (errnum == Z_BUF_ERROR) {   /* zlib's word for a gzip stream cut short */
            set_msg(rd, "truncated gzip stream (unexpected end of file)");
            rd->gzerr = 1;
        } else if (errnum != Z_OK && errnum != Z_STREAM_END) {
            set_msg(rd, "read error: %s", m);
            rd->gzerr = 1;
        }
        return 0;
    }
    rd->rlen += (size_t)got;
    rd->bytes += (unsigned long long)got;
    return (size_t)got;
}

/* Whether a file found below a directory, id its path below it, passes the globs. */
static int glob_ok(const vnx_reader *rd, const char *id)
{
    const char *base = strrchr(id, '/');
    base = base ? base + 1 : id;
    int includes = 0, included = 0;
    for (size_t i = 0; i < rd->opt.nglobs; i++) {
        const char *g = rd->opt.globs[i];
        int exclude = g[0] == '!';
        if (exclude) g++;
        int hit = fnmatch(g, strchr(g, '/') ? id : base, 0) == 0;
        if (exclude && hit) return 0;
        if (!exclude) includes++, included |= hit;
    }
    return !includes || included;
}

/* Whether the start of the open file, read into rbuf, shows a binary file: a NUL in the
 * first 8 KB, as ripgrep and grep decide (UTF-16 with a byte-order mark is text). */
static int looks_binary(vnx_reader *rd)
{
    if (rd->rcap < 8192) {
        rd->rcap = 1 << 17;
        rd->rbuf = vnx_xrealloc(rd->rbuf, rd->rcap);
    }
    int got = gzread(rd->gz, rd->rbuf, 8192);
    if (got <= 0) return 0;   /* empty, or an error that the reading reports */
    rd->rlen = (size_t)got;
    const unsigned char *b = (const unsigned char *)rd->rbuf;
    if (got >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) return 0;
    return memchr(rd->rbuf, 0, (size_t)got) != NULL;
}

/* Opens the next item of the stack. Returns 1 when a file is open, 0 when the stack is
 * empty, -1 when the item is an error document (already filled in). */
static int open_next(vnx_reader *rd, vnx_document *doc)
{
    while (rd->ntodo) {
        item_t it = rd->todo[--rd->ntodo];
        if (!it.path[0]) {   /* end of a directory */
            if (rd->nseen) rd->nseen--;
            free(it.path);
            free(it.id);
            continue;
        }
        int is_stdin = strcmp(it.path, "-") == 0;
        struct stat st;
        if (!is_stdin && stat(it.path, &st) != 0) {
            set_msg(rd, "cannot open: %s", strerror(errno));
            error_doc(rd, doc, it.id, it.path);
            free(it.path);
            free(it.id);
            return -1;
        }
        if (!is_stdin && S_ISDIR(st.st_mode)) {
            /* ids below a directory are relative to it */
            int rc = expand_dir(rd, it.path, rd->nseen == 0 ? "" : it.id, &st);
            if (rc != 0) {
                error_doc(rd, doc, it.id, it.path);
                free(it.path);
                free(it.id);
                return -1;
            }
            free(it.path);
            free(it.id);
            continue;
        }
        int walked = rd->nseen > 0;   /* found below a directory, not named */
        if (walked && rd->opt.nglobs && !glob_ok(rd, it.id)) {
            free(it.path);
            free(it.id);
            continue;
        }
        int fd = is_stdin ? dup(0) : open(it.path, O_RDONLY);
        if (fd < 0 || !(rd->gz = gzdopen(fd, "rb"))) {
            set_msg(rd, "cannot open: %s", strerror(errno));
            if (fd >= 0) close(fd);
            error_doc(rd, doc, it.id, it.path);
            free(it.path);
            free(it.id);
            return -1;
        }
        gzbuffer(rd->gz, 1 << 17);
        rd->cur_path = it.path;
        rd->cur_id = it.id;
        rd->jsonl = rd->opt.format == VNX_FORMAT_JSONL ||
                    (rd->opt.format == VNX_FORMAT_AUTO && is_jsonl_name(it.path));
        rd->line = 0;
        rd->rlen = rd->rpos = 0;
        rd->eof = rd->gzerr = 0;
        if (walked && looks_binary(rd)) {
            rd->skipped++;
            close_file(rd);   /* frees its path and id */
            continue;
        }
        return 1;
    }
    return 0;
}

unsigned long long vnx_reader_skipped(const vnx_reader *rd) { return rd->skipped; }

/* ":LINE", written into buf[32] without printf: once or twice for every line read. */
static const char *line_suffix(char *buf, long line)
{
    char *p = buf + 31;
    unsigned long v = line > 0 ? (unsigned long)line : 0;
    *p = 0;
    do *--p = (char)('0' + v % 10); while (v /= 10);
    *--p = ':';
    return p;
}

/* where is PATH:LINE; returns the ":LINE" part, for an id made the same way. */
static const char *where_line(vnx_reader *rd, const char *path, long line)
{
    char num[32];
    rd->where.len = 0;
    vnx_buf_adds(&rd->where, path);
    vnx_buf_adds(&rd->where, line_suffix(num, line));
    return rd->where.p + strlen(path);
}

/* An error record for line of the open file: id and where are both PATH:LINE. */
static void line_error_doc(vnx_reader *rd, vnx_document *doc, long line)
{
    where_line(rd, rd->cur_path, line);
    memset(doc, 0, sizeof *doc);
    rd->idbuf.len = 0;
    vnx_buf_adds(&rd->idbuf, rd->where.p);
    doc->id = rd->idbuf.p;
    doc->where = rd->where.p;
    doc->error = rd->msg.p;
    doc->text = "";
}

/* The value of the four hexadecimal digits at s, or -1. */
static int hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int d = vnx_hexval(s[k]);
        if (d < 0) return -1;
        v = v << 4 | d;
    }
    return v;
}

/* The escapes of s[0..len) that cJSON would lose or refuse: "\u0000" (a C string ends
 * there, and the text after it would be lost) and a UTF-16 surrogate without its pair
 * (Python's json.dumps writes those for broken text; Python reads each as one code point).
 * Each becomes the byte 0xFF, which the decoder reads as one U+FFFD and reports, as it does a
 * NUL in a text file: offsets stay those of Python's str. In place, one pass; returns the
 * new length. */
static size_t fix_escapes(char *s, size_t len)
{
    size_t r = 0, w = 0;   /* read and write ends: the same until the first fix */
    for (;;) {
        const char *bs = memchr(s + r, '\\', len - r);
        size_t k = bs ? (size_t)(bs - s) : len;
        if (w != r) memmove(s + w, s + r, k - r);
        w += k - r;
        r = k;
        if (r >= len) return w;
        size_t n = r + 1 < len ? 2 : 1;   /* an escape other than \u, or a broken one: as it is */
        int u = r + 6 <= len && s[r + 1] == 'u' ? hex4(s + r + 2) : -1;
        int lone = u == 0 || (u >= 0xDC00 && u <= 0xDFFF);
        if (u >= 0xD800 && u <= 0xDBFF) {
            int v = r + 12 <= len && s[r + 6] == '\\' && s[r + 7] == 'u' ? hex4(s + r + 8) : -1;
            if (v >= 0xDC00 && v <= 0xDFFF) n = 12;   /* a pair */
            else lone = 1;
        } else if (u >= 0) {
            n = 6;
        }
        if (lone) {
            s[w++] = (char)0xFF;
            r += 6;
            continue;
        }
        if (w != r) memmove(s + w, s + r, n);
        w += n;
        r += n;
    }
}

/* The member named key, the last one if the object repeats it, as Python's json, jq and
 * JavaScript take (cJSON's lookup gives the first): spans must index the text they read. */
static cJSON *member(const cJSON *obj, const char *key)
{
    cJSON *found = NULL;
    for (cJSON *c = obj->child; c; c = c->next)
        if (c->string && !strcmp(c->string, key)) found = c;
    return found;
}

/* One JSON line into doc. */
static void line_doc(vnx_reader *rd, vnx_document *doc, char *line, size_t len)
{
    memset(doc, 0, sizeof *doc);
    const char *suffix = where_line(rd, rd->cur_path, rd->line);
    rd->idbuf.len = 0;
    vnx_buf_adds(&rd->idbuf, rd->cur_id);
    vnx_buf_adds(&rd->idbuf, suffix);
    doc->where = rd->where.p;
    doc->text = "";
    len = fix_escapes(line, len);
    cJSON *j = cJSON_ParseWithLength(line, len);
    if (!j || !cJSON_IsObject(j)) {
        set_msg(rd, j ? "not a JSON object" : "invalid JSON");
        cJSON_Delete(j);
        doc->id = rd->idbuf.p;
        doc->error = rd->msg.p;
        return;
    }
    cJSON *id = member(j, rd->opt.id_field);
    if (cJSON_IsString(id)) {
        rd->idbuf.len = 0;
        vnx_buf_adds(&rd->idbuf, id->valuestring);
    } else if (cJSON_IsNumber(id)) {
        char *p = cJSON_PrintUnformatted(id);
        rd->idbuf.len = 0;
        vnx_buf_adds(&rd->idbuf, p);
        free(p);
    }
    doc->id = rd->idbuf.p;
    cJSON *date = member(j, rd->opt.date_field);
    if (cJSON_IsString(date)) {
        rd->datebuf.len = 0;
        vnx_buf_adds(&rd->datebuf, date->valuestring);
        doc->date = rd->datebuf.p;
    } else if (date && !cJSON_IsNull(date)) {
        /* a number or an object is no date: passed on as written, so that the record says so */
        char *p = cJSON_PrintUnformatted(date);
        rd->datebuf.len = 0;
        vnx_buf_adds(&rd->datebuf, p ? p : "?");
        free(p);
        doc->date = rd->datebuf.p;
    }
    rd->keepbuf.len = 0;
    for (size_t k = 0; k < rd->opt.nkeep; k++) {
        cJSON *f = member(j, rd->opt.keep[k]);
        if (!f) continue;
        char *p = cJSON_PrintUnformatted(f);
        if (!p) continue;
        if (rd->keepbuf.len) vnx_buf_addc(&rd->keepbuf, ',');
        vnx_buf_add_json_string(&rd->keepbuf, rd->opt.keep[k]);
        vnx_buf_addc(&rd->keepbuf, ':');
        vnx_buf_add_utf8(&rd->keepbuf, p, strlen(p));   /* every record valid UTF-8 */
        free(p);
    }
    if (rd->keepbuf.len) doc->keep = rd->keepbuf.p;
    cJSON *text = member(j, rd->opt.text_field);
    if (!text) {
        set_msg(rd, "no field \"%s\"", rd->opt.text_field);
        doc->error = rd->msg.p;
    } else if (!cJSON_IsString(text)) {
        set_msg(rd, "field \"%s\" is not a string", rd->opt.text_field);
        doc->error = rd->msg.p;
    } else {
        rd->own = text->valuestring;   /* taken from the tree: no copy */
        text->valuestring = NULL;
        doc->text = rd->own;
        doc->len = strlen(rd->own);
        doc->date_prefix = 1;
        doc->encoding = "utf-8";
    }
    cJSON_Delete(j);
}

static int next_line(vnx_reader *rd, vnx_document *doc)
{
    for (;;) {
        char *nl = rd->rbuf ? memchr(rd->rbuf + rd->rpos, '\n', rd->rlen - rd->rpos) : NULL;
        if (!nl && !rd->eof) {
            if (rd->rlen - rd->rpos > rd->opt.max_doc_bytes) {
                /* a line too long to hold: skip to its end */
                rd->line++;
                while (!nl && (rd->rlen = rd->rpos = 0, fill(rd) > 0))
                    nl = memchr(rd->rbuf, '\n', rd->rlen);
                if (nl) rd->rpos = (size_t)(nl - rd->rbuf) + 1;
                set_msg(rd, "line longer than the limit of %zu bytes", rd->opt.max_doc_bytes);
                line_error_doc(rd, doc, rd->line);
                return 1;
            }
            fill(rd);
            continue;
        }
        size_t end = nl ? (size_t)(nl - rd->rbuf) : rd->rlen;
        if (!nl && rd->rpos == rd->rlen) return 0;   /* end of file */
        rd->line++;
        char *line = rd->rbuf + rd->rpos;
        size_t len = end - rd->rpos;
        rd->rpos = nl ? end + 1 : end;
        if (!nl && rd->gzerr) {   /* the last line was cut off with the stream */
            line_error_doc(rd, doc, rd->line);
            rd->gzerr = 0;
            return 1;
        }
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == len) continue;   /* a blank line is no document */
        if (len == 3 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB) continue;
        if (rd->line == 1 && len >= 3 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
            (unsigned char)line[2] == 0xBF) {   /* a BOM before the first line */
            line += 3;
            len -= 3;
        }
        if (len > rd->opt.max_doc_bytes) {   /* one that fit in the buffer all the same */
            set_msg(rd, "line longer than the limit of %zu bytes", rd->opt.max_doc_bytes);
            line_error_doc(rd, doc, rd->line);
            return 1;
        }
        line_doc(rd, doc, line, len);
        return 1;
    }
}

char *vnx_reader_take_text(vnx_reader *rd)
{
    char *t = rd->own;
    rd->own = NULL;
    return t;
}

/* An id or date goes into records, which are UTF-8: invalid bytes in a file name or a JSON
 * field become U+FFFD (the field points into b, rewritten through tmp). */
static void utf8_field(vnx_buf *b, vnx_buf *tmp, const char **field)
{
    if (!*field || *field != b->p || vnx_is_utf8_text(b->p, b->len)) return;
    tmp->len = 0;
    vnx_buf_add_utf8(tmp, b->p, b->len);
    b->len = 0;
    vnx_buf_add(b, tmp->p, tmp->len);
    *field = b->p;
}

static int next_doc(vnx_reader *rd, vnx_document *doc);

int vnx_reader_next(vnx_reader *rd, vnx_document *doc)
{
    if (!next_doc(rd, doc)) return 0;
    utf8_field(&rd->idbuf, &rd->fix, &doc->id);
    utf8_field(&rd->datebuf, &rd->fix, &doc->date);
    return 1;
}

static int next_doc(vnx_reader *rd, vnx_document *doc)
{
    free(rd->own);   /* the last document's text, unless it was taken */
    rd->own = NULL;
    for (;;) {
        if (!rd->gz) {
            int rc = open_next(rd, doc);
            if (rc == 0) return 0;
            if (rc < 0) return 1;
        }
        if (rd->jsonl) {
            if (next_line(rd, doc)) return 1;
            if (rd->gzerr) {   /* an error that no line can carry: one record for the file */
                line_error_doc(rd, doc, rd->line + 1);
                close_file(rd);
                return 1;
            }
            close_file(rd);
            continue;
        }
        /* a plain text document: the whole file */
        int too_big = 0;
        while (fill(rd) > 0)
            if (rd->rlen > rd->opt.max_doc_bytes) { too_big = 1; rd->rlen = rd->rpos = 0; }
        memset(doc, 0, sizeof *doc);
        rd->idbuf.len = 0;
        vnx_buf_adds(&rd->idbuf, rd->cur_id);
        rd->where.len = 0;
        vnx_buf_adds(&rd->where, rd->cur_path);
        doc->id = rd->idbuf.p;
        doc->where = rd->where.p;
        if (too_big) {
            set_msg(rd, "document larger than the limit of %zu bytes", rd->opt.max_doc_bytes);
            doc->error = rd->msg.p;
            doc->text = "";
        } else if (rd->gzerr) {
            doc->error = rd->msg.p;
            doc->text = "";
        } else {
            if (rd->rlen >= (1 << 20) && rd->rlen < rd->rcap) {
                /* a big file: the read buffer itself is handed over, not copied (the next
                 * file gets a new one) */
                rd->own = rd->rbuf;
                rd->own[rd->rlen] = 0;
                doc->len = rd->rlen;
                rd->rbuf = NULL;
                rd->rcap = rd->rlen = rd->rpos = 0;
            } else {   /* a copy of its size (the file may hold NUL bytes) */
                rd->own = vnx_xmalloc(rd->rlen + 1);
                if (rd->rlen) memcpy(rd->own, rd->rbuf, rd->rlen);
                rd->own[rd->rlen] = 0;
                doc->len = rd->rlen;
            }
            doc->text = rd->own;
            doc->date_prefix = 1;
        }
        close_file(rd);
        return 1;
    }
}
