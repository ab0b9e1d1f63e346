/* Internal interfaces between the stages. Data flows one way:
 *   decode -> normalize -> (rules + tokenize) -> normalizers -> resolve -> emit
 */
#ifndef VNX_INTERNAL_H
#define VNX_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vnextract.h"
#include "calendar.h"

/* ---- small utilities (util.c) ---------------------------------------------------------- */

typedef struct { char *p; size_t len, cap; } vnx_buf;

void *vnx_xmalloc(size_t n);
void *vnx_xcalloc(size_t n, size_t size);
void *vnx_xrealloc(void *p, size_t n);
char *vnx_xstrdup(const char *s);
char *vnx_xstrndup(const char *s, size_t n);
void vnx_buf_reserve(vnx_buf *b, size_t extra);
void vnx_buf_free(vnx_buf *b);
/* Appending runs for every piece of every record: inline, so that a piece of known size is
 * copied without a call. The buffer stays a C string. */
static inline void vnx_buf_add(vnx_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) vnx_buf_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}
static inline void vnx_buf_addc(vnx_buf *b, char c) { vnx_buf_add(b, &c, 1); }
static inline void vnx_buf_adds(vnx_buf *b, const char *s) { vnx_buf_add(b, s, strlen(s)); }
/* The value of hexadecimal digit c, or -1. */
int vnx_hexval(char c);
/* Appends code point c as UTF-8. */
void vnx_buf_add_cp(vnx_buf *b, uint32_t c);
/* Lower-cases UTF-8 text (full Unicode simple case mapping) into a new string. */
char *vnx_lower(const char *s, size_t n);
uint32_t vnx_tolower(uint32_t c);   /* ICU's simple lower case, Latin and Vietnamese from a table */
/* Decodes the code point at s[*i] (valid UTF-8) and advances *i. */
uint32_t vnx_next_cp_slow(const char *s, size_t len, size_t *i);
/* The code point at s[*i] (U+FFFD for an ill-formed sequence), moving *i past it. Inline:
 * every stage walks text with it. */
static inline uint32_t vnx_next_cp(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned char c = p[0];
    if (c < 0x80) { *i += 1; return c; }
    if (c >= 0xC2 && c < 0xE0 && left >= 2 && (p[1] & 0xC0) == 0x80) {
        *i += 2;
        return ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3Fu);
    }
    if (c >= 0xE1 && c < 0xED && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *i += 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
    }
    return vnx_next_cp_slow(s, len, i);
}
/* The code point ending right before byte i, moving *i back over it. */
uint32_t vnx_prev_cp(const char *s, size_t *i);

/* ---- decode (decode.c) ------------------------------------------------------------------ */

/* Turns raw bytes into valid UTF-8: strips a UTF-8 BOM, converts UTF-16 with a BOM, replaces
 * every invalid byte by U+FFFD. Returns the number of invalid bytes replaced. */
size_t vnx_decode(const char *in, size_t len, vnx_buf *out);
/* Appends in[0..len) to b with each invalid byte and each NUL as U+FFFD; returns how many. */
size_t vnx_buf_add_utf8(vnx_buf *b, const char *in, size_t len);
/* Whether s[0..len) is well-formed UTF-8 without NUL. */
int vnx_is_utf8_text(const char *s, size_t len);
/* A copy of the C string s that is valid UTF-8 (invalid bytes as U+FFFD): for ids, dates
 * and messages that come from outside (file names, JSON fields) and go into a record. */
char *vnx_utf8_strdup(const char *s);
/* A legacy encoding that ICU lacks (TCVN3, VNI), from patterns/encodings/NAME.tsv: a
 * character for each byte, and for pairs of bytes (VNI writes a letter and its mark). */
typedef struct {
    char *name;
    uint32_t one[256];
    uint32_t *two;    /* 65536 entries (first byte << 8 | second), or NULL */
} vnx_table_encoding;

int vnx_table_encoding_load(vnx_table_encoding *t, const char *path, const char *name, char *err, size_t errlen);
void vnx_table_encoding_free(vnx_table_encoding *t);

/* The encoding decoding takes for a text: "utf-8", "utf-16le", "utf-16be" (a BOM, or for
 * "auto" NULs on one side of the byte pairs), the guessed legacy one for "auto", or the one
 * named. A static string or encoding itself. */
