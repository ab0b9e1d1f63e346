/* util.c: growable buffers, allocation that never returns NULL, and UTF-8 walking, for
 * every stage. */
#ifndef VNX_UTIL_H
#define VNX_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
/* s as a JSON string, quoted and escaped byte for byte as cJSON writes it (records, kept
 * fields). */
void vnx_buf_add_json_string(vnx_buf *b, const char *s);
/* s without its leading spaces and tabs and its trailing white space (cut in place). */
char *vnx_trim(char *s);
/* Writes "FILE:LINE: message" into err, as every loader reports a bad line; returns -1. */
int vnx_fail_at(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int vnx_vfail_at(char *err, size_t errlen, const char *file, int line, const char *fmt, va_list ap);
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

#endif
