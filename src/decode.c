/* Stage 1, decode: raw bytes to valid UTF-8.
 *
 * Every byte that does not belong to a well-formed UTF-8 sequence (stray continuation bytes,
 * overlong forms, surrogates, code points past U+10FFFF, truncated sequences) becomes one
 * U+FFFD, so that one bad byte costs one code point of offset and the rest of the document
 * is kept as it was. */
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "internal.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* Length of the well-formed sequence starting at s[0], or 0 when s[0] starts none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c == 0xE0) { need = 3; lo = 0xA0; }          /* no overlong */
    else if (c == 0xED) { need = 3; hi = 0x9F; }          /* no surrogates */
    else if (c >= 0xE1 && c <= 0xEF) need = 3;
    else if (c == 0xF0) { need = 4; lo = 0x90; }          /* no overlong */
    else if (c >= 0xF1 && c <= 0xF3) need = 4;
    else if (c == 0xF4) { need = 4; hi = 0x8F; }          /* <= U+10FFFF */
    else return 0;
    if (n < need) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < need; k++)
        if (s[k] < 0x80 || s[k] > 0xBF) return 0;
    return need;
}

static size_t decode_utf16(const unsigned char *s, size_t n, int big, vnx_buf *out)
{
    size_t bad = 0, i = 0;
    while (i + 1 < n) {
        uint32_t u = big ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
            uint32_t l = big ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
            if (l >= 0xDC00 && l <= 0xDFFF) {
                i += 2;
                vnx_buf_add_cp(out, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) { bad++; u = 0xFFFD; }
        vnx_buf_add_cp(out, u);
    }
    if (i < n) { bad++; vnx_buf_add(out, REPLACEMENT, 3); }   /* odd trailing byte */
    return bad;
}

/* A legacy encoding through ICU's converter, then NFC: windows-1258 writes tone marks as
 * combining characters, and the decoded text is the text offsets count. Returns the number of
 * unmappable bytes, or (size_t)-1 when the converter is unknown. */
static size_t decode_icu(const char *in, size_t len, const char *name, vnx_buf *out)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(name, &st);
    if (U_FAILURE(st)) return (size_t)-1;
    int32_t cap = (int32_t)len * 2 + 16;
    UChar *u = vnx_xmalloc(sizeof(UChar) * (size_t)cap), *n = vnx_xmalloc(sizeof(UChar) * (size_t)cap * 2);
    int32_t ulen = ucnv_toUChars(cv, u, cap, in, (int32_t)len, &st);
    ucnv_close(cv);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    int32_t nlen = U_SUCCESS(st) ? unorm2_normalize(nfc, u, ulen, n, cap * 2, &st) : 0;
    size_t bad = 0;
    if (U_SUCCESS(st)) {
        int32_t len8 = 0;
        vnx_buf_reserve(out, (size_t)nlen * 3 + 1);
        u_strToUTF8(out->p, (int32_t)out->cap, &len8, n, nlen, &st);
        out->len = (size_t)len8;
        for (int32_t i = 0; i < nlen; i++) bad += n[i] == 0xFFFD || n[i] == 0x1A;
    }
    free(u);
    free(n);
    return U_SUCCESS(st) ? bad : (size_t)-1;
}

static int valid_utf8(const unsigned char *s, size_t len);

size_t vnx_decode_as(const char *in, size_t len, const char *encoding, vnx_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    int bom = (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) ||
              (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF);
    if (!encoding || !strcmp(encoding, "utf-8") || !strcmp(encoding, "UTF-8") || bom)
        return vnx_decode(in, len, out);
    if (!strcmp(encoding, "auto")) {
        /* a BOM decides; else valid UTF-8 is UTF-8; else the legacy Windows code page */
        if (valid_utf8(s, len)) return vnx_decode(in, len, out);
        encoding = "windows-1258";
    }
    out->len = 0;
    vnx_buf_reserve(out, 1);
    out->p[0] = 0;
    return decode_icu(in, len, encoding, out);
}

size_t vnx_decode(const char *in, size_t len, vnx_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    out->len = 0;
    vnx_buf_reserve(out, len);
    out->p[0] = 0;
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) return decode_utf16(s + 2, len - 2, 0, out);
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) return decode_utf16(s + 2, len - 2, 1, out);
    size_t i = 0, bad = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    while (i < len) {
        /* copy runs of ASCII at once: most of the text */
        size_t j = i;
        while (j < len && s[j] < 0x80 && s[j] != 0) j++;
        if (j > i) { vnx_buf_add(out, s + i, j - i); i = j; continue; }
        size_t k = s[i] == 0 ? 0 : utf8_seq(s + i, len - i);
        if (k == 0) {
            /* NUL is valid UTF-8 but no text: it becomes U+FFFD too, so C strings stay whole */
            vnx_buf_add(out, REPLACEMENT, 3);
            bad++;
            i++;
        } else {
            vnx_buf_add(out, s + i, k);
            i += k;
        }
    }
    return bad;
}

static int valid_utf8(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) { i++; continue; }
        size_t k = utf8_seq(s + i, len - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

int vnx_encoding_supported(const char *name)
{
    if (!name || !strcmp(name, "auto") || !strcmp(name, "utf-8") || !strcmp(name, "UTF-8")) return 1;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(name, &st);
    if (cv) ucnv_close(cv);
    return U_SUCCESS(st);
}