const char *vnx_encoding_used(const char *in, size_t len, const char *encoding);
/* The same from a named encoding: NULL or "utf-8", "auto", a table encoding ("tcvn3",
 * "vni"), or any ICU converter name ("windows-1258"). Returns (size_t)-1 for an unknown
 * encoding. "auto" picks among them (see decode.c). */
size_t vnx_decode_as(const vnx_table_encoding *tables, size_t ntables, const char *in, size_t len,
                     const char *encoding, vnx_buf *out);
/* The same, but in itself when it is well-formed UTF-8 to take as it is (no NUL, no
 * byte-order mark), else decoded into buf; *outlen: its length, *bad: as vnx_decode_as,
 * *used: the encoding it was read as (vnx_encoding_used). */
const char *vnx_decode_view(const vnx_table_encoding *tables, size_t ntables, const char *in, size_t len,
                            const char *encoding, vnx_buf *buf, size_t *outlen, size_t *bad, const char **used);

/* ---- match normalization (normalize.c) ----------------------------------------------------- */

/* The text the rules run on: NFC, new-style tone marks, dash and space look-alikes folded,
 * invisible characters removed, and the original code points each of its bytes came from,
 * so that a match [s, e) maps back to the original code points [from(s), to(e - 1)).
 *
 * The map is a list of pieces, each from its byte to the next piece's: in an identity piece
 * the k-th code point is original code point from + k; any other piece (an HTML entity, a
 * normalized segment, a moved tone mark) came from [from, to) as a whole. A long document
 * with one rewritten character has three pieces. When every change kept one code point one
 * code point (nearly always), there is no list (NULL): code point k of the text is code
 * point k of the original. */
#define VNX_PIECE_IDENTITY 0x80000000u   /* in to: an identity piece (code points < 2^31) */
typedef struct {
    size_t byte;       /* where it starts in the text */
    uint32_t from;     /* the original code point of its first byte */
    uint32_t to;       /* the end of its original code points, with VNX_PIECE_IDENTITY */
} vnx_piece;

typedef struct {
    char *text;
    size_t len;
    vnx_piece *piece;   /* in rising order of byte, the first at 0; NULL: the identity */
    size_t npiece;
} vnx_mtext;

/* The byte n code points after byte i of the valid UTF-8 p[0..len) (len if fewer are left). */
size_t vnx_cp_skip(const char *p, size_t len, size_t i, size_t n);

/* Maps match-text byte spans to original code point spans; cheapest when asked in rising
 * order (it counts code points from where it was last asked, within one piece). */
typedef struct { size_t piece, byte, cp; } vnx_cp_cursor;
void vnx_mtext_span(const vnx_mtext *m, vnx_cp_cursor *c, size_t s, size_t e, size_t *cs, size_t *ce);

/* html: tags read as a space (entities are always decoded). */
void vnx_normalize(const char *utf8, size_t len, int html, vnx_mtext *out);
void vnx_mtext_free(vnx_mtext *m);

/* ---- tokenization (tokenize.c) ------------------------------------------------------------- */

typedef struct vnx_tokenizer vnx_tokenizer;
vnx_tokenizer *vnx_tokenizer_new(void);               /* the shared prototype */
vnx_tokenizer *vnx_tokenizer_clone(const vnx_tokenizer *proto);
void vnx_tokenizer_free(vnx_tokenizer *t);
void vnx_tokenizer_set_text(vnx_tokenizer *t, const char *text, size_t len);
/* Whether [s, e) may be an entity: it starts and ends on word boundaries, or is glued only to
 * an ordinary lower-case word ("đạt12 tỷ", "25học sinh"), never to a code or name ("COVID-19",
 * "U23", "5G"). */
int vnx_span_ok(vnx_tokenizer *t, const char *text, size_t len, size_t s, size_t e);

/* ---- lexicons (lexicon.c) -------------------------------------------------------------------- */

typedef struct {
    char *key;        /* lower-cased first column */
    char *word;       /* first column as written */
    char **col;       /* the other columns */
    int ncol;
} vnx_lex_entry;

typedef struct {
    char *name;       /* file name without .tsv */
    vnx_lex_entry *e;
    size_t n;
    size_t *slot;     /* open-addressing hash of keys: index + 1, 0 empty */
    size_t nslot;
} vnx_lexicon;

