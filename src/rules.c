/* Stage 4a, rules: loading patterns/ at run time.
 *
 * The lexicons (patterns/lexicons/NAME.tsv) are loaded first, then every patterns/NAME.rules
 * file in name order.
 * The format is documented in patterns/README.md. In short:
 *
 *   define NAME  REGEX          a named piece of regex, used as {NAME} later on
 *   rule NAME                   starts a rule; its settings follow, indented
 *     type: number              number, percent, date, resolution, time or ignore
 *     normalize: number         the C value normalizer that turns a match into entities
 *     priority: 10              breaks ties between matches of the same length
 *     pattern: REGEX            PCRE2, extended syntax; several lines are joined
 *     example: "TEXT" => "SPAN" VALUE [EXTRA]   a test: TEXT yields SPAN with VALUE
 *     reject: "TEXT"            a test: TEXT yields no entity of this rule's type
 *
 * {@NAME} in a pattern is the alternation of the words of lexicons/NAME.tsv. Any error stops
 * loading with "FILE:LINE: what is wrong". */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"

const char *const vnx_type_names[VNX_NTYPES] = {"number", "percent", "date", "resolution",
                                                "time", "ignore"};

typedef struct { char *name; char *re; } define_t;

typedef struct {
    vnx_rules *rs;
    define_t *def;
    size_t ndef;
    const char *file;
    int line;
    char *err;
    size_t errlen;
} loader_t;

static int fail(loader_t *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnx_vfail_at(L->err, L->errlen, L->file, L->line, fmt, ap);
    va_end(ap);
    return -1;
}

const vnx_lexicon *vnx_rules_lexicon(const vnx_rules *rs, const char *name)
{
    for (size_t i = 0; i < rs->nlex; i++)
        if (strcmp(rs->lex[i].name, name) == 0) return &rs->lex[i];
    return NULL;
}

const char *const vnx_group_names[G_COUNT] = {
    "e", "num", "words", "sign", "mag", "tail", "half", "halfu", "unit", "of", "a", "b", "ma",
    "mb", "ua", "ub", "target", "roman", "d", "m", "y", "q", "months", "mod", "d1", "m1", "y1",
    "d2", "m2", "y2", "wd", "h", "min", "id", "year", "kind", "issuer", "code", "dt", "dd",
    "dm", "dy", "rel", "part", "n", "runit", "next", "last", "cue",
};

