/* Stage 3a, prefilter: where entities can start.
 *
 * Every rule's match contains a trigger of a kind the rule names with "needs:": a run of
 * digits ("digits", "year", "digits-sep", "day-month", "sep-year"), a word of the numeral lexicons
 * ("words": numerals, ordinals, months, the last word of each Roman-numeral cue,
 * triggers.tsv; "numerals"), a given word ("tháng"), the last word of a lexicon's entries
 * ("@date_cues"), an ASCII character ("%", "@"), or a sequence of these with only white
 * space between ("phần trăm": marked on its first trigger once all are found). A rule that
 * names none runs before every trigger. And no match starts more than "lookback" bytes
 * before its trigger. So instead of running every rule over the whole text, one fast pass
 * finds the triggers, and the rules run only from a little before each trigger (PCRE2's
 * offset limit stops an unanchored search from starting past the region, while the subject
 * stays whole, so lookarounds see the real text). The output is the same as with a scan of
 * the whole text; VNX_NO_PREFILTER=1 turns this off, and a test compares the two.
 *
 * The pass itself goes a code point at a time (scan_step), or, with SSE2, a window of 32
 * bytes at a time (scan_windows): the bytes of words are known from their lead bytes, and a
 * word already in lower case is looked up as it stands. Code points the window does not know
 * go to the byte loop; a unit test compares the two. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "prefilter.h"
#include "util.h"

#define MAX_WORD VNX_TRIGGER_WORD_MAX   /* longer words are never triggers */

/* Words longer than 16 bytes (few), eight bytes at a time; the bytes past the last eight
 * zero-extended. */
static uint64_t hash_long(const unsigned char *s, size_t n)
{
    uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ULL;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
        h ^= h >> 29;
    }
    return h ? h : 1;
}

/* A word of up to 16 bytes (nearly every one) from 16 readable bytes w[0..16), of which the
 * first n count: no branch on the length, which changes from word to word. */
static const unsigned char len_mask[32] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};

static inline uint64_t hash16(const unsigned char *w, size_t n)
{
    uint64_t a, b, ma, mb;
    memcpy(&a, w, 8);
    memcpy(&b, w + 8, 8);
    memcpy(&ma, len_mask + 16 - n, 8);
    memcpy(&mb, len_mask + 24 - n, 8);
    uint64_t h = ((a & ma) ^ (uint64_t)n << 59) * 0xFF51AFD7ED558CCDULL;
    h ^= ((b & mb) + (h >> 31)) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 32;
    return h | 1;
}

/* The hash of any word: the set's words and the text's words are hashed alike. */
static uint64_t hash(const unsigned char *s, size_t n)
{
    if (n > 16) return hash_long(s, n);
    unsigned char w[16] = {0};
    memcpy(w, s, n);
    return hash16(w, n);
}

/* A 16-bit key of the three bytes before end: a word glued to the one before it ends a
 * longer word with the same last three bytes, and few words end like "tháng" or "quý". */
static unsigned tail3_key(unsigned a, unsigned b, unsigned c)
{
    return (a << 16 | b << 8 | c) * 2654435761u >> 16;
}

static int bit(const unsigned char *set, unsigned k) { return set[k >> 3] >> (k & 7) & 1; }
static void set_bit(unsigned char *set, unsigned k) { set[k >> 3] |= (unsigned char)(1u << (k & 7)); }

/* glued: the word also counts at the end of a longer word ("trongtháng"). */
static void set_add(vnx_prefilter *pf, const char *w, size_t n, vnx_kinds mask, int glued)
{
    if (n == 0 || n > MAX_WORD) return;
    uint64_t h = hash((const unsigned char *)w, n);
    size_t i = (size_t)(h & (pf->nslot - 1));
    while (pf->slot[i].hash && pf->slot[i].hash != h) i = (i + 1) & (pf->nslot - 1);
    pf->slot[i].hash = h;
    pf->slot[i].mask |= mask;
    pf->tag[i] = (uint8_t)(h >> 56) | 1;
    if (glued && n >= 2 && n < sizeof pf->glued->w) {
        unsigned t = (unsigned)(unsigned char)w[n - 1] << 8 | (unsigned char)w[n - 2];
        const unsigned char *e = (const unsigned char *)w + n;
        if (n > 2) set_bit(pf->tail3, tail3_key(e[-3], e[-2], e[-1]));
        else   /* glued, a word of two bytes ends one of three or more: any byte before it */
            for (unsigned x = 0; x < 256; x++) set_bit(pf->tail3, tail3_key(x, e[-2], e[-1]));
        size_t k = 0;
        while (k < pf->nglued && !(pf->glued[k].n == n && !memcmp(pf->glued[k].w, w, n))) k++;
        if (k == pf->nglued) {
            pf->glued = vnx_xrealloc(pf->glued, (pf->nglued + 1) * sizeof *pf->glued);
            memset(&pf->glued[k], 0, sizeof *pf->glued);
            memcpy(pf->glued[k].w, w, n);
            pf->glued[k].n = n;
            pf->glued[k].tail = t;
            pf->nglued++;
        }
        pf->glued[k].mask |= mask;
    }
}

static vnx_kinds set_mask(const vnx_prefilter *pf, uint64_t h)
{
    size_t i = (size_t)(h & (pf->nslot - 1));
    uint8_t t = (uint8_t)(h >> 56) | 1;
    while (pf->tag[i]) {
        if (pf->tag[i] == t && pf->slot[i].hash == h) return pf->slot[i].mask;
        i = (i + 1) & (pf->nslot - 1);
    }
    return 0;
}

/* The longest word that counts glued and ends the lower-cased word low[0..k) (k >= 2), at a
 * code point start: its kinds (0 if none), and where it starts in low. */
