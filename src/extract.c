/* The extractor and the pipeline of one document (vnx_extract_mode reads as it):
 *
 *   start_result      decode (decode.h), the document date
 *   vnx_normalize     the match text (normalize.h)
 *   find_candidates   triggers (prefilter.h) -> every rule's matches (rules.h) -> token-boundary
 *                     check (tokenize.h) -> the rule's value normalizer (values.h)
 *   resolve_overlaps  the longest match wins, then priority, then the earlier one
 *   vnx_join_date_ranges  "từ DATE đến DATE" as one interval (dates.c)
 *   add_entities      spans mapped back to original code points, qualifiers (result.h)
 *
 * and the batch call that runs it over many documents in threads.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "extractor.h"
#include "normalize.h"
#include "result.h"
#include "util.h"
#include "values.h"



/* ---- per-thread scratch ------------------------------------------------------------------- */

/* The stages of a document that the profile times, in pipeline order; the rule searches'
 * own time is the rules' (their counters), so "rules" holds searches and values together. */
enum { ST_DECODE, ST_NORMALIZE, ST_TRIGGERS, ST_REGIONS, ST_RULES, ST_RESOLVE, NSTAGE_TIMED };

/* The profile's counters, laid out alike in the extractor's array and each thread's: for rule
 * i, from prof_rule(i), its searches, matches and nanoseconds; after the last rule's, the
 * nanoseconds of each timed stage. */
enum { PROF_SEARCHES, PROF_MATCHES, PROF_NS, PROF_PER_RULE };
static inline size_t prof_rule(size_t i) { return PROF_PER_RULE * i; }
static inline size_t prof_stage(size_t nrule, int st) { return prof_rule(nrule) + (size_t)st; }
static inline size_t prof_len(size_t nrule) { return prof_stage(nrule, NSTAGE_TIMED); }

/* A match kept as a candidate for overlap resolution, with the entities its normalizer made. */
typedef struct {
    size_t s, e;          /* the whole match */
    int priority;
    size_t first, count;  /* its entities in the entity vector */
    size_t order;
} cand_t;

typedef struct { cand_t *v; size_t n, cap; } candvec;

/* What one thread reuses from document to document: PCRE2 match data for every rule, a
 * match context, and its own copy of the word break iterator. Kept per thread (the
 * extractor itself stays read-only and shared), freed when the thread ends. */
typedef struct {
    unsigned long serial;        /* of the extractor it was made for */
    pcre2_match_data **md;
    size_t nmd;
    pcre2_match_context *mc;
    pcre2_jit_stack *jit_stack;
    vnx_tokenizer *tok;
    vnx_regions *regions;        /* a document's regions, by region key */
    size_t nregions;
    /* a document's triggers, candidates and entities, and room for sorting and resolving them */
    vnx_triggers trig;
    candvec cv;
    vnx_entvec ents;
    cand_t *cand_tmp;
    vnx_ent *keep, *ent_tmp;
    size_t cand_tmp_cap, keep_cap;   /* ent_tmp has keep_cap too */
    unsigned char *taken;            /* a bit per byte of the match text */
    size_t taken_cap;
    unsigned long long *profile;     /* this document's counts, as the extractor's (or NULL) */
} scratch_t;

/* The vectors of a document, emptied; those grown past what a usual document needs are
 * given back, so that one huge document does not keep its memory with the thread. */
static void scratch_trim(scratch_t *s)
{
#define GIVE_BACK(p, cap) do { if ((cap) > (1 << 16)) { free(p); (p) = NULL; (cap) = 0; } } while (0)
    GIVE_BACK(s->trig.v, s->trig.cap);
    GIVE_BACK(s->cv.v, s->cv.cap);
    GIVE_BACK(s->ents.v, s->ents.cap);
    GIVE_BACK(s->cand_tmp, s->cand_tmp_cap);
    GIVE_BACK(s->taken, s->taken_cap);
    if (s->keep_cap > (1 << 16)) free(s->ent_tmp), s->ent_tmp = NULL;   /* the same size as keep */
    GIVE_BACK(s->keep, s->keep_cap);
#undef GIVE_BACK
    s->trig.n = s->cv.n = s->ents.n = 0;
}

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static atomic_ulong next_serial = 1;

static void scratch_free(void *p)
{
    scratch_t *s = p;
    if (!s) return;
    for (size_t i = 0; i < s->nmd; i++) pcre2_match_data_free(s->md[i]);
    free(s->md);
    pcre2_match_context_free(s->mc);
    pcre2_jit_stack_free(s->jit_stack);
    vnx_tokenizer_free(s->tok);
    for (size_t k = 0; k < s->nregions; k++) free(s->regions[k].v);
    free(s->regions);
    free(s->trig.v);
    free(s->cv.v);
    free(s->ents.v);
    free(s->cand_tmp);
    free(s->keep);
    free(s->ent_tmp);
    free(s->taken);
    free(s->profile);
    free(s);
}

static void scratch_key_init(void) { pthread_key_create(&scratch_key, scratch_free); }

