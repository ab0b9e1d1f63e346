/* Calendar arithmetic (calendar.c): what relative dates are resolved with. Day numbers count
 * days since 1970-01-01 on the proleptic Gregorian calendar; weeks are ISO weeks (Monday
 * first, a week belongs to the year of its Thursday). */
#ifndef VNX_CALENDAR_H
#define VNX_CALENDAR_H

/* A document date: year, and month and day or -1 when the date is coarser. */
typedef struct { long y; int m, d; } vnx_date;

#define VNX_DATE_TEXT 48   /* room for "YYYY-MM-DD" of any year a long holds, and a NUL */

int vnx_leap_year(long y);
int vnx_days_in_month(long y, int m);
long vnx_days_from_civil(long y, int m, int d);
void vnx_civil_from_days(long z, long *y, int *m, int *d);
/* 0 for Monday ... 6 for Sunday. */
int vnx_iso_weekday(long z);
/* The ISO week-numbering year and week of day z. */
void vnx_iso_week(long z, long *year, int *week);

/* A document date as archives write it: "YYYY", "YYYY-MM", "YYYY-MM-DD", or a timestamp
 * whose date part is that ("2021-04-30T08:15:00+07:00", "2021-04-30 08:15:00"). Returns 1
 * and fills out (when not NULL) for a real date of year 1 to 9999, else 0. */
int vnx_parse_doc_date(const char *s, vnx_date *out);
/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", as precise as d is. */
void vnx_format_date(const vnx_date *d, char out[VNX_DATE_TEXT]);

#endif
