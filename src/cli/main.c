/* vnextract: the command-line tool. It uses only the public header. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vnextract.h"

#ifndef VNX_INSTALL_PATTERNS
#define VNX_INSTALL_PATTERNS ""
#endif
#ifndef VNX_SOURCE_PATTERNS
#define VNX_SOURCE_PATTERNS ""
#endif

static const char USAGE[] =
    "Usage: vnextract [OPTIONS] [PATH...]\n"
    "Extract numbers, percentages, dates and document identifiers from Vietnamese text.\n"
    "Writes one JSON object per document (JSON Lines) to standard output, in input order.\n"
    "\n"
    "PATH is a text file (one document), a JSON Lines file (.jsonl, .ndjson: one document per\n"
    "line), either of them gzip-compressed (.gz), a directory (read recursively, in sorted\n"
    "order) or - for standard input (the default).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write the records to FILE instead of standard output\n"
    "  -j, --threads N        extract with N threads (default: the number of cores); the output\n"
    "                         is the same for every N, in input order\n"
    "      --patterns DIR     rules and lexicons to use (default: the bundled ones)\n"
    "      --input-format FMT   how to read the input: jsonl, text or auto (default: auto, by\n"
    "                         file name: .jsonl, .ndjson, with or without .gz; standard input\n"
    "                         is text unless this says jsonl)\n"
    "      --output-format FMT  what to write: jsonl (default: a record per document), tsv or\n"
    "                         csv (a row per entity: doc_id, type, start, end, text, value,\n"
    "                         a column per field, a resolution's parts, error; a row per\n"
    "                         document with an error), or highlight (the documents, entities\n"
    "                         marked, values beside them, for reading)\n"
    "      --format FMT       shorthand: jsonl, text or auto set the input format, tsv or csv\n"
    "                         the output format\n"
    "      --highlight        the same as --output-format highlight\n"
    "      --color WHEN       colour in highlight output: auto (default: only on a terminal, and\n"
    "                         not when NO_COLOR is set), always or never\n"
    "      --text-field NAME  JSON field holding the text (default: text)\n"
    "      --id-field NAME    JSON field holding the document id (default: id)\n"
    "      --keep F1,F2       copy these fields of each JSON Lines record into its output\n"
    "                         record, after \"date\" (\"url,title\": to join on)\n"
    "      --date-field NAME  JSON field holding the document date (default: date): YYYY[-MM[-DD]],\n"
    "                         or a timestamp whose date part that is; relative dates (\"hôm qua\",\n"
    "                         \"năm ngoái\") are resolved against it\n"
    "      --date DATE        the document date (YYYY[-MM[-DD]]) of documents that have none in\n"
    "                         their date field or a leading \"date YYYY-MM-DD\" line\n"
    "      --max-doc-bytes N  documents larger than N bytes (K, M, G: 1024s) get an error\n"
    "                         record (default and most: 1G)\n"
    "      --encoding ENC     encoding of text files: utf-8 (default), windows-1258, tcvn3, vni,\n"
    "                         any ICU converter name, or auto (a BOM, else valid UTF-8, else\n"
    "                         the legacy encoding whose byte patterns the text shows)\n"
    "      --html             the text is HTML: tags read as spaces (spans still index the text)\n"
    "      --hidden           in directories, read hidden files and directories too (.git...)\n"
    "  -g, --glob GLOB        in directories, read only files matching GLOB (\"*.txt\"; with a\n"
    "                         '/', the path below the directory), or not, as \"!GLOB\"; repeatable.\n"
    "                         Binary files (a NUL in the first 8 KB) found there are skipped\n"
    "      --check-patterns   run every rule's examples and report failures, then exit\n"
    "      --stats[=FMT]      print a summary to standard error at the end: text (default), or\n"
    "                         json (one object: documents, errors, entities by type, bytes)\n"
    "      --profile-rules    print to standard error at the end what each rule cost: PCRE2\n"
    "                         searches, matches, milliseconds and share, costliest first;\n"
    "                         then the time of each stage of extraction and of the rest\n"
    "  -q, --quiet            no progress line and no per-document messages\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "Exit status: 0 when every document was processed, 1 when some documents had errors\n"
    "(they still got their record, with \"error\"), 2 for usage errors and fatal errors.\n";

enum { OUT_JSONL, OUT_TSV, OUT_CSV, OUT_HIGHLIGHT };   /* what is written: --output-format */