static scratch_t *scratch_get(const vnx_extractor *ex)
{
    pthread_once(&scratch_once, scratch_key_init);
    scratch_t *s = pthread_getspecific(scratch_key);
    if (s && s->serial == ex->serial) return s;
    scratch_free(s);
    s = vnx_xcalloc(1, sizeof *s);
    s->serial = ex->serial;
    s->nmd = ex->rules.nrule;
    s->md = vnx_xcalloc(s->nmd ? s->nmd : 1, sizeof *s->md);
    for (size_t i = 0; i < s->nmd; i++) s->md[i] = pcre2_match_data_create_from_pattern(ex->rules.rule[i].re, NULL);
    s->mc = pcre2_match_context_create(NULL);
    /* no catastrophic backtracking: a match that needs more is given up (no match there) */
    pcre2_set_match_limit(s->mc, 200000);
    pcre2_set_depth_limit(s->mc, 2000);
    /* a JIT stack of its own, as large as the one PCRE2 puts on the C stack for each search
     * without one (32 KB: the same limits), saves setting that up on every search */
    s->jit_stack = pcre2_jit_stack_create(32 * 1024, 32 * 1024, NULL);
    if (s->jit_stack) pcre2_jit_stack_assign(s->mc, NULL, s->jit_stack);
    s->tok = vnx_tokenizer_clone(ex->tok);
    if (ex->profile) s->profile = vnx_xcalloc(prof_len(s->nmd), sizeof *s->profile);
    s->nregions = ex->pf.nkey;
    s->regions = vnx_xcalloc(s->nregions ? s->nregions : 1, sizeof *s->regions);
    pthread_setspecific(scratch_key, s);
    return s;
}

/* ---- the extractor ----------------------------------------------------------------------- */

vnx_extractor *vnx_extractor_new(const char *dir, char *err, size_t errlen)
{
    vnx_extractor *ex = vnx_xcalloc(1, sizeof *ex);
    ex->dir = vnx_xstrdup(dir);
    ex->serial = atomic_fetch_add(&next_serial, 1);
    if (vnx_rules_load(&ex->rules, dir, err, errlen) != 0 || vnx_prefilter_build(&ex->pf, &ex->rules, err, errlen) != 0) {
        vnx_extractor_free(ex);
        return NULL;
    }
    static const char *const required[] = {"numerals", "kinds", "issuers", "qualifiers", NULL};
    for (int i = 0; required[i]; i++)
        if (!vnx_extractor_lexicon(ex, required[i])) {
            snprintf(err, errlen, "%s/lexicons/%s.tsv: missing (the normalizers need it)", dir, required[i]);
            vnx_extractor_free(ex);
            return NULL;
        }
    ex->numerals = vnx_extractor_lexicon(ex, "numerals");
    ex->kinds = vnx_extractor_lexicon(ex, "kinds");
    ex->issuers = vnx_extractor_lexicon(ex, "issuers");
    ex->qualifiers = vnx_extractor_lexicon(ex, "qualifiers");
    ex->time_units = vnx_extractor_lexicon(ex, "time_units");
    ex->relative = vnx_extractor_lexicon(ex, "relative");
    ex->weekdays = vnx_extractor_lexicon(ex, "weekdays");
    ex->range_cues = vnx_extractor_lexicon(ex, "range_cues");
    vnx_lexicon_last_words(ex->qualifiers, &ex->qualifier_ends, &ex->qualifier_words);
    /* legacy encodings ICU lacks, as data */
    static const char *const tables[] = {"tcvn3", "vni"};
    ex->enc = vnx_xcalloc(2, sizeof *ex->enc);
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/encodings/%s.tsv", dir, tables[i]);
        FILE *f = fopen(path, "rb");
        if (!f) continue;   /* optional: without it, that encoding is unknown */
        fclose(f);
        if (vnx_table_encoding_load(&ex->enc[ex->nenc], path, tables[i], err, errlen) != 0) {
            vnx_table_encoding_free(&ex->enc[ex->nenc]);
            vnx_extractor_free(ex);
            return NULL;
        }
        ex->nenc++;
    }
    ex->tok = vnx_tokenizer_new();
    if (!ex->tok) {
        snprintf(err, errlen, "ICU: cannot open the word break iterator");
        vnx_extractor_free(ex);
        return NULL;
    }
    return ex;
}

void vnx_extractor_free(vnx_extractor *ex)
{
    if (!ex) return;
    vnx_prefilter_free(&ex->pf);
    vnx_rules_free(&ex->rules);
    free((void *)ex->profile);
    for (size_t i = 0; i < ex->nenc; i++) vnx_table_encoding_free(&ex->enc[i]);
    free(ex->enc);
    vnx_tokenizer_free(ex->tok);
    vnx_lexicon_free(&ex->qualifier_ends);
    free(ex->dir);
    free(ex);
}

size_t vnx_extractor_rule_count(const vnx_extractor *ex) { return ex->rules.nrule; }

void vnx_extractor_profile(vnx_extractor *ex, int on)
{
    if (on && !ex->profile) {
        ex->profile = vnx_xcalloc(prof_len(ex->rules.nrule), sizeof *ex->profile);
        ex->serial = atomic_fetch_add(&next_serial, 1);   /* threads' scratch is made anew, with counters */
    }
}

/* The stages vnx_extractor_stage_profile reports, in pipeline order: the timed ones, with
 * the rules' time split into their searches (the rules' own counters) and the rest. */
