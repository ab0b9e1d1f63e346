/* Value normalizers for numbers and percents.
 *
 * Digits: "." groups thousands and "," is the decimal mark ("3.633" = 3633, "112,5" = 112.5);
 * a lone "." followed by other than three digits is a decimal point ("4.0").
 * Words: the spoken grammar, colloquial forms included ("hai mốt" = 21, "một trăm hai" = 120,
 * "một triệu hai" = 1200000, "năm ngàn rưỡi" = 5500), read with the roles given in
 * patterns/lexicons/numerals.tsv. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "values.h"

cJSON *vnx_json_number(double v)
{
    return cJSON_CreateNumber(vnx_plain_zero(v));
}

cJSON *vnx_json_string(const char *s, size_t n)
{
    char small[128];   /* cJSON copies it: most strings need no allocation of their own here */
    char *t = n < sizeof small ? small : vnx_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = 0;
    cJSON *j = cJSON_CreateString(t);
    if (t != small) free(t);
    return j;
}

/* Thousands grouped the English way: "3,500,000" (two commas or more), "2,293.08" (a
 * comma, then a decimal point). Asked only of what the Vietnamese reading turns down: a
 * second comma, or a point after a comma. */
static int english_digits(const char *s, size_t n, double *out)
{
    size_t commas = 0, run = 0, point = n;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' && point == n) {
            if (commas++ ? run != 3 : run == 0 || run > 3) return 0;
            run = 0;
        } else if (s[i] == '.' && point == n && commas && run == 3) {
            point = i;
            run = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            run++;
        } else {
            return 0;
        }
    }
    if (point == n ? commas < 2 || run != 3 : run == 0) return 0;
    char buf[128];
    size_t k = 0;
    if (n >= sizeof buf) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ',') buf[k++] = s[i];
    buf[k] = 0;
    *out = strtod(buf, NULL);
    return 1;
}

int vnx_parse_digits(const char *s, size_t n, double *out)
{
    size_t comma = n, dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',') {
            if (comma != n) return english_digits(s, n, out);
            comma = i;
        } else if (c == '.') {
            if (comma != n) return english_digits(s, n, out);
            dots++;
        } else if (c < '0' || c > '9') {
            return 0;
        }
    }
    if (n == 0 || s[0] == '.' || s[0] == ',' || s[n - 1] == '.' || s[n - 1] == ',') return 0;
    char buf[128];
    size_t k = 0;
    if (n >= sizeof buf) return 0;
    int thousands = dots > 0;
    if (dots) {
        /* every group after a dot has three digits, the first one to three */
        size_t first = 0;
        while (first < n && s[first] != '.') first++;
        if (first > 3 || first == 0) thousands = 0;
        size_t run = 0;
        for (size_t i = first + 1; i <= (comma < n ? comma : n); i++) {
            if (i == n || s[i] == '.' || s[i] == ',') {
                if (run != 3) thousands = 0;
                run = 0;
            } else {
                run++;
            }
        }
        if (!thousands && (dots > 1 || comma != n)) return 0;
    }
    int point = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (!thousands) buf[k++] = '.', point = 1;   /* "4.0": a decimal point */
        } else if (c == ',') {
            buf[k++] = '.', point = 1;
        } else {
            buf[k++] = c;
        }
    }
    buf[k] = 0;
    if (!point && k <= 15) {   /* most numbers: an integer below 2^53, exact as a double */
        uint64_t v = 0;
        for (size_t i = 0; i < k; i++) v = v * 10 + (uint64_t)(buf[i] - '0');
        *out = (double)v;
        return 1;
    }
    *out = strtod(buf, NULL);
    return 1;
}

/* ---- spelled-out numerals ------------------------------------------------------------------- */

enum role { R_NONE, R_DIGIT, R_LATE, R_TEN, R_TENS, R_HUNDRED, R_LINK, R_MAG, R_HALF, R_HALFPRE,
            R_POINT, R_NEG };

typedef struct { enum role role; double v; } word_t;

static enum role role_of(const char *name)
{
    static const struct { const char *n; enum role r; } T[] = {
        {"digit", R_DIGIT}, {"late", R_LATE}, {"ten", R_TEN}, {"tens", R_TENS},
        {"hundred", R_HUNDRED}, {"link", R_LINK}, {"mag", R_MAG}, {"half", R_HALF},
        {"halfpre", R_HALFPRE}, {"point", R_POINT}, {"neg", R_NEG}};
    for (size_t i = 0; i < sizeof T / sizeof *T; i++)
        if (strcmp(T[i].n, name) == 0) return T[i].r;
    return R_NONE;
}