/* Expands {NAME} and {@LEXICON} references. Returns a malloc'd string, NULL on error. */
static char *expand(loader_t *L, const char *src)
{
    vnx_buf b = {0};
    vnx_buf_adds(&b, "");
    for (const char *p = src; *p;) {
        if (p[0] == '\\' && p[1]) {
            /* an escape, with its braces: \p{L}, \x{300}, \k{name} are regex, not names */
            size_t n = 2;
            if (p[2] == '{') {
                const char *q = strchr(p + 2, '}');
                if (q) n = (size_t)(q - p) + 1;
            }
            vnx_buf_add(&b, p, n);
            p += n;
            continue;
        }
        if (*p == '{' && (p[1] == '@' || (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') ||
                          p[1] == '_')) {
            const char *q = strchr(p, '}');
            if (!q) { vnx_buf_free(&b); fail(L, "unclosed {"); return NULL; }
            char *name = vnx_xstrndup(p + 1, (size_t)(q - p - 1));
            if (name[0] == '@') {
                const vnx_lexicon *lx = vnx_rules_lexicon(L->rs, name + 1);
                if (!lx) {
                    fail(L, "unknown lexicon {%s} (no lexicons/NAME.tsv)", name);
                    free(name);
                    vnx_buf_free(&b);
                    return NULL;
                }
                /* right inside "(?-i:", the words as written; anywhere else in any case */
                int as_written = b.len >= 5 && !memcmp(b.p + b.len - 5, "(?-i:", 5);
                char *re = vnx_lexicon_regex(lx, as_written);
                vnx_buf_adds(&b, re);
                free(re);
            } else {
                size_t k = 0;
                while (k < L->ndef && strcmp(L->def[k].name, name) != 0) k++;
                if (k == L->ndef) {
                    fail(L, "unknown name {%s} (define it before use)", name);
                    free(name);
                    vnx_buf_free(&b);
                    return NULL;
                }
                vnx_buf_adds(&b, "(?:");
                vnx_buf_adds(&b, L->def[k].re);
                vnx_buf_adds(&b, ")");
            }
            free(name);
            p = q + 1;
            continue;
        }
        vnx_buf_addc(&b, *p++);
    }
    return b.p;
}

/* example: "TEXT" [@DATE] => "SPAN" VALUE [EXTRA]    reject: "TEXT" [@DATE] */
static int parse_example(loader_t *L, vnx_rule *r, const char *s, int reject)
{
    vnx_example ex = {0};
    ex.line = L->line;
    ex.type = r->type;
    const char *end = NULL;
    cJSON *text = cJSON_ParseWithOpts(s, &end, 0);
    if (!cJSON_IsString(text)) {
        cJSON_Delete(text);
        return fail(L, "%s: expected a JSON string with the example text", reject ? "reject" : "example");
    }
    ex.text = vnx_xstrdup(text->valuestring);
    cJSON_Delete(text);
    while (*end == ' ' || *end == '\t') end++;
    if (*end == '@') {
        const char *d = ++end;
        while (*end && *end != ' ' && *end != '\t') end++;
        ex.date = vnx_xstrndup(d, (size_t)(end - d));
        while (*end == ' ' || *end == '\t') end++;
    }
    if (reject) {
        if (*end) { free(ex.text); free(ex.date); return fail(L, "reject: unexpected text after the example"); }
    } else {
        if (strncmp(end, "=>", 2) != 0) {
            free(ex.text); free(ex.date);
            return fail(L, "example: expected => after the text");
        }
        const char *p = end + 2;
        while (*p == ' ' || *p == '\t') p++;
        /* an optional entity type before the span, when it is not the rule's own:
         * example: "... 21-KL/TW ngày 25/10/2021" => date "ngày 25/10/2021" "2021-10-25" */
        ex.type = r->type;
        if (*p != '"') {
            const char *q = p;
            while (*q && *q != ' ' && *q != '\t') q++;
            ex.type = -1;
            for (int t = 0; t < VNX_NTYPES; t++)
                if (strlen(vnx_type_names[t]) == (size_t)(q - p) && strncmp(p, vnx_type_names[t], (size_t)(q - p)) == 0)
                    ex.type = t;
            if (ex.type < 0) {
                free(ex.text); free(ex.date);
                return fail(L, "example: unknown entity type after =>");
            }
            p = q;
        }
        cJSON *span = cJSON_ParseWithOpts(p, &end, 0);
        if (!cJSON_IsString(span)) {
            cJSON_Delete(span); free(ex.text); free(ex.date);
            return fail(L, "example: expected the JSON string of the entity text after =>");
        }
        ex.span = vnx_xstrdup(span->valuestring);
        cJSON_Delete(span);
        ex.value = cJSON_ParseWithOpts(end, &end, 0);
        if (!ex.value) {
            free(ex.text); free(ex.span); free(ex.date);
            return fail(L, "example: expected the JSON value after the entity text");
        }
        while (*end == ' ' || *end == '\t') end++;
        if (*end) {
            ex.extra = cJSON_ParseWithOpts(end, &end, 0);
            if (!cJSON_IsObject(ex.extra)) {
                cJSON_Delete(ex.extra); cJSON_Delete(ex.value);
                free(ex.text); free(ex.span); free(ex.date);
                return fail(L, "example: expected a JSON object of extra fields after the value");
            }
        }
    }
    r->ex = vnx_xrealloc(r->ex, (r->nex + 1) * sizeof *r->ex);
    r->ex[r->nex++] = ex;
    return 0;
}

static int finish_rule(loader_t *L, vnx_rule *r, vnx_buf *pat, int line)
{
    int saved = L->line;
    L->line = line;
    if (r->type < 0) return fail(L, "rule %s has no type:", r->name);
    if (!r->norm) return fail(L, "rule %s has no normalize:", r->name);
    if (!pat->len) return fail(L, "rule %s has no pattern:", r->name);
    char *re = expand(L, pat->p);
    if (!re) return -1;
    int ec;
    PCRE2_SIZE off;
    r->re = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_EXTENDED | PCRE2_DUPNAMES |
                              PCRE2_USE_OFFSET_LIMIT, &ec, &off, NULL);
    if (!r->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        free(re);
        return fail(L, "rule %s: bad regex: %s (at offset %zu of the expanded pattern)", r->name,
                    (char *)msg, (size_t)off);
    }
    free(re);
    /* JIT unless VNX_NO_JIT is set (valgrind cannot follow JIT code); without JIT, or where
     * JIT fails, PCRE2's interpreter gives the same results, slower */
    const char *nojit = getenv("VNX_NO_JIT");
    if ((!nojit || !*nojit || !strcmp(nojit, "0")) && pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0) r->jit = 1;
    /* the bytes a match can start with, when PCRE2 knows them: a region holding none is no
     * place to search (PCRE2 would find that too, after the cost of a call). Looked at only
     * for rules that search from their triggers or a byte before them: a longer region
     * nearly always holds one, and looking costs more than the searches it saves. */
    const uint8_t *bits = NULL;
    if (r->lookback >= 0 && r->lookback <= 1 && pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits) {
        memcpy(r->first, bits, sizeof r->first);
        r->has_first = 1;
    }
    /* the groups of the names normalizers read, once: they ask for them by number */
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t k = 0; k < count; k++, table += size) {
        const char *name = (const char *)table + 2;
        int g = 0;
        while (g < G_COUNT && strcmp(vnx_group_names[g], name) != 0) g++;
        if (g == G_COUNT) continue;   /* a name no normalizer reads */
        int d = 0;
        while (d < VNX_GROUP_DUPS && r->group[g][d]) d++;
        if (d == VNX_GROUP_DUPS) return fail(L, "rule %s: more than %d groups named %s", r->name, VNX_GROUP_DUPS, name);
        r->group[g][d] = (uint16_t)(table[0] << 8 | table[1]);
    }
    L->line = saved;
    return 0;
}

