/* Stage 1, decode: raw bytes to valid UTF-8.
 *
 * Every byte that does not belong to a well-formed UTF-8 sequence (stray continuation bytes,
 * overlong forms, surrogates, code points past U+10FFFF, truncated sequences) becomes one
 * U+FFFD, so that one bad byte costs one code point of offset and the rest of the document
 * is kept as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "decode.h"
#include "extractor.h"
#include "util.h"

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

#ifdef __SSE2__
#include <emmintrin.h>

/* Sixteen bytes at a time, without a branch per byte: Vietnamese text switches between
 * ASCII and two- or three-byte letters every few bytes, and a byte loop spends its time on
 * mispredicted branches. A block is vouched for when it has no NUL, no byte that starts no
 * sequence (C0, C1, F5-FF), no lead byte whose second byte has a narrower range (E0, ED,
 * F0, F4: left to the byte loop) and when its continuation bytes are exactly those its lead
 * bytes (and the ones of the block before) call for. Returns where it stopped, at the start
 * of a code point: everything before is well-formed. */
static size_t valid_blocks(const unsigned char *s, size_t len, size_t i)
{
    unsigned carry = 0;   /* continuation bytes the last block's leads still call for */
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned hi = (unsigned)_mm_movemask_epi8(v);
        /* signed comparisons: 0x80-0xBF are -128..-65, 0xC0-0xFF are -64..-1 */
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
        unsigned l3 = hi & (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xDF)));
        unsigned l4 = hi & (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xEF)));
        unsigned lead = hi & ~cont;
        __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
                      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC0)),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC1))),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)))));
        odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF0)),
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF4))));
        unsigned bad = (unsigned)_mm_movemask_epi8(odd) |
                       (hi & (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xF4))));
        unsigned expect = carry | lead << 1 | l3 << 2 | l4 << 3;
        if (bad || (expect & 0xFFFF) != cont) break;
        carry = expect >> 16;
        i += 16;
    }
    if (carry)   /* back to the lead of the sequence the next block would have finished */
        while ((s[i - 1] & 0xC0) == 0x80) i--;
    return carry ? i - 1 : i;
}
#else
static size_t valid_blocks(const unsigned char *s, size_t len, size_t i) { (void)s; (void)len; return i; }
#endif

/* End of the well-formed run of UTF-8 (without NUL) that starts at s[i]: whole blocks at a
 * time where they can be vouched for, then a stretch code point by code point. */
static size_t valid_run(const unsigned char *s, size_t len, size_t i)
{
    while (i < len) {
        i = valid_blocks(s, len, i);
        size_t stop = len - i > 32 ? i + 32 : len;
        while (i < stop) {
            if (s[i] == 0) return i;
            size_t k = utf8_seq(s + i, len - i);
            if (!k) return i;
            i += k;
        }
    }
    return i;
}

static int valid_utf8(const unsigned char *s, size_t len);

/* ---- table encodings: TCVN3, VNI --------------------------------------------------------- */

int vnx_table_encoding_load(vnx_table_encoding *t, const char *path, const char *name, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->name = vnx_xstrdup(name);
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "%s: cannot open", path); return -1; }
    char line[256];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        if (line[0] == '#' || line[0] == '\n') continue;
        char *tab = strchr(line, '\t');
        int b[2], nb = 0;
        for (char *p = line; tab && p + 1 < tab && nb < 2; p += 2) {
            int hi = vnx_hexval(p[0]), lo = vnx_hexval(p[1]);
            if (hi < 0 || lo < 0) { nb = -1; break; }
            b[nb++] = hi << 4 | lo;
        }
        size_t i = tab ? (size_t)(tab + 1 - line) : 0;
        size_t n = strlen(line);
        while (n > i && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        vnx_buf chk = {0};
        if (!tab || nb < 1 || tab != line + 2 * nb || n == i || vnx_decode(line + i, n - i, &chk)) {
            vnx_buf_free(&chk);
            vnx_fail_at(err, errlen, path, ln, "expected HEX BYTES, a tab, and one character");
            fclose(f);
            return -1;
        }
        vnx_buf_free(&chk);
        size_t k = i;
        uint32_t cp = vnx_next_cp(line, n, &k);
        if (nb == 1) {
            t->one[b[0]] = cp;
        } else {
            if (!t->two) t->two = vnx_xcalloc(65536, sizeof *t->two);
            t->two[b[0] << 8 | b[1]] = cp;
        }
    }
    fclose(f);
    return 0;
}

void vnx_table_encoding_free(vnx_table_encoding *t)
{
    free(t->name);
    free(t->two);
    memset(t, 0, sizeof *t);
}