static vnx_kinds glued_suffix(const vnx_prefilter *pf, const unsigned char *low, size_t k, size_t *at)
{
    vnx_kinds best = 0;
    size_t bestn = 0;
    unsigned t = (unsigned)low[k - 1] << 8 | low[k - 2];
    for (size_t g = pf->glued_at[low[k - 1]]; g < pf->glued_at[low[k - 1] + 1]; g++) {
        const vnx_pf_glued *w = &pf->glued[g];
        if (w->tail != t || w->n >= k || w->n <= bestn) continue;
        if ((low[k - w->n] & 0xC0) == 0x80 || memcmp(low + k - w->n, w->w, w->n)) continue;
        best = w->mask;
        bestn = w->n;
    }
    *at = k - bestn;
    return best;
}

/* Adds a word lower-cased, as the text's words are looked up ("iPhone"). The words a rule
 * names, but for one-letter ones ("h", "m") and whole ones ("=hai", and those of the
 * built-in kinds: words, numerals), count glued to the word before them too. */
static void add_word(vnx_prefilter *pf, const char *w, size_t n, vnx_kinds mask, int whole)
{
    char *low = vnx_lower(w, n);
    size_t len = strlen(low), ncp = 0;
    for (size_t i = 0; i < len; i++) ncp += ((unsigned char)low[i] & 0xC0) != 0x80;
    set_add(pf, low, len, mask, !whole && ncp > 1);
    free(low);
}

/* Adds every word of a lexicon, or only the last word of each entry. */
static void add_lexicon(vnx_prefilter *pf, const vnx_lexicon *lx, int last_only, vnx_kinds mask, int whole)
{
    if (!lx) return;
    for (size_t i = 0; i < lx->n; i++) {
        const char *k = lx->e[i].key;
        const char *end = k + strlen(k);
        const char *w = k;
        while (w < end) {
            const char *sp = strchr(w, ' ');
            if (!sp) sp = end;
            if (!last_only || sp == end) add_word(pf, w, (size_t)(sp - w), mask, whole);
            w = sp + 1;
        }
    }
}

static vnx_kinds trigger_builtin(const char *name)
{
    if (!strcmp(name, "digits")) return VNX_TRIGGER_DIGIT;
    if (!strcmp(name, "words")) return VNX_TRIGGER_WORD;
    if (!strcmp(name, "numerals")) return VNX_TRIGGER_NUMERAL;
    if (!strcmp(name, "year")) return VNX_TRIGGER_YEAR;
    if (!strcmp(name, "digits-sep")) return VNX_TRIGGER_DIGIT_SEP;
    if (!strcmp(name, "sep-year")) return VNX_TRIGGER_SEP_YEAR;
    if (!strcmp(name, "roman")) return VNX_TRIGGER_ROMAN;
    if (!strcmp(name, "day-month")) return VNX_TRIGGER_DAY_MONTH;
    return 0;
}

/* Makes the word, character or lexicon name a trigger of kind bit; "=hai", "=@kinds": whole
 * words only. */
static void add_direct(const vnx_rules *rs, vnx_prefilter *pf, const char *name, vnx_kinds bit)
{
    int whole = name[0] == '=' && name[1];
    if (whole) name++;
    if (name[0] == '@' && name[1]) add_lexicon(pf, vnx_rules_lexicon(rs, name + 1), 1, bit, whole);
    else if (name[1] == 0 && (unsigned char)name[0] < 0x80 && !isalnum((unsigned char)name[0])) {
        if (!pf->chars[(unsigned char)name[0]] && pf->ntchar >= 0)
            pf->ntchar < (int)sizeof pf->tchar ? (void)(pf->tchar[pf->ntchar++] = (unsigned char)name[0])
                                               : (void)(pf->ntchar = -1);
        pf->chars[(unsigned char)name[0]] |= bit;
    }
    else add_word(pf, name, strlen(name), bit, whole);
}

/* A new bit named name. Once all but the last are taken, every new kind shares the last one:
 * a rule of a shared kind runs at the triggers of all shared kinds, more often than it needs
 * but never less, so that a rule added to the patterns loads however many kinds there are. */
static vnx_kinds new_bit(vnx_prefilter *pf, const char *name)
{
    if (pf->nbit < VNX_TRIGGER_MAX - 1) {
        pf->name[pf->nbit] = vnx_xstrdup(name);
        return (vnx_kinds)1 << pf->nbit++;
    }
    pf->shared = vnx_xrealloc(pf->shared, (pf->nshared + 1) * sizeof *pf->shared);
    pf->shared[pf->nshared++] = vnx_xstrdup(name);
    return VNX_TRIGGER_SHARED;
}

static vnx_kinds named_bit(const vnx_prefilter *pf, const char *name)
{
    for (int b = VNX_TRIGGER_NAMED_BIT; b < pf->nbit; b++)
        if (!strcmp(pf->name[b], name)) return (vnx_kinds)1 << b;
    for (size_t k = 0; k < pf->nshared; k++)
        if (!strcmp(pf->shared[k], name)) return VNX_TRIGGER_SHARED;
    return 0;
}

/* The bit of a trigger kind, given a new one if needed. */
static vnx_kinds kind_bit(const vnx_rules *rs, vnx_prefilter *pf, const char *name)
{
    vnx_kinds bit = trigger_builtin(name);
    if (!bit) bit = named_bit(pf, name);
    if (bit) return bit;
    const char *space = strchr(name, ' ');
    if (!space) {
        bit = new_bit(pf, name);
        add_direct(rs, pf, name, bit);
        return bit;
    }
    /* a sequence: its first kind, then the rest (itself a sequence or not), whose first word
     * or lexicon counts whole: one glued to a longer word does not come after white space */
    char *head = vnx_xstrndup(name, (size_t)(space - name));
    vnx_kinds first = kind_bit(rs, pf, head);
    free(head);
    const char *rest = space + 1;
    size_t n = strcspn(rest, " ");
    vnx_buf then_name = {0};
    vnx_buf_add(&then_name, rest, n);   /* its first kind, to ask what it is */
    int word = !trigger_builtin(then_name.p) && rest[0] != '=' && !(n == 1 && !isalnum((unsigned char)rest[0]));
    then_name.len = 0;
    if (word) vnx_buf_addc(&then_name, '=');
    vnx_buf_adds(&then_name, rest);
    vnx_kinds then = kind_bit(rs, pf, then_name.p);
    vnx_buf_free(&then_name);
    if (pf->nseq == VNX_TRIGGER_MAX) return first;   /* no room: wherever its first kind is */
    bit = new_bit(pf, name);
    pf->seq[pf->nseq++] = (vnx_pf_seq){first, then, bit};
    pf->seq_first |= first;
    return bit;
}

