/* Value normalizers for dates: partial ISO 8601 values ("2021-10-25", "2023-09", "2017",
 * "XXXX-09-02" when the year is missing), quarters and halves ("2023-Q3", "2023-H1"),
 * intervals ("2020/2025"), decades ("199X"), with mod START/MID/END. Times of day
 * ("17h", "21h30") come out as type time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A component: digits, a Roman numeral (quarters) or a spelled-out numeral. -1 if absent or
 * unreadable. */
int vnx_date_component(const vnx_ctx *c, int g)
{
    size_t s, e;
    if (!vnx_group(c, g, &s, &e) || e == s) return -1;
    const char *p = c->m + s;
    if (p[0] >= '0' && p[0] <= '9') {
        int v = 0;
        for (size_t i = s; i < e; i++) {
            if (c->m[i] < '0' || c->m[i] > '9') return -1;
            if (v > 100000) return -1;
            v = v * 10 + (c->m[i] - '0');
        }
        return v;
    }
    if (g == G_Y || g == G_Y1 || g == G_Y2 || g == G_YEAR || g == G_DY) {   /* a year in words */
        int y = vnx_parse_year_words(c->ex->numerals, p, e - s);
        return y > 0 ? y : -1;
    }
    int r = vnx_parse_roman(p, e - s);
    if (r > 0) return r;
    const vnx_lex_entry *m = vnx_lexicon_find(vnx_extractor_lexicon(c->ex, "months"), p, e - s);
    if (m && m->ncol > 0) return atoi(m->col[0]);
    double v;
    if (vnx_parse_spelled(c->ex->numerals, p, e - s, &v) && v >= 0 && v < 100000 && v == (int)v)
        return (int)v;
    return -1;
}

static int days_in_month(int m, int y)
{
    static const int D[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y > 0) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
    return D[m - 1];
}

static int valid_year(int y) { return y >= 1000 && y <= 2199; }

/* ISO text of a (possibly partial) date; y < 0 writes XXXX. Returns 0 when invalid. */
int vnx_iso_date(char *out, size_t n, int y, int m, int d)
{
    if (y >= 0 && !valid_year(y)) return 0;
    if (m >= 0 && (m < 1 || m > 12)) return 0;
    if (d >= 0 && (m < 0 || d < 1 || d > days_in_month(m, y))) return 0;
    /* digits by hand: this runs for every date, and y, m, d are in range here */
    char v[11] = "XXXX-00-00";
    size_t len = m < 0 ? 4 : d < 0 ? 7 : 10;
    if (y >= 0) v[0] = (char)('0' + y / 1000), v[1] = (char)('0' + y / 100 % 10), v[2] = (char)('0' + y / 10 % 10), v[3] = (char)('0' + y % 10);
    if (m >= 0) v[5] = (char)('0' + m / 10), v[6] = (char)('0' + m % 10);
    if (d >= 0) v[8] = (char)('0' + d / 10), v[9] = (char)('0' + d % 10);
    if (n == 0) return 1;
    if (len >= n) len = n - 1;
    memcpy(out, v, len);
    out[len] = 0;
    return 1;
}

static int doc_year(const vnx_ctx *c)
{
    if (!c->doc_date || strlen(c->doc_date) < 4) return -1;
    int y = atoi(c->doc_date);
    return valid_year(y) ? y : -1;
}

/* mod from the date_mods lexicon: "cuối" END, "đầu" START, "giữa" MID. */
static const char *mod_of(const vnx_ctx *c)
{
    size_t s, e;
    if (!vnx_group(c, G_MOD, &s, &e)) return NULL;
    const vnx_lex_entry *m = vnx_lexicon_find(vnx_extractor_lexicon(c->ex, "date_mods"), c->m + s, e - s);
    return m && m->ncol > 0 ? m->col[0] : NULL;
}

static void entity_span(const vnx_ctx *c, size_t *s, size_t *e)
{
    if (!vnx_group(c, G_E, s, e)) { *s = c->ov[0]; *e = c->ov[1]; }
}

