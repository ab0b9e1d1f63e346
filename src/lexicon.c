/* Lexicons: word lists kept as data in patterns/lexicons/NAME.tsv.
 *
 * One entry per line: the word or phrase, then optional tab-separated columns (a value, a
 * full name...). '#' starts a comment line. Rules use a lexicon as {@NAME}, an alternation
 * of its words; the C normalizers look words up by their lower-cased form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "decode.h"
#include "lexicon.h"
#include "util.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void index_entries(vnx_lexicon *lx)
{
    lx->nslot = 16;
    while (lx->nslot < lx->n * 2 + 1) lx->nslot *= 2;
    lx->slot = vnx_xcalloc(lx->nslot, sizeof *lx->slot);
    for (size_t i = 0; i < lx->n; i++) {
        size_t h = (size_t)(hash(lx->e[i].key) & (lx->nslot - 1));
        while (lx->slot[h]) {
            if (strcmp(lx->e[lx->slot[h] - 1].key, lx->e[i].key) == 0) break;   /* first wins */
            h = (h + 1) & (lx->nslot - 1);
        }
        if (!lx->slot[h]) lx->slot[h] = i + 1;
    }
}

int vnx_lexicon_load(vnx_lexicon *lx, const char *path, const char *name, char *err, size_t errlen)
{
    memset(lx, 0, sizeof *lx);
    lx->name = vnx_xstrdup(name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, ecap = 0;
    ssize_t got;
    int ln = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        ln++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        if (got == 0 || line[0] == '#') continue;
        vnx_buf check = {0};
        if (vnx_decode(line, (size_t)got, &check) != 0) {
            vnx_fail_at(err, errlen, path, ln, "not valid UTF-8");
            vnx_buf_free(&check);
            free(line);
            fclose(f);
            return -1;
        }
        vnx_buf_free(&check);
        if (lx->n == ecap) {
            ecap = ecap ? ecap * 2 : 64;
            lx->e = vnx_xrealloc(lx->e, ecap * sizeof *lx->e);
        }
        vnx_lex_entry *e = &lx->e[lx->n];
        memset(e, 0, sizeof *e);
        char *save = NULL, *tok = strtok_r(line, "\t", &save);
        if (!tok || !*tok) {
            vnx_fail_at(err, errlen, path, ln, "empty word");
            free(line);
            fclose(f);
            return -1;
        }
        e->word = vnx_xstrdup(tok);
        e->key = vnx_lower(tok, strlen(tok));
        while ((tok = strtok_r(NULL, "\t", &save))) {
            e->col = vnx_xrealloc(e->col, (size_t)(e->ncol + 1) * sizeof *e->col);
            e->col[e->ncol++] = vnx_xstrdup(tok);
        }
        lx->n++;
    }
    free(line);
    fclose(f);
    index_entries(lx);
    return 0;
}

void vnx_lexicon_last_words(const vnx_lexicon *src, vnx_lexicon *dst, size_t *max_words)
{
    memset(dst, 0, sizeof *dst);
    dst->name = vnx_xstrdup(src->name);
    dst->e = vnx_xcalloc(src->n ? src->n : 1, sizeof *dst->e);
    *max_words = 0;
    for (size_t i = 0; i < src->n; i++) {
        const char *k = src->e[i].key, *last = strrchr(k, ' ');
        size_t words = 1;
        for (const char *p = k; *p; p++) words += *p == ' ';
        if (words > *max_words) *max_words = words;
        last = last ? last + 1 : k;
        size_t j = 0;
        while (j < dst->n && strcmp(dst->e[j].key, last) != 0) j++;
        if (j < dst->n) continue;
        dst->e[dst->n].key = vnx_xstrdup(last);
        dst->e[dst->n].word = vnx_xstrdup(last);
        dst->n++;
    }
    index_entries(dst);
}

