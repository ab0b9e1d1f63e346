/* vnextract: the command-line tool. It uses only the public header. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    "      --patterns DIR     rules and lexicons to use (default: the bundled ones)\n"
    "      --format FMT       input format: auto (by file name), text or jsonl\n"
    "      --text-field NAME  JSON field holding the text (default: text)\n"
    "      --id-field NAME    JSON field holding the document id (default: id)\n"
    "      --date-field NAME  JSON field holding the document date (default: date)\n"
    "      --max-doc-bytes N  documents larger than N bytes get an error record (default: 1 GiB)\n"
    "      --check-patterns   run every rule's examples and report failures, then exit\n"
    "      --stats            print a summary to standard error at the end\n"
    "  -q, --quiet            no progress line and no per-document messages\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "Exit status: 0 when every document was processed, 1 when some documents had errors\n"
    "(they still got their record, with \"error\"), 2 for usage errors and fatal errors.\n";

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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *out_path = NULL, *patterns = NULL;
    vnx_reader_options ropt = {0};
    int check = 0, stats = 0, quiet = 0;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
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
        } else if (strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (TAKES("-o") || TAKES("--output")) {
            out_path = val;
        } else if (TAKES("--patterns")) {
            patterns = val;
        } else if (TAKES("--format")) {
            if (strcmp(val, "jsonl") == 0) ropt.format = VNX_FORMAT_JSONL;
            else if (strcmp(val, "text") == 0) ropt.format = VNX_FORMAT_TEXT;
            else if (strcmp(val, "auto") == 0) ropt.format = VNX_FORMAT_AUTO;
            else { free(paths); return usage_error("unknown input format: ", val); }
        } else if (TAKES("--text-field")) {
            ropt.text_field = val;
        } else if (TAKES("--id-field")) {
            ropt.id_field = val;
        } else if (TAKES("--date-field")) {
            ropt.date_field = val;
        } else if (TAKES("--max-doc-bytes")) {
            char *end;
            unsigned long long v = strtoull(val, &end, 10);
            if (*end || !v) { free(paths); return usage_error("--max-doc-bytes takes a positive number: ", val); }
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
    if (!ex) {
        free(paths);
        fprintf(stderr, "vnextract: %s\n", err);
        return 2;
    }
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

    vnx_reader *rd = vnx_reader_open(paths, npaths, &ropt);
    vnx_document doc;
    unsigned long long ndocs = 0, nerr = 0, nent[5] = {0};
    int progress = !quiet && isatty(2);
    double t0 = now(), last = t0;
    int write_failed = 0;
    while (vnx_reader_next(rd, &doc)) {
        vnx_result *r = vnx_extract(ex, &doc);
        char *line = vnx_result_json(r);
        if (fputs(line, out) == EOF || putc('\n', out) == EOF) write_failed = 1;
        vnx_free(line);
        ndocs++;
        if (vnx_result_error(r)) {
            nerr++;
            if (!quiet) fprintf(stderr, "vnextract: %s: %s\n", doc.where ? doc.where : doc.id, vnx_result_error(r));
        }
        if (stats) {
            static const char *const T[] = {"number", "percent", "date", "resolution", "time"};
            for (size_t i = 0; i < vnx_result_count(r); i++)
                for (int t = 0; t < 5; t++)
                    if (strcmp(vnx_entity_type(r, i), T[t]) == 0) nent[t]++;
        }
        vnx_result_free(r);
        if (write_failed) break;
        if (progress && (ndocs & 63) == 0) {
            double t = now();
            if (t - last > 0.5) {
                double mb = vnx_reader_bytes(rd) / 1e6;
                fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s ", ndocs, mb, mb / (t - t0));
                last = t;
            }
        }
    }
    if (progress) fputs("\r\033[K", stderr);
    if (fflush(out) != 0) write_failed = 1;
    int werr = errno;
    if (out != stdout && fclose(out) != 0) write_failed = 1;
    double secs = now() - t0;
    if (stats) {
        double mb = vnx_reader_bytes(rd) / 1e6;
        fprintf(stderr,
                "documents %llu, with errors %llu; entities: number %llu, percent %llu, date %llu, "
                "resolution %llu, time %llu; %.1f MB in %.2f s, %.1f MB/s\n",
                ndocs, nerr, nent[0], nent[1], nent[2], nent[3], nent[4], mb, secs,
                secs > 0 ? mb / secs : 0.0);
    }
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