static int is_digitish(const word_t *w) { return w->role == R_DIGIT || w->role == R_LATE; }

typedef struct { const word_t *w; size_t n, i; } rd_t;

static const word_t *peek(const rd_t *r, size_t k) { return r->i + k < r->n ? &r->w[r->i + k] : NULL; }
static int peek_role(const rd_t *r, size_t k) { const word_t *w = peek(r, k); return w ? (int)w->role : R_NONE; }

/* An optional units digit after tens: not one that starts the next group ("hai mươi ba trăm"). */
static int units_digit(rd_t *r, int *u)
{
    const word_t *w = peek(r, 0);
    if (!w || !is_digitish(w)) return 0;
    int nx = peek_role(r, 1);
    if (nx == R_HUNDRED || nx == R_TENS) return 0;
    *u = (int)w->v;
    r->i++;
    return 1;
}

/* Below a thousand. Sets *lone when the group is a single digit word. after_mag: the group
 * follows a magnitude word, where "lẻ một" reads 1 ("một nghìn lẻ một"). */
static int parse_small(rd_t *r, double *out, int *lone, int after_mag)
{
    const word_t *w = peek(r, 0);
    int h = 0, t = 0, u = 0;
    *lone = 0;
    if (!w) return 0;
    if (after_mag && w->role == R_LINK) {
        r->i++;
        if (!units_digit(r, &u)) return 0;
    } else if (is_digitish(w) && peek_role(r, 1) == R_HUNDRED) {
        if (w->role == R_LATE) return 0;
        h = (int)w->v;
        r->i += 2;
        const word_t *a = peek(r, 0), *b = peek(r, 1);
        if (a && a->role == R_LINK) {
            r->i++;
            if (!units_digit(r, &u)) return 0;
        } else if (a && is_digitish(a) && b && b->role == R_TENS) {
            t = (int)a->v;
            r->i += 2;
            units_digit(r, &u);
        } else if (a && a->role == R_TEN) {
            t = 1;
            r->i++;
            units_digit(r, &u);
        } else if (a && is_digitish(a) && b && is_digitish(b) && peek_role(r, 2) != R_HUNDRED &&
                   peek_role(r, 2) != R_TENS) {
            t = (int)a->v;                       /* "hai trăm năm chín" = 259 */
            u = (int)b->v;
            r->i += 2;
        } else if (a && is_digitish(a) && (!b || b->role == R_MAG)) {
            t = (int)a->v;                       /* "một trăm hai" = 120 */
            r->i++;
        } else if (a && a->role == R_HALF) {
            t = 5;                               /* "tám trăm rưỡi" = 850 */
            r->i++;
        }
    } else if (w->role == R_TEN) {
        t = 1;
        r->i++;
        units_digit(r, &u);
    } else if (is_digitish(w) && peek_role(r, 1) == R_TENS) {
        if (w->role == R_LATE || w->v < 1) return 0;
        t = (int)w->v;
        r->i += 2;
        units_digit(r, &u);
    } else if (w->role == R_DIGIT && w->v >= 1 && peek(r, 1) && is_digitish(peek(r, 1)) &&
               peek_role(r, 2) != R_HUNDRED && peek_role(r, 2) != R_TENS) {
        t = (int)w->v;                           /* "hai mốt" = 21, "bốn ba" = 43 */
        u = (int)peek(r, 1)->v;
        r->i += 2;
    } else if (w->role == R_DIGIT) {
        u = (int)w->v;
        r->i++;
        *lone = 1;
    } else {
        return 0;
    }
    *out = h * 100 + t * 10 + u;
    return 1;
}

