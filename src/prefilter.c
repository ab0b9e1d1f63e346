/* Stage 3a, prefilter: where entities can start.
 *
 * Every rule's match contains a trigger: a digit, or a word of the trigger lexicons
 * (numerals, ordinals, months, the last word of each Roman-numeral cue, triggers.tsv), or
 * an '@'. And no match starts more than a few words before its first trigger. So instead
 * of running every rule over the whole text, one fast pass finds the triggers, and the
 * rules run only from a little before each trigger (PCRE2's offset limit stops an
 * unanchored search from starting past the region, while the subject stays whole, so
 * lookarounds see the real text). The output is the same as with a scan of the whole text;
 * VNX_NO_PREFILTER=1 turns this off, and a test compares the two. */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "internal.h"

#define MAX_WORD 24         /* longer words are never triggers */

static uint64_t hash(const unsigned char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

static void set_add(vnx_prefilter *pf, const char *w, size_t n)
{
    if (n == 0 || n > MAX_WORD) return;
    uint64_t h = hash((const unsigned char *)w, n);
    size_t i = (size_t)(h & (pf->nslot - 1));
    while (pf->slot[i] && pf->slot[i] != h) i = (i + 1) & (pf->nslot - 1);
    pf->slot[i] = h ? h : 1;
}

static int set_has(const vnx_prefilter *pf, const char *w, size_t n)
{
    uint64_t h = hash((const unsigned char *)w, n);
    if (!h) h = 1;
    size_t i = (size_t)(h & (pf->nslot - 1));
    while (pf->slot[i]) {
        if (pf->slot[i] == h) return 1;
        i = (i + 1) & (pf->nslot - 1);
    }
    return 0;
}

/* Adds every word of a lexicon, or only the last word of each entry. */
static void add_lexicon(vnx_prefilter *pf, const vnx_lexicon *lx, int last_only)
{
    if (!lx) return;
    for (size_t i = 0; i < lx->n; i++) {
        const char *k = lx->e[i].key;
        const char *end = k + strlen(k);
        const char *w = k;
        while (w < end) {
            const char *sp = strchr(w, ' ');
            if (!sp) sp = end;
            if (!last_only || sp == end) set_add(pf, w, (size_t)(sp - w));
            w = sp + 1;
        }
    }
}

void vnx_prefilter_build(vnx_extractor *ex)
{
    vnx_prefilter *pf = &ex->pf;
    pf->nslot = 4096;
    pf->slot = vnx_xcalloc(pf->nslot, sizeof *pf->slot);
    add_lexicon(pf, ex->numerals, 0);
    add_lexicon(pf, vnx_extractor_lexicon(ex, "ordinals"), 0);
    add_lexicon(pf, vnx_extractor_lexicon(ex, "months"), 0);
    add_lexicon(pf, vnx_extractor_lexicon(ex, "roman_cues"), 1);
    add_lexicon(pf, vnx_extractor_lexicon(ex, "triggers"), 0);
}

void vnx_prefilter_free(vnx_extractor *ex)
{
    free(ex->pf.slot);
    ex->pf.slot = NULL;
}

static void add_trigger(vnx_triggers *t, size_t s, size_t e, int kind)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = vnx_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = (vnx_trigger){s, e, kind};
}

void vnx_regions_for(const vnx_triggers *t, int kinds, size_t lookback, size_t from, vnx_regions *out)
{
    out->n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const vnx_trigger *g = &t->v[i];
        if (!(g->kind & kinds)) continue;
        size_t s = g->s > from + lookback ? g->s - lookback : from;
        if (out->n && s <= out->v[out->n - 1].limit + 1) {   /* overlaps the last one: merge */
            if (g->e > out->v[out->n - 1].limit) out->v[out->n - 1].limit = g->e;
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->v = vnx_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        out->v[out->n++] = (vnx_region){s, g->e};
    }
}

/* Whether code point c is part of a word (letters, combining marks). */
static int word_cp(uint32_t c)
{
    if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF) ||
        (c >= 0x300 && c <= 0x36F))
        return 1;
    return u_isalpha((UChar32)c) || u_getCombiningClass((UChar32)c) != 0;
}

void vnx_find_triggers(const vnx_extractor *ex, const char *t, size_t len, size_t from, vnx_triggers *out)
{
    const unsigned char *s = (const unsigned char *)t;
    char low[MAX_WORD * 2 + 8];
    size_t i = from;
    out->n = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b >= '0' && b <= '9') {
            size_t j = i;
            while (j < len && s[j] >= '0' && s[j] <= '9') j++;
            add_trigger(out, i, j, VNX_TRIGGER_DIGIT);
            i = j;
            continue;
        }
        if (b == '@') {
            add_trigger(out, i, i + 1, VNX_TRIGGER_OTHER);
            i++;
            continue;
        }
        int ascii_letter = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
        if (!ascii_letter && b < 0x80) { i++; continue; }
        /* a word: lower-case it while it is short enough to be a trigger */
        size_t j = i, k = 0;
        int too_long = 0, isword = 0;
        while (j < len) {
            unsigned char c = s[j];
            if (c < 0x80) {
                if ((c | 0x20) < 'a' || (c | 0x20) > 'z') break;
                if (k < sizeof low - 1) low[k++] = (char)(c | 0x20);
                j++;
                isword = 1;
                continue;
            }
            size_t at = j;
            uint32_t cp = vnx_next_cp(t, len, &j);
            if (!word_cp(cp)) { j = at; break; }
            isword = 1;
            if (!too_long) {
                uint32_t lc = (uint32_t)u_tolower((UChar32)cp);
                char enc[4];
                size_t n = 0;
                if (lc < 0x80) enc[n++] = (char)lc;
                else if (lc < 0x800) { enc[n++] = (char)(0xC0 | (lc >> 6)); enc[n++] = (char)(0x80 | (lc & 0x3F)); }
                else { enc[n++] = (char)(0xE0 | (lc >> 12)); enc[n++] = (char)(0x80 | ((lc >> 6) & 0x3F)); enc[n++] = (char)(0x80 | (lc & 0x3F)); }
                if (lc >= 0x10000 || k + n >= sizeof low - 1) too_long = 1;
                else { memcpy(low + k, enc, n); k += n; }
            }
        }
        if (!isword) { i = j > i ? j : i + 1; continue; }
        if (!too_long && k <= MAX_WORD && set_has(&ex->pf, low, k)) {
            add_trigger(out, i, j, VNX_TRIGGER_WORD);
        }
        i = j;
    }
}