static const struct { const char *name; int timed; } stages[] = {
    {"decoding", ST_DECODE},
    {"normalizing", ST_NORMALIZE},
    {"trigger scan", ST_TRIGGERS},
    {"regions", ST_REGIONS},
    {"rule searches (PCRE2)", -1},
    {"match checks and values", ST_RULES},
    {"overlaps and entities", ST_RESOLVE},
};

int vnx_extractor_stage_profile(const vnx_extractor *ex, size_t i, vnx_stage_profile *out)
{
    if (i >= sizeof stages / sizeof *stages) return 0;
    *out = (vnx_stage_profile){stages[i].name, 0};
    if (!ex->profile) return 1;
    size_t n = ex->rules.nrule;
    unsigned long long searches = 0;
    for (size_t k = 0; k < n; k++) searches += atomic_load(&ex->profile[prof_rule(k) + PROF_NS]);
    if (stages[i].timed < 0) {
        out->nanoseconds = searches;
    } else {
        out->nanoseconds = atomic_load(&ex->profile[prof_stage(n, stages[i].timed)]);
        /* the rules' stage timed searches and values together */
        if (stages[i].timed == ST_RULES) out->nanoseconds = out->nanoseconds > searches ? out->nanoseconds - searches : 0;
    }
    return 1;
}

int vnx_extractor_rule_profile(const vnx_extractor *ex, size_t i, vnx_rule_profile *out)
{
    if (i >= ex->rules.nrule) return 0;
    const vnx_rule *r = &ex->rules.rule[i];
    *out = (vnx_rule_profile){r->name, r->file, r->line, 0, 0, 0};
    if (ex->profile) {
        const _Atomic unsigned long long *c = ex->profile + prof_rule(i);
        out->searches = atomic_load(&c[PROF_SEARCHES]);
        out->matches = atomic_load(&c[PROF_MATCHES]);
        out->nanoseconds = atomic_load(&c[PROF_NS]);
    }
    return 1;
}

/* A monotonic clock in nanoseconds, for the profile. */
static unsigned long long clock_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

/* When profiling: the time since *since goes to stage st, and *since becomes now. */
static void stage_done(scratch_t *sc, int st, unsigned long long *since)
{
    if (!sc->profile) return;
    unsigned long long now = clock_ns();
    sc->profile[prof_stage(sc->nmd, st)] += now - *since;
    *since = now;
}

/* ---- normalizer context ------------------------------------------------------------------ */

int vnx_group(const vnx_ctx *c, int g, size_t *s, size_t *e)
{
    const uint16_t *num = c->rule->group[g];
    for (int k = 0; k < VNX_GROUP_DUPS && num[k]; k++)   /* duplicates: the one that is set */
        if (c->ov[2 * num[k]] != PCRE2_UNSET && c->ov[2 * num[k] + 1] != PCRE2_UNSET) {
            *s = c->ov[2 * num[k]];
            *e = c->ov[2 * num[k] + 1];
            return 1;
        }
    return 0;
}

vnx_ent *vnx_emit(vnx_ctx *c, int type, size_t s, size_t e, cJSON *value, cJSON *extra)
{
    vnx_entvec *v = c->out;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = vnx_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    vnx_ent *en = &v->v[v->n++];
    en->type = type;
    en->s = s;
    en->e = e;
    en->value = value;
    en->num = 0;
    en->extra = extra;
    return en;
}

vnx_ent *vnx_emit_number(vnx_ctx *c, int type, size_t s, size_t e, double value)
{
    vnx_ent *en = vnx_emit(c, type, s, e, NULL, NULL);
    en->num = vnx_plain_zero(value);
    return en;
}

void vnx_set_extra(vnx_ent *en, const char *key, cJSON *v)
{
    if (!en->extra) en->extra = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(en->extra, key);
    cJSON_AddItemToObjectCS(en->extra, key, v);   /* a constant: not copied */
}

static void ent_free(vnx_ent *en)
{
    cJSON_Delete(en->value);
    cJSON_Delete(en->extra);
}

/* ---- candidates and overlap resolution ---------------------------------------------------------- */

/* Whether candidate x goes before y: the longest first, then the higher priority, then the
 * earlier, then the one found first (a total order). */
static inline int cand_before(const cand_t *x, const cand_t *y)
{
    size_t lx = x->e - x->s, ly = y->e - y->s;
    if (lx != ly) return lx > ly;
    if (x->priority != y->priority) return x->priority > y->priority;
    if (x->s != y->s) return x->s < y->s;
    return x->order < y->order;
}

/* Whether entity x goes before y: by start, then end. */
static inline int ent_before(const vnx_ent *x, const vnx_ent *y)
{
    return x->s != y->s ? x->s < y->s : x->e < y->e;
}

/* A stable merge sort of v[0..n) by BEFORE, with room for n more in tmp; insertion sort for
 * short runs. qsort costed as much as the rest of overlap resolution: it calls its
 * comparison through a pointer, and a document has a few dozen candidates. */