/* Whether a need is a plain word, character or lexicon (no built-in kind, no sequence). */
static int is_direct(const char *need) { return !trigger_builtin(need) && !strchr(need, ' '); }

/* A rule's mask. Its plain words, characters and lexicons ("km | dm | cm") share one bit:
 * the scan sets it for any of them, and bits are few. */
static vnx_kinds rule_mask(const vnx_rules *rs, vnx_prefilter *pf, const vnx_pf_rule *r)
{
    vnx_kinds mask = 0, bit = 0;
    vnx_buf direct = {0};
    size_t ndirect = 0;
    for (size_t k = 0; k < r->nneed; k++) {
        const char *n = r->need[k];
        if (!is_direct(n)) {
            mask |= kind_bit(rs, pf, n);
            continue;
        }
        if (ndirect++) vnx_buf_adds(&direct, " | ");
        vnx_buf_adds(&direct, n);
    }
    if (ndirect == 1) bit = kind_bit(rs, pf, direct.p);
    if (ndirect > 1 && !(bit = named_bit(pf, direct.p))) {
        /* words that are kinds of their own already ("tháng | quý"): their bits, no new one */
        for (size_t k = 0; k < r->nneed && bit != VNX_KINDS_ALL; k++)
            if (is_direct(r->need[k])) {
                vnx_kinds b = named_bit(pf, r->need[k]);
                bit = b ? bit | b : VNX_KINDS_ALL;
            }
        if (bit == VNX_KINDS_ALL) bit = 0;
    }
    if (ndirect > 1 && !bit) {
        bit = new_bit(pf, direct.p);
        for (size_t k = 0; k < r->nneed; k++)
            if (is_direct(r->need[k])) add_direct(rs, pf, r->need[k], bit);
    }
    mask |= bit;
    vnx_buf_free(&direct);
    return mask;
}

static void tables_init(void);
static void choose_classify(int avx2);
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int glued_cmp(const void *a, const void *b)
{
    const vnx_pf_glued *x = a, *y = b;
    return x->tail < y->tail ? -1 : x->tail > y->tail;
}

/* Whether t names one kind of trigger: digits, year, words, numerals, digits-sep, sep-year,
 * day-month, roman, a lower-case word, one ASCII punctuation character or @LEXICON; "=word",
 * "=@LEXICON": whole words only. */
static int need_ok(const vnx_rules *rs, const char *t)
{
    if (!*t) return 0;
    if (trigger_builtin(t)) return 1;
    if (t[1] == 0 && t[0] > ' ' && t[0] < 0x7F && !isalnum((unsigned char)t[0])) return 1;
    if (t[0] == '=') {   /* whole words: of a lexicon, or one that is no built-in kind */
        if (trigger_builtin(++t)) return 0;
        if (t[0] == '=') return 0;
    }
    if (t[0] == '@' && t[1]) return vnx_rules_lexicon(rs, t + 1) != NULL;
    for (const char *q = t; *q; q++)
        if ((unsigned char)*q < 0x80 && !islower((unsigned char)*q)) return 0;
    return 1;
}

/* "needs: digits | tháng | % | @roman_cues | phần trăm": the triggers one of which every
 * match holds. A word is matched as a lower-cased word (also glued to the end of the word
 * before it, but for "=word" and one-letter ones); a lexicon as the last word of
 * each entry; kinds separated by spaces as a sequence, each right after the one before with
 * only white space between ("phần trăm", "tháng words"). */