/* A define is complete at the next line that is not indented: expand it and keep it. */
static int finish_define(loader_t *L, char **name, vnx_buf *text, int line)
{
    int saved = L->line;
    L->line = line;
    char *re = expand(L, text->p ? text->p : "");
    L->line = saved;
    if (!re) return -1;
    L->def = vnx_xrealloc(L->def, (L->ndef + 1) * sizeof *L->def);
    L->def[L->ndef].name = *name;
    L->def[L->ndef++].re = re;
    *name = NULL;
    text->len = 0;
    return 0;
}

static vnx_normalizer_fn find_normalizer(const char *name)
{
    const vnx_normalizer *tables[] = {vnx_number_normalizers, vnx_date_normalizers,
                                      vnx_identifier_normalizers};
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const vnx_normalizer *n = tables[t]; n->name; n++)
            if (strcmp(n->name, name) == 0) return n->fn;
    return NULL;
}

static int load_file(loader_t *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(L->err, L->errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    L->file = path;
    L->line = 0;
    char *line = NULL;
    size_t cap = 0;
    vnx_rule *r = NULL;
    int rule_line = 0, rc = 0;
    vnx_buf pat = {0}, def_text = {0};
    char *def_name = NULL;
    int def_line = 0;
    vnx_rules *rs = L->rs;
    while (getline(&line, &cap, f) >= 0) {
        L->line++;
        int indented = line[0] == ' ' || line[0] == '\t';
        char *s = vnx_trim(line);
        if (!*s || *s == '#') continue;
        if (!indented) {
            if (r) {
                if ((rc = finish_rule(L, r, &pat, rule_line))) break;
                r = NULL;
                pat.len = 0;
            }
            if (def_name && (rc = finish_define(L, &def_name, &def_text, def_line))) break;
            if (strncmp(s, "define ", 7) == 0) {
                char *name = vnx_trim(s + 7), *sp = name;
                while (*sp && *sp != ' ' && *sp != '\t') sp++;
                if (!*sp) { rc = fail(L, "define: expected NAME and a regex"); break; }
                *sp = 0;
                for (size_t k = 0; k < L->ndef; k++)
                    if (strcmp(L->def[k].name, name) == 0) { rc = fail(L, "define %s: defined twice", name); break; }
                if (rc) break;
                def_name = vnx_xstrdup(name);
                def_line = L->line;
                def_text.len = 0;
                vnx_buf_adds(&def_text, vnx_trim(sp + 1));
            } else if (strncmp(s, "rule ", 5) == 0) {
                char *name = vnx_trim(s + 5);
                for (size_t k = 0; k < rs->nrule; k++)
                    if (strcmp(rs->rule[k].name, name) == 0) {
                        rc = fail(L, "duplicate rule name %s (first at %s:%d)", name, rs->rule[k].file,
                                  rs->rule[k].line);
                        break;
                    }
                if (rc) break;
                rs->rule = vnx_xrealloc(rs->rule, (rs->nrule + 1) * sizeof *rs->rule);
                r = &rs->rule[rs->nrule++];
                memset(r, 0, sizeof *r);
                r->name = vnx_xstrdup(name);
                r->file = vnx_xstrdup(path);
                r->line = rule_line = L->line;
                r->type = -1;
                r->lookback = -1;
            } else {
                rc = fail(L, "expected 'rule NAME' or 'define NAME REGEX', got: %.60s", s);
                break;
            }
            continue;
        }
        if (!r && def_name) {   /* an indented line after a define continues it */
            vnx_buf_addc(&def_text, '\n');
            vnx_buf_adds(&def_text, s);
            continue;
        }
        if (!r) { rc = fail(L, "setting outside a rule: %.60s", s); break; }
        char *colon = strchr(s, ':');
        if (!colon) { rc = fail(L, "expected 'key: value', got: %.60s", s); break; }
        *colon = 0;
        char *key = vnx_trim(s), *val = vnx_trim(colon + 1);
        if (strcmp(key, "type") == 0) {
            r->type = -1;
            for (int t = 0; t < VNX_NTYPES; t++)
                if (strcmp(val, vnx_type_names[t]) == 0) r->type = t;
            if (r->type < 0) { rc = fail(L, "unknown type '%s'", val); break; }
        } else if (strcmp(key, "normalize") == 0) {
            r->norm = find_normalizer(val);
            if (!r->norm) { rc = fail(L, "unknown normalizer '%s'", val); break; }
        } else if (strcmp(key, "priority") == 0) {
            char *end;
            long p = strtol(val, &end, 10);
            if (*end || end == val) { rc = fail(L, "priority: expected an integer, got '%s'", val); break; }
            r->priority = (int)p;
        } else if (strcmp(key, "needs") == 0) {   /* read by the prefilter */
            r->needs = vnx_xrealloc(r->needs, (r->nneeds + 1) * sizeof *r->needs);
            r->needs[r->nneeds++] = (vnx_setting){vnx_xstrdup(val), L->line};
        } else if (strcmp(key, "lookback") == 0) {
            char *end;
            long n = strtol(val, &end, 10);
            if (*end || end == val || n < 0 || n > 4096) { rc = fail(L, "lookback: expected bytes from 0 to 4096, got '%s'", val); break; }
            r->lookback = (int)n;
        } else if (strcmp(key, "pattern") == 0) {
            vnx_buf_adds(&pat, val);
            vnx_buf_addc(&pat, '\n');
        } else if (strcmp(key, "example") == 0 || strcmp(key, "reject") == 0) {
            if ((rc = parse_example(L, r, val, key[0] == 'r'))) break;
        } else {
            rc = fail(L, "unknown setting '%s'", key);
            break;
        }
    }
    if (!rc && r) rc = finish_rule(L, r, &pat, rule_line);
    if (!rc && def_name) rc = finish_define(L, &def_name, &def_text, def_line);
    free(def_name);
    vnx_buf_free(&def_text);
    vnx_buf_free(&pat);
    free(line);
    fclose(f);
    return rc;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of DIR's files ending in suffix. */
static char **list_dir(const char *dir, const char *suffix, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix)) continue;
        names = vnx_xrealloc(names, (*n + 1) * sizeof *names);
        names[(*n)++] = vnx_xstrdup(de->d_name);
    }
    closedir(d);
    if (*n) qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

