/* Stage 1, decode (decode.c): raw bytes of any supported encoding to valid UTF-8. */
#ifndef VNX_DECODE_H
#define VNX_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

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

#endif