static int parse_int(rd_t *r, double *out)
{
    double total = 0;
    int any = 0;
    while (r->i < r->n) {
        double small = 0;
        int lone = 0;
        const word_t *w = peek(r, 0);
        if (w->role == R_HALFPRE && peek_role(r, 1) == R_MAG) {
            small = 0.5;                         /* "nửa tỷ" */
            r->i++;
        } else if (w->role == R_MAG && any) {
            break;
        } else if (!parse_small(r, &small, &lone, any)) {
            break;
        }
        any = 1;
        if (peek_role(r, 0) == R_MAG) {
            double m = 1;
            while (peek_role(r, 0) == R_MAG) { m *= peek(r, 0)->v; r->i++; }   /* "nghìn tỷ" */
            total += small * m;
            if (peek_role(r, 0) == R_HALF) {               /* "năm ngàn rưỡi" */
                total += m / 2;
                r->i++;
                break;
            }
            const word_t *d = peek(r, 0);
            if (d && is_digitish(d) && (r->i + 1 == r->n || peek_role(r, 1) == R_POINT)) {
                total += d->v * m / 10;                     /* "một triệu hai" */
                r->i++;
                break;
            }
            continue;
        }
        total += small;
        break;
    }
    *out = total;
    return any;
}

int vnx_parse_spelled(const vnx_lexicon *numerals, const char *s, size_t n, double *out)
{
    word_t w[64];
    size_t nw = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\n')) i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\n') i++;
        if (i == b) break;
        if (nw == sizeof w / sizeof *w) return 0;
        const vnx_lex_entry *e = vnx_lexicon_find(numerals, s + b, i - b);
        if (!e || e->ncol < 2) return 0;
        w[nw].role = role_of(e->col[0]);
        w[nw].v = strtod(e->col[1], NULL);
        if (w[nw].role == R_NONE) return 0;
        nw++;
    }
    rd_t r = {w, nw, 0};
    double sign = 1, v;
    if (peek_role(&r, 0) == R_NEG) { sign = -1; r.i++; }
    size_t start = r.i;
    if (start >= nw) return 0;
    /* a lone "một", "không" or late digit is not a number ("một số", "không có") */
    if (nw - start == 1 && (w[start].role != R_DIGIT || w[start].v <= 1) && w[start].role != R_TEN)
        return 0;
    if (w[start].role == R_DIGIT && w[start].v == 0 && peek_role(&r, 1) != R_POINT) return 0;
    if (!parse_int(&r, &v)) return 0;
    if (peek_role(&r, 0) == R_POINT) {
        r.i++;
        size_t end = r.i;   /* the decimals run to the magnitude words, if any */
        while (end < r.n && w[end].role != R_MAG) end++;
        if (end == r.i) return 0;
        char frac[64];
        size_t k = 0;
        int all_digits = 1;
        for (size_t j = r.i; j < end; j++)
            if (!is_digitish(&w[j])) all_digits = 0;
        if (all_digits) {   /* read digit by digit: "không năm" is .05 */
            for (; r.i < end && k + 1 < sizeof frac; r.i++) frac[k++] = (char)('0' + (int)w[r.i].v);
            frac[k] = 0;
        } else {
            rd_t sub = {w, end, r.i};
            double f;
            if (!parse_int(&sub, &f) || sub.i != end) return 0;
            r.i = end;
            snprintf(frac, sizeof frac, "%.0f", f);
        }
        char buf[128];
        snprintf(buf, sizeof buf, "%.0f.%s", v, frac);
        v = strtod(buf, NULL);
        while (peek_role(&r, 0) == R_MAG) { v *= peek(&r, 0)->v; r.i++; }   /* "một chấm năm triệu" */
    }
    if (r.i != r.n) return 0;
    *out = sign * v;
    return 1;
}

/* A year in words: a plain numeral ("hai nghìn mười ba"), or read in two halves digit by
 * digit ("một chín chín chín" 1999, "hai không linh chín" 2009, "một tám năm hai" 1852). */
int vnx_parse_year_words(const vnx_lexicon *numerals, const char *s, size_t n)
{
    double v;
    if (vnx_parse_spelled(numerals, s, n, &v) && v >= 1000 && v <= 2199 && v == (int)v) return (int)v;
    word_t w[16];
    size_t nw = 0, i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ') i++;
        size_t b = i;
        while (i < n && s[i] != ' ') i++;
        if (i == b) break;
        if (nw == 16) return 0;
        const vnx_lex_entry *e = vnx_lexicon_find(numerals, s + b, i - b);
        if (!e || e->ncol < 2) return 0;
        w[nw].role = role_of(e->col[0]);
        w[nw].v = strtod(e->col[1], NULL);
        nw++;
    }
    if (nw < 3 || w[0].role != R_DIGIT || !is_digitish(&w[1])) return 0;
    int century = (int)(w[0].v * 10 + w[1].v), part;
    if (century < 10 || century > 21) return 0;
    if (nw == 4 && is_digitish(&w[2]) && is_digitish(&w[3])) {
        part = (int)(w[2].v * 10 + w[3].v);
    } else if (nw == 4 && w[2].role == R_LINK && is_digitish(&w[3])) {
        part = (int)w[3].v;
    } else {
        rd_t r = {w, nw, 2};
        double small;
        int lone;
        if (!parse_small(&r, &small, &lone, 0) || r.i != nw || lone) return 0;
        part = (int)small;
    }
    return part < 100 ? century * 100 + part : 0;
}