static int parse_needs(const vnx_rules *rs, const vnx_rule *r, vnx_pf_rule *pr, char *val, int line, char *err,
                       size_t errlen)
{
    char *save = NULL;
    for (char *tok = strtok_r(val, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        vnx_buf seq = {0};
        char *save2 = NULL;
        int roman = 0, misplaced = 0;   /* "roman" is looked at after the kind before it: last */
        for (char *k = strtok_r(vnx_trim(tok), " \t", &save2); k; k = strtok_r(NULL, " \t", &save2)) {
            misplaced |= roman;
            roman = trigger_builtin(k) == VNX_TRIGGER_ROMAN;
            misplaced |= roman && !seq.len;
            if (!need_ok(rs, k)) {
                vnx_buf_free(&seq);
                const char *lx = k + (k[0] == '=');
                if (lx[0] == '@' && lx[1]) return vnx_fail_at(err, errlen, r->file, line, "needs: unknown lexicon %s (no lexicons/%s.tsv)", lx, lx + 1);
                return vnx_fail_at(err, errlen, r->file, line, "needs: expected 'digits', 'digits-sep', 'day-month', 'sep-year', 'year', 'words', 'numerals', 'roman', a lower-case word, one punctuation character, @LEXICON, =word or =@LEXICON, got '%s'", k);
            }
            if (seq.len) vnx_buf_addc(&seq, ' ');
            vnx_buf_adds(&seq, strcmp(k, "at") == 0 ? "@" : k);
        }
        if (misplaced) {
            vnx_buf_free(&seq);
            return vnx_fail_at(err, errlen, r->file, line, "needs: 'roman' only ends a sequence ('@roman_cues roman')");
        }
        if (!seq.len) return vnx_fail_at(err, errlen, r->file, line, "needs: an empty alternative");
        pr->need = vnx_xrealloc(pr->need, (pr->nneed + 1) * sizeof *pr->need);
        pr->need[pr->nneed++] = seq.p;
    }
    return 0;
}

/* A rule's "needs:" lines, read into pr. "needs: digits" alone lets the scan skip text
 * without digits: the rule is held to it (what other needs allow, the examples checker tests
 * against a scan of the whole text). */
static int read_needs(const vnx_rules *rs, const vnx_rule *r, vnx_pf_rule *pr, char *err, size_t errlen)
{
    for (size_t k = 0; k < r->nneeds; k++) {
        char *val = vnx_xstrdup(r->needs[k].text);
        int rc = parse_needs(rs, r, pr, val, r->needs[k].line, err, errlen);
        free(val);
        if (rc) return rc;
    }
    int digits_only = pr->nneed == 1 && strcmp(pr->need[0], "digits") == 0;
    for (size_t k = 0; digits_only && k < r->nex; k++)
        if (r->ex[k].span && !strpbrk(r->ex[k].span, "0123456789"))
            return vnx_fail_at(err, errlen, r->file, r->ex[k].line, "rule %s needs digits, but this example's entity has none",
                        r->name);
    return 0;
}

int vnx_prefilter_build(vnx_prefilter *pf, const vnx_rules *rs, char *err, size_t errlen)
{
    pthread_once(&tables_once, tables_init);
    memset(pf, 0, sizeof *pf);
    pf->nrule = rs->nrule;
    pf->rule = vnx_xcalloc(rs->nrule ? rs->nrule : 1, sizeof *pf->rule);
    for (size_t i = 0; i < rs->nrule; i++)
        if (read_needs(rs, &rs->rule[i], &pf->rule[i], err, errlen)) return -1;
    /* a few hundred words in 8192 slots: a word not in the set (most words) mostly finds an
     * empty slot at once, and that is seen in the 8 KB of tags, which stay in cache */
    pf->nslot = 8192;
    pf->slot = vnx_xcalloc(pf->nslot, sizeof *pf->slot);
    pf->tag = vnx_xcalloc(pf->nslot, 1);
    pf->nbit = VNX_TRIGGER_NAMED_BIT;
    pf->nkey = 0;
    pf->max_lookback = 0;
    add_lexicon(pf, vnx_rules_lexicon(rs, "numerals"), 0, VNX_TRIGGER_WORD | VNX_TRIGGER_NUMERAL, 1);
    add_lexicon(pf, vnx_rules_lexicon(rs, "ordinals"), 0, VNX_TRIGGER_WORD, 1);
    add_lexicon(pf, vnx_rules_lexicon(rs, "months"), 0, VNX_TRIGGER_WORD, 1);
    add_lexicon(pf, vnx_rules_lexicon(rs, "roman_cues"), 1, VNX_TRIGGER_WORD, 1);
    add_lexicon(pf, vnx_rules_lexicon(rs, "triggers"), 0, VNX_TRIGGER_WORD, 1);
    for (size_t i = 0; i < pf->nrule; i++) {
        vnx_pf_rule *r = &pf->rule[i];
        r->mask = r->nneed ? rule_mask(rs, pf, r) : 0;
        r->lookback = rs->rule[i].lookback;
        if (r->lookback < 0) r->lookback = r->mask == VNX_TRIGGER_WORD ? 40 : 80;
        size_t j = 0;   /* the first rule with the same regions, if any */
        while (j < i && !(pf->rule[j].mask == r->mask && pf->rule[j].lookback == r->lookback)) j++;
        r->region_key = j < i ? pf->rule[j].region_key : pf->nkey++;
    }
    /* each key's kinds and lookback, and the keys of each kind (a rule without needs: all) */
    pf->key_mask = vnx_xcalloc(pf->nkey ? pf->nkey : 1, sizeof *pf->key_mask);
    pf->key_lookback = vnx_xcalloc(pf->nkey ? pf->nkey : 1, sizeof *pf->key_lookback);
    for (size_t i = 0; i < pf->nrule; i++) {
        const vnx_pf_rule *r = &pf->rule[i];
        pf->key_mask[r->region_key] = r->mask ? r->mask : VNX_KINDS_ALL;
        pf->key_lookback[r->region_key] = (size_t)r->lookback;
        if ((size_t)r->lookback > pf->max_lookback) pf->max_lookback = (size_t)r->lookback;
    }
    size_t n = 0;
    for (int b = 0; b < VNX_TRIGGER_MAX; b++)
        for (size_t k = 0; k < pf->nkey; k++) n += pf->key_mask[k] >> b & 1;
    pf->key_of_bit = vnx_xmalloc((n ? n : 1) * sizeof *pf->key_of_bit);
    n = 0;
    for (int b = 0; b < VNX_TRIGGER_MAX; b++) {
        pf->key_of_bit_at[b] = n;
        for (size_t k = 0; k < pf->nkey; k++)
            if (pf->key_mask[k] >> b & 1) pf->key_of_bit[n++] = k;
    }
    pf->key_of_bit_at[VNX_TRIGGER_MAX] = n;
    if (pf->nglued) qsort(pf->glued, pf->nglued, sizeof *pf->glued, glued_cmp);
    for (unsigned b = 0, g = 0; b <= 256; b++) {   /* sorted by last byte first: where each starts */
        while (g < pf->nglued && pf->glued[g].tail >> 8 < b) g++;
        pf->glued_at[b] = g;
    }
    /* the sequences by their first kind (one bit each), so that a trigger looks only at its own */
    vnx_pf_seq by[VNX_TRIGGER_MAX];
    int nby = 0;
    for (int b = 0; b < VNX_TRIGGER_MAX; b++) {
        pf->seq_at[b] = nby;
        pf->then_of[b] = 0;
        for (int q = 0; q < pf->nseq; q++)
            if (pf->seq[q].first == (vnx_kinds)1 << b) {
                by[nby++] = pf->seq[q];
                pf->then_of[b] |= pf->seq[q].then;
            }
    }
    pf->seq_at[VNX_TRIGGER_MAX] = nby;
    memcpy(pf->seq, by, (size_t)nby * sizeof *by);
    return 0;
}

void vnx_prefilter_free(vnx_prefilter *pf)
{
    free(pf->slot);
    free(pf->tag);
    free(pf->glued);
    for (int b = VNX_TRIGGER_NAMED_BIT; b < pf->nbit; b++) free(pf->name[b]);
    for (size_t k = 0; k < pf->nshared; k++) free(pf->shared[k]);
    free(pf->shared);
    free(pf->key_mask);
    free(pf->key_lookback);
    free(pf->key_of_bit);
    for (size_t i = 0; i < pf->nrule; i++) {
        for (size_t k = 0; k < pf->rule[i].nneed; k++) free(pf->rule[i].need[k]);
        free(pf->rule[i].need);
    }
    free(pf->rule);
    memset(pf, 0, sizeof *pf);
}

static void add_trigger(vnx_triggers *t, size_t s, size_t e, vnx_kinds kind)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = vnx_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = (vnx_trigger){s, e, kind, t->slack};
}