#define DEFINE_SORT(NAME, T, BEFORE)                                                          \
    static void NAME(T *v, size_t n, T *tmp)                                                  \
    {                                                                                         \
        enum { RUN = 16 };                                                                    \
        for (size_t lo = 0; lo < n; lo += RUN) {                                              \
            size_t hi = lo + RUN < n ? lo + RUN : n;                                          \
            for (size_t i = lo + 1; i < hi; i++) {                                            \
                T x = v[i];                                                                   \
                size_t j = i;                                                                 \
                for (; j > lo && BEFORE(&x, &v[j - 1]); j--) v[j] = v[j - 1];                 \
                v[j] = x;                                                                     \
            }                                                                                 \
        }                                                                                     \
        for (size_t w = RUN; w < n; w *= 2) {                                                 \
            for (size_t lo = 0; lo + w < n; lo += 2 * w) {                                    \
                size_t mid = lo + w, hi = lo + 2 * w < n ? lo + 2 * w : n, a = lo, b = mid;   \
                size_t k = lo;                                                                \
                if (!BEFORE(&v[mid], &v[mid - 1])) continue; /* in order already */          \
                while (a < mid && b < hi) tmp[k++] = BEFORE(&v[b], &v[a]) ? v[b++] : v[a++];  \
                while (a < mid) tmp[k++] = v[a++];                                            \
                while (b < hi) tmp[k++] = v[b++];                                             \
                memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);                              \
            }                                                                                 \
        }                                                                                     \
    }

DEFINE_SORT(sort_cands, cand_t, cand_before)
DEFINE_SORT(sort_ents, vnx_ent, ent_before)

/* One match of rule r at ov: checks its edges, runs its normalizer, keeps it as a
 * candidate. Returns whether it was kept. */
static int take_match(const vnx_extractor *ex, const vnx_rule *r, const vnx_mtext *mt, const PCRE2_SIZE *ov,
                      const vnx_date *date, vnx_tokenizer *tok, candvec *cv, vnx_entvec *ents)
{
    size_t s = ov[0], e = ov[1];
    if (e <= s || !vnx_span_ok(tok, mt->text, mt->len, s, e)) return 0;
    vnx_ctx c = {ex, r, mt->text, mt->len, ov, date, ents};
    size_t before = ents->n;
    int got = r->norm(&c);
    if (got <= 0 && r->type != VNX_IGNORE) {
        while (ents->n > before) ent_free(&ents->v[--ents->n]);
        return 0;
    }
    if (cv->n == cv->cap) {
        cv->cap = cv->cap ? cv->cap * 2 : 64;
        cv->v = vnx_xrealloc(cv->v, cv->cap * sizeof *cv->v);
    }
    /* the candidate covers its entities, not the cue words around them */
    size_t cs = e, ce = s;
    for (size_t k = before; k < ents->n; k++) {
        if (ents->v[k].s < cs) cs = ents->v[k].s;
        if (ents->v[k].e > ce) ce = ents->v[k].e;
    }
    if (ents->n == before) { cs = s; ce = e; }
    cv->v[cv->n] = (cand_t){cs, ce, r->priority, before, ents->n - before, cv->n};
    cv->n++;
    return 1;
}

/* The start of the code point after the one at m[i]. */
static size_t next_start(const char *m, size_t len, size_t i)
{
    i++;
    while (i < len && ((unsigned char)m[i] & 0xC0) == 0x80) i++;
    return i;
}

/* Whether a match of r can start in m[from..limit] (limit included, as PCRE2's offset
 * limit is): a byte of the rule's start set is there. */
static int may_start(const vnx_rule *r, const char *m, size_t len, size_t from, size_t limit)
{
    size_t end = limit < len ? limit + 1 : len;
    for (size_t i = from; i < end; i++) {
        unsigned char b = (unsigned char)m[i];
        if (r->first[b >> 3] >> (b & 7) & 1) return 1;
    }
    return 0;
}

/* Runs every rule over the regions where matches can start, sc->regions (or over the whole
 * text when triggers is NULL) and keeps the candidates. A rule's search goes on from where
 * its last match ended, across regions, exactly as a scan of the whole text would. */
static void run_rules(const vnx_extractor *ex, const vnx_mtext *mt, size_t from, const vnx_date *date,
                      const vnx_triggers *triggers, scratch_t *sc)
{
    const char *m = mt->text;
    pcre2_match_context *mc = sc->mc;
    unsigned long long *prof = sc->profile;
    vnx_region whole = {from, mt->len};
    for (size_t ri = 0; ri < ex->rules.nrule; ri++) {
        const vnx_rule *r = &ex->rules.rule[ri];
        const vnx_regions *rg = triggers ? &sc->regions[ex->pf.rule[ri].region_key] : NULL;   /* its triggers, its lookback */
        size_t nreg = rg ? rg->n : 1;
        pcre2_match_data *md = sc->md[ri];
        size_t off = from;
        for (size_t k = 0; k < nreg; k++) {
            const vnx_region *g = rg ? &rg->v[k] : &whole;
            if (off < g->s) off = g->s;
            if (rg && r->has_first && !may_start(r, m, mt->len, off, g->limit)) continue;
            pcre2_set_offset_limit(mc, g->limit);
            while (off < g->limit && off <= mt->len) {
                unsigned long long t0 = prof ? clock_ns() : 0;
                int rc = r->jit ? pcre2_jit_match(r->re, (PCRE2_SPTR)m, mt->len, off, PCRE2_NO_UTF_CHECK, md, mc)
                                : pcre2_match(r->re, (PCRE2_SPTR)m, mt->len, off, PCRE2_NO_UTF_CHECK, md, mc);
                if (prof) {
                    unsigned long long *c = prof + prof_rule(ri);
                    c[PROF_SEARCHES]++;
                    c[PROF_MATCHES] += rc > 0;
                    c[PROF_NS] += clock_ns() - t0;
                }
                if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
                    off = next_start(m, mt->len, off);   /* over the limit here: go on further */
                    continue;
                }
                if (rc < 0) break;
                const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                if (take_match(ex, r, mt, ov, date, sc->tok, &sc->cv, &sc->ents)) off = ov[1];
                else off = next_start(m, mt->len, ov[0]);   /* try again one code point further */
            }
        }
    }
}

