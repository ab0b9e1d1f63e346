/* Value normalizers for dates: partial ISO 8601 values ("2021-10-25", "2023-09", "2017",
 * "XXXX-09-02" when the year is missing), quarters and halves ("2023-Q3", "2023-H1"),
 * intervals ("2020/2025"), decades ("199X"), with mod START/MID/END. Times of day
 * ("17h", "21h30") come out as type time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "values.h"

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
    if (g == G_MONTHS && e - s == strlen("nửa") && (p[0] | 0x20) == 'n' && !memcmp(p + 1, "ửa", e - s - 1))
        return 6;   /* "nửa đầu năm": half a year */
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

static int valid_year(int y) { return y >= 1000 && y <= 2199; }

/* ISO text of a (possibly partial) date; y < 0 writes XXXX. Returns 0 when invalid. */
int vnx_iso_date(char *out, size_t n, int y, int m, int d)
{
    if (y >= 0 && !valid_year(y)) return 0;
    if (m >= 0 && (m < 1 || m > 12)) return 0;
    if (d >= 0 && (m < 0 || d < 1 || d > (m == 2 && y < 0 ? 29 : vnx_days_in_month(y, m)))) return 0;
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
    return c->doc && valid_year((int)c->doc->y) ? (int)c->doc->y : -1;
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

/* value with year y for each XXXX ("XXXX-01/XXXX-09" in 2021: "2021-01/2021-09"), into out;
 * 0 when a day in it is not one of that year ("XXXX-02-29" in 2021). */
static int fill_year(const char *value, long y, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = value; *p && o + 5 < n;) {
        if (strncmp(p, "XXXX", 4) == 0) { o += (size_t)snprintf(out + o, n - o, "%04ld", y); p += 4; }
        else out[o++] = *p++;
    }
    out[o] = 0;
    for (const char *p = out; (p = strchr(p, '-')) != NULL; p++)   /* every YYYY-MM-DD in it a real day */
        if (p - out >= 4 && p[3] == '-' && p[4] && p[5] && atoi(p + 4) > vnx_days_in_month(atoi(p - 4), atoi(p + 1)))
            return 0;
    return 1;
}

/* A date entity. One without a year ("ngày 2/9", "quý 3", "6 tháng đầu năm", "từ tháng 3 đến
 * tháng 5": its value has XXXX) gets resolved, the document's year filled in. */
vnx_ent *vnx_emit_date(vnx_ctx *c, size_t s, size_t e, const char *value)
{
    vnx_ent *en = vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(value), NULL);
    int dy = doc_year(c);
    char r[80];
    if (dy > 0 && strstr(value, "XXXX") && fill_year(value, dy, r, sizeof r))
        vnx_set_extra(en, "resolved", cJSON_CreateString(r));
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
    vnx_ent *en = vnx_emit_date(c, s, e, v);
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
    vnx_emit_date(c, s, e, v);
    return 1;
}

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

/* ---- relative dates: "hôm qua", "tuần trước", "tháng 7 năm ngoái", "3 năm trước" ----------- */

/* A step from the unit that holds the document date: n units of D (days), W (ISO weeks),
 * M (months), Q (quarters) or Y (years). */
typedef struct { long n; char unit; } rel_step;

/* "tuần trước": the relative lexicon's offset and unit for group rel. A phrase marked "part"
 * ("nay", "qua", "mai") counts only after a part of day ("sáng nay", "tối qua"). */
static int rel_of_phrase(const vnx_ctx *c, rel_step *st)
{
    size_t s, e;
    if (!vnx_group(c, G_REL, &s, &e)) return 0;
    const vnx_lex_entry *w = vnx_lexicon_find(c->ex->relative, c->m + s, e - s);
    if (!w || w->ncol < 2 || !strchr("DWMQY", w->col[1][0])) return 0;
    if (w->ncol > 2 && strcmp(w->col[2], "part") == 0 && !vnx_group(c, G_PART, &s, &e)) return 0;
    st->n = atol(w->col[0]);
    st->unit = w->col[1][0];
    return 1;
}