/* How much further back than its lookback a match may start before trigger i: the slack
 * between the region's start and the trigger, or more. Counted from the last trigger that
 * starts max_lookback bytes or more before trigger i, or from an earlier one when the region
 * grown by that slack reaches past it, or from the scan's start. So only the slack near a
 * trigger counts: a document with thousands of blank lines keeps regions as short as one
 * without. */
static size_t extra_back(const vnx_triggers *t, size_t i, size_t from, size_t max_lookback)
{
    const vnx_trigger *g = &t->v[i];
    if (!g->slack) return 0;
    size_t j = i;
    while (j > 0 && t->v[j - 1].s + max_lookback > g->s) j--;
    while (j-- > 0) {   /* trigger j starts where the region would, or before */
        size_t extra = g->slack - t->v[j].slack;
        if (t->v[j].s + max_lookback + extra <= g->s || t->v[j].s <= from) return extra;
    }
    return g->slack;   /* the scan's start */
}

void vnx_regions_for(const vnx_prefilter *pf, const vnx_triggers *t, size_t from, vnx_regions *out)
{
    for (size_t k = 0; k < pf->nkey; k++) out[k].n = 0;
    /* one pass over the triggers, each to the keys of its kinds (a key it reaches through
     * two kinds merges into the region just made) */
    for (size_t i = 0; i < t->n; i++) {
        const vnx_trigger *g = &t->v[i];
        size_t extra = extra_back(t, i, from, pf->max_lookback);
        for (vnx_kinds kind = g->kind; kind; kind &= kind - 1) {
            int b = vnx_kinds_low(kind);
            for (size_t q = pf->key_of_bit_at[b]; q < pf->key_of_bit_at[b + 1]; q++) {
                size_t k = pf->key_of_bit[q], lookback = pf->key_lookback[k] + extra;
                vnx_regions *r = &out[k];
                size_t s = g->s > from + lookback ? g->s - lookback : from;
                if (r->n && s <= r->v[r->n - 1].limit + 1) {   /* overlaps the last one: merge */
                    if (g->e > r->v[r->n - 1].limit) r->v[r->n - 1].limit = g->e;
                    continue;
                }
                if (r->n == r->cap) {
                    r->cap = r->cap ? r->cap * 2 : 64;
                    r->v = vnx_xrealloc(r->v, r->cap * sizeof *r->v);
                }
                r->v[r->n++] = (vnx_region){s, g->e};
            }
        }
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

/* Lower case of the code points of Vietnamese words, or 0 for one that is no word
 * character: U+0000-U+036F and U+1E00-U+1EFF, from ICU once. */
static uint16_t low_lat[0x370], low_viet[0x100];

static void tables_init(void)
{
    choose_classify(1);
    for (uint32_t c = 0; c < 0x370; c++) low_lat[c] = word_cp(c) ? (uint16_t)u_tolower((UChar32)c) : 0;
    for (uint32_t c = 0; c < 0x100; c++) low_viet[c] = (uint16_t)u_tolower((UChar32)(0x1E00 + c));
}

static uint32_t lower_word_cp(uint32_t c)
{
    if (c < 0x370) return low_lat[c];
    if (c >= 0x1E00 && c <= 0x1EFF) return low_viet[c - 0x1E00];
    return word_cp(c) ? (uint32_t)u_tolower((UChar32)c) : 0;
}

/* Appends code point c to the lower-cased word low[0..k) while it fits; returns the new
 * length in bytes (past MAX_WORD: too long to be a trigger). */
static size_t put_lower(unsigned char *low, size_t k, uint32_t c)
{
    size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : MAX_WORD + 1;
    if (k + n > MAX_WORD) return k + n;
    if (n == 1) low[k] = (unsigned char)c;
    else if (n == 2) { low[k] = (unsigned char)(0xC0 | (c >> 6)); low[k + 1] = (unsigned char)(0x80 | (c & 0x3F)); }
    else { low[k] = (unsigned char)(0xE0 | (c >> 12)); low[k + 1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F)); low[k + 2] = (unsigned char)(0x80 | (c & 0x3F)); }
    return k + n;
}

/* The byte of the text where the lower-cased word that starts at t[i] reaches byte at. */
static size_t original_offset(const char *t, size_t len, size_t i, size_t at)
{
    unsigned char low[MAX_WORD + 4];
    size_t k = 0;
    while (k < at) {
        uint32_t c = vnx_next_cp(t, len, &i);
        k = put_lower(low, k, lower_word_cp(c));
    }
    return i;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int is_sep(unsigned char c) { return c == '/' || c == '-' || c == '.'; }

/* Whether code point c is white space, as \s is to the patterns, or wider. */
static int space_cp(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || u_isUWhiteSpace((UChar32)c) || u_charType((UChar32)c) == U_SPACE_SEPARATOR;
}

/* Whether s[k] is white space: a space or a line break, the match text's only white space
 * (the normalizer makes every other a space; \s in a pattern: "6\n/2"). */
static int space_at(const unsigned char *s, size_t len, size_t k) { return k < len && (s[k] == ' ' || s[k] == '\n'); }

/* Where the digits after a separator at s[k] start ('/', '-', '.', and ',' too when comma;
 * one white-space character allowed on each side), or 0 when no separator and digit are
 * there. */
static size_t digits_after_sep(const unsigned char *s, size_t len, size_t k, int comma)
{
    k += (size_t)space_at(s, len, k);
    if (k >= len || !(is_sep(s[k]) || (comma && s[k] == ','))) return 0;
    k++;
    k += (size_t)space_at(s, len, k);
    return k < len && is_digit(s[k]) ? k : 0;
}

/* The kinds of the run of digits s[i..j). */
static vnx_kinds digit_kind(const unsigned char *s, size_t len, size_t i, size_t j)
{
    vnx_kinds kind = VNX_TRIGGER_DIGIT;
    if (j - i == 4 && ((s[i] == '1' && (s[i + 1] == '8' || s[i + 1] == '9')) ||
                       (s[i] == '2' && (s[i + 1] == '0' || s[i + 1] == '1')))) {
        kind |= VNX_TRIGGER_YEAR;
        size_t k = i;   /* "25/12/2023", "Số 15/2023": digits and a separator before it */
        if (k > 0 && space_at(s, len, k - 1)) k--;
        if (k > 0 && is_sep(s[k - 1])) {
            k--;
            if (k > 0 && space_at(s, len, k - 1)) k--;
            if (k > 0 && is_digit(s[k - 1])) kind |= VNX_TRIGGER_SEP_YEAR;
        }
    }
    /* and a separator after it, or a decimal comma ("123456789,5 - 10") */
    size_t k = digits_after_sep(s, len, j, 1);
    if (k) {
        kind |= VNX_TRIGGER_DIGIT_SEP;
        /* a day and a month: both runs one or two digits, no comma between, and no third
         * part ("6/2/2017") */
        size_t m = k;
        while (m < len && is_digit(s[m])) m++;
        if (j - i <= 2 && m - k <= 2 && digits_after_sep(s, len, j, 0) && !digits_after_sep(s, len, m, 0))
            kind |= VNX_TRIGGER_DAY_MONTH;
    }
    return kind;
}

/* The trigger of the word t[i..j), lower-cased low[0..k): a word of the set, or one glued
 * to the end of a longer word ("trongquý", "vàonăm": patterns that do not start at a word
 * boundary match there). */
static inline __attribute__((always_inline)) void
word_trigger(const vnx_prefilter *pf, const char *t, size_t len, size_t i, size_t j, const unsigned char *low, size_t k,
             uint64_t h, vnx_triggers *out)
{
    if (k > MAX_WORD) return;
    vnx_kinds mask = set_mask(pf, h);
    if (mask) {
        add_trigger(out, i, j, mask);
        return;
    }
    if (k < 3) return;   /* a glued word has two bytes or more, and the word is longer */
    size_t at;
    if (bit(pf->tail3, tail3_key(low[k - 3], low[k - 2], low[k - 1])) && (mask = glued_suffix(pf, low, k, &at)))
        add_trigger(out, original_offset(t, len, i, at), j, mask);
}

/* The word that starts at t[i], lower-cased while it is short enough to be a trigger, and its
 * trigger. Returns its end: i when t[i] starts no word. */
static size_t scan_word(const vnx_prefilter *pf, const char *t, size_t len, size_t i, vnx_triggers *out)
{
    const unsigned char *s = (const unsigned char *)t;
    size_t j = i, k = 0;
    unsigned char low[MAX_WORD + 4];
    while (j < len) {
        unsigned char c = s[j];
        if (c < 0x80) {
            if ((c | 0x20) < 'a' || (c | 0x20) > 'z') break;
            if (k < MAX_WORD) low[k] = c | 0x20;
            k++;
            j++;
            continue;
        }
        size_t at = j;
        uint32_t lc = lower_word_cp(vnx_next_cp(t, len, &j));
        if (!lc) { j = at; break; }
        k = put_lower(low, k, lc);
    }
    if (j > i && k <= MAX_WORD) word_trigger(pf, t, len, i, j, low, k, hash(low, k), out);
    return j;
}

/* One step at t[i], the start of a code point: a run of digits, a trigger character, a word
 * or any other code point. Returns where the next step starts. */
static size_t scan_step(const vnx_prefilter *pf, const char *t, size_t len, size_t i, vnx_triggers *out)
{
    const unsigned char *s = (const unsigned char *)t;
    unsigned char b = s[i];
    int space = 0;
    size_t j;
    if (b >= '0' && b <= '9') {
        j = i + 1;
        while (j < len && is_digit(s[j])) j++;
        add_trigger(out, i, j, digit_kind(s, len, i, j));
    } else if (b < 0x80 && ((b | 0x20) < 'a' || (b | 0x20) > 'z')) {
        if (pf->chars[b]) add_trigger(out, i, i + 1, pf->chars[b]);
        j = i + 1;
        space = b == ' ' || b == '\n';
    } else if ((j = scan_word(pf, t, len, i, out)) == i) {   /* no word character here: one code point */
        vnx_next_cp(t, len, &j);
        if (j == i) j = i + 1;
    }
    if (space) out->slack += (size_t)out->space_before;
    out->space_before = space;
    return j;
}

#ifdef __SSE2__
#include <emmintrin.h>

/* What the window scan needs to know of 32 bytes p[0..32) (and of the two bytes after them),
 * one bit per byte. */
typedef struct {
    uint64_t word;     /* bytes of words: ASCII letters, the letters below, all their bytes
                          (the last letters' continuation bytes in the bits past the 32) */
    uint32_t upper;    /* bytes of letters beyond ASCII that may be upper case */
    uint32_t digit, tchar;
    uint32_t space;    /* spaces and line breaks, the match text's only white space */
    uint32_t other;    /* lead bytes of code points this scan does not know: the byte loop's */
} classes_t;

/* 32 bytes as a vector of GCC's vector extensions: comparisons give 0 or -1 in each byte.
 * classify is written once over them; compiled as it is, each operation is two SSE2 ones
 * (every x86-64), and inside a function for AVX2 (chosen at run time where the processor
 * has it) one AVX2 operation. */
typedef signed char v32 __attribute__((vector_size(32)));

/* One bit per byte of *m, whose bytes are 0 or -1 (by pointer: a 32-byte vector passed by
 * value draws ABI notes from GCC). */
static inline __attribute__((always_inline)) uint32_t bits32(const v32 *m)
{
    __m128i lo, hi;
    memcpy(&lo, m, 16);
    memcpy(&hi, (const char *)m + 16, 16);
    return (uint32_t)_mm_movemask_epi8(lo) | (uint32_t)_mm_movemask_epi8(hi) << 16;
}

/* Bytes from lo to hi; 0x80-0xFF are the signed -128..-1. */
#define IN(v, lo, hi) (((v) >= (signed char)(lo)) & ((v) <= (signed char)(hi)))

static inline __attribute__((always_inline)) classes_t classify(const vnx_prefilter *pf, const unsigned char *p)
{
    v32 v, nx, nx2;   /* the bytes, one further, two further */
    memcpy(&v, p, 32);
    memcpy(&nx, p + 1, 32);
    memcpy(&nx2, p + 2, 32);
    classes_t c;
    v32 upper = IN(v, 'A', 'Z'), letter = upper | IN(v, 'a', 'z'), digit = IN(v, '0', '9');
    c.digit = bits32(&digit);
    v32 t = {0};
    for (int k = 0; k < pf->ntchar; k++) t |= v == (signed char)pf->tchar[k];
    c.tchar = bits32(&t);
    /* U+00C0-U+023F but × and ÷ (C3 97, C3 B7) are letters, two bytes; so is U+1E00-U+1EFF,
     * three bytes from E1 B8-BB. U+2000-U+203F (E2 80: quotes, dashes, spaces) are none. */
    v32 c3 = v == (signed char)0xC3, sign = c3 & ((nx == (signed char)0x97) | (nx == (signed char)0xB7));
    v32 two = (c3 & ~sign) | IN(v, 0xC4, 0xC8);
    v32 three = (v == (signed char)0xE1) & IN(nx, 0xB8, 0xBB);
    v32 punct = (v == (signed char)0xE2) & (nx == (signed char)0x80);
    v32 space = (v == ' ') | (v == '\n');
    c.space = bits32(&space);
    uint64_t two_b = bits32(&two), three_b = bits32(&three);
    c.word = bits32(&letter) | two_b | two_b << 1 | three_b | three_b << 1 | three_b << 2;
    /* lower case for sure: U+00E0-U+00FF (C3 A0-BF), the odd code points of U+1E00-U+1EFF, and
     * ă đ ĩ ũ ơ ư; any other letter goes through the byte loop's lower-casing */
    v32 lower2 = (c3 & IN(nx, 0xA0, 0xBF)) |
                 ((v == (signed char)0xC4) & ((nx == (signed char)0x83) | (nx == (signed char)0x91) | (nx == (signed char)0xA9))) |
                 ((v == (signed char)0xC5) & (nx == (signed char)0xA9)) |
                 ((v == (signed char)0xC6) & ((nx == (signed char)0xA1) | (nx == (signed char)0xB0)));
    v32 odd3 = three & ((nx2 & 1) == 1);
    v32 maybe_upper = (two & ~lower2) | (three & ~odd3);
    c.upper = bits32(&maybe_upper);
    /* lead bytes (11xxxxxx) of none of the above */
    v32 unknown = ~(two | three | sign | punct) & IN(v, 0xC0, 0xFF);
    c.other = bits32(&unknown);
    return c;
}
#undef IN

static classes_t classify32_sse2(const vnx_prefilter *pf, const unsigned char *p) { return classify(pf, p); }

static classes_t (*classify32)(const vnx_prefilter *, const unsigned char *) = classify32_sse2;

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static classes_t classify32_avx2(const vnx_prefilter *pf, const unsigned char *p)
{
    return classify(pf, p);
}
#endif

static void choose_classify(int avx2)
{
    classify32 = classify32_sse2;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (avx2 && __builtin_cpu_supports("avx2")) classify32 = classify32_avx2;
#else
    (void)avx2;
#endif
}

/* p[0..16) or p[0..32) (n: how many bytes count, up to 32) with ASCII capitals in lower
 * case, to out. */
static void lower_ascii(const unsigned char *p, size_t n, unsigned char *out)
{
    for (size_t k = 0; k < n; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        _mm_storeu_si128((__m128i *)(out + k), _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20))));
    }
}