/* The qualifier words right before byte s ("hơn", "gần", "khoảng", "tối đa"), from the
 * qualifiers lexicon: its second column is the qualifier to report, when given. */
static const char *find_qualifier(const vnx_extractor *ex, const char *m, size_t s)
{
    size_t starts[8];
    size_t nw = 0, most = ex->qualifier_words < 8 ? ex->qualifier_words : 8;
    size_t i = s;
    while (nw < most) {
        while (i > 0 && m[i - 1] == ' ') i--;
        size_t end = i;
        while (i > 0) {
            size_t j = i - 1;
            uint32_t c = (unsigned char)m[j] < 0x80 ? (unsigned char)m[j] : (j = i, vnx_prev_cp(m, &j));
            if (c == ' ' || c == '\n' || c < 0x30 || (c >= 0x3A && c < 0x41)) break;
            i = j;
        }
        if (i == end) break;
        starts[nw++] = i;
        if (nw == 1 && !vnx_lexicon_find(&ex->qualifier_ends, m + i, end - i)) return NULL;
    }
    size_t end = s;
    while (end > 0 && m[end - 1] == ' ') end--;
    for (size_t k = nw; k >= 1; k--) {
        const vnx_lex_entry *q = vnx_lexicon_find(ex->qualifiers, m + starts[k - 1], end - starts[k - 1]);
        if (q) return q->ncol > 0 ? q->col[0] : q->key;
    }
    return NULL;
}

/* Leading "date YYYY[-MM[-DD]]" metadata of a plain text document. Returns the byte offset
 * where the text to search starts, and copies the date. */
static size_t date_prefix(const char *t, size_t len, char *date, size_t dlen)
{
    size_t i = 0;
    while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) i++;
    if (len - i < 9 || strncmp(t + i, "date ", 5) != 0) return 0;
    size_t d = i + 5;
    while (d < len && t[d] == ' ') d++;
    size_t k = d;
    while (k < len && ((t[k] >= '0' && t[k] <= '9') || t[k] == '-')) k++;
    size_t n = k - d;
    if (!(n == 4 || n == 7 || n == 10)) return 0;
    for (size_t q = 0; q < n; q++) {
        int dash = q == 4 || q == 7;
        if (dash != (t[d + q] == '-')) return 0;
    }
    if (k < len && t[k] != ' ' && t[k] != '\n' && t[k] != '\r' && t[k] != '\t') return 0;
    if (n + 1 > dlen) return 0;
    memcpy(date, t + d, n);
    date[n] = 0;
    return k;
}

/* The record's date from a document date as archives write it ("2021-04-30",
 * "2021-04-30T08:15:00+07:00": the date part), and *d, the date parsed for the normalizers.
 * Anything else is not copied: the date stays null, and the record carries a warning naming
 * the value. */
static void set_date(vnx_result *r, vnx_date *d, const char *value, const char *what)
{
    if (vnx_parse_doc_date(value, d)) {
        char t[VNX_DATE_TEXT];
        vnx_format_date(d, t);
        r->date = vnx_xstrdup(t);
        return;
    }
    *d = (vnx_date){-1, -1, -1};
    char *shown = vnx_utf8_strdup(value);
    size_t n = strlen(shown);
    if (n > 40) {   /* cut on a character boundary */
        n = 40;
        while (n > 0 && (shown[n] & 0xC0) == 0x80) n--;
        memcpy(shown + n, "...", 4);
    }
    char msg[200];
    snprintf(msg, sizeof msg, "%s '%s' is not a date (YYYY[-MM[-DD]]); the record's date is null", what, shown);
    free(shown);
    free(r->warning);
    r->warning = vnx_xstrdup(msg);
}

/* Adds the entity, its text and qualifier copied to strings; takes its value and extra
 * fields over from en. */
static void add_entity(vnx_result *r, vnx_ent *en, size_t start, size_t end, const char *text, size_t tlen,
                       const char *qualifier, vnx_buf *strings)
{
    if (qualifier && en->extra && cJSON_GetObjectItemCaseSensitive(en->extra, "qualifier")) qualifier = NULL;
    r->e[r->n++] = (struct res_ent){en->type, start, end, strings->len, en->value, en->num, en->extra, 0};
    vnx_buf_add(strings, text, tlen);
    vnx_buf_addc(strings, 0);
    if (qualifier) {
        r->e[r->n - 1].qualifier = strings->len + 1;
        vnx_buf_add(strings, qualifier, strlen(qualifier) + 1);
    }
    en->value = en->extra = NULL;
}