int vnx_parse_roman(const char *s, size_t n)
{
    static const struct { const char *r; int v; } T[] = {
        {"M", 1000}, {"CM", 900}, {"D", 500}, {"CD", 400}, {"C", 100}, {"XC", 90}, {"L", 50},
        {"XL", 40}, {"X", 10}, {"IX", 9}, {"V", 5}, {"IV", 4}, {"I", 1}};
    char up[32];
    if (n == 0 || n >= sizeof up) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (!strchr("IVXLCDM", c)) return 0;
        up[i] = c;
    }
    up[n] = 0;
    /* read greedily, then accept only the canonical spelling of that value ("IIII" is not) */
    int v = 0;
    const char *p = up;
    for (size_t t = 0; t < sizeof T / sizeof *T; t++) {
        size_t l = strlen(T[t].r);
        while (strncmp(p, T[t].r, l) == 0) {
            v += T[t].v;
            p += l;
        }
    }
    if (*p || v == 0 || v >= 4000) return 0;
    char canon[32];
    size_t k = 0;
    for (int t = 0, rest = v; t < (int)(sizeof T / sizeof *T); t++)
        while (rest >= T[t].v) {
            size_t l = strlen(T[t].r);
            memcpy(canon + k, T[t].r, l);
            k += l;
            rest -= T[t].v;
        }
    canon[k] = 0;
    return strcmp(canon, up) == 0 ? v : 0;
}

double vnx_magnitude(const vnx_lexicon *mags, const char *s, size_t n)
{
    double m = 1;
    int any = 0;
    size_t i = 0;
    while (i < n) {   /* several words multiply: "nghìn tỷ" */
        while (i < n && s[i] == ' ') i++;
        size_t b = i;
        while (i < n && s[i] != ' ') i++;
        if (i == b) break;
        const vnx_lex_entry *e = vnx_lexicon_find(mags, s + b, i - b);
        if (!e || e->ncol < 1) return 0;
        m *= strtod(e->col[0], NULL);
        any = 1;
    }
    return any ? m : 0;
}

/* ---- normalizers named by the rules ---------------------------------------------------------- */

static const vnx_lexicon *lex(const vnx_ctx *c, const char *name)
{
    return vnx_extractor_lexicon(c->ex, name);
}

/* The value of group name: digits, or a spelled-out numeral. */
static int group_value(const vnx_ctx *c, int g, double *v)
{
    size_t s, e;
    if (!vnx_group(c, g, &s, &e)) return 0;
    if (c->m[s] >= '0' && c->m[s] <= '9') return vnx_parse_digits(c->m + s, e - s, v);
    return vnx_parse_spelled(c->ex->numerals, c->m + s, e - s, v);
}

/* A unit as written, but without white space around its '/' ("đồng / kg" is "đồng/kg") or
 * before an exponent the UNIT pattern takes in ("m 2" is "m2"; see patterns/10-common.rules):
 * one spelling for one unit, for those who group by it. */
static cJSON *unit_string(const vnx_ctx *c, int g)
{
    size_t s, e;
    if (!vnx_group(c, g, &s, &e) || e == s) return NULL;
    char buf[128];
    size_t n = 0;
    const char *m = c->m;
    for (size_t i = s; i < e && n < sizeof buf; i++) {
        int space = m[i] == ' ' || m[i] == '\n';
        int by_slash = space && ((i + 1 < e && m[i + 1] == '/') || (n > 0 && buf[n - 1] == '/'));
        int exponent = space && n > 0 && (buf[n - 1] | 0x20) == 'm' && i + 1 < e && (m[i + 1] == '2' || m[i + 1] == '3');
        if (!by_slash && !exponent) buf[n++] = m[i];
    }
    if (n == sizeof buf) return vnx_json_string(m + s, e - s);   /* no unit is this long */
    return vnx_json_string(buf, n);
}