/* The triggers from t[i] on, a window of 64 bytes at a time, those that start in its first
 * 32 bytes: the bytes of words are known from their lead bytes, so that a word in lower
 * case but for ASCII capitals (lowered with the window) is looked up without a step per
 * byte. The window moves 32 bytes at a time (its second half classified once). Returns
 * where the byte loop goes on, the start of a code point: a window holds a code point this
 * scan does not know, or fewer than 96 bytes are left (66 to classify, a word of up to 24
 * bytes lowered 32 bytes at a time from the window's first half). */
static size_t scan_windows(const vnx_prefilter *pf, const char *t, size_t len, size_t i, vnx_triggers *out)
{
    const unsigned char *s = (const unsigned char *)t;
    size_t done = i;   /* the triggers before this are found */
    if (pf->ntchar < 0) return i;
    classes_t a = {0, 0, 0, 0, 0, 0}, b;
    size_t slack = out->slack;   /* in a register while the loop runs; stored for each trigger */
    uint32_t space_before = (uint32_t)out->space_before;
    int have_a = 0;
    _Alignas(32) unsigned char low[32];   /* the word being looked up, lowered */
    for (; len - i >= 96; i += 32, a = b, have_a = 1) {
        if (!have_a) a = classify32(pf, s + i);
        b = classify32(pf, s + i + 32);
        if (a.other | b.other) break;
        uint32_t again = a.space & (a.space << 1 | space_before);   /* slack */
        space_before = a.space >> 31;
        uint64_t word = a.word | b.word << 32, upper = a.upper | (uint64_t)b.upper << 32,
                 digit = a.digit | (uint64_t)b.digit << 32;
        uint32_t events = (uint32_t)((word & ~(word << 1)) | (digit & ~(digit << 1))) | a.tchar;
        if (done > i) events = done - i >= 32 ? 0 : events & (~0u << (done - i));   /* taken already */
        out->slack = slack;   /* the slack before each trigger: this, but for the window's own */
        while (events) {
            unsigned p = (unsigned)__builtin_ctz(events);
            events &= events - 1;
            size_t at = i + p, j;
            if (again) out->slack = slack + (size_t)__builtin_popcount(again & (uint32_t)((1ull << p) - 1));   /* before at */
            if (digit >> p & 1) {
                j = at + 1;
                while (j < len && is_digit(s[j])) j++;
                add_trigger(out, at, j, digit_kind(s, len, at, j));
            } else if (!(word >> p & 1)) {
                j = at + 1;
                add_trigger(out, at, j, pf->chars[s[at]]);
            } else {
                uint64_t rest = ~word >> p;   /* the word ends at its first zero bit */
                unsigned n = rest ? (unsigned)__builtin_ctzll(rest) : 64;
                if (p + n >= 64 || (upper >> p & ((1ull << n) - 1))) {
                    j = scan_word(pf, t, len, at, out);   /* past the window, or maybe a capital */
                } else {
                    j = at + n;
                    /* lowered into an aligned buffer of its own, which the hash reads back
                     * whole (loads that straddle two stores stall) */
                    if (n <= MAX_WORD) {
                        lower_ascii(s + at, n, low);
                        word_trigger(pf, t, len, at, j, low, n, n <= 16 ? hash16(low, n) : hash_long(low, n), out);
                    }
                }
            }
            if (j > done) done = j;
        }
        if (again) slack += (size_t)__builtin_popcount(again);
    }
    /* the byte loop goes on after a word or digits (no white space before it), or at a
     * code point the window saw no white space in */
    out->slack = slack;
    out->space_before = done > i ? 0 : (int)space_before;
    if (done >= i) return done;
    /* back to the start of the code point at i: one that starts no trigger, as the window
     * before showed */
    while ((s[i] & 0xC0) == 0x80) i--;
    return i > done ? i : done;
}
#else
static void choose_classify(int avx2) { (void)avx2; }