vnx_ent *vnx_emit_date(vnx_ctx *c, size_t s, size_t e, const char *value, int y, int m, int d)
{
    vnx_ent *en = vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(value), NULL);
    int dy = doc_year(c);
    if (y < 0 && dy > 0 && m > 0) {
        char r[32];
        if (vnx_iso_date(r, sizeof r, dy, m, d)) vnx_set_extra(en, "resolved", cJSON_CreateString(r));
    }
    return en;
}

/* "nhiều tháng đầu năm": the months a part of the year covers. */
static int part_of_year(char *out, size_t n, int y, int months, const char *mod)
{
    char ys[16];
    if (y >= 0) snprintf(ys, sizeof ys, "%04d", y);
    else strcpy(ys, "XXXX");
    if (months < 1 || months > 12 || !mod) return 0;
    int end = strcmp(mod, "END") == 0;
    if (months == 6) snprintf(out, n, "%s-H%d", ys, end ? 2 : 1);
    else if (months == 3) snprintf(out, n, "%s-Q%d", ys, end ? 4 : 1);
    else if (months == 12) snprintf(out, n, "%s", ys);
    else if (end) snprintf(out, n, "%s-%02d/%s-12", ys, 13 - months, ys);
    else snprintf(out, n, "%s-01/%s-%02d", ys, ys, months);
    return 1;
}

static int norm_date(vnx_ctx *c)
{
    int y = vnx_date_component(c, G_Y), m = vnx_date_component(c, G_M), d = vnx_date_component(c, G_D);
    int q = vnx_date_component(c, G_Q), months = vnx_date_component(c, G_MONTHS);
    size_t s, e, gs, ge;
    if (vnx_group(c, G_Y, &gs, &ge) && y < 0) return 0;
    if (vnx_group(c, G_M, &gs, &ge) && m < 0) return 0;
    if (vnx_group(c, G_D, &gs, &ge) && d < 0) return 0;
    const char *mod = mod_of(c);
    char v[48];
    if (months > 0) {
        if (!part_of_year(v, sizeof v, y, months, mod)) return 0;
        mod = NULL;   /* "đầu" chose the part of the year */
    } else if (q > 0) {
        if (q > 4 || (y >= 0 && !valid_year(y))) return 0;
        if (y >= 0) snprintf(v, sizeof v, "%04d-Q%d", y, q);
        else snprintf(v, sizeof v, "XXXX-Q%d", q);
    } else {
        if (y < 0 && m < 0) return 0;
        if (!vnx_iso_date(v, sizeof v, y, m, d)) return 0;
    }
    entity_span(c, &s, &e);
    vnx_ent *en = vnx_emit_date(c, s, e, v, y, m, d);
    if (mod) vnx_set_extra(en, "mod", cJSON_CreateString(mod));
    return 1;
}

/* Intervals: "2016-2020", "giai đoạn 2021–2025", "từ ngày 1/1 đến 31/12/2017",
 * "từ ngày 2 - 4/6/2017". The start takes the end's year and month when it has none. */
static int norm_date_range(vnx_ctx *c)
{
    int y1 = vnx_date_component(c, G_Y1), m1 = vnx_date_component(c, G_M1), d1 = vnx_date_component(c, G_D1);
    int y2 = vnx_date_component(c, G_Y2), m2 = vnx_date_component(c, G_M2), d2 = vnx_date_component(c, G_D2);
    size_t ys, ye;
    if (y1 >= 0 && vnx_group(c, G_Y2, &ys, &ye) && ye - ys == 2) {
        /* a season, "2016/17": the end is the next year, written with two digits */
        y2 += y1 - y1 % 100 + (y2 < y1 % 100 ? 100 : 0);
        if (y2 != y1 + 1) return 0;
    }
    if (y1 < 0 && m1 < 0 && d1 >= 0) m1 = m2;
    if (y1 < 0 && (m1 >= 0 || d1 >= 0)) y1 = y2;
    if ((m1 >= 0) != (m2 >= 0) || (d1 >= 0) != (d2 >= 0)) return 0;
    char a[32], b[32], v[72];
    if (!vnx_iso_date(a, sizeof a, y1, m1, d1) || !vnx_iso_date(b, sizeof b, y2, m2, d2)) return 0;
    if (y1 >= 0 && y2 >= 0 && (y1 > y2 || y2 - y1 > 100)) return 0;
    if (strcmp(a, b) >= 0) return 0;
    snprintf(v, sizeof v, "%s/%s", a, b);
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(v), NULL);
    return 1;
}