/* The unit of a number: the unit group, or else a time word after it ("5 năm", "45 ngày":
 * a duration, whose time word stays outside the span; lexicons/time_units.tsv). */
static cJSON *number_unit(const vnx_ctx *c, int g, size_t end)
{
    cJSON *u = unit_string(c, g);
    if (u || end >= c->mlen || c->m[end] != ' ') return u;
    size_t i = end;
    while (i < c->mlen && c->m[i] == ' ') i++;
    /* every time word starts with one of these letters: most words after a number do not */
    if (i >= c->mlen || !strchr("nqtgphNQTGPH", c->m[i]) || !c->m[i]) return NULL;
    size_t b = i;
    while (i < c->mlen && i - b <= 12 && ((unsigned char)c->m[i] >= 0x80 || ((c->m[i] | 0x20) >= 'a' && (c->m[i] | 0x20) <= 'z')))
        i++;
    const vnx_lex_entry *w = vnx_lexicon_find(c->ex->time_units, c->m + b, i - b);
    return w ? vnx_json_string(c->m + b, i - b) : NULL;
}

/* Applies the magnitude ("tỷ", "k", "tr"), a glued tail ("1tr2") and "rưỡi" to v; a tail
 * without a magnitude follows a unit ("1m70" is 1.7). */
static int apply_magnitude(const vnx_ctx *c, double *v)
{
    size_t s, e;
    if (!vnx_group(c, G_MAG, &s, &e)) {
        if (vnx_group(c, G_TAIL, &s, &e)) *v += strtod(c->m + s, NULL) / pow(10, (double)(e - s));
        return 1;
    }
    double m = vnx_magnitude(lex(c, "magnitudes"), c->m + s, e - s);
    if (m == 0) return 0;
    *v *= m;
    if (vnx_group(c, G_TAIL, &s, &e)) {
        double t = strtod(c->m + s, NULL);
        *v += t * m / pow(10, (double)(e - s));
    }
    if (vnx_group(c, G_HALF, &s, &e)) *v += m / 2;
    return 1;
}

static int negative(const vnx_ctx *c)
{
    size_t s, e;
    return vnx_group(c, G_SIGN, &s, &e) && c->m[s] != '+';
}

/* The entity's span: group "e" when the rule has one, else the whole match. */
static void entity_span(const vnx_ctx *c, size_t *s, size_t *e)
{
    if (!vnx_group(c, G_E, s, e)) { *s = c->ov[0]; *e = c->ov[1]; }
}

/* "không" alone is no number ("không có"), but "không mét", "không phần trăm" are 0. */
static int zero_word(const vnx_ctx *c, double *v)
{
    size_t s, e;
    if (!vnx_group(c, G_WORDS, &s, &e) || e - s != strlen("không") || !vnx_group(c, G_UNIT, &s, &s)) return 0;
    vnx_group(c, G_WORDS, &s, &e);
    char *w = vnx_lower(c->m + s, e - s);
    int zero = strcmp(w, "không") == 0;
    free(w);
    if (zero) *v = 0;
    return zero;
}

/* "hai ba người", "ba bốn ngày": two digit words side by side, the second one more than the
 * first, are an approximate range, two numbers (SPEC.md section 4); "hai mốt", "ba tư" (a
 * late word second) stay one. Returns 2 when it emitted them. */
static int approximate_pair(vnx_ctx *c)
{
    size_t s, e, ms, me;
    if (vnx_group(c, G_MAG, &ms, &me) || !vnx_group(c, G_WORDS, &s, &e)) return 0;   /* with a magnitude: one */
    size_t sp = s;
    while (sp < e && c->m[sp] != ' ') sp++;
    if (sp >= e) return 0;
    size_t b = sp;
    while (b < e && c->m[b] == ' ') b++;
    for (size_t i = b; i < e; i++)
        if (c->m[i] == ' ') return 0;   /* two words only */
    const vnx_lexicon *nums = c->ex->numerals;
    const vnx_lex_entry *x = vnx_lexicon_find(nums, c->m + s, sp - s), *y = vnx_lexicon_find(nums, c->m + b, e - b);
    if (!x || !y || x->ncol < 2 || y->ncol < 2 || strcmp(x->col[0], "digit") || strcmp(y->col[0], "digit")) return 0;
    double a = strtod(x->col[1], NULL), d = strtod(y->col[1], NULL);
    if (d != a + 1 || a < 1) return 0;
    vnx_emit_number(c, VNX_NUMBER, s, sp, a);
    vnx_ent *en = vnx_emit_number(c, VNX_NUMBER, b, e, d);
    cJSON *unit = number_unit(c, G_UNIT, e);
    if (unit) vnx_set_extra(en, "unit", unit);
    return 2;
}