/* Loads DIR/NAME.tsv; on error writes "FILE:LINE: ..." into err and returns -1. */
int vnx_lexicon_load(vnx_lexicon *lx, const char *path, const char *name, char *err, size_t errlen);
void vnx_lexicon_free(vnx_lexicon *lx);
/* The last words of src's entries, once each, as a lexicon of their own; and the most words
 * an entry of src has. */
void vnx_lexicon_last_words(const vnx_lexicon *src, vnx_lexicon *dst, size_t *max_words);
/* Entry whose key equals the lower-cased s[0..n), or NULL. */
const vnx_lex_entry *vnx_lexicon_find(const vnx_lexicon *lx, const char *s, size_t n);
/* Regex alternation of all words, longest first, spaces as \s+. Malloc'd. */
char *vnx_lexicon_regex(const vnx_lexicon *lx);

/* ---- rules (rules.c) ------------------------------------------------------------------------ */

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

typedef struct {
    char *name;
    char *file;
    int line;
    int type;
    int priority;
    char **need;      /* "needs: A | B": every match holds one of these triggers (see prefilter.c) */
    size_t nneed;
    uint64_t mask;    /* the trigger kinds of need, set by the prefilter; 0: any trigger */
    int lookback;     /* "lookback: N": matches start at most N bytes before a trigger */
    size_t region_key; /* rules with the same mask and lookback share their regions: which */
    vnx_normalizer_fn norm;
    pcre2_code *re;
    int jit;          /* JIT-compiled: matched with pcre2_jit_match, which skips the checks */
    uint16_t group[G_COUNT][VNX_GROUP_DUPS];   /* group numbers of each name, 0 after the last */
    int has_first;    /* first holds PCRE2's set of the bytes a match can start with */
    uint8_t first[32];
    vnx_example *ex;
    size_t nex;
} vnx_rule;

/* ---- prefilter (prefilter.c) ------------------------------------------------------------------- */

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
    VNX_TRIGGER_NAMED_BIT = 7,  /* the bit number of the first named kind */
    VNX_TRIGGER_MAX = 64,       /* kinds in all */
    VNX_TRIGGER_WORD_MAX = 24   /* bytes: longer words are never triggers */
};
/* The last bit: the kinds named after all others are taken share it. */
#define VNX_TRIGGER_SHARED (1ULL << (VNX_TRIGGER_MAX - 1))
typedef struct { uint64_t hash, mask; } vnx_pf_slot;
/* A word that also counts glued to the end of a longer one; tail: its last byte, then the
 * one before (last << 8 | before), which it is sorted and found by. */
typedef struct { char w[VNX_TRIGGER_WORD_MAX + 1]; size_t n; unsigned tail; uint64_t mask; } vnx_pf_glued;
/* A sequence of trigger kinds: one of kind first, then, with only white space between, one
 * of kind then (itself maybe a sequence); the first one also gets kind bit. */