/* The decoded text of a document, and the buffer it lives in when it had to be decoded. */
typedef struct {
    const char *p;
    size_t len;
    vnx_buf decoded;
} doc_text;

/* Stage 1: a new result for doc, with what comes from outside the text (id, date, kept
 * fields), and the text decoded into t. Returns 0 when the document stops here (an error
 * the result carries), 1 when its text is to be searched from byte *from on. */
static int start_result(const vnx_extractor *ex, const vnx_document *doc, vnx_result *r, vnx_date *docdate,
                        doc_text *t, size_t *from)
{
    /* these come from outside (file names, JSON fields): the record stays valid UTF-8 */
    r->id = vnx_utf8_strdup(doc->id ? doc->id : "");
    if (doc->date) set_date(r, docdate, doc->date, "document date");
    if (doc->keep && *doc->keep) r->keep = vnx_utf8_strdup(doc->keep);
    if (doc->error) {
        r->error = vnx_utf8_strdup(doc->error);
        return 0;
    }
    if (doc->text && doc->len > VNX_DOC_BYTES_MAX) {
        r->error = vnx_xstrdup("document larger than the limit of 1 GiB");
        return 0;
    }
    size_t bad;
    const char *used;
    t->p = vnx_decode_view(ex->enc, ex->nenc, doc->text ? doc->text : "", doc->text ? doc->len : 0, doc->encoding,
                           &t->decoded, &t->len, &bad, &used);
    if (bad == (size_t)-1) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown encoding '%s'", doc->encoding);
        r->error = vnx_xstrdup(msg);
        return 0;
    }
    r->invalid = bad;
    if (t->p != doc->text) r->encoding = vnx_xstrdup(used);   /* decoded: say as what, for messages */
    *from = 0;
    if (doc->date_prefix) {
        char d[16];
        *from = date_prefix(t->p, t->len, d, sizeof d);
        if (*from && !r->date) set_date(r, docdate, d, "document date");   /* a JSON date field wins */
    }
    if (!r->date && doc->default_date) set_date(r, docdate, doc->default_date, "default date");
    return 1;
}

/* Stage 3 to 5: every rule's matches in the match text (around the triggers, or everywhere
 * without the prefilter), checked at their edges and normalized into candidates and their
 * entities (sc->cv, sc->ents). */
static void find_candidates(const vnx_extractor *ex, const vnx_mtext *mt, size_t from, const vnx_date *docdate,
                            int prefilter, scratch_t *sc, unsigned long long *clock)
{
    vnx_tokenizer_set_text(sc->tok, mt->text, mt->len);
    if (prefilter) {
        vnx_find_triggers(&ex->pf, mt->text, mt->len, from, &sc->trig);
        stage_done(sc, ST_TRIGGERS, clock);
        vnx_regions_for(&ex->pf, &sc->trig, from, sc->regions);
        stage_done(sc, ST_REGIONS, clock);
    }
    run_rules(ex, mt, from, docdate, prefilter ? &sc->trig : NULL, sc);
    stage_done(sc, ST_RULES, clock);
}

/* Overlap resolution: the longest candidate wins, then the higher priority, then the earlier
 * (a byte map of what is taken). The entities of the winners, but ignored ones, move to
 * sc->keep sorted by start; the others are freed. Returns how many were kept. */
static size_t resolve_overlaps(scratch_t *sc, size_t textlen)
{
    candvec *cv = &sc->cv;
    vnx_entvec *ents = &sc->ents;
    if (cv->n > 1) {
        if (sc->cand_tmp_cap < cv->n) {
            sc->cand_tmp_cap = cv->cap;
            sc->cand_tmp = vnx_xrealloc(sc->cand_tmp, sc->cand_tmp_cap * sizeof *sc->cand_tmp);
        }
        sort_cands(cv->v, cv->n, sc->cand_tmp);
    }
    size_t nbits = textlen / 8 + 1;
    if (sc->taken_cap < nbits) {
        free(sc->taken);
        sc->taken_cap = nbits > 4096 ? nbits : 4096;
        sc->taken = vnx_xmalloc(sc->taken_cap);
    }
    unsigned char *taken = sc->taken;
    memset(taken, 0, nbits);
    if (sc->keep_cap < ents->n) {
        sc->keep_cap = ents->cap;
        sc->keep = vnx_xrealloc(sc->keep, sc->keep_cap * sizeof *sc->keep);
        sc->ent_tmp = vnx_xrealloc(sc->ent_tmp, sc->keep_cap * sizeof *sc->ent_tmp);
    }
    vnx_ent *keep = sc->keep;
    size_t nkeep = 0;
    for (size_t i = 0; i < cv->n; i++) {
        cand_t *c = &cv->v[i];
        int free_span = 1;
        for (size_t b = c->s; b < c->e && free_span; b++)
            if (taken[b >> 3] & (1u << (b & 7))) free_span = 0;
        if (!free_span) continue;
        for (size_t b = c->s; b < c->e; b++) taken[b >> 3] |= (unsigned char)(1u << (b & 7));
        for (size_t k = 0; k < c->count; k++) {
            vnx_ent *en = &ents->v[c->first + k];
            if (en->type == VNX_IGNORE || en->e <= en->s) continue;
            keep[nkeep++] = *en;
            en->value = en->extra = NULL;   /* moved */
        }
    }
    for (size_t i = 0; i < ents->n; i++) ent_free(&ents->v[i]);
    if (nkeep > 1) sort_ents(keep, nkeep, sc->ent_tmp);
    return nkeep;
}

