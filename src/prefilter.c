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

#define LOOKBACK_DIGIT 80   /* bytes a match may start before its first digit */
#define LOOKBACK_WORD 40    /* ... before its first trigger word */
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

static void add_region(vnx_regions *r, size_t s, size_t limit)
{
    if (r->n && s <= r->v[r->n - 1].limit + 1) {   /* overlaps the last one: merge */
        if (limit > r->v[r->n - 1].limit) r->v[r->n - 1].limit = limit;
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = vnx_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (vnx_region){s, limit};
}

/* Whether code point c is part of a word (letters, combining marks). */
static int word_cp(uint32_t c)
{
    if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF) ||
        (c >= 0x300 && c <= 0x36F))
        return 1;
    return u_isalpha((UChar32)c) || u_getCombiningClass((UChar32)c) != 0;
}

void vnx_find_regions(const vnx_extractor *ex, const char *t, size_t len, size_t from, vnx_regions *digits,
                      vnx_regions *words, vnx_regions *all)
{
    const unsigned char *s = (const unsigned char *)t;
    char low[MAX_WORD * 2 + 8];
    size_t i = from;
    digits->n = words->n = all->n = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b >= '0' && b <= '9') {
            size_t j = i;
            while (j < len && s[j] >= '0' && s[j] <= '9') j++;
            size_t st = i > from + LOOKBACK_DIGIT ? i - LOOKBACK_DIGIT : from;
            add_region(digits, st, j);
            add_region(all, st, j);
            i = j;
            continue;
        }
        if (b == '@') {
            size_t st = i > from + LOOKBACK_DIGIT ? i - LOOKBACK_DIGIT : from;
            add_region(all, st, i + 1);
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
            size_t st = i > from + LOOKBACK_WORD ? i - LOOKBACK_WORD : from;
            add_region(words, st, j);
            add_region(all, st, j);
        }
        i = j;
    }
}