void vnx_lexicon_free(vnx_lexicon *lx)
{
    for (size_t i = 0; i < lx->n; i++) {
        free(lx->e[i].key);
        free(lx->e[i].word);
        for (int k = 0; k < lx->e[i].ncol; k++) free(lx->e[i].col[k]);
        free(lx->e[i].col);
    }
    free(lx->e);
    free(lx->slot);
    free(lx->name);
    memset(lx, 0, sizeof *lx);
}

/* The key of s[0..n) as lexicons store theirs: lower case, runs of spaces as one, none at
 * either end; in k, which holds n * 3 + 1 bytes or more (a malformed byte reads as U+FFFD,
 * and lower case may be longer). Returns its length. One pass, ASCII without a call: every
 * candidate entity looks words up. */
static size_t lookup_key(const char *s, size_t n, char *k)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        uint32_t c;
        if (b < 0x80) {
            c = b >= 'A' && b <= 'Z' ? b + 32u : b;
            i++;
        } else {
            c = vnx_tolower(vnx_next_cp(s, n, &i));
        }
        if (c == ' ' && (o == 0 || k[o - 1] == ' ')) continue;
        U8_APPEND_UNSAFE(k, o, c);
    }
    while (o > 0 && k[o - 1] == ' ') o--;
    k[o] = 0;
    return o;
}

const vnx_lex_entry *vnx_lexicon_find(const vnx_lexicon *lx, const char *s, size_t n)
{
    if (!lx || !lx->nslot) return NULL;
    char small[256];
    char *k = n * 3 + 1 > sizeof small ? vnx_xmalloc(n * 3 + 1) : small;
    lookup_key(s, n, k);
    size_t h = (size_t)(hash(k) & (lx->nslot - 1));
    const vnx_lex_entry *found = NULL;
    while (lx->slot[h]) {
        const vnx_lex_entry *e = &lx->e[lx->slot[h] - 1];
        if (strcmp(e->key, k) == 0) { found = e; break; }
        h = (h + 1) & (lx->nslot - 1);
    }
    if (k != small) free(k);
    return found;
}

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_bytes(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* One code point of a word as the pattern writes it: a space as \s+, punctuation escaped. */
static void add_regex_char(vnx_buf *b, const char *p, size_t n)
{
    if (n == 1 && *p == ' ') vnx_buf_adds(b, "\\s+");
    else {
        if (n == 1 && strchr("\\^$.|?*+()[]{}/-#", *p)) vnx_buf_addc(b, '\\');
        vnx_buf_add(b, p, n);
    }
}

static size_t cp_len(const char *p)
{
    unsigned char c = (unsigned char)*p;
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether two different code points, the starts of sibling branches, could match the same
 * character of the text: equal under case folding (the patterns are caseless), or both
 * white space (a space is written \s+). */
static int may_match_alike(const char *a, const char *b)
{
    size_t i = 0, j = 0;
    UChar32 x = (UChar32)vnx_next_cp(a, strlen(a), &i), y = (UChar32)vnx_next_cp(b, strlen(b), &j);
    if (u_foldCase(x, U_FOLD_CASE_DEFAULT) == u_foldCase(y, U_FOLD_CASE_DEFAULT)) return 1;
    return (x == ' ' || u_isUWhiteSpace(x)) && (y == ' ' || u_isUWhiteSpace(y));
}

/* The words v[0..n) from byte d on, longest first: the plain alternation. */
static void add_flat(vnx_buf *b, char **v, size_t n, size_t d)
{
    char **tail = vnx_xmalloc(n * sizeof *tail);
    for (size_t i = 0; i < n; i++) tail[i] = v[i] + d;
    qsort(tail, n, sizeof *tail, by_length_desc);
    vnx_buf_adds(b, "(?:");
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(tail[i], tail[i - 1])) continue;   /* a word twice */
        if (i) vnx_buf_addc(b, '|');
        for (const char *p = tail[i]; *p; p += cp_len(p)) add_regex_char(b, p, cp_len(p));
    }
    vnx_buf_addc(b, ')');
    free(tail);
}