/* --input-format and --output-format values; 0 for an unknown one. */
static int input_format(const char *v, vnx_format *f)
{
    if (!strcmp(v, "jsonl")) *f = VNX_FORMAT_JSONL;
    else if (!strcmp(v, "text")) *f = VNX_FORMAT_TEXT;
    else if (!strcmp(v, "auto")) *f = VNX_FORMAT_AUTO;
    else return 0;
    return 1;
}

static int output_format_of(const char *v, int *f)
{
    static const char *const NAMES[] = {[OUT_JSONL] = "jsonl", [OUT_TSV] = "tsv", [OUT_CSV] = "csv",
                                        [OUT_HIGHLIGHT] = "highlight"};
    for (int i = 0; i < (int)(sizeof NAMES / sizeof *NAMES); i++)
        if (!strcmp(v, NAMES[i])) return *f = i, 1;
    return 0;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "vnextract: %s%s\nTry 'vnextract --help' for more information.\n", msg, arg ? arg : "");
    return 2;
}

static int is_dir(const char *p)
{
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled patterns: next to an installed binary, in a build tree, or where the build
 * found them. */
static const char *default_patterns(char *buf, size_t n)
{
    const char *env = getenv("VNEXTRACT_PATTERNS");
    if (is_dir(env)) return env;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        const char *rel[] = {"/../share/vnextract/patterns", "/../patterns", "/patterns"};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            snprintf(buf, n, "%s%s", exe, rel[i]);
            if (is_dir(buf)) return buf;
        }
    }
    if (is_dir(VNX_INSTALL_PATTERNS)) return VNX_INSTALL_PATTERNS;
    if (is_dir(VNX_SOURCE_PATTERNS)) return VNX_SOURCE_PATTERNS;
    return NULL;
}

/* ---- the pipeline: a reader, N extracting workers, a writer in input order ---------------- */

/* One document in flight: a copy of what the reader gave, then the record. */
typedef struct {
    char *id, *text, *date, *where, *error, *keep;
    size_t len;
    int date_prefix;
    const char *encoding;    /* set by the reader for JSON Lines (always UTF-8) */
    char *record;            /* the JSON line, once done */
    size_t invalid;          /* bytes replaced by U+FFFD */
    char *read_as;           /* the encoding the text was read as */
    char *record_error;      /* the document's error, for the message */
    char *record_warning;    /* a problem that did not stop it (a document date that is none) */
    unsigned long long ents[5];
    int done;
} job_t;

typedef struct {
    const vnx_extractor *ex;
    const char *encoding;
    const char *default_date;   /* --date */
    int html, format;
    int color;               /* highlight with colour escapes */
    job_t *slot;
    size_t nslot;
    unsigned long long head, tail, next;   /* oldest unwritten, next to fill, next to extract */
    int eof, stats;
    int idle;                /* workers waiting for work */
    int writer_waits;        /* the main thread waits for the oldest document */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
} queue_t;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* ---- output formats: JSON Lines (the record), TSV and CSV (a row per entity), highlight --- */


typedef struct { char *p; size_t len, cap; } sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { fputs("vnextract: out of memory\n", stderr); exit(2); }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_adds(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* A field: TSV escapes tab, newline and backslash; CSV quotes as RFC 4180 says. */
static void field(sbuf *b, const char *s, int fmt)
{
    if (!s) s = "";
    if (fmt == OUT_TSV) {
        for (const char *p = s; *p; p++) {
            if (*p == '\t') sb_adds(b, "\\t");
            else if (*p == '\n') sb_adds(b, "\\n");
            else if (*p == '\r') sb_adds(b, "\\r");
            else if (*p == '\\') sb_adds(b, "\\\\");
            else sb_add(b, p, 1);
        }
        return;
    }
    if (!strpbrk(s, ",\"\r\n")) { sb_adds(b, s); return; }
    sb_adds(b, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"') sb_adds(b, "\"\"");
        else sb_add(b, p, 1);
    }
    sb_adds(b, "\"");
}

/* The columns of a row per entity: the record's, then every field the schema knows, a
 * resolution's parts in their own columns, and the document's error on a row of its own. */