/* "3 năm trước", "cách đây hai tháng": n units ago, the unit from the time_units lexicon. */
static int rel_of_count(const vnx_ctx *c, rel_step *st)
{
    size_t s, e;
    int n = vnx_date_component(c, G_N);
    if (n < 1 || n > 9999 || !vnx_group(c, G_RUNIT, &s, &e)) return 0;
    const vnx_lex_entry *u = vnx_lexicon_find(c->ex->time_units, c->m + s, e - s);
    if (!u || u->ncol < 1 || !strchr("DWMQY", u->col[0][0])) return 0;
    st->n = -n;
    st->unit = u->col[0][0];
    return 1;
}

/* The weekday of group wd, 1 (Monday) to 7 (Sunday), or 0: "thứ 2", "thứ Hai", "chủ nhật"
 * (the weekdays lexicon numbers them as they are said: 2 Monday ... 8 Sunday). */
static int weekday_of(const vnx_ctx *c)
{
    size_t s, e;
    if (!vnx_group(c, G_WD, &s, &e)) return 0;
    const vnx_lex_entry *w = vnx_lexicon_find(c->ex->weekdays, c->m + s, e - s);
    int d = w && w->ncol > 0 ? atoi(w->col[0]) : vnx_date_component(c, G_WD);
    return d >= 2 && d <= 8 ? d - 1 : 0;
}

/* "thứ Ba tới", "thứ Ba vừa rồi": the next or the last such day seen from the document date,
 * in weeks from its week; without a day in the document date, next week's or last week's. */
static long weekday_step(const vnx_ctx *c, int wd, int next)
{
    const vnx_date *d = c->doc;
    int today = d && d->d > 0 ? vnx_iso_weekday(vnx_days_from_civil(d->y, d->m, d->d)) + 1 : 0;
    if (next) return today && wd > today ? 0 : 1;
    return today && wd < today ? 0 : -1;
}

/* The value with what the step fixes filled in, as TIMEX3 writes it; 0 when the document date
 * is too coarse for the step's unit, or the result would leave the years 1 to 9999. */
static int rel_resolve(const vnx_ctx *c, rel_step st, int wd, const char *value, char *out, size_t n)
{
    if (!c->doc || c->doc->y < 0) return 0;
    vnx_date d = *c->doc;
    long y, t;
    int m, day;
    switch (st.unit) {
    case 'D':
    case 'W': {
        if (d.d < 0) return 0;
        long z = vnx_days_from_civil(d.y, d.m, d.d);
        if (st.unit == 'D') z += st.n;
        else z += 7 * st.n - vnx_iso_weekday(z) + (wd ? wd - 1 : 0);   /* a Monday, or the day */
        if (st.unit == 'W' && !wd) {
            int w;
            vnx_iso_week(z, &y, &w);
            if (y < 1 || y > 9999) return 0;
            snprintf(out, n, "%04ld-W%02d", y, w);
            return 1;
        }
        vnx_civil_from_days(z, &y, &m, &day);
        if (y < 1 || y > 9999) return 0;
        snprintf(out, n, "%04ld-%02d-%02d", y, m, day);
        return 1;
    }
    case 'M':
    case 'Q':
        if (d.m < 0) return 0;
        if (st.unit == 'M') t = d.y * 12 + (d.m - 1) + st.n, y = t / 12, m = (int)(t % 12) + 1;
        else t = d.y * 4 + (d.m - 1) / 3 + st.n, y = t / 4, m = (int)(t % 4) + 1;
        if (t < 0 || y < 1 || y > 9999) return 0;
        if (st.unit == 'Q') snprintf(out, n, "%04ld-Q%d", y, m);
        else if (strlen(value) == 10) {   /* "XXXX-XX-15" */
            day = atoi(value + 8);
            if (day < 1 || day > vnx_days_in_month(y, m)) return 0;
            snprintf(out, n, "%04ld-%02d-%02d", y, m, day);
        } else snprintf(out, n, "%04ld-%02d", y, m);
        return 1;
    default:   /* 'Y': every XXXX of the value is the year; none for "29/2 năm ngoái" in 2022 */
        y = d.y + st.n;
        return y >= 1 && y <= 9999 && fill_year(value, y, out, n);
    }
}

