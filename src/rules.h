/* Stage 4a, rules (rules.c): patterns/ loaded at run time, each rule compiled with PCRE2.
 * What a rule is and what the value normalizers it names are given. The prefilter reads the
 * rules (never the other way round); the extractor runs them. */
#ifndef VNX_RULES_H
#define VNX_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "lexicon.h"

enum { VNX_NUMBER, VNX_PERCENT, VNX_DATE, VNX_RESOLUTION, VNX_TIME, VNX_IGNORE, VNX_NTYPES };
extern const char *const vnx_type_names[VNX_NTYPES];

typedef struct vnx_ctx vnx_ctx;
typedef int (*vnx_normalizer_fn)(vnx_ctx *c);
typedef struct { const char *name; vnx_normalizer_fn fn; } vnx_normalizer;
/* NULL-terminated tables, one per file of normalizers */
extern const vnx_normalizer vnx_number_normalizers[];      /* numbers.c */
extern const vnx_normalizer vnx_date_normalizers[];        /* dates.c */
extern const vnx_normalizer vnx_identifier_normalizers[];  /* identifiers.c */

typedef struct {
    char *text;       /* input text */
    char *span;       /* expected entity text (NULL for a reject line) */
    cJSON *value;     /* expected value */
    cJSON *extra;     /* expected extra fields, or NULL */
    char *date;       /* document date for the example, or NULL */
    int type;         /* the entity type expected (the rule's, unless the example names one) */
    int line;
} vnx_example;

/* The named groups the normalizers read ("num", "words", "y"...), by number: a rule's groups
 * of these names are found once, when it is loaded, and a lookup is an index. The names, in
 * this order, are vnx_group_names; a name may stand for several groups (alternatives). */
enum {
    G_E, G_NUM, G_WORDS, G_SIGN, G_MAG, G_TAIL, G_HALF, G_HALFU, G_UNIT, G_OF, G_A, G_B, G_MA,
    G_MB, G_UA, G_UB, G_TARGET, G_ROMAN, G_D, G_M, G_Y, G_Q, G_MONTHS, G_MOD, G_D1, G_M1, G_Y1,
    G_D2, G_M2, G_Y2, G_WD, G_H, G_MIN, G_ID, G_YEAR, G_KIND, G_ISSUER, G_CODE, G_DT, G_DD,
    G_DM, G_DY, G_REL, G_PART, G_N, G_RUNIT, G_NEXT, G_LAST, G_CUE, G_COUNT
};
extern const char *const vnx_group_names[G_COUNT];
#define VNX_GROUP_DUPS 4   /* groups of one name in a pattern, at most */

/* A setting's value as written and its line, for a later stage to read and to report. */
typedef struct { char *text; int line; } vnx_setting;

typedef struct {
    char *name;
    char *file;
    int line;
    int type;
    int priority;
    vnx_setting *needs;   /* its "needs:" lines as written: the prefilter reads them */
    size_t nneeds;
    int lookback;     /* "lookback: N": matches start at most N bytes before a trigger; -1: not
                         given (the prefilter chooses) */
    vnx_normalizer_fn norm;
    pcre2_code *re;
    int jit;          /* JIT-compiled: matched with pcre2_jit_match, which skips the checks */
    uint16_t group[G_COUNT][VNX_GROUP_DUPS];   /* group numbers of each name, 0 after the last */
    int has_first;    /* first holds PCRE2's set of the bytes a match can start with */
    uint8_t first[32];
    vnx_example *ex;
    size_t nex;
} vnx_rule;

/* The rules of a patterns directory, in file and line order, and its lexicons. */
typedef struct {
    vnx_rule *rule;
    size_t nrule;
    vnx_lexicon *lex;
    size_t nlex;
} vnx_rules;

/* Loads the lexicons (DIR/lexicons/NAME.tsv), then the rule files (DIR/NAME.rules) in name order; on error writes
 * "FILE:LINE: what is wrong" into err and returns -1 (rs then holds what was loaded, for
 * vnx_rules_free). */
int vnx_rules_load(vnx_rules *rs, const char *dir, char *err, size_t errlen);
void vnx_rules_free(vnx_rules *rs);
/* The lexicon NAME (lexicons/NAME.tsv), or NULL. */
const vnx_lexicon *vnx_rules_lexicon(const vnx_rules *rs, const char *name);

#endif