static const struct { const char *name, *field; } COLUMNS[] = {
    {"type", NULL}, {"start", NULL}, {"end", NULL}, {"text", NULL}, {"value", "value"}, {"unit", "unit"},
    {"qualifier", "qualifier"}, {"mod", "mod"}, {"ordinal", "ordinal"}, {"of", "of"}, {"target", "target"},
    {"relative", "relative"}, {"offset", "offset"}, {"resolved", "resolved"}, {"res_number", "value.number"},
    {"res_year", "value.year"}, {"res_kind", "value.kind"}, {"res_kind_name", "value.kind_name"},
    {"res_issuer", "value.issuer"}, {"res_issuer_name", "value.issuer_name"}, {"res_date", "value.date"},
};
#define NCOLUMNS (sizeof COLUMNS / sizeof *COLUMNS)

static void row_header(FILE *out, int fmt)
{
    const char *sep = fmt == OUT_TSV ? "\t" : ",";
    fputs("doc_id", out);
    for (size_t c = 0; c < NCOLUMNS; c++) fprintf(out, "%s%s", sep, COLUMNS[c].name);
    fprintf(out, "%serror\n", sep);
}

static char *format_rows(const vnx_result *r, const char *id, int fmt)
{
    sbuf b = {0};
    sb_adds(&b, "");
    const char *sep = fmt == OUT_TSV ? "\t" : ",";
    const char *error = vnx_result_error(r);
    if (error) {   /* a row of its own, so that no document is lost from the table */
        field(&b, id, fmt);
        for (size_t c = 0; c < NCOLUMNS; c++) sb_adds(&b, sep);
        sb_adds(&b, sep);
        field(&b, error, fmt);
        sb_adds(&b, "\n");
    }
    for (size_t i = 0; i < vnx_result_count(r); i++) {
        char num[32];
        field(&b, id, fmt);
        sb_adds(&b, sep);
        field(&b, vnx_entity_type(r, i), fmt);
        snprintf(num, sizeof num, "%s%zu%s%zu%s", sep, vnx_entity_start(r, i), sep, vnx_entity_end(r, i), sep);
        sb_adds(&b, num);
        field(&b, vnx_entity_text(r, i), fmt);
        for (size_t c = 4; c < NCOLUMNS; c++) {
            char *v = vnx_entity_field_text(r, i, COLUMNS[c].field);
            sb_adds(&b, sep);
            field(&b, v, fmt);
            vnx_free(v);
        }
        sb_adds(&b, sep);   /* no error */
        sb_adds(&b, "\n");
    }
    if (b.len) b.p[--b.len] = 0;   /* the writer adds the last newline */
    return b.p;
}

/* The text with each entity coloured by type and its value beside it, for rule authors. */
static char *format_highlight(const vnx_result *r, const char *id, const char *text, size_t len, int color)
{
    static const char *const COLOUR[] = {"32", "33", "36", "35", "34"};   /* by type, below */
    static const char *const TYPE[] = {"number", "percent", "date", "resolution", "time"};
    sbuf b = {0};
    sb_adds(&b, color ? "\033[1m== " : "== ");
    sb_adds(&b, id ? id : "");
    sb_adds(&b, color ? "\033[0m\n" : "\n");
    size_t byte = 0, cp = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB) byte = 3;
    for (size_t i = 0; i < vnx_result_count(r); i++) {
        size_t s = vnx_entity_start(r, i), e = vnx_entity_end(r, i), at = byte;
        while (cp < s && byte < len) { byte++; while (byte < len && ((unsigned char)text[byte] & 0xC0) == 0x80) byte++; cp++; }
        sb_add(&b, text + at, byte - at);
        at = byte;
        while (cp < e && byte < len) { byte++; while (byte < len && ((unsigned char)text[byte] & 0xC0) == 0x80) byte++; cp++; }
        const char *col = "37";
        for (int t = 0; t < 5; t++)
            if (!strcmp(vnx_entity_type(r, i), TYPE[t])) col = COLOUR[t];
        if (color) {
            sb_adds(&b, "\033[1;");
            sb_adds(&b, col);
            sb_adds(&b, "m");
        } else {
            sb_adds(&b, "[");   /* without colour, brackets mark the entity */
        }
        sb_add(&b, text + at, byte - at);
        sb_adds(&b, color ? "\033[0;2m⟨" : "]⟨");
        char *v = vnx_entity_value_json(r, i);
        sb_adds(&b, v);
        vnx_free(v);
        sb_adds(&b, color ? "⟩\033[0m" : "⟩");
    }
    sb_add(&b, text + byte, len - byte);
    return b.p;
}