/* Stage 6: the kept entities into the result, their spans mapped back to code points of the
 * original text and their texts cut from it, in one pass; numbers and percentages with the
 * qualifier before them. Takes the entities' values over. */
static void add_entities(const vnx_extractor *ex, vnx_result *r, const vnx_mtext *mt, const doc_text *t,
                         vnx_ent *keep, size_t nkeep)
{
    size_t cp = 0, byte = 0;
    vnx_cp_cursor cur = {0, 0, 0};
    int same = !mt->piece && mt->len == t->len;   /* the match text is the original, byte for byte */
    /* the entities' texts and qualifiers, one after another (the buffer grows if need be) */
    r->e = vnx_xmalloc((nkeep ? nkeep : 1) * sizeof *r->e);
    vnx_buf strings = {0};
    vnx_buf_reserve(&strings, nkeep * 32 + 1);
    for (size_t i = 0; i < nkeep; i++) {
        vnx_ent *en = &keep[i];
        size_t start, end;
        vnx_mtext_span(mt, &cur, en->s, en->e, &start, &end);
        int moved = 0;
        if (i > 0 && start < r->e[r->n - 1].end) start = r->e[r->n - 1].end, moved = 1;   /* never overlap */
        if (end <= start) continue;
        size_t b0, b1;
        if (same && !moved) {
            b0 = en->s;
            b1 = en->e;
        } else {   /* walk the original to its code points */
            if (start > cp) {
                byte = vnx_cp_skip(t->p, t->len, byte, start - cp);
                cp = start;
            }
            b0 = byte;
            b1 = vnx_cp_skip(t->p, t->len, b0, end - start);
        }
        const char *q = NULL;
        if (en->type == VNX_NUMBER || en->type == VNX_PERCENT) q = find_qualifier(ex, mt->text, en->s);
        add_entity(r, en, start, end, t->p + b0, b1 - b0, q, &strings);
    }
    r->strings = strings.p;
    for (size_t i = 0; i < nkeep; i++) ent_free(&keep[i]);
}

/* Adds this thread's counts of a document to the extractor's, and zeroes them. */
static void flush_profile(const vnx_extractor *ex, scratch_t *sc)
{
    for (size_t k = 0; k < prof_len(sc->nmd); k++)
        if (sc->profile[k]) {
            atomic_fetch_add(&ex->profile[k], sc->profile[k]);
            sc->profile[k] = 0;
        }
}

/* The pipeline of one document: decode, normalize, find candidates, resolve overlaps, join
 * date ranges, map back and build the result. */
vnx_result *vnx_extract_mode(const vnx_extractor *ex, const vnx_document *doc, int prefilter)
{
    vnx_result *r = vnx_xcalloc(1, sizeof *r);
    vnx_date docdate = {-1, -1, -1};
    doc_text text = {NULL, 0, {0}};
    size_t from;
    scratch_t *sc = scratch_get(ex);
    unsigned long long clock = sc->profile ? clock_ns() : 0;   /* where the stage being timed began */
    if (!start_result(ex, doc, r, &docdate, &text, &from)) {
        vnx_buf_free(&text.decoded);
        return r;
    }
    stage_done(sc, ST_DECODE, &clock);
    vnx_mtext mt;
    vnx_normalize(text.p, text.len, doc->html, &mt);
    if (from > mt.len) from = mt.len;   /* the prefix is ASCII: the same bytes in the match text */
    stage_done(sc, ST_NORMALIZE, &clock);
    find_candidates(ex, &mt, from, &docdate, prefilter, sc, &clock);
    size_t nkeep = resolve_overlaps(sc, mt.len);
    nkeep = vnx_join_date_ranges(ex, mt.text, sc->keep, nkeep);
    add_entities(ex, r, &mt, &text, sc->keep, nkeep);
    stage_done(sc, ST_RESOLVE, &clock);
    if (sc->profile) flush_profile(ex, sc);
    scratch_trim(sc);
    vnx_mtext_free(&mt);
    vnx_buf_free(&text.decoded);
    return r;
}

/* ---- results --------------------------------------------------------------------------------- */

void vnx_result_free(vnx_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        cJSON_Delete(r->e[i].value);
        cJSON_Delete(r->e[i].extra);
    }
    free(r->e);
    free(r->strings);
    free(r->id);
    free(r->date);
    free(r->error);
    free(r->warning);
    free(r->keep);
    free(r->encoding);
    free(r);
}