/* Adds a relative date: value, relative: true, offset, resolved when the document date allows. */
static vnx_ent *emit_relative(vnx_ctx *c, size_t s, size_t e, const char *value, rel_step st, int wd)
{
    vnx_ent *en = vnx_emit(c, VNX_DATE, s, e, cJSON_CreateString(value), NULL);
    char off[32], res[48];
    if (st.n == 0) snprintf(off, sizeof off, "P0%c", st.unit);
    else snprintf(off, sizeof off, "%sP%ld%c", st.n < 0 ? "-" : "", st.n < 0 ? -st.n : st.n, st.unit);
    vnx_set_extra(en, "relative", cJSON_CreateTrue());
    vnx_set_extra(en, "offset", cJSON_CreateString(off));
    if (rel_resolve(c, st, wd, value, res, sizeof res)) vnx_set_extra(en, "resolved", cJSON_CreateString(res));
    return en;
}

/* One relative date. Its step comes from a phrase ("năm ngoái"), a count ("3 năm trước") or a
 * weekday ("thứ Hai" alone is in the document's week; "tới", "vừa rồi" take the next or last
 * one); parts the text names stay in the value ("tháng 7 năm ngoái": XXXX-07), and they go
 * only with a step in years. */
static int norm_relative(vnx_ctx *c)
{
    rel_step st = {0, 0};
    size_t s, e;
    int wd = weekday_of(c);
    if (vnx_group(c, G_N, &s, &e)) {
        if (!rel_of_count(c, &st)) return 0;
    } else if (vnx_group(c, G_REL, &s, &e)) {
        if (!rel_of_phrase(c, &st)) return 0;
    } else if (wd) {
        /* "thứ hai" in lower case or "thứ 2" alone is an ordinal: a weekday has a cue word, a
         * part of day or a week with it, or is written "thứ Hai" */
        vnx_group(c, G_WD, &s, &e);
        int named = (c->m[s] >= 'A' && c->m[s] <= 'Z') || wd == 7;
        if (!named && !vnx_group(c, G_CUE, &s, &e) && !vnx_group(c, G_PART, &s, &e) &&
            !vnx_group(c, G_NEXT, &s, &e) && !vnx_group(c, G_LAST, &s, &e))
            return 0;
        st.unit = 'W';
        if (vnx_group(c, G_NEXT, &s, &e)) st.n = weekday_step(c, wd, 1);
        else if (vnx_group(c, G_LAST, &s, &e)) st.n = weekday_step(c, wd, 0);
    } else return 0;
    if (wd && st.unit != 'W') return 0;
    int y = vnx_date_component(c, G_Y), m = vnx_date_component(c, G_M), d = vnx_date_component(c, G_D);
    int q = vnx_date_component(c, G_Q), months = vnx_date_component(c, G_MONTHS);
    if (y >= 0 || (vnx_group(c, G_M, &s, &e) && m < 0) || (vnx_group(c, G_D, &s, &e) && d < 0)) return 0;
    int parts = m > 0 || q > 0 || months > 0;
    if (parts && st.unit != 'Y') return 0;
    const char *mod = mod_of(c);
    char v[48];
    switch (st.unit) {
    case 'D': strcpy(v, "XXXX-XX-XX"); break;
    case 'W': if (wd) snprintf(v, sizeof v, "XXXX-WXX-%d", wd); else strcpy(v, "XXXX-WXX"); break;
    case 'M': strcpy(v, "XXXX-XX"); break;
    case 'Q': strcpy(v, "XXXX-QX"); break;
    default:
        if (months > 0) {
            if (!part_of_year(v, sizeof v, -1, months, mod)) return 0;
            mod = NULL;   /* "đầu" chose the part of the year */
        } else if (q > 0) {
            if (q > 4) return 0;
            snprintf(v, sizeof v, "XXXX-Q%d", q);
        } else if (!vnx_iso_date(v, sizeof v, -1, m > 0 ? m : -1, m > 0 ? d : -1)) return 0;
    }
    entity_span(c, &s, &e);
    vnx_ent *en = emit_relative(c, s, e, v, st, wd);
    if (mod) vnx_set_extra(en, "mod", cJSON_CreateString(mod));
    return 1;
}

