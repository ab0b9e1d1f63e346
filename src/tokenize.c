/* Stage 3, tokenization: where an entity may start and end.
 *
 * ICU's word BreakIterator gives the token boundaries ("1" in "COVID-19" is its own token to
 * ICU, "068" in "1.068" is not). Two corrections for news text:
 *  - crawled text often lost a space where a link was stripped ("đạt12 tỷ", "25học sinh"):
 *    an edge glued to an ordinary lower-case word is accepted;
 *  - a number joined to a code or name by a connector ("COVID-19", "Q.3", "U23", "5G",
 *    "18-NQ") is not an entity of its own.
 * Only the edges of candidate matches are asked about, so ICU works around the candidates
 * instead of over the whole text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "tokenize.h"
#include "util.h"

struct vnx_tokenizer {
    UBreakIterator *bi;
    UText *ut;
    const char *text;
    size_t len;
    int pending;   /* the iterator has not been given the text yet: most documents never ask it */
};

vnx_tokenizer *vnx_tokenizer_new(void)
{
    UErrorCode st = U_ZERO_ERROR;
    vnx_tokenizer *t = vnx_xcalloc(1, sizeof *t);
    t->bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &st);
    if (U_FAILURE(st)) { free(t); return NULL; }
    return t;
}

vnx_tokenizer *vnx_tokenizer_clone(const vnx_tokenizer *proto)
{
    UErrorCode st = U_ZERO_ERROR;
    vnx_tokenizer *t = vnx_xcalloc(1, sizeof *t);
    t->bi = ubrk_clone(proto->bi, &st);
    if (U_FAILURE(st)) { free(t); return NULL; }
    return t;
}

void vnx_tokenizer_free(vnx_tokenizer *t)
{
    if (!t) return;
    if (t->bi) ubrk_close(t->bi);
    if (t->ut) utext_close(t->ut);
    free(t);
}

void vnx_tokenizer_set_text(vnx_tokenizer *t, const char *text, size_t len)
{
    t->text = text;
    t->len = len;
    t->pending = 1;
}

/* ICU's answer: whether byte i of the text is a word boundary. */
static int boundary(vnx_tokenizer *t, size_t i)
{
    if (t->pending) {
        UErrorCode st = U_ZERO_ERROR;
        t->ut = utext_openUTF8(t->ut, t->text, (int64_t)t->len, &st);
        ubrk_setUText(t->bi, t->ut, &st);
        t->pending = 0;
    }
    return ubrk_isBoundary(t->bi, (int32_t)i) != 0;
}

/* ICU's letter, digit and lower-case tests, ASCII answered at once: every edge asks them. */
static int is_alpha(uint32_t c) { return c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : u_isalpha((UChar32)c) != 0; }
static int is_digit(uint32_t c) { return c < 0x80 ? c >= '0' && c <= '9' : u_isdigit((UChar32)c) != 0; }
static int is_lower(uint32_t c) { return c < 0x80 ? c >= 'a' && c <= 'z' : u_islower((UChar32)c) != 0; }

static int is_connector(uint32_t c) { return c == '-' || c == '.' || c == '/' || c == '_' || c == ','; }

/* Whether the letters next to byte i (going left when dir < 0, right otherwise) form an
 * ordinary lower-case word of two letters or more ("đạt", "học"; not "4b-1", "U23"). */
static int lower_word(const char *text, size_t len, size_t i, int dir)
{
    int n = 0;
    while (dir < 0 ? i > 0 : i < len) {
        size_t j = i;
        uint32_t c = dir < 0 ? vnx_prev_cp(text, &j) : vnx_next_cp(text, len, &j);
        if (is_alpha(c)) {
            if (!is_lower(c)) return 0;
            n++;
            i = j;
            continue;
        }
        if (is_digit(c)) return 0;
        break;
    }
    return n > 1;
}

/* Whether the code point at text[i] surely starts a word segment after a space or an
 * opening bracket or quote: a letter or digit of Latin script (no combining mark, no soft
 * hyphen, no space), where no rule of UAX #29 joins it to what is before. Saves asking ICU
 * about most edges. */
static int plain_start(const char *text, size_t len, size_t i)
{
    if (i >= len) return 0;
    size_t j = i;
    uint32_t c = vnx_next_cp(text, len, &j);
    return (c < 0x300 && c > ' ' && c != 0xAD && c != 0xA0 && c != 0x7F) || (c >= 0x1E00 && c <= 0x1EFF);
}

static int left_ok(vnx_tokenizer *t, const char *text, size_t s)
{
    if (s == 0) return 1;
    size_t j = s;
    uint32_t c = vnx_prev_cp(text, &j);
    if (is_alpha(c)) return lower_word(text, (size_t)-1, s, -1);
    if (is_digit(c)) return 0;
    if (is_connector(c) && j > 0) {
        size_t j2 = j;
        uint32_t c2 = vnx_prev_cp(text, &j2);
        if (is_digit(c2)) return c == '-' || c == '/';   /* "4-2-3-1", "67 điểm/31" */
        if (is_alpha(c2)) return c != '.' && c != ',' && lower_word(text, (size_t)-1, j, -1);
    }
    if ((c == ' ' || c == '\n' || c == '(' || c == '[' || c == '"') && plain_start(text, t->len, s)) return 1;
    return boundary(t, s);
}

/* Whether a capitalized word of lower-case letters starts at byte i ("Luật", not "B", "Com"
 * is, "GDP" is not). */
static int capitalized_word(const char *text, size_t len, size_t i)
{
    size_t j = i;
    uint32_t c = vnx_next_cp(text, len, &j);
    if (!is_alpha(c) || is_lower(c)) return 0;
    return lower_word(text, len, j, 1);
}

static int right_ok(vnx_tokenizer *t, const char *text, size_t len, size_t e)
{
    if (e >= len) return 1;
    size_t j = e;
    uint32_t c = vnx_next_cp(text, len, &j);
    if (is_alpha(c)) {
        /* digits glued to a capitalized word: a sentence without its space ("Điều 9Luật") */
        size_t k = e;
        if (is_digit(vnx_prev_cp(text, &k)) && capitalized_word(text, len, e)) return 1;
        return lower_word(text, len, e, 1);
    }
    if (is_digit(c)) return 0;
    if (is_connector(c) && j < len) {
        size_t j2 = j;
        uint32_t c2 = vnx_next_cp(text, len, &j2);
        if (is_digit(c2)) return c == '-' || c == '/';   /* "2-1", not "1.5" */
        if (is_alpha(c2)) {
            /* a capital after it starts a code ("19.B", "F-16A"), unless the match ends in
             * neither a letter nor a digit ("30%.Tuy"), or a point or comma comes before a
             * capitalized word ("năm 2017.Bộ", "2017,Công"): a sentence without its space */
            if (is_lower(c2)) return 1;
            size_t k = e;
            uint32_t last = vnx_prev_cp(text, &k);
            if (!(is_alpha(last) || is_digit(last))) return 1;
            return (c == '.' || c == ',') && j2 < len && is_lower(vnx_next_cp(text, len, &j2));
        }
    }
    /* a space, or closing punctuation and then a space, after a non-space: a boundary */
    if (e > 0 && text[e - 1] != ' ') {
        if (c == ' ' || c == '\n') return 1;
        if (c < 0x80 && strchr(",.;:!?)]\"", (int)c) && (j >= len || text[j] == ' ' || text[j] == '\n')) return 1;
    }
    return boundary(t, e);
}

int vnx_span_ok(vnx_tokenizer *t, const char *text, size_t len, size_t s, size_t e)
{
    return left_ok(t, text, s) && right_ok(t, text, len, e);
}