static size_t scan_windows(const vnx_prefilter *pf, const char *t, size_t len, size_t i, vnx_triggers *out)
{
    (void)pf; (void)t; (void)len; (void)out;
    return i;
}
#endif

/* Whether t[s..e) is white space only (or empty). */
static int only_space(const char *t, size_t s, size_t e)
{
    while (s < e)
        if (!space_cp(vnx_next_cp(t, e, &s))) return 0;
    return 1;
}

/* Whether white space and then a word of Roman numeral letters follow t[e] ("khóa XII",
 * "phần ix"): a run of I V X L C D M in either case, then no letter or digit. */
static int roman_after(const char *t, size_t len, size_t e)
{
    size_t i = e;
    while (space_at((const unsigned char *)t, len, i)) i++;
    if (i == e) return 0;
    size_t k = i;
    while (k < len && t[k] && strchr("IVXLCDMivxlcdm", t[k])) k++;
    if (k == i) return 0;
    if (k == len) return 1;
    uint32_t c = vnx_next_cp(t, len, &k);
    return !(c >= '0' && c <= '9') && !(U_GET_GC_MASK((UChar32)c) & U_GC_L_MASK);
}

/* Sequences of kinds ("phần trăm"): a trigger of the first kind gets the sequence's bit when
 * the next one, with only white space between, is of the kind that follows ("roman": when
 * the text after it holds such a word). From the last trigger back, so that a longer sequence
 * finds the shorter one it ends with already marked. */