/* The words w[lo..hi), sorted, all sharing their first d bytes, as a regex that factors out
 * common prefixes: "k(?:m(?:2)?|g)" for "km2", "km", "kg". A longer word is tried before a
 * word it extends, as in a longest-first alternation, and branches cannot match the same
 * text, so the regex matches what that alternation does, in the same order, with far fewer
 * branches for PCRE2 to try. Words whose next characters could match alike ("EUR" and
 * "euro": the patterns are caseless) stay a plain alternation, longest first, as one
 * branch. */
static void add_trie(vnx_buf *b, char **w, size_t lo, size_t hi, size_t d)
{
    int end = 0;
    while (lo < hi && w[lo][d] == 0) lo++, end = 1;   /* a word that ends here (and copies of it) */
    if (lo == hi) return;
    /* the children: runs of words with the same next code point */
    size_t nchild = 0, *start = vnx_xmalloc((hi - lo + 1) * sizeof *start);
    for (size_t i = lo; i < hi; nchild++) {
        start[nchild] = i;
        size_t n = cp_len(w[i] + d);
        do i++; while (i < hi && strncmp(w[i] + d, w[start[nchild]] + d, n) == 0);
    }
    start[nchild] = hi;
    unsigned char *done = vnx_xcalloc(nchild, 1);
    char **alike = vnx_xmalloc((hi - lo) * sizeof *alike);
    int group = nchild > 1 || end;
    if (group) vnx_buf_adds(b, "(?:");
    for (size_t c = 0; c < nchild; c++) {
        if (done[c]) continue;
        if (c) vnx_buf_addc(b, '|');
        size_t na = 0;
        for (size_t k = c + 1; k < nchild; k++)
            if (!done[k] && may_match_alike(w[start[c]] + d, w[start[k]] + d)) {
                done[k] = 1;
                for (size_t i = start[k]; i < start[k + 1]; i++) alike[na++] = w[i];
            }
        if (na) {
            for (size_t i = start[c]; i < start[c + 1]; i++) alike[na++] = w[i];
            add_flat(b, alike, na, d);
        } else {
            size_t n = cp_len(w[start[c]] + d);
            add_regex_char(b, w[start[c]] + d, n);
            add_trie(b, w, start[c], start[c + 1], d + n);
        }
    }
    if (group) vnx_buf_adds(b, end ? ")?" : ")");
    free(alike);
    free(done);
    free(start);
}

/* A word with every run of spaces made one (a space stands for any run of white space). */
static char *one_space(const char *s)
{
    char *t = vnx_xstrdup(s), *o = t;
    for (const char *p = s; *p; p++)
        if (!(*p == ' ' && p[1] == ' ')) *o++ = *p;
    *o = 0;
    return t;
}

char *vnx_lexicon_regex(const vnx_lexicon *lx, int as_written)
{
    char **w = vnx_xmalloc((lx->n ? lx->n : 1) * sizeof *w);
    for (size_t i = 0; i < lx->n; i++) {
        w[i] = one_space(lx->e[i].word);
        /* "MW" and "mW" become one word, "mw"; but for a word whose lower case is longer or
         * shorter in bytes (the Kelvin sign is k): longest first counts bytes */
        char *low = as_written ? NULL : vnx_lower(w[i], strlen(w[i]));
        if (low && strlen(low) == strlen(w[i])) {
            free(w[i]);
            w[i] = low;
        } else free(low);
    }
    qsort(w, lx->n, sizeof *w, by_bytes);
    vnx_buf b = {0};
    /* in lower case, the words are matched in any case wherever they are used */
    vnx_buf_adds(&b, as_written ? "(?:" : "(?i:");
    if (lx->n) add_trie(&b, w, 0, lx->n, 0);
    else vnx_buf_adds(&b, "(*FAIL)");
    vnx_buf_addc(&b, ')');
    for (size_t i = 0; i < lx->n; i++) free(w[i]);
    free(w);
    return b.p;
}
