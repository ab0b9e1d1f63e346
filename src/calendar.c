/* Calendar arithmetic for news time: document dates, day counts, ISO weeks and steps of
 * months, quarters and years, on the proleptic Gregorian calendar. Relative dates ("hôm qua",
 * "tuần trước", "năm ngoái") are resolved with these against the document's date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "vnextract.h"

int vnx_leap_year(long y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int vnx_days_in_month(long y, int m)
{
    static const int D[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && vnx_leap_year(y) ? 29 : D[m - 1];
}

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil: eras of 400 years). */
long vnx_days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vnx_civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Monday 0 ... Sunday 6: 1970-01-01 was a Thursday. */
int vnx_iso_weekday(long z) { return (int)(((z + 3) % 7 + 7) % 7); }

void vnx_iso_week(long z, long *year, int *week)
{
    long thursday = z - vnx_iso_weekday(z) + 3;   /* a week belongs to the year of its Thursday */
    long y;
    int m, d;
    vnx_civil_from_days(thursday, &y, &m, &d);
    *year = y;
    *week = (int)((thursday - vnx_days_from_civil(y, 1, 1)) / 7 + 1);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int vnx_parse_doc_date(const char *s, vnx_date *out)
{
    vnx_date d = {-1, -1, -1};
    size_t n = strlen(s);
    /* the date part of a timestamp: "2021-04-30T08:15:00+07:00", "2021-04-30 08:15:00" */
    if (n > 10 && (s[10] == 'T' || s[10] == ' ')) n = 10;
    if (!(n == 4 || n == 7 || n == 10)) return 0;
    if ((d.y = digits(s, 4)) < 1) return 0;
    if (n >= 7) {
        if (s[4] != '-' || (d.m = digits(s + 5, 2)) < 1 || d.m > 12) return 0;
    }
    if (n == 10) {
        if (s[7] != '-' || (d.d = digits(s + 8, 2)) < 1 || d.d > vnx_days_in_month(d.y, d.m)) return 0;
    }
    if (out) *out = d;
    return 1;
}

void vnx_format_date(const vnx_date *d, char out[VNX_DATE_TEXT])
{
    /* parsed dates only: years 1 to 9999, months and days in range */
    if (d->m < 0) snprintf(out, VNX_DATE_TEXT, "%04ld", d->y);
    else if (d->d < 0) snprintf(out, VNX_DATE_TEXT, "%04ld-%02d", d->y, d->m);
    else snprintf(out, VNX_DATE_TEXT, "%04ld-%02d-%02d", d->y, d->m, d->d);
}

int vnx_date_check(const char *s) { return s && vnx_parse_doc_date(s, NULL); }