static void mark_sequences(const vnx_prefilter *pf, const char *t, size_t len, vnx_triggers *out)
{
    for (size_t i = out->n; i-- > 0;) {
        vnx_trigger *g = &out->v[i];
        vnx_kinds first = g->kind & pf->seq_first;
        if (!first) continue;
        const vnx_trigger *next = i + 1 < out->n ? &out->v[i + 1] : NULL;
        vnx_kinds then = next && next->s >= g->e ? next->kind : 0;
        int near = -1;   /* not looked at yet */
        for (; first; first &= first - 1) {
            int b = vnx_kinds_low(first);
            if (!(pf->then_of[b] & (then | VNX_TRIGGER_ROMAN))) continue;
            for (int q = pf->seq_at[b]; q < pf->seq_at[b + 1]; q++) {
                const vnx_pf_seq *sq = &pf->seq[q];
                if (sq->then == VNX_TRIGGER_ROMAN) {
                    if (roman_after(t, len, g->e)) g->kind |= sq->bit;
                    continue;
                }
                if (!(then & sq->then)) continue;
                if (near < 0) near = only_space(t, g->e, next->s);
                if (near) g->kind |= sq->bit;
            }
        }
    }
}

static void find_triggers(const vnx_prefilter *pf, const char *t, size_t len, size_t from, vnx_triggers *out,
                          int windows)
{
    pthread_once(&tables_once, tables_init);
    size_t i = from;
    out->n = 0;
    out->slack = 0;
    out->space_before = 0;
    while (i < len) {
        if (windows) i = scan_windows(pf, t, len, i, out);
        for (size_t stop = i + 16; i < len && i < stop;) i = scan_step(pf, t, len, i, out);
    }
    if (pf->nseq && out->n) mark_sequences(pf, t, len, out);
}

void vnx_find_triggers(const vnx_prefilter *pf, const char *t, size_t len, size_t from, vnx_triggers *out)
{
    find_triggers(pf, t, len, from, out, 1);
}

void vnx_prefilter_use_avx2(int on)
{
    pthread_once(&tables_once, tables_init);
    choose_classify(on);
}

void vnx_find_triggers_bytewise(const vnx_prefilter *pf, const char *t, size_t len, size_t from, vnx_triggers *out)
{
    find_triggers(pf, t, len, from, out, 0);
}