/* "năm 2021 và 2022", "tháng 8 và 10": one date per number; the first span includes the
 * word before it. Years when month is 0, else months. With a step ("tháng 8 và 10 năm nay"),
 * relative dates, and the last span runs to the end of the match. */
static int emit_list(vnx_ctx *c, int month, const rel_step *st)
{
    size_t s0 = c->ov[0], i = c->ov[0], end = c->ov[1];
    size_t rs, re;
    if (st && vnx_group(c, G_REL, &rs, &re)) end = rs;   /* the numbers end before "năm nay" */
    int n = 0;
    while (i < end) {
        if (c->m[i] < '0' || c->m[i] > '9') { i++; continue; }
        size_t b = i;
        while (i < end && c->m[i] >= '0' && c->m[i] <= '9') i++;
        int v = atoi(c->m + b);
        char iso[16];
        if (!(month ? vnx_iso_date(iso, sizeof iso, -1, v, -1) : (i - b == 4 && vnx_iso_date(iso, sizeof iso, v, -1, -1))))
            return n;
        size_t s = n == 0 ? s0 : b;
        if (st) emit_relative(c, s, i, iso, *st, 0);
        else vnx_emit_date(c, s, i, iso);
        n++;
    }
    if (st && n) c->out->v[c->out->n - 1].e = c->ov[1];   /* "10 năm nay" */
    return n;
}

static int norm_year_list(vnx_ctx *c) { return emit_list(c, 0, NULL); }
static int norm_month_list(vnx_ctx *c) { return emit_list(c, 1, NULL); }

static int norm_relative_months(vnx_ctx *c)
{
    rel_step st;
    if (!rel_of_phrase(c, &st) || st.unit != 'Y') return 0;
    return emit_list(c, 1, &st);
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

/* ---- joining dates into intervals, after overlap resolution -------------------------------- */
/* "từ DATE đến DATE" where the rules found two dates of forms no one rule joins ("từ năm 2012
 * đến tháng 2/2014", "từ ngày 1/1/2016 đến hết ngày 30/5/2017"): one interval, its span from
 * "từ" to the end of the second. */

/* The role of the word [s, e) in lexicons/range_cues.tsv ('s'tart, 'j'oin, 's'kip as 'k'), or 0. */
static char range_role(const vnx_lexicon *cues, const char *m, size_t s, size_t e)
{
    const vnx_lex_entry *w = vnx_lexicon_find(cues, m + s, e - s);
    if (!w || w->ncol < 1) return 0;
    return !strcmp(w->col[0], "start") ? 's' : !strcmp(w->col[0], "join") ? 'j' : !strcmp(w->col[0], "skip") ? 'k' : 0;
}

/* Whether [s, e) is white space and words of the roles wanted: "đến hết ngày" between two
 * dates holds a join word first, and after "ngày" up to three words of an event ("đến ngày
 * khai mạc 20/4/2024"). */
static int range_gap(const vnx_lexicon *cues, const char *m, size_t s, size_t e)
{
    int join = 0, words = 0, event = -1;
    size_t i = s;
    if (i >= e || m[i] != ' ') return 0;
    while (i < e) {
        if (m[i] == ' ') { i++; continue; }
        size_t b = i;
        while (i < e && m[i] != ' ') i++;
        char r = range_role(cues, m, b, i);
        if (event >= 0 && event < 3 && (unsigned char)m[b] >= 'a') {   /* a lower-case word */
            event++;
            continue;
        }
        if (r != 'j' && r != 'k') return 0;
        if (r == 'k' && join && i - b == strlen("ngày") && !memcmp(m + b, "ngày", i - b)) event = 0;
        join |= r == 'j';
        words++;
    }
    return join && words <= 4;
}

/* Where the start word right before byte s begins ("từ" of "từ năm 2015"), or s if none. */
static size_t start_word_before(const vnx_lexicon *cues, const char *m, size_t s)
{
    size_t e = s;
    while (e > 0 && m[e - 1] == ' ') e--;
    if (e == s) return s;
    size_t b = e;
    while (b > 0 && m[b - 1] != ' ' && m[b - 1] != '\n' && m[b - 1] != '(') b--;
    return range_role(cues, m, b, e) == 's' ? b : s;
}

/* A plain ISO date or XXXX-yearless one: "2017", "2017-05", "XXXX-05-30". */
static int plain_date(const char *v)
{
    size_t n = strlen(v);
    if (n != 4 && n != 7 && n != 10) return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? v[i] != '-' : !((v[i] >= '0' && v[i] <= '9') || (i < 4 && v[i] == 'X'))) return 0;
    }
    return 1;
}

