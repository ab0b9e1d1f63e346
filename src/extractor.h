/* The extractor (extract.c): everything loaded from a patterns directory, shared read-only by
 * the threads that extract with it. It gathers the stages' own parts: the rules and lexicons
 * (rules.h), the prefilter built from them (prefilter.h), the legacy encodings (decode.h) and
 * the word break iterator (tokenize.h). */
#ifndef VNX_EXTRACTOR_H
#define VNX_EXTRACTOR_H

#include <stdatomic.h>

#include "decode.h"
#include "lexicon.h"
#include "prefilter.h"
#include "rules.h"
#include "tokenize.h"
#include "vnextract.h"

struct vnx_extractor {
    char *dir;
    unsigned long serial;         /* tells per-thread scratch made for another extractor */
    vnx_rules rules;              /* the rules and lexicons */
    vnx_prefilter pf;
    vnx_tokenizer *tok;           /* prototype, cloned per call */
    vnx_table_encoding *enc;      /* patterns/encodings/NAME.tsv */
    size_t nenc;
    /* lexicons the C normalizers use, looked up once */
    const vnx_lexicon *numerals, *kinds, *issuers, *qualifiers;
    const vnx_lexicon *time_units, *relative, *weekdays, *range_cues;   /* optional: NULL when absent */
    vnx_lexicon qualifier_ends;   /* the last words of the qualifiers: most numbers have none before */
    size_t qualifier_words;       /* the most words of a qualifier */
    /* vnx_extractor_profile: per rule, searches, matches and nanoseconds, then the nanoseconds
     * of each timed stage (laid out as prof_rule and prof_stage in extract.c say), summed from
     * the threads' own counts after each document; NULL: not profiling */
    _Atomic unsigned long long *profile;
};

/* The lexicon NAME of the extractor's patterns, or NULL. */
static inline const vnx_lexicon *vnx_extractor_lexicon(const vnx_extractor *ex, const char *name)
{
    return vnx_rules_lexicon(&ex->rules, name);
}

#endif