int vnx_rules_load(vnx_rules *rs, const char *dir, char *err, size_t errlen)
{
    loader_t L = {rs, NULL, 0, dir, 0, err, errlen};
    size_t nlex = 0, nrules = 0;
    int rc = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/lexicons", dir);
    char **lex = list_dir(path, ".tsv", &nlex);
    rs->lex = vnx_xcalloc(nlex ? nlex : 1, sizeof *rs->lex);
    for (size_t i = 0; i < nlex && !rc; i++) {
        snprintf(path, sizeof path, "%s/lexicons/%s", dir, lex[i]);
        lex[i][strlen(lex[i]) - 4] = 0;
        rc = vnx_lexicon_load(&rs->lex[rs->nlex], path, lex[i], err, errlen);
        rs->nlex++;
    }
    char **rules = rc ? NULL : list_dir(dir, ".rules", &nrules);
    if (!rc && !nrules) {
        snprintf(err, errlen, "%s: no *.rules files (is this a patterns directory?)", dir);
        rc = -1;
    }
    for (size_t i = 0; i < nrules && !rc; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rules[i]);
        rc = load_file(&L, path);
    }
    for (size_t i = 0; i < nlex; i++) free(lex[i]);
    for (size_t i = 0; i < nrules; i++) free(rules[i]);
    free(lex);
    free(rules);
    for (size_t k = 0; k < L.ndef; k++) { free(L.def[k].name); free(L.def[k].re); }
    free(L.def);
    return rc;
}

void vnx_rules_free(vnx_rules *rs)
{
    for (size_t i = 0; i < rs->nrule; i++) {
        vnx_rule *r = &rs->rule[i];
        free(r->name);
        free(r->file);
        for (size_t k = 0; k < r->nneeds; k++) free(r->needs[k].text);
        free(r->needs);
        if (r->re) pcre2_code_free(r->re);
        for (size_t k = 0; k < r->nex; k++) {
            free(r->ex[k].text);
            free(r->ex[k].span);
            free(r->ex[k].date);
            cJSON_Delete(r->ex[k].value);
            cJSON_Delete(r->ex[k].extra);
        }
        free(r->ex);
    }
    free(rs->rule);
    for (size_t i = 0; i < rs->nlex; i++) vnx_lexicon_free(&rs->lex[i]);
    free(rs->lex);
    rs->rule = NULL;
    rs->lex = NULL;
    rs->nrule = rs->nlex = 0;
}