/* The job of document d; its text is taken from the reader, or copied. */
static void job_fill(job_t *j, const vnx_document *d, vnx_reader *rd)
{
    memset(j, 0, sizeof *j);
    j->id = dup_or_null(d->id);
    j->date = dup_or_null(d->date);
    j->keep = dup_or_null(d->keep);
    j->where = dup_or_null(d->where);
    j->error = dup_or_null(d->error);
    j->len = d->len;
    j->text = vnx_reader_take_text(rd);
    if (!j->text && (j->text = malloc(d->len + 1))) {
        if (d->len) memcpy(j->text, d->text, d->len);
        j->text[d->len] = 0;
    }
    if (!j->text || (d->id && !j->id)) { fputs("vnextract: out of memory\n", stderr); exit(2); }
    j->date_prefix = d->date_prefix;
    j->encoding = d->encoding;
}

static void job_run(const queue_t *q, job_t *j)
{
    vnx_document d = {j->id, j->text, j->len, j->date, j->date_prefix, j->error, j->where, NULL, q->html,
                      q->default_date, j->keep};
    d.encoding = j->encoding ? j->encoding : q->encoding;   /* JSON Lines are always UTF-8 */
    vnx_result *r = vnx_extract(q->ex, &d);
    j->invalid = vnx_result_invalid_bytes(r);
    if (j->invalid) j->read_as = dup_or_null(vnx_result_encoding(r));
    if (q->format == OUT_JSONL) j->record = vnx_result_json(r);
    else if (q->format == OUT_HIGHLIGHT) j->record = format_highlight(r, j->id, j->text, j->len, q->color);
    else j->record = format_rows(r, j->id, q->format);
    int stats = q->stats;
    j->record_error = dup_or_null(vnx_result_error(r));
    j->record_warning = dup_or_null(vnx_result_warning(r));
    if (stats) {
        static const char *const T[] = {"number", "percent", "date", "resolution", "time"};
        for (size_t i = 0; i < vnx_result_count(r); i++)
            for (int t = 0; t < 5; t++)
                if (strcmp(vnx_entity_type(r, i), T[t]) == 0) j->ents[t]++;
    }
    vnx_result_free(r);
}

static void job_clear(job_t *j)
{
    free(j->id);
    vnx_free(j->text);
    free(j->date);
    free(j->keep);
    free(j->where);
    free(j->error);
    vnx_free(j->record);
    free(j->record_error);
    free(j->record_warning);
    free(j->read_as);
    memset(j, 0, sizeof *j);
}

static void *worker(void *arg)
{
    queue_t *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->next == q->tail && !q->eof) {
            q->idle++;
            pthread_cond_wait(&q->work, &q->mu);
            q->idle--;
        }
        if (q->next == q->tail) break;
        job_t *j = &q->slot[q->next++ % q->nslot];
        pthread_mutex_unlock(&q->mu);
        job_run(q, j);
        pthread_mutex_lock(&q->mu);
        j->done = 1;
        /* wake the writer only when it waits for this one: a wake-up per document costs
         * more than a small document takes */
        if (q->writer_waits && j == &q->slot[q->head % q->nslot]) pthread_cond_signal(&q->done);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_time(const void *a, const void *b)
{
    const vnx_rule_profile *x = a, *y = b;
    return x->nanoseconds != y->nanoseconds ? (x->nanoseconds < y->nanoseconds ? 1 : -1) : strcmp(x->name, y->name);
}

/* --profile-rules, after the rules: the extraction's stages, then the rest of the process's
 * CPU time (start-up, reading and parsing input, writing records), each with its share of
 * that CPU time (all threads). */
static void print_stages(const vnx_extractor *ex)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    double all = 0;
    vnx_stage_profile st;
    fprintf(stderr, "\n%-63s %10s %7s\n", "stage (CPU time of all threads)", "ms", "share");
    for (size_t i = 0; vnx_extractor_stage_profile(ex, i, &st); i++) {
        double ms = st.nanoseconds / 1e6;
        all += ms;
        fprintf(stderr, "%-63s %10.1f %6.1f%%\n", st.name, ms, cpu > 0 ? 100.0 * ms / cpu : 0.0);
    }
    double rest = cpu > all ? cpu - all : 0;
    fprintf(stderr, "%-63s %10.1f %6.1f%%\n", "outside extraction (start-up, reading input, writing records)", rest,
            cpu > 0 ? 100.0 * rest / cpu : 0.0);
    fprintf(stderr, "%-63s %10.1f %6.1f%%\n", "process CPU time", cpu, 100.0);
}

