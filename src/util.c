/* Small helpers shared by the stages: checked allocation, growable buffers, UTF-8 steps. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "util.h"
#include "vnextract.h"

static void oom(void)
{
    fputs("vnextract: out of memory\n", stderr);
    abort();
}

void *vnx_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *vnx_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *vnx_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *vnx_xstrndup(const char *s, size_t n)
{
    char *d = vnx_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *vnx_xstrdup(const char *s) { return vnx_xstrndup(s, strlen(s)); }

void vnx_buf_reserve(vnx_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    b->p = vnx_xrealloc(b->p, cap);
    b->p[b->len] = 0;   /* always a C string, even before anything is added */
    b->cap = cap;
}


void vnx_buf_free(vnx_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void vnx_buf_add_cp(vnx_buf *b, uint32_t c)
{
    char tmp[4];
    size_t n = 0;
    U8_APPEND_UNSAFE(tmp, n, c);
    vnx_buf_add(b, tmp, n);
}

uint32_t vnx_next_cp_slow(const char *s, size_t len, size_t *i)
{
    UChar32 c;
    U8_NEXT(s, *i, len, c);
    return c < 0 ? 0xFFFD : (uint32_t)c;
}

uint32_t vnx_prev_cp(const char *s, size_t *i)
{
    UChar32 c;
    int32_t j = (int32_t)*i;
    U8_PREV(s, 0, j, c);
    *i = (size_t)j;
    return c < 0 ? 0xFFFD : (uint32_t)c;
}

/* Lower case of the Latin letters (U+0080-U+024F) and of Vietnamese's (U+1E00-U+1EFF), from
 * ICU once: lexicon lookups lower-case the words of every candidate. */
static uint16_t lower_lat[0x250], lower_viet[0x100];
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static void lower_init(void)
{
    for (uint32_t c = 0; c < 0x250; c++) lower_lat[c] = (uint16_t)u_tolower((UChar32)c);
    for (uint32_t c = 0; c < 0x100; c++) lower_viet[c] = (uint16_t)u_tolower((UChar32)(0x1E00 + c));
}

uint32_t vnx_tolower(uint32_t c)
{
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    pthread_once(&lower_once, lower_init);
    if (c < 0x250) return lower_lat[c];
    if (c >= 0x1E00 && c <= 0x1EFF) return lower_viet[c - 0x1E00];
    return (uint32_t)u_tolower((UChar32)c);
}

char *vnx_lower(const char *s, size_t n)
{
    vnx_buf b = {0};
    vnx_buf_reserve(&b, n);
    size_t i = 0;
    while (i < n) vnx_buf_add_cp(&b, vnx_tolower(vnx_next_cp(s, n, &i)));
    if (!b.p) return vnx_xstrdup("");
    return b.p;
}

int vnx_hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* A JSON string as cJSON escapes it: quote, backslash, the five short escapes, \u00XX for
 * other controls; everything else as it is. */
void vnx_buf_add_json_string(vnx_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    vnx_buf_reserve(b, strlen(s) + 2);
    b->p[b->len++] = '"';
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        vnx_buf_add(b, run, (size_t)((const char *)p - run));
        if (c == 0) break;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0'; esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            n = 6;
        }
        vnx_buf_add(b, esc, n);
        run = (const char *)p + 1;
    }
    vnx_buf_add(b, "\"", 1);
}

const char *vnx_version(void) { return VNX_VERSION; }
void vnx_free(void *p) { free(p); }

char *vnx_trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) *--e = 0;
    return s;
}

int vnx_vfail_at(char *err, size_t errlen, const char *file, int line, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(err, errlen, "%s:%d: %s", file, line, msg);
    return -1;
}

int vnx_fail_at(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnx_vfail_at(err, errlen, file, line, fmt, ap);
    va_end(ap);
    return -1;
}