size_t vnx_join_date_ranges(const vnx_extractor *ex, const char *m, vnx_ent *v, size_t n)
{
    const vnx_lexicon *cues = ex->range_cues;
    if (!cues || n < 2) return n;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        vnx_ent *a = &v[i], *b = i + 1 < n ? &v[i + 1] : NULL;
        size_t from;
        if (b && a->type == VNX_DATE && b->type == VNX_DATE && cJSON_IsString(a->value) && cJSON_IsString(b->value) &&
            !cJSON_GetObjectItemCaseSensitive(a->extra, "relative") && !cJSON_GetObjectItemCaseSensitive(b->extra, "relative") &&
            plain_date(a->value->valuestring) && plain_date(b->value->valuestring) &&
            range_gap(cues, m, a->e, b->s) && (from = start_word_before(cues, m, a->s)) != a->s) {
            char x[16], y[16], val[40];
            snprintf(x, sizeof x, "%s", a->value->valuestring);
            snprintf(y, sizeof y, "%s", b->value->valuestring);
            if (x[0] == 'X' && y[0] != 'X') memcpy(x, y, 4);   /* the start takes the end's year */
            /* both with years, or both without: the start comes first */
            if ((x[0] == 'X') == (y[0] == 'X') && strncmp(x, y, strlen(x) < strlen(y) ? strlen(x) : strlen(y)) <= 0 &&
                strcmp(x, y) != 0) {
                const cJSON *ra = cJSON_GetObjectItemCaseSensitive(a->extra, "resolved");
                const cJSON *rb = cJSON_GetObjectItemCaseSensitive(b->extra, "resolved");
                char res[80] = "";
                if (x[0] == 'X' && cJSON_IsString(ra) && cJSON_IsString(rb))
                    snprintf(res, sizeof res, "%s/%s", ra->valuestring, rb->valuestring);
                snprintf(val, sizeof val, "%s/%s", x, y);
                cJSON_Delete(a->value);
                cJSON_Delete(a->extra);
                a->value = cJSON_CreateString(val);
                a->extra = NULL;
                if (res[0]) vnx_set_extra(a, "resolved", cJSON_CreateString(res));
                a->s = from;   /* the span from "từ", as SPEC.md writes it */
                a->e = b->e;
                cJSON_Delete(b->value);
                cJSON_Delete(b->extra);
                b->value = b->extra = NULL;
                v[o++] = *a;
                i++;   /* b is in a now */
                continue;
            }
        }
        v[o++] = *a;
    }
    return o;
}

const vnx_normalizer vnx_date_normalizers[] = {
    {"date", norm_date},
    {"date_range", norm_date_range},
    {"year_list", norm_year_list},
    {"month_list", norm_month_list},
    {"decade", norm_decade},
    {"relative", norm_relative},
    {"relative_months", norm_relative_months},
    {"time", norm_time},
    {NULL, NULL},
};