/* windows-1252 for bytes a table leaves out (VNI is drawn on it). */
static uint32_t cp1252(unsigned char b)
{
    static const uint16_t hi[32] = {0x20AC, 0, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030,
                                    0x160, 0x2039, 0x152, 0, 0x17D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D,
                                    0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0, 0x17E, 0x178};
    if (b < 0x80 || b >= 0xA0) return b;
    return hi[b - 0x80];
}

static size_t decode_table(const vnx_table_encoding *t, const unsigned char *s, size_t len, vnx_buf *out)
{
    vnx_buf raw = {0};
    size_t bad = 0, i = 0;
    vnx_buf_reserve(&raw, len * 2);
    while (i < len) {
        uint32_t c = 0;
        if (t->two && i + 1 < len && (c = t->two[s[i] << 8 | s[i + 1]])) {
            i += 2;
        } else if (s[i] < 0x80) {
            c = s[i++];
        } else if ((c = t->one[s[i]]) || (t->two && (c = cp1252(s[i])))) {
            i++;
        } else {
            c = 0xFFFD;
            bad++;
            i++;
        }
        if (c == 0) { c = 0xFFFD; bad++; }
        vnx_buf_add_cp(&raw, c);
    }
    /* compose the combining tone marks some tables hold (TCVN3 0xB0-0xB4) */
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = (int32_t)raw.len + 16, ulen = 0, nlen = 0, len8 = 0;
    UChar *u = vnx_xmalloc(sizeof(UChar) * (size_t)cap * 2), *n = u + cap;
    u_strFromUTF8(u, cap, &ulen, raw.p, (int32_t)raw.len, &st);
    nlen = unorm2_normalize(unorm2_getNFCInstance(&st), u, ulen, n, cap, &st);
    vnx_buf_reserve(out, (size_t)nlen * 3 + 1);
    u_strToUTF8(out->p, (int32_t)out->cap, &len8, n, nlen, &st);
    out->len = U_SUCCESS(st) ? (size_t)len8 : 0;
    out->p[out->len] = 0;
    free(u);
    vnx_buf_free(&raw);
    return bad;
}

/* "auto" without a BOM and not valid UTF-8: which legacy encoding? Scores of tell-tale byte
 * patterns: VNI writes a vowel and then a mark byte; windows-1258 writes combining tone
 * marks (0xCC grave, 0xEC acute, 0xD2 hook, 0xDE tilde, 0xF2 dot) after letters; TCVN3 writes
 * toned lower-case vowels (0xB5-0xFE) inside words. The highest wins; ties go to 1258. */
static const char *guess_legacy(const unsigned char *s, size_t len)
{
    static const unsigned char VNI_MARKS[] = {0xF8, 0xF9, 0xFB, 0xF5, 0xEF, 0xE2, 0xE1, 0xE0, 0xE5, 0xE3,
                                              0xE4, 0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB, 0xEE};
    long vni = 0, w1258 = 0, tcvn = 0;
    for (size_t i = 1; i < len; i++) {
        unsigned char p = s[i - 1], c = s[i];
        int vowel = strchr("aeiouyAEIOUY", p) != NULL && p;
        int letter_before = (p | 0x20) >= 'a' && (p | 0x20) <= 'z';
        if (vowel && memchr(VNI_MARKS, c, sizeof VNI_MARKS)) vni += 2;
        if (vowel || p >= 0xC0) {
            if (c == 0xCC || c == 0xEC || c == 0xD2 || c == 0xDE || c == 0xF2) w1258 += 2;
        }
        if (c >= 0xB5 && c <= 0xFE && letter_before && !vowel) tcvn++;
        if (c >= 0xA8 && c <= 0xAE && letter_before) tcvn++;
    }
    if (vni > w1258 && vni > tcvn) return "vni";
    if (tcvn > w1258) return "tcvn3";
    return "windows-1258";
}

static const vnx_table_encoding *find_table(const vnx_table_encoding *tables, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tables[i].name, name)) return &tables[i];
    return NULL;
}

/* Whether an encoding name means UTF-8 (no name does too). */
static int utf8_name(const char *e) { return !e || !strcmp(e, "utf-8") || !strcmp(e, "UTF-8"); }

/* UTF-16 without a byte-order mark: most code units of Vietnamese text have a zero high byte
 * (Latin letters, digits, spaces), so NULs crowd one side of the pairs. 1 little-endian, 2
 * big-endian, 0 neither (looked at in the first 64 KB). */
static int guess_utf16(const unsigned char *s, size_t len)
{
    size_t n = len < 65536 ? len : 65536, odd = 0, even = 0;
    if (n < 4) return 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (odd * 4 >= pairs && even * 16 <= odd) return 1;
    if (even * 4 >= pairs && odd * 16 <= even) return 2;
    return 0;
}