size_t vnx_result_count(const vnx_result *r) { return r->n; }
const char *vnx_entity_type(const vnx_result *r, size_t i) { return vnx_type_names[r->e[i].type]; }
size_t vnx_entity_start(const vnx_result *r, size_t i) { return r->e[i].start; }
size_t vnx_entity_end(const vnx_result *r, size_t i) { return r->e[i].end; }
const char *vnx_entity_text(const vnx_result *r, size_t i) { return vnx_res_text(r, i); }
const char *vnx_result_error(const vnx_result *r) { return r->error; }
const char *vnx_result_warning(const vnx_result *r) { return r->warning; }
const char *vnx_result_encoding(const vnx_result *r) { return r->encoding ? r->encoding : "utf-8"; }

/* A string field as a reader of the record finds it: the first key of that name. */
const char *vnx_entity_string(const vnx_result *r, size_t i, const char *field)
{
    const struct res_ent *e = &r->e[i];
    if (!strcmp(field, "type")) return vnx_type_names[e->type];
    if (!strcmp(field, "text")) return vnx_res_text(r, i);
    if (!strcmp(field, "start") || !strcmp(field, "end")) return NULL;
    if (!strcmp(field, "value")) return cJSON_IsString(e->value) ? e->value->valuestring : NULL;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(e->extra, field);
    if (f) return cJSON_IsString(f) ? f->valuestring : NULL;
    return !strcmp(field, "qualifier") ? vnx_res_qualifier(r, i) : NULL;
}
size_t vnx_result_invalid_bytes(const vnx_result *r) { return r->invalid; }

char *vnx_entity_value_json(const vnx_result *r, size_t i) { return vnx_value_print(r, i); }

static int full_scan;
static pthread_once_t full_scan_once = PTHREAD_ONCE_INIT;

static void read_full_scan(void)
{
    const char *v = getenv("VNX_NO_PREFILTER");   /* 1: every rule over the whole text */
    full_scan = v && *v && strcmp(v, "0") != 0;
}

vnx_result *vnx_extract(const vnx_extractor *ex, const vnx_document *doc)
{
    pthread_once(&full_scan_once, read_full_scan);
    return vnx_extract_mode(ex, doc, !full_scan);
}

/* ---- batches --------------------------------------------------------------------------------- */

typedef struct {
    const vnx_extractor *ex;
    const vnx_document *docs;
    size_t n;
    char **json;
    atomic_size_t next;        /* the next document to take: threads take one at a time */
    atomic_uchar *finished;    /* the documents whose records are in json */
    size_t *ready;             /* the leading documents all finished (the caller's, or ours) */
    const size_t *supplied;    /* the leading documents the caller has filled in, or NULL: all */
} batch_t;

/* Document i is finished: moves ready past it and the finished ones after it. Threads race
 * to it; each step goes from the value it saw, so that ready only grows. */
static void batch_finished(batch_t *b, size_t i)
{
    atomic_store_explicit(&b->finished[i], 1, memory_order_release);
    size_t f = __atomic_load_n(b->ready, __ATOMIC_ACQUIRE);
    while (f < b->n && atomic_load_explicit(&b->finished[f], memory_order_acquire))
        if (__atomic_compare_exchange_n(b->ready, &f, f + 1, 1, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE)) f++;
}

/* Waits until the caller has filled in document i: a few yields (it is encoding the next
 * text right now), then short sleeps (it may be slow, or busy elsewhere). */
static void batch_wait_supplied(const batch_t *b, size_t i)
{
    for (unsigned spins = 0; __atomic_load_n(b->supplied, __ATOMIC_ACQUIRE) <= i; spins++) {
        if (spins < 64) sched_yield();
        else nanosleep(&(struct timespec){0, 50000}, NULL);
    }
}

static void *batch_worker(void *arg)
{
    batch_t *b = arg;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;) {
        if (b->supplied) batch_wait_supplied(b, i);
        vnx_result *r = vnx_extract(b->ex, &b->docs[i]);
        b->json[i] = vnx_result_json(r);
        vnx_result_free(r);
        batch_finished(b, i);
    }
    return NULL;
}

void vnx_supply(size_t *supplied, size_t k) { __atomic_store_n(supplied, k, __ATOMIC_RELEASE); }

void vnx_extract_json_many(const vnx_extractor *ex, const vnx_document *docs, size_t n, unsigned threads,
                           char **json, size_t *ready)
{
    vnx_extract_json_supplied(ex, docs, n, threads, json, ready, NULL);
}

void vnx_extract_json_supplied(const vnx_extractor *ex, const vnx_document *docs, size_t n, unsigned threads,
                               char **json, size_t *ready, const size_t *supplied)
{
    size_t own = 0;
    batch_t b = {ex, docs, n, json, 0, vnx_xcalloc(n ? n : 1, sizeof *b.finished), ready ? ready : &own, supplied};
    if (threads > n) threads = (unsigned)n;
    pthread_t *tid = threads > 1 ? vnx_xcalloc(threads - 1, sizeof *tid) : NULL;
    unsigned started = 0;
    for (; started + 1 < threads; started++)   /* the calling thread is one of them */
        if (pthread_create(&tid[started], NULL, batch_worker, &b) != 0) break;
    batch_worker(&b);
    for (unsigned t = 0; t < started; t++) pthread_join(tid[t], NULL);
    free(tid);
    free(b.finished);
}
