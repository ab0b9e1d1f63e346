/* Stage 5, the value normalizers (numbers.c, dates.c, identifiers.c) and what they are given
 * (extract.c): the context of one match, the named groups by number, and entities to emit.
 * A rule names its normalizer; the normalizer reads the match's groups and emits entities. */
#ifndef VNX_VALUES_H
#define VNX_VALUES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "calendar.h"
#include "extractor.h"

typedef struct {
    int type;
    size_t s, e;      /* bytes of the match text */
    cJSON *value;     /* owned; NULL for a number value, which is num (most are) */
    double num;
    cJSON *extra;     /* owned object of extra fields, or NULL */
} vnx_ent;

typedef struct { vnx_ent *v; size_t n, cap; } vnx_entvec;

struct vnx_ctx {
    const vnx_extractor *ex;
    const vnx_rule *rule;
    const char *m;            /* match text */
    size_t mlen;
    const PCRE2_SIZE *ov;     /* ovector of the match */
    const vnx_date *doc;      /* the document date, parsed once; y < 0 when there is none */
    vnx_entvec *out;
};

/* Byte span of named group g (G_NUM...); 0 when the group is absent or did not take part. */
int vnx_group(const vnx_ctx *c, int g, size_t *s, size_t *e);
/* Adds an entity; takes ownership of value and extra. Returns the entity. */
vnx_ent *vnx_emit(vnx_ctx *c, int type, size_t s, size_t e, cJSON *value, cJSON *extra);
/* The same with a number for value: no cJSON node for each of the many numbers. */
vnx_ent *vnx_emit_number(vnx_ctx *c, int type, size_t s, size_t e, double value);
/* Sets field key (a string constant, not copied) of the entity to v, replacing one set before. */
void vnx_set_extra(vnx_ent *en, const char *key, cJSON *v);

/* ---- what the normalizers' files offer each other --------------------------------------- */

/* Parses a number written with digits: "3.633", "1,5", "03", "1.223,2", "4.0". */
int vnx_parse_digits(const char *s, size_t n, double *out);
/* Parses a spelled-out Vietnamese numeral ("hai mươi mốt", "một triệu hai", "ba phẩy năm").
 * Returns 1 on success. */
int vnx_parse_spelled(const vnx_lexicon *numerals, const char *s, size_t n, double *out);
/* A year written in words, 0 if none. */
int vnx_parse_year_words(const vnx_lexicon *numerals, const char *s, size_t n);
/* Value of a Roman numeral (upper or lower case), 0 if not one. */
int vnx_parse_roman(const char *s, size_t n);
/* Multiplier of a magnitude word or glued abbreviation ("triệu", "tỷ", "k", "tr"); 0 if not. */
double vnx_magnitude(const vnx_lexicon *numerals, const char *s, size_t n);
/* Date pieces (dates.c): a named group read as a day, month, year or quarter (digits, Roman
 * or words), -1 when absent; an ISO text from parts (-1 for absent parts, year XXXX), 0 when
 * invalid; a date entity, with "resolved" from the document date when the year is missing. */
int vnx_date_component(const vnx_ctx *c, int g);
int vnx_iso_date(char *out, size_t n, int y, int m, int d);
vnx_ent *vnx_emit_date(vnx_ctx *c, size_t s, size_t e, const char *value);
/* After overlap resolution, with v sorted by start: "từ DATE đến (hết) DATE" becomes one
 * interval (lexicons/range_cues.tsv). Returns the new count; the entities joined are freed. */
size_t vnx_join_date_ranges(const vnx_extractor *ex, const char *m, vnx_ent *v, size_t n);
/* v, but 0 for -0: values are never written "-0" */
static inline double vnx_plain_zero(double v) { return v == 0 ? 0 : v; }
cJSON *vnx_json_string(const char *s, size_t n);   /* s[0..n) as a JSON string */
/* A JSON number: an integer when the value is whole and small enough, else a double. */
cJSON *vnx_json_number(double v);

#endif