const char *vnx_encoding_used(const char *in, size_t len, const char *encoding)
{
    const unsigned char *s = (const unsigned char *)in;
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) return "utf-16le";
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) return "utf-16be";
    if (utf8_name(encoding) || (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)) return "utf-8";
    if (strcmp(encoding, "auto") != 0) return encoding;
    if (valid_utf8(s, len) && !memchr(s, 0, len)) return "utf-8";
    int u16 = guess_utf16(s, len);
    if (u16) return u16 == 1 ? "utf-16le" : "utf-16be";
    if (valid_utf8(s, len)) return "utf-8";
    return guess_legacy(s, len);
}

/* Decodes as used, the encoding vnx_encoding_used chose. */
static size_t decode_used(const vnx_table_encoding *tables, size_t ntables, const char *in, size_t len,
                          const char *encoding, vnx_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    int bom = (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) ||
              (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF);
    if (bom || !strcmp(encoding, "utf-8")) return vnx_decode(in, len, out);
    if (!strncmp(encoding, "utf-16", 6)) {   /* no BOM: the guess's byte order */
        out->len = 0;
        vnx_buf_reserve(out, len);
        out->p[0] = 0;
        return decode_utf16(s, len, encoding[6] == 'b', out);
    }
    out->len = 0;
    vnx_buf_reserve(out, 1);
    out->p[0] = 0;
    const vnx_table_encoding *t = find_table(tables, ntables, encoding);
    if (t) return decode_table(t, s, len, out);
    return decode_icu(in, len, encoding, out);
}

size_t vnx_decode_as(const vnx_table_encoding *tables, size_t ntables, const char *in, size_t len,
                     const char *encoding, vnx_buf *out)
{
    return decode_used(tables, ntables, in, len, vnx_encoding_used(in, len, encoding), out);
}

const char *vnx_decode_view(const vnx_table_encoding *tables, size_t ntables, const char *in, size_t len,
                            const char *encoding, vnx_buf *buf, size_t *outlen, size_t *bad, const char **used)
{
    const unsigned char *s = (const unsigned char *)in;
    int utf8 = utf8_name(encoding) || !strcmp(encoding, "auto");
    int bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    if (utf8 && !bom && valid_run(s, len, 0) == len) {   /* nearly every document: no copy */
        *outlen = len;
        *bad = 0;
        *used = "utf-8";
        return in;
    }
    *used = vnx_encoding_used(in, len, encoding);
    *bad = decode_used(tables, ntables, in, len, *used, buf);
    *outlen = buf->len;
    return buf->p;
}

size_t vnx_decode(const char *in, size_t len, vnx_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    out->len = 0;
    vnx_buf_reserve(out, len);
    out->p[0] = 0;
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) return decode_utf16(s + 2, len - 2, 0, out);
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) return decode_utf16(s + 2, len - 2, 1, out);
    size_t i = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
    return vnx_buf_add_utf8(out, in + i, len - i);
}

size_t vnx_buf_add_utf8(vnx_buf *b, const char *in, size_t len)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, bad = 0;
    while (i < len) {
        /* copy each well-formed run at once: nearly always the whole text */
        size_t j = valid_run(s, len, i);
        if (j > i) { vnx_buf_add(b, s + i, j - i); i = j; continue; }
        /* NUL is valid UTF-8 but no text: it becomes U+FFFD too, so C strings stay whole */
        vnx_buf_add(b, REPLACEMENT, 3);
        bad++;
        i++;
    }
    return bad;
}

int vnx_is_utf8_text(const char *s, size_t len) { return valid_run((const unsigned char *)s, len, 0) == len; }

char *vnx_utf8_strdup(const char *s)
{
    size_t n = strlen(s);
    if (vnx_is_utf8_text(s, n)) return vnx_xstrndup(s, n);
    vnx_buf b = {0};
    vnx_buf_add_utf8(&b, s, n);
    return b.p;
}

static int valid_utf8(const unsigned char *s, size_t len)
{
    /* NUL is well-formed here: only a legacy encoding guess depends on this */
    size_t i = 0;
    while ((i = valid_run(s, len, i)) < len && s[i] == 0) i++;
    return i >= len;
}

int vnx_encoding_supported(const vnx_extractor *ex, const char *name)
{
    if (utf8_name(name) || !strcmp(name, "auto")) return 1;
    if (ex && find_table(ex->enc, ex->nenc, name)) return 1;
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(name, &st);
    if (cv) ucnv_close(cv);
    return U_SUCCESS(st);
}