/* --profile-rules: a line per rule, costliest first, then the total, then the stages. */
static void print_profile(const vnx_extractor *ex)
{
    size_t n = vnx_extractor_rule_count(ex);
    vnx_rule_profile *p = calloc(n ? n : 1, sizeof *p);
    if (!p) return;
    unsigned long long total = 0, searches = 0;
    for (size_t i = 0; i < n; i++) {
        vnx_extractor_rule_profile(ex, i, &p[i]);
        total += p[i].nanoseconds;
        searches += p[i].searches;
    }
    qsort(p, n, sizeof *p, by_time);
    fprintf(stderr, "%-28s %-34s %10s %10s %10s %7s\n", "rule", "where", "searches", "matches", "ms", "share");
    for (size_t i = 0; i < n; i++) {
        char where[300];
        const char *base = strrchr(p[i].file, '/');
        snprintf(where, sizeof where, "%s:%d", base ? base + 1 : p[i].file, p[i].line);
        fprintf(stderr, "%-28s %-34s %10llu %10llu %10.1f %6.1f%%\n", p[i].name, where, p[i].searches, p[i].matches,
                p[i].nanoseconds / 1e6, total ? 100.0 * p[i].nanoseconds / total : 0.0);
    }
    fprintf(stderr, "%-28s %-34s %10llu %10s %10.1f %6.1f%%\n", "all rules", "", searches, "", total / 1e6, 100.0);
    free(p);
    print_stages(ex);
}

/* A document's buffers (its text, match text, candidates, record) are a few hundred KB at
 * most for news; glibc by default gives such blocks back to the kernel when they are freed
 * (mmap and munmap, or trimming the heap's top) and faults them in again for the next
 * document: a tenth of a run's time in the kernel. Up to 4 MB stay with the process instead;
 * memory stays bounded by the documents in flight. */
static void keep_document_buffers(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 4 << 20);
#endif
}