static int norm_number(vnx_ctx *c)
{
    double v;
    int pair = approximate_pair(c);
    if (pair) return pair;
    if (!group_value(c, G_NUM, &v) && !group_value(c, G_WORDS, &v) && !zero_word(c, &v)) return 0;
    if (!apply_magnitude(c, &v)) return 0;
    size_t hs, he;
    if (vnx_group(c, G_HALFU, &hs, &he)) v += 0.5;   /* "hai đô rưỡi" */
    if (negative(c)) v = -v;
    double of = 0;
    int has_of = group_value(c, G_OF, &of);
    size_t ms, me;
    if (has_of && vnx_group(c, G_MAG, &ms, &me))   /* "850/1.200 tỷ đồng": the magnitude of both */
        of *= vnx_magnitude(lex(c, "magnitudes"), c->m + ms, me - ms);
    if (has_of && (of == 0 || v > of)) return 0;   /* "x/y" reads "x out of y" */
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_ent *en = vnx_emit_number(c, VNX_NUMBER, s, e, v);
    cJSON *unit = number_unit(c, G_UNIT, e);
    if (unit) vnx_set_extra(en, "unit", unit);
    if (has_of) vnx_set_extra(en, "of", vnx_json_number(of));
    return 1;
}

/* "10 - 20 tỷ đồng": two numbers; the magnitude and unit written once apply to both, the
 * magnitude to the first only when it is no larger than the second as written: "từ 300.000
 * đến 2,4 triệu đồng" starts at 300,000 đồng, not 300 billion. */
static int norm_number_range(vnx_ctx *c)
{
    double a, b;
    size_t as, ae, bs, be;
    if (!group_value(c, G_A, &a) || !group_value(c, G_B, &b)) return 0;
    if ((a <= b && !apply_magnitude(c, &a)) || !apply_magnitude(c, &b)) return 0;
    vnx_group(c, G_A, &as, &ae);
    vnx_group(c, G_B, &bs, &be);
    size_t ss, se;
    if (vnx_group(c, G_SIGN, &ss, &se) && c->m[ss] != '+') { a = -a; as = ss; }
    vnx_ent *x = vnx_emit_number(c, VNX_NUMBER, as, ae, a);
    cJSON *unit = number_unit(c, G_UNIT, c->ov[1]);
    if (unit) vnx_set_extra(x, "unit", cJSON_Duplicate(unit, 1));
    vnx_ent *y = vnx_emit_number(c, VNX_NUMBER, bs, c->ov[1], b);
    if (unit) vnx_set_extra(y, "unit", unit);
    return 2;
}

/* "50.000đ-100.000đ": two numbers, each with its own unit. */
static int norm_number_pair(vnx_ctx *c)
{
    double a, b;
    size_t as, ae, bs, be, us, ue;
    if (!group_value(c, G_A, &a) || !group_value(c, G_B, &b)) return 0;
    vnx_group(c, G_A, &as, &ae);
    vnx_group(c, G_B, &bs, &be);
    /* a glued magnitude on each end: "2tr-5tr" */
    size_t ms, me;
    const vnx_lexicon *mags = lex(c, "magnitudes");
    if (vnx_group(c, G_MA, &ms, &me)) { a *= vnx_magnitude(mags, c->m + ms, me - ms); ae = me; }
    if (vnx_group(c, G_MB, &ms, &me)) { b *= vnx_magnitude(mags, c->m + ms, me - ms); be = me; }
    if (a == 0 && b == 0 && (vnx_group(c, G_MA, &ms, &me) || vnx_group(c, G_MB, &ms, &me))) return 0;
    vnx_ent *x = vnx_emit_number(c, VNX_NUMBER, as, vnx_group(c, G_UA, &us, &ue) ? ue : ae, a);
    cJSON *u = unit_string(c, G_UA);
    if (u) vnx_set_extra(x, "unit", u);
    vnx_ent *y = vnx_emit_number(c, VNX_NUMBER, bs, vnx_group(c, G_UB, &us, &ue) ? ue : be, b);
    u = unit_string(c, G_UB);
    if (u) vnx_set_extra(y, "unit", u);
    return 2;
}

