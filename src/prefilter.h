/* Stage 3a, prefilter (prefilter.c): where the rules' matches can start. It reads the
 * rules' "needs:" (rules.h) and finds their triggers in a text; the extractor runs each rule
 * only over the regions around them. */
#ifndef VNX_PREFILTER_H
#define VNX_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

/* A set of trigger kinds, one bit each: 128 of them where the compiler has 128-bit integers
 * (the bundled rules name 62 kinds of their own, and rules users add need room), else 64.
 * The built-in kinds take the first VNX_TRIGGER_NAMED_BIT bits. */
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 vnx_kinds;
#else
typedef uint64_t vnx_kinds;
#endif

/* Trigger kinds are bits: digits, the numeral words ("words"), and one bit for each other
 * trigger a rule names (a word, a character, a lexicon). */
enum {
    VNX_TRIGGER_DIGIT = 1,      /* "digits": a run of digits */
    VNX_TRIGGER_WORD = 2,       /* "words": a numeral, ordinal, month or Roman-numeral cue word */
    VNX_TRIGGER_YEAR = 4,       /* "year": a run of four digits from 1800 to 2199 */
    VNX_TRIGGER_DIGIT_SEP = 8,  /* "digits-sep": digits, then '/', '-', '.' or ',', then a digit */
    VNX_TRIGGER_SEP_YEAR = 16,  /* "sep-year": a year right after digits and '/', '-' or '.' */
    VNX_TRIGGER_NUMERAL = 32,   /* "numerals": a word of the numerals lexicon */
    VNX_TRIGGER_ROMAN = 64,     /* "roman": a word of Roman numeral letters; only last in a
                                   sequence, looked at after its first trigger, never scanned */
    VNX_TRIGGER_DAY_MONTH = 128, /* "day-month": one or two digits, '/', '-' or '.', one or two
                                   digits, and no separator and digit after them: "6/2", "30-4" */
    VNX_TRIGGER_NAMED_BIT = 8,  /* the bit number of the first named kind */
    VNX_TRIGGER_MAX = (int)(8 * sizeof(vnx_kinds)),   /* kinds in all */
    VNX_TRIGGER_WORD_MAX = 24   /* bytes: longer words are never triggers */
};
/* The last bit: the kinds named after all others are taken share it. */
#define VNX_TRIGGER_SHARED ((vnx_kinds)1 << (VNX_TRIGGER_MAX - 1))
#define VNX_KINDS_ALL (~(vnx_kinds)0)

/* The number of the lowest bit of k (k != 0). */
static inline int vnx_kinds_low(vnx_kinds k)
{
#ifdef __SIZEOF_INT128__
    uint64_t lo = (uint64_t)k;
    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(k >> 64));
#else
    return __builtin_ctzll(k);
#endif
}
typedef struct { uint64_t hash; vnx_kinds mask; } vnx_pf_slot;
/* A word that also counts glued to the end of a longer one; tail: its last byte, then the
 * one before (last << 8 | before), which it is sorted and found by. */
typedef struct { char w[VNX_TRIGGER_WORD_MAX + 1]; size_t n; unsigned tail; vnx_kinds mask; } vnx_pf_glued;
/* A sequence of trigger kinds: one of kind first, then, with only white space between, one
 * of kind then (itself maybe a sequence); the first one also gets kind bit. */
typedef struct { vnx_kinds first, then, bit; } vnx_pf_seq;
/* A rule as the prefilter sees it. */
typedef struct {
    char **need;      /* "needs: A | B": every match holds one of these triggers */
    size_t nneed;
    vnx_kinds mask;   /* the trigger kinds of need; 0: any trigger */
    int lookback;     /* matches start at most this many bytes before a trigger */
    size_t region_key; /* rules with the same mask and lookback share their regions: which */
} vnx_pf_rule;