int main(int argc, char **argv)
{
    keep_document_buffers();
    const char *out_path = NULL, *patterns = NULL;
    vnx_reader_options ropt = {0};
    int check = 0, stats = 0, quiet = 0, html = 0, profile = 0;
    const char *encoding = NULL;
    const char *default_date = NULL;   /* --date */

    int output_format = OUT_JSONL;
    const char *color = "auto";
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = ncpu > 0 ? (int)ncpu : 1;
    /* the paths from the front, the -g globs from the back: one allocation, argc + 1 slots */
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0, nglobs = 0, nkeep = 0;
    const char *keep[64];   /* --keep names, pointing into argv */
    if (!paths) return 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define TAKES(opt) (strcmp(a, opt) == 0 ? (i + 1 < argc ? (val = argv[++i]) : NULL) \
                    : strncmp(a, opt "=", sizeof(opt)) == 0 ? (val = a + sizeof(opt)) : NULL)
        if (strcmp(a, "--") == 0) {
            while (++i < argc) paths[npaths++] = argv[i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(USAGE, stdout);
            free(paths);
            return 0;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("vnextract %s\n", vnx_version());
            free(paths);
            return 0;
        } else if (strcmp(a, "--check-patterns") == 0) {
            check = 1;
        } else if (strcmp(a, "--stats") == 0 || strcmp(a, "--stats=text") == 0) {
            stats = 1;
        } else if (strcmp(a, "--stats=json") == 0) {
            stats = 2;
        } else if (strcmp(a, "--profile-rules") == 0) {
            profile = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (TAKES("-o") || TAKES("--output")) {
            out_path = val;
        } else if (TAKES("-j") || TAKES("--threads")) {
            char *end;
            long v = strtol(val, &end, 10);
            if (*end || v < 1 || v > 256) { free(paths); return usage_error("-j takes a number of threads from 1 to 256: ", val); }
            threads = (int)v;
        } else if (strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') {   /* -j4 */
            long v = strtol(a + 2, NULL, 10);
            if (v < 1 || v > 256) { free(paths); return usage_error("-j takes a number of threads from 1 to 256: ", a + 2); }
            threads = (int)v;
        } else if (strcmp(a, "--highlight") == 0) {
            output_format = OUT_HIGHLIGHT;
        } else if (strcmp(a, "--html") == 0) {
            html = 1;
        } else if (TAKES("--encoding")) {
            encoding = val;
        } else if (TAKES("--patterns")) {
            patterns = val;
        } else if (TAKES("--input-format")) {
            if (!input_format(val, &ropt.format)) { free(paths); return usage_error("--input-format takes jsonl, text or auto: ", val); }
        } else if (TAKES("--output-format")) {
            if (!output_format_of(val, &output_format)) {
                free(paths);
                return usage_error("--output-format takes jsonl, tsv, csv or highlight: ", val);
            }
        } else if (TAKES("--color") || TAKES("--colour")) {
            if (strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never")) {
                free(paths);
                return usage_error("--color takes auto, always or never: ", val);
            }
            color = val;
        } else if (TAKES("--format")) {   /* the shorthand: tsv and csv are outputs, the rest inputs */
            int ok = strcmp(val, "tsv") == 0 || strcmp(val, "csv") == 0 ? output_format_of(val, &output_format)
                                                                         : input_format(val, &ropt.format);
            if (!ok) { free(paths); return usage_error("unknown input format: ", val); }
        } else if (TAKES("--text-field")) {
            ropt.text_field = val;
        } else if (TAKES("--id-field")) {
            ropt.id_field = val;
        } else if (TAKES("--keep")) {
            /* "url,title": the names cut in place in argv, pointed at from keep[] */
            for (char *k = (char *)val; k && *k;) {
                char *comma = strchr(k, ',');
                if (comma) *comma = 0;
                if (!strcmp(k, "id") || !strcmp(k, "date") || !strcmp(k, "entities") || !strcmp(k, "error")) {
                    free(paths);
                    return usage_error("--keep cannot copy a field the record has: ", k);
                }
                if (*k && nkeep < sizeof keep / sizeof *keep) keep[nkeep++] = k;
                k = comma ? comma + 1 : NULL;
            }
        } else if (strcmp(a, "--hidden") == 0) {
            ropt.hidden = 1;
        } else if (TAKES("-g") || TAKES("--glob")) {
            paths[(size_t)argc - nglobs++] = val;
        } else if (TAKES("--date-field")) {
            ropt.date_field = val;
        } else if (TAKES("--date")) {
            if (!vnx_date_check(val)) { free(paths); return usage_error("--date takes a date YYYY[-MM[-DD]]: ", val); }
            default_date = val;
        } else if (TAKES("--max-doc-bytes")) {
            char *end;
            unsigned long long v = strtoull(val, &end, 10);
            /* a size as people write it: 10M, 512K, 1G (powers of 1024) */
            if (*end && !end[1] && strchr("kKmMgG", *end)) {
                int shift = (*end | 0x20) == 'k' ? 10 : (*end | 0x20) == 'm' ? 20 : 30;
                v = v > (VNX_DOC_BYTES_MAX >> shift) ? VNX_DOC_BYTES_MAX + 1ULL : v << shift;
                end++;
            }
            if (*end || !v || v > VNX_DOC_BYTES_MAX) {
                free(paths);
                return usage_error("--max-doc-bytes takes a size from 1 to 1G (1073741824; K, M, G: 1024s): ", val);
            }
            ropt.max_doc_bytes = (size_t)v;
        } else if (a[0] == '-' && a[1]) {
            free(paths);
            return usage_error("unknown option, or an option without its value: ", a);
        } else {
            paths[npaths++] = a;
        }
#undef TAKES
    }

    char pbuf[PATH_MAX + 64];
    if (!patterns) patterns = default_patterns(pbuf, sizeof pbuf);
    if (!patterns) {
        free(paths);
        fprintf(stderr, "vnextract: cannot find the bundled patterns; use --patterns DIR\n");
        return 2;
    }
    char err[1024];
    vnx_extractor *ex = vnx_extractor_new(patterns, err, sizeof err);
    if (ex && encoding && !vnx_encoding_supported(ex, encoding)) {
        vnx_extractor_free(ex);
        free(paths);
        return usage_error("unknown encoding: ", encoding);
    }
    if (!ex) {
        free(paths);
        fprintf(stderr, "vnextract: %s\n", err);
        return 2;
    }
    if (profile) vnx_extractor_profile(ex, 1);
    if (check) {
        size_t n = 0;
        int failures = vnx_extractor_check_examples(ex, stdout, &n);
        printf("%zu rules, %zu examples: %zu passed, %d failed\n", vnx_extractor_rule_count(ex), n,
               n - (size_t)failures, failures);
        vnx_extractor_free(ex);
        free(paths);
        return failures ? 1 : 0;
    }

    FILE *out = stdout;
    if (out_path && strcmp(out_path, "-") != 0) {
        out = fopen(out_path, "wb");
        if (!out) {
            fprintf(stderr, "vnextract: %s: cannot write: %s\n", out_path, strerror(errno));
            vnx_extractor_free(ex);
            free(paths);
            return 2;
        }
    }
    static char obuf[1 << 16];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);

    ropt.globs = paths + (size_t)argc + 1 - nglobs;
    ropt.nglobs = nglobs;
    ropt.keep = keep;
    ropt.nkeep = nkeep;
    vnx_reader *rd = vnx_reader_open(paths, npaths, &ropt);
    vnx_document doc;
    unsigned long long ndocs = 0, nerr = 0, nent[5] = {0};
    int progress = !quiet && isatty(2);
    double t0 = now(), last = t0;
    int write_failed = 0;

    /* Documents in flight are bounded (a few per thread), so memory does not grow with the
     * archive; records are written in input order whatever the thread count. */
    queue_t q = {0};
    q.ex = ex;
    q.nslot = threads > 1 ? (size_t)threads * 8 : 1;
    q.slot = calloc(q.nslot, sizeof *q.slot);
    q.stats = stats;
    q.encoding = encoding;
    q.default_date = default_date;
    q.format = output_format;
    /* colour as ls and grep do: on a terminal only, never with NO_COLOR set (no-color.org) */
    const char *no_color = getenv("NO_COLOR");
    q.color = !strcmp(color, "always") ||
              (!strcmp(color, "auto") && isatty(fileno(out)) && !(no_color && *no_color));
    if (output_format == OUT_TSV || output_format == OUT_CSV) row_header(out, output_format);
    q.html = html;
    pthread_mutex_init(&q.mu, NULL);
    pthread_cond_init(&q.work, NULL);
    pthread_cond_init(&q.done, NULL);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!q.slot || !tid) { fputs("vnextract: out of memory\n", stderr); return 2; }
    /* threads - 1 workers: the main thread reads, writes, and extracts too when the queue is
     * full, so that N threads keep N cores busy and no more */
    int nworkers = threads > 1 ? threads - 1 : 0;
    for (int t = 0; t < nworkers; t++) pthread_create(&tid[t], NULL, worker, &q);

    int more = 1;
    while (more || q.head < q.tail) {
        /* write what is done, in order */
        pthread_mutex_lock(&q.mu);
        job_t *j = NULL;
        for (;;) {
            if (q.head < q.tail && q.slot[q.head % q.nslot].done) { j = &q.slot[q.head % q.nslot]; break; }
            /* go on reading while there is room; otherwise help, or wait for the oldest */
            if (q.head == q.tail || (q.tail - q.head < q.nslot && more)) break;
            if (q.next < q.tail) {
                job_t *h = &q.slot[q.next++ % q.nslot];
                pthread_mutex_unlock(&q.mu);
                job_run(&q, h);
                pthread_mutex_lock(&q.mu);
                h->done = 1;
                continue;
            }
            q.writer_waits = 1;
            pthread_cond_wait(&q.done, &q.mu);
            q.writer_waits = 0;
        }
        pthread_mutex_unlock(&q.mu);
        if (j) {
            if (!write_failed && (j->record[0] || output_format == OUT_JSONL || output_format == OUT_HIGHLIGHT) &&
                (fputs(j->record, out) == EOF || putc('\n', out) == EOF))
                write_failed = 1;
            ndocs++;
            for (int t = 0; t < 5; t++) nent[t] += j->ents[t];
            if (j->invalid && !quiet)
                fprintf(stderr, "vnextract: %s: %zu byte%s not valid %s, read as U+FFFD\n", j->where ? j->where : j->id,
                        j->invalid, j->invalid == 1 ? "" : "s", j->read_as ? j->read_as : "UTF-8");
            if (j->record_warning && !quiet)
                fprintf(stderr, "vnextract: %s: %s\n", j->where ? j->where : j->id, j->record_warning);
            if (j->record_error) {
                nerr++;
                if (!quiet) fprintf(stderr, "vnextract: %s: %s\n", j->where ? j->where : j->id, j->record_error);
            }
            job_clear(j);
            pthread_mutex_lock(&q.mu);
            q.head++;
            pthread_mutex_unlock(&q.mu);
            if (write_failed) break;
            if (progress && (ndocs & 63) == 0) {
                double t = now();
                if (t - last > 0.5) {
                    double mb = vnx_reader_bytes(rd) / 1e6;
                    unsigned long long done, total;
                    vnx_reader_progress(rd, &done, &total);
                    fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s", ndocs, mb, mb / (t - t0));
                    if (total && done > 0 && done <= total) {   /* the ETA, when the input size is known */
                        double left = (t - t0) * (double)(total - done) / (double)done;
                        fprintf(stderr, ", %.0f%%, ETA %dm%02ds", 100.0 * done / total, (int)left / 60, (int)left % 60);
                    }
                    fputs("   ", stderr);
                    last = t;
                }
            }
            continue;
        }
        if (!more) continue;
        /* read the next document into a free slot */
        if (!vnx_reader_next(rd, &doc)) {
            pthread_mutex_lock(&q.mu);
            q.eof = 1;
            pthread_cond_broadcast(&q.work);
            pthread_mutex_unlock(&q.mu);
            more = 0;
            continue;
        }
        job_fill(&q.slot[q.tail % q.nslot], &doc, rd);   /* with one thread, the loop above runs it */
        pthread_mutex_lock(&q.mu);
        q.tail++;
        if (q.idle) pthread_cond_signal(&q.work);
        pthread_mutex_unlock(&q.mu);
    }
    pthread_mutex_lock(&q.mu);
    q.eof = 1;
    pthread_cond_broadcast(&q.work);
    pthread_mutex_unlock(&q.mu);
    for (int t = 0; t < nworkers; t++) pthread_join(tid[t], NULL);
    for (unsigned long long k = q.head; k < q.tail; k++) job_clear(&q.slot[k % q.nslot]);
    free(q.slot);
    free(tid);
    pthread_mutex_destroy(&q.mu);
    pthread_cond_destroy(&q.work);
    pthread_cond_destroy(&q.done);
    if (progress) fputs("\r\033[K", stderr);
    if (fflush(out) != 0) write_failed = 1;
    int werr = errno;
    if (out != stdout && fclose(out) != 0) write_failed = 1;
    double secs = now() - t0;
    if (stats == 2) {   /* one JSON object on one line, for pipelines */
        fprintf(stderr,
                "{\"documents\":%llu,\"errors\":%llu,\"entities\":{\"number\":%llu,\"percent\":%llu,"
                "\"date\":%llu,\"resolution\":%llu,\"time\":%llu},\"bytes\":%llu,\"seconds\":%.3f,"
                "\"binary_files_skipped\":%llu}\n",
                ndocs, nerr, nent[0], nent[1], nent[2], nent[3], nent[4], vnx_reader_bytes(rd), secs,
                vnx_reader_skipped(rd));
    } else if (stats) {
        double mb = vnx_reader_bytes(rd) / 1e6;
        fprintf(stderr,
                "documents %llu, with errors %llu; entities: number %llu, percent %llu, date %llu, "
                "resolution %llu, time %llu; %.1f MB in %.2f s, %.1f MB/s; binary files skipped %llu\n",
                ndocs, nerr, nent[0], nent[1], nent[2], nent[3], nent[4], mb, secs,
                secs > 0 ? mb / secs : 0.0, vnx_reader_skipped(rd));
    }
    if (profile) print_profile(ex);
    vnx_reader_free(rd);
    vnx_extractor_free(ex);
    free(paths);
    if (write_failed) {
        fprintf(stderr, "vnextract: %s: write error: %s\n", out_path ? out_path : "standard output",
                strerror(werr ? werr : EIO));
        return 2;
    }
    return nerr ? 1 : 0;
}