static int norm_percent(vnx_ctx *c)
{
    double v;
    size_t s0, e0;
    if (!group_value(c, G_NUM, &v) && !group_value(c, G_WORDS, &v)) {
        if (!vnx_group(c, G_WORDS, &s0, &e0)) return 0;
        char *w = vnx_lower(c->m + s0, e0 - s0);
        int zero = strcmp(w, "không") == 0;   /* "không phần trăm" */
        free(w);
        if (!zero) return 0;
        v = 0;
    }
    if (negative(c)) v = -v;
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_ent *en = vnx_emit_number(c, VNX_PERCENT, s, e, v);
    double t;
    if (group_value(c, G_TARGET, &t)) vnx_set_extra(en, "target", vnx_json_number(t));
    return 1;
}

/* "6-11%", "1,0-1,25%": two percents. */
static int norm_percent_range(vnx_ctx *c)
{
    double a, b;
    size_t as, ae, bs, be;
    if (!group_value(c, G_A, &a) || !group_value(c, G_B, &b)) return 0;
    vnx_group(c, G_A, &as, &ae);
    vnx_group(c, G_B, &bs, &be);
    size_t us, ue;
    if (vnx_group(c, G_UA, &us, &ue)) ae = ue;   /* "20%-30%": the first sign is the first's */
    vnx_emit_number(c, VNX_PERCENT, as, ae, a);
    vnx_emit_number(c, VNX_PERCENT, bs, c->ov[1], b);
    return 2;
}

/* Ordinals: "thứ 3", "thứ ba", "Thứ nhất", "khóa XIII", "lần thứ XXII", "Điều 3". */
static int norm_ordinal(vnx_ctx *c)
{
    double v = 0;
    size_t s, e;
    if (vnx_group(c, G_ROMAN, &s, &e)) {
        v = vnx_parse_roman(c->m + s, e - s);
        if (v <= 0) return 0;
    } else if (vnx_group(c, G_WORDS, &s, &e)) {
        const vnx_lex_entry *o = vnx_lexicon_find(lex(c, "ordinals"), c->m + s, e - s);
        if (o && o->ncol > 0) v = strtod(o->col[0], NULL);
        else if (!vnx_parse_spelled(c->ex->numerals, c->m + s, e - s, &v)) return 0;
    } else if (!group_value(c, G_NUM, &v)) {
        return 0;
    }
    entity_span(c, &s, &e);
    vnx_ent *en = vnx_emit_number(c, VNX_NUMBER, s, e, v);
    vnx_set_extra(en, "ordinal", cJSON_CreateTrue());
    return 1;
}

/* A numeral word or words for a fraction: single words read by their lexicon value, so
 * that "một" and "tư" count here ("một phần tư"). */
static int fraction_part(const vnx_ctx *c, int g, double *v)
{
    size_t s, e;
    if (!vnx_group(c, g, &s, &e)) return 0;
    if (!memchr(c->m + s, ' ', e - s)) {
        const vnx_lex_entry *w = vnx_lexicon_find(c->ex->numerals, c->m + s, e - s);
        if (w && w->ncol > 1 && (!strcmp(w->col[0], "digit") || !strcmp(w->col[0], "late") ||
                                 !strcmp(w->col[0], "ten"))) {
            *v = strtod(w->col[1], NULL);
            return 1;
        }
    }
    return vnx_parse_spelled(c->ex->numerals, c->m + s, e - s, v);
}

/* "ba phần tư" = 0.75 */
static int norm_fraction(vnx_ctx *c)
{
    double a, b;
    if (!fraction_part(c, G_A, &a) || !fraction_part(c, G_B, &b) || b <= 0 || a <= 0) return 0;
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_emit_number(c, VNX_NUMBER, s, e, a / b);
    return 1;
}

/* A match that only claims its span (phone numbers, plates, product models). */
static int norm_ignore(vnx_ctx *c)
{
    (void)c;
    return 0;
}

const vnx_normalizer vnx_number_normalizers[] = {
    {"number", norm_number},
    {"number_range", norm_number_range},
    {"number_pair", norm_number_pair},
    {"percent", norm_percent},
    {"percent_range", norm_percent_range},
    {"ordinal", norm_ordinal},
    {"fraction", norm_fraction},
    {"ignore", norm_ignore},
    {NULL, NULL},
};