typedef struct {
    vnx_pf_slot *slot;            /* words: open addressing on a 64-bit hash */
    uint8_t *tag;                 /* a byte of each slot's hash, never 0 (0: empty) */
    size_t nslot;
    vnx_kinds chars[128];          /* ASCII characters that are triggers */
    unsigned char tchar[16];      /* the same as a list, for the block-wise scan */
    int ntchar;                   /* -1: too many for it */
    vnx_pf_glued *glued;          /* words that also count glued, sorted by tail */
    size_t nglued;
    uint32_t glued_at[257];       /* those whose last byte is b: glued[glued_at[b] .. [b + 1]) */
    unsigned char tail3[8192];    /* a bit set of their last three bytes, hashed (of words of
                                     two bytes: each byte before them, then theirs) */
    char *name[VNX_TRIGGER_MAX];  /* what each bit stands for, but the last: */
    int nbit;
    char **shared;                /* the kinds that share the last bit, once the others are taken */
    size_t nshared;
    vnx_pf_seq seq[VNX_TRIGGER_MAX];   /* sequences of kinds ("phần trăm"), by first kind: */
    int nseq;
    int seq_at[VNX_TRIGGER_MAX + 1];   /* those whose first kind is bit b: seq_at[b] .. [b + 1] */
    vnx_kinds then_of[VNX_TRIGGER_MAX]; /* and the kinds that may follow it in one */
    vnx_kinds seq_first;               /* any of their first kinds */
    /* what the prefilter knows of rule i: rule[i] */
    vnx_pf_rule *rule;
    size_t nrule;
    /* the rules' regions by key (vnx_pf_rule.region_key), and the keys of each kind bit b:
     * key_of_bit[key_of_bit_at[b] .. key_of_bit_at[b + 1]) */
    size_t nkey;
    vnx_kinds *key_mask;
    size_t *key_lookback;
    size_t max_lookback;   /* the largest of them */
    size_t key_of_bit_at[VNX_TRIGGER_MAX + 1];
    size_t *key_of_bit;
} vnx_prefilter;
/* A region: matches may start in [s, limit]. */
typedef struct { size_t s, limit; } vnx_region;
typedef struct { vnx_region *v; size_t n, cap; } vnx_regions;

/* A trigger: a run of digits, a trigger word, or a character a rule keys on ('@', '%'); slack:
 * the text's slack before s (below). */
typedef struct { size_t s, e; vnx_kinds kind; size_t slack; } vnx_trigger;
/* slack: the match text's spaces and line breaks beyond the first of each run (its only white
 * space: the normalizer makes every other a space), counted from where the scan starts.
 * Lookbacks are written for single spaces: each grows by the slack near its trigger. */
typedef struct {
    vnx_trigger *v;
    size_t n, cap;
    size_t slack;
    int space_before;   /* the scan's state: the code point before was white space */
} vnx_triggers;

/* Reads the rules' "needs:" and "lookback:" and builds the trigger sets, every rule's mask and
 * the region keys. On a bad "needs:" writes "FILE:LINE: what is wrong" into err and returns
 * -1 (free pf then all the same). */
int vnx_prefilter_build(vnx_prefilter *pf, const vnx_rules *rs, char *err, size_t errlen);
void vnx_prefilter_free(vnx_prefilter *pf);
/* Every trigger of the text, in order. */
void vnx_find_triggers(const vnx_prefilter *pf, const char *t, size_t len, size_t from, vnx_triggers *out);
/* For tests: 1 (the default) lets the block-wise scan use AVX2 where the processor has it,
 * 0 keeps it to SSE2; not thread-safe. */
void vnx_prefilter_use_avx2(int on);
/* The same, code point by code point only: what the block-wise scan is tested against. */
void vnx_find_triggers_bytewise(const vnx_prefilter *pf, const char *t, size_t len, size_t from,
                                vnx_triggers *out);
/* The regions where the rules' matches can start, out[key] for each region key: from the
 * key's lookback (plus the slack just before) bytes before each trigger of its kinds through the
 * trigger's end, merged. */
void vnx_regions_for(const vnx_prefilter *pf, const vnx_triggers *t, size_t from, vnx_regions *out);

#endif