/* "năm 2021 và 2022", "tháng 8 và 10": one date per number; the first span includes the
 * word before it. Years when month is 0, else months. */
static int emit_list(vnx_ctx *c, int month)
{
    size_t s0 = c->ov[0], i = c->ov[0], end = c->ov[1];
    int n = 0;
    while (i < end) {
        if (c->m[i] < '0' || c->m[i] > '9') { i++; continue; }
        size_t b = i;
        while (i < end && c->m[i] >= '0' && c->m[i] <= '9') i++;
        int v = atoi(c->m + b);
        char iso[16];
        if (!(month ? vnx_iso_date(iso, sizeof iso, -1, v, -1) : (i - b == 4 && vnx_iso_date(iso, sizeof iso, v, -1, -1))))
            return n;
        vnx_emit_date(c, n == 0 ? s0 : b, i, iso, month ? -1 : v, month ? v : -1, -1);
        n++;
    }
    return n;
}

static int norm_year_list(vnx_ctx *c) { return emit_list(c, 0); }
static int norm_month_list(vnx_ctx *c) { return emit_list(c, 1); }

/* "những năm 1990", "thập niên 90": 199X. */
static int norm_decade(vnx_ctx *c)
{
    int y = vnx_date_component(c, G_Y);
    size_t gs, ge;
    if (y < 0 || !vnx_group(c, G_Y, &gs, &ge)) return 0;
    if (ge - gs == 2) y += 1900;
    if (!valid_year(y) || y % 10 != 0) return 0;
    char v[16];   /* "199X"; room for any int, so the compiler need not prove the year short */
    snprintf(v, sizeof v, "%03dX", y / 10);
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(v), NULL);
    return 1;
}

/* "thứ 2", "thứ Hai" alone: a weekday, relative to a week we do not know. */
static int norm_weekday(vnx_ctx *c)
{
    size_t s, e;
    int d = vnx_date_component(c, G_WD);
    if (d < 0 && vnx_group(c, G_WD, &s, &e)) {
        const vnx_lex_entry *w = vnx_lexicon_find(vnx_extractor_lexicon(c->ex, "weekdays"), c->m + s, e - s);
        if (w && w->ncol > 0) d = atoi(w->col[0]);
    }
    if (d < 1 || d > 8) return 0;
    int iso_day = d == 8 ? 7 : d - 1;   /* "thứ hai" is Monday, "chủ nhật" Sunday */
    char v[16];
    snprintf(v, sizeof v, "XXXX-WXX-%d", iso_day);
    entity_span(c, &s, &e);
    vnx_ent *en = vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(v), NULL);
    vnx_set_extra(en, "relative", cJSON_CreateTrue());
    return 1;
}

static int norm_time(vnx_ctx *c)
{
    int h = vnx_date_component(c, G_H), mi = vnx_date_component(c, G_MIN);
    if (h < 0 || h > 24) return 0;
    if (mi < 0) mi = 0;
    if (mi > 59) return 0;
    char v[8];
    snprintf(v, sizeof v, "%02d:%02d", h, mi);
    size_t s, e;
    entity_span(c, &s, &e);
    vnx_emit(c, VNX_TIME, s, e, cJSON_CreateString(v), NULL);
    return 1;
}

const vnx_normalizer vnx_date_normalizers[] = {
    {"date", norm_date},
    {"date_range", norm_date_range},
    {"year_list", norm_year_list},
    {"month_list", norm_month_list},
    {"decade", norm_decade},
    {"weekday", norm_weekday},
    {"time", norm_time},
    {NULL, NULL},
};