typedef struct { uint64_t first, then, bit; } vnx_pf_seq;
typedef struct {
    vnx_pf_slot *slot;            /* words: open addressing on a 64-bit hash */
    uint8_t *tag;                 /* a byte of each slot's hash, never 0 (0: empty) */
    size_t nslot;
    uint64_t chars[128];          /* ASCII characters that are triggers */
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
    uint64_t then_of[VNX_TRIGGER_MAX]; /* and the kinds that may follow it in one */
    uint64_t seq_first;                /* any of their first kinds */
    /* the rules' regions by key (vnx_rule.region_key), and the keys of each kind bit b:
     * key_of_bit[key_of_bit_at[b] .. key_of_bit_at[b + 1]) */
    size_t nkey;
    uint64_t *key_mask;
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
typedef struct { size_t s, e; uint64_t kind; size_t slack; } vnx_trigger;
/* slack: the match text's spaces and line breaks beyond the first of each run (its only white
 * space: the normalizer makes every other a space), counted from where the scan starts.
 * Lookbacks are written for single spaces: each grows by the slack near its trigger. */
typedef struct {
    vnx_trigger *v;
    size_t n, cap;
    size_t slack;
    int space_before;   /* the scan's state: the code point before was white space */
} vnx_triggers;

struct vnx_extractor;
/* Builds the trigger sets and every rule's mask. */
void vnx_prefilter_build(struct vnx_extractor *ex);
void vnx_prefilter_free(struct vnx_extractor *ex);
/* Every trigger of the text, in order. */
void vnx_find_triggers(const struct vnx_extractor *ex, const char *t, size_t len, size_t from, vnx_triggers *out);
/* The bit of a trigger kind the scan knows by name ("digits", "year", "words", "numerals",
 * "digits-sep", "sep-year"), or 0. */
uint64_t vnx_trigger_builtin(const char *name);
/* The same, code point by code point only: what the block-wise scan is tested against. */
void vnx_find_triggers_bytewise(const struct vnx_extractor *ex, const char *t, size_t len, size_t from,
                                vnx_triggers *out);
/* The regions where the rules' matches can start, out[key] for each region key: from the
 * key's lookback (plus the slack just before) bytes before each trigger of its kinds through the
 * trigger's end, merged. */
void vnx_regions_for(const vnx_prefilter *pf, const vnx_triggers *t, size_t from, vnx_regions *out);

struct vnx_extractor {
    char *dir;
    unsigned long serial;         /* tells per-thread scratch made for another extractor */
    vnx_rule *rule;
    size_t nrule;
    vnx_lexicon *lex;
    size_t nlex;
    vnx_tokenizer *tok;           /* prototype, cloned per call */
    vnx_table_encoding *enc;      /* patterns/encodings/NAME.tsv */
    size_t nenc;
    vnx_prefilter pf;
    /* lexicons the C normalizers use, looked up once */
    const vnx_lexicon *numerals, *kinds, *issuers, *qualifiers;
    const vnx_lexicon *time_units, *relative, *weekdays, *range_cues;   /* optional: NULL when absent */
    vnx_lexicon qualifier_ends;   /* the last words of the qualifiers: most numbers have none before */
    size_t qualifier_words;       /* the most words of a qualifier */
};

const vnx_lexicon *vnx_extractor_lexicon(const vnx_extractor *ex, const char *name);
int vnx_rules_load(vnx_extractor *ex, const char *dir, char *err, size_t errlen);
void vnx_rules_free(vnx_extractor *ex);

/* ---- normalizer context (extract.c) --------------------------------------------------------- */

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

/* ---- value normalizers (numbers.c, dates.c, identifiers.c) ------------------------------------- */

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

/* ---- results (extract.c, emit.c) ------------------------------------------------------------- */

struct vnx_result {
    size_t invalid;   /* bytes that could not be decoded (each became U+FFFD) */
    char *id;
    char *date;
    char *error;
    char *warning;    /* a problem that did not stop the document (a document date that is not one) */
    char *keep;       /* JSON members of the input line copied after "date", or NULL */
    char *encoding;   /* what the text was read as, when not plain UTF-8 ("auto" says which) */
    size_t n;
    struct res_ent {   /* written as {type, text, start, end, value, extra..., qualifier} */
        int type;
        size_t start, end;
        size_t text;             /* its offset in strings */
        cJSON *value;            /* owned; NULL: the number num */
        double num;
        cJSON *extra;            /* owned: an object of further fields, or NULL */
        size_t qualifier;        /* its offset in strings plus one, or 0: none */
    } *e;
    char *strings;    /* the entities' texts and qualifiers, NUL-terminated: one allocation */
};

/* Entity i's text and qualifier (NULL: none). */
static inline const char *vnx_res_text(const vnx_result *r, size_t i) { return r->strings + r->e[i].text; }
static inline const char *vnx_res_qualifier(const vnx_result *r, size_t i)
{
    return r->e[i].qualifier ? r->strings + r->e[i].qualifier - 1 : NULL;
}

/* A cJSON value written as cJSON_PrintUnformatted writes it (emit.c); malloc'd. */
char *vnx_json_print(const cJSON *v);
/* Entity i's value, the same way; malloc'd. */
char *vnx_value_print(const vnx_result *r, size_t i);

/* vnx_extract with the prefilter on or off (extract.c). */
vnx_result *vnx_extract_mode(const vnx_extractor *ex, const vnx_document *doc, int prefilter);
/* Entity i of a result as a new cJSON object, as it is written (emit.c), for the examples
 * checker. */
cJSON *vnx_result_entity_object(const vnx_result *r, size_t i);

#endif
