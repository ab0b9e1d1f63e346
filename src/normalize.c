/* Stage 2, match normalization: the text the rules see.
 *
 * Rules are written for composed (NFC), new-style Vietnamese. Real archives also hold
 * decomposed text, old-style tone placement ("hoà", "thuỷ"), dash and space look-alikes and
 * invisible characters. This stage rewrites those, and records for every output byte which
 * original code points it came from, so that spans point into the text as it was given.
 *
 * Fast path: a code point whose NFC quick-check is "yes" and that starts a segment is copied
 * as is; only the segments around the others go through ICU's normalizer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "normalize.h"
#include "util.h"

typedef struct {
    vnx_buf b;
    vnx_piece *piece;
    size_t n, cap;
} out_t;

/* Records that the text from byte on came from original code points [from, to): one for
 * one (identity) or as a whole. A piece that goes on where the last one stops joins it. */
static void piece_add(out_t *o, size_t byte, uint32_t from, uint32_t to, int identity)
{
    if (o->n) {
        vnx_piece *last = &o->piece[o->n - 1];
        if (identity && last->to == (from | VNX_PIECE_IDENTITY)) {
            last->to = to | VNX_PIECE_IDENTITY;
            return;
        }
        if (!identity && last->from == from && last->to == to) return;
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 16;
        o->piece = vnx_xrealloc(o->piece, o->cap * sizeof *o->piece);
    }
    o->piece[o->n++] = (vnx_piece){byte, from, identity ? to | VNX_PIECE_IDENTITY : to};
}

/* Appends text that came from original code points [from, to). */
static void out_push(out_t *o, const char *p, size_t n, uint32_t from, uint32_t to, int identity)
{
    piece_add(o, o->b.len, from, to, identity);
    vnx_buf_add(&o->b, p, n);
}

static int is_invisible(uint32_t c)
{
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

/* White space other than the space and the line break (Unicode's White_Space): a space in
 * the match text, so that a run of white space there is one of bytes ' ' and '\n' (the
 * prefilter counts its slack, prefilter.c). */
static int is_space_like(uint32_t c)
{
    return c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

static int is_dash_like(uint32_t c)
{
    return c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014 ||
           c == 0x2212 || c == 0xFE63 || c == 0xFF0D;
}

/* NFC of src[s..e) into o, every output byte mapped to original code points [from, to).
 * A combining mark written twice in a row ("ó" + U+0301, seen in crawled text) counts once. */
static void push_nfc(out_t *o, const char *src, size_t s, size_t e, uint32_t from, uint32_t to)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st), *nfd = unorm2_getNFDInstance(&st);
    int32_t n = (int32_t)(e - s), len16 = 0, lend = 0, lenc = 0, cap = 4 * n + 8;
    UChar stack[3 * 96];
    UChar *u16 = 3 * cap <= (int32_t)(sizeof stack / sizeof *stack) ? stack : vnx_xmalloc(sizeof(UChar) * 3 * (size_t)cap);
    UChar *d16 = u16 + cap, *c16 = u16 + 2 * cap;
    u_strFromUTF8(u16, cap, &len16, src + s, n, &st);
    if (U_SUCCESS(st)) lend = unorm2_normalize(nfd, u16, len16, d16, cap, &st);
    if (U_SUCCESS(st)) {
        int32_t w = 0;
        for (int32_t r = 0; r < lend; r++) {
            if (w > 0 && d16[r] == d16[w - 1] && u_getCombiningClass(d16[r]) != 0) continue;
            d16[w++] = d16[r];
        }
        lenc = unorm2_normalize(nfc, d16, w, c16, cap, &st);
    }
    if (U_SUCCESS(st)) {
        char tmp8[256];
        char *p8 = lenc * 3 + 1 <= (int32_t)sizeof tmp8 ? tmp8 : vnx_xmalloc((size_t)lenc * 3 + 1);
        int32_t len8 = 0;
        u_strToUTF8(p8, lenc * 3 + 1, &len8, c16, lenc, &st);
        if (U_SUCCESS(st)) out_push(o, p8, (size_t)len8, from, to, 0);
        if (p8 != tmp8) free(p8);
    }
    if (U_FAILURE(st)) out_push(o, src + s, e - s, from, to, 0);   /* keep the text as it was */
    if (u16 != stack) free(u16);
}

/* Old-style tone placement: "oà" -> "òa", "oé" -> "óe", "uý" -> "úy" at the end of a
 * syllable. Code points for a, e, y with the five tones, upper case after lower case. */
static const uint32_t TONED_A[] = {0xE0, 0xE1, 0x1EA3, 0xE3, 0x1EA1, 0xC0, 0xC1, 0x1EA2, 0xC3, 0x1EA0};
static const uint32_t TONED_E[] = {0xE8, 0xE9, 0x1EBB, 0x1EBD, 0x1EB9, 0xC8, 0xC9, 0x1EBA, 0x1EBC, 0x1EB8};
static const uint32_t TONED_Y[] = {0x1EF3, 0xFD, 0x1EF7, 0x1EF9, 0x1EF5, 0x1EF2, 0xDD, 0x1EF6, 0x1EF8, 0x1EF4};
static const uint32_t TONED_O[] = {0xF2, 0xF3, 0x1ECF, 0xF5, 0x1ECD, 0xD2, 0xD3, 0x1ECE, 0xD5, 0x1ECC};
static const uint32_t TONED_U[] = {0xF9, 0xFA, 0x1EE7, 0x169, 0x1EE5, 0xD9, 0xDA, 0x1EE6, 0x168, 0x1EE4};

static int tone_index(const uint32_t *tab, uint32_t c)
{
    for (int k = 0; k < 10; k++)
        if (tab[k] == c) return k;
    return -1;
}

/* Returns the replacement of the vowel pair at t[i..*j) when it is an old-style syllable
 * ending, writing the two new code points; 0 otherwise. */
static int old_style_pair(const char *t, size_t len, size_t i, size_t *j, uint32_t *a, uint32_t *b)
{
    char v = t[i];
    if (v != 'o' && v != 'O' && v != 'u' && v != 'U') return 0;
    if (i > 0 && (t[i - 1] == 'q' || t[i - 1] == 'Q')) return 0;   /* "quý" */
    if (i > 0 && (t[i - 1] == 'o' || t[i - 1] == 'O')) return 0;   /* "xoong" */
    size_t k = i + 1;
    uint32_t c2 = vnx_next_cp(t, len, &k);
    int idx = -1;
    uint32_t plain = 0;
    if (v == 'o' || v == 'O') {
        if ((idx = tone_index(TONED_A, c2)) >= 0) plain = idx < 5 ? 'a' : 'A';
        else if ((idx = tone_index(TONED_E, c2)) >= 0) plain = idx < 5 ? 'e' : 'E';
    } else if ((idx = tone_index(TONED_Y, c2)) >= 0) {
        plain = idx < 5 ? 'y' : 'Y';
    }
    if (idx < 0) return 0;
    if (k < len) {   /* only at the end of a syllable: "hoàng" keeps its tone on a */
        size_t k2 = k;
        if (u_isalpha((UChar32)vnx_next_cp(t, len, &k2))) return 0;
    }
    int upper = (v == 'O' || v == 'U');
    *a = ((v == 'o' || v == 'O') ? TONED_O : TONED_U)[idx % 5 + (upper ? 5 : 0)];
    *b = plain;
    *j = k;
    return 1;
}

/* Walks the pieces of a text one code point at a time: the original code points of the one
 * at byte i, where i only grows. */
typedef struct {
    const vnx_piece *piece;
    size_t n, k;    /* the pieces, and the one i is in */
    uint32_t cp;    /* in an identity piece, the original code point at i */
} piece_walk;

static void walk_cp(piece_walk *w, size_t i, uint32_t *from, uint32_t *to, int *identity)
{
    while (w->k + 1 < w->n && w->piece[w->k + 1].byte <= i) w->k++;
    const vnx_piece *p = &w->piece[w->k];
    if (i == p->byte) w->cp = p->from;   /* every piece starts at a code point i comes to */
    *identity = (p->to & VNX_PIECE_IDENTITY) != 0;
    if (*identity) {
        *from = w->cp++;
        *to = w->cp;
    } else {
        *from = p->from;
        *to = p->to;
    }
}

/* Old-style tone placement: "hoà" -> "hòa", "thuỷ" -> "thủy", at the end of a syllable.
 * The new pair is never longer in bytes than the old one ("uỳ", four bytes, is "ùy", three),
 * so the text is rewritten in place; its pieces are made anew, a pair being one piece. */
static void new_style_tones(out_t *o)
{
    char *t = o->b.p;
    size_t len = o->b.len, i, j, w;
    uint32_t a, b;
    for (i = 0; i + 1 < len; i++)
        if (old_style_pair(t, len, i, &j, &a, &b)) break;
    if (i + 1 >= len) return;
    piece_walk pw = {o->piece, o->n, 0, 0};
    o->piece = NULL;
    o->n = o->cap = 0;
    uint32_t from, to, from2;
    int identity;
    for (i = w = 0; i < len;) {   /* w <= i: what is written is never read again */
        size_t next = i;
        vnx_next_cp(t, len, &next);
        walk_cp(&pw, i, &from, &to, &identity);
        if (old_style_pair(t, len, i, &j, &a, &b)) {
            walk_cp(&pw, next, &from2, &to, &identity);   /* the pair's second code point */
            piece_add(o, w, from, to, 0);
            U8_APPEND_UNSAFE(t, w, a);
            U8_APPEND_UNSAFE(t, w, b);
            i = j;
        } else {
            piece_add(o, w, from, to, identity);
            while (i < next) t[w++] = t[i++];
        }
    }
    free((void *)pw.piece);
    t[w] = 0;
    o->b.len = w;
}

/* The number of bytes of p[0..n) that start a code point (not 10xxxxxx), eight at a time. */
static size_t lead_bytes(const char *p, size_t n)
{
    size_t lead = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t cont = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;   /* 1 in each byte 10xxxxxx */
        lead += 8 - (size_t)((cont * 0x0101010101010101ULL) >> 56);       /* their sum, in the top byte */
    }
    for (; i < n; i++) lead += ((unsigned char)p[i] & 0xC0) != 0x80;
    return lead;
}

/* Code points that are NFC, start a segment and need no folding: nearly all of Vietnamese
 * text. Checked without asking ICU. */
static int plain_cp(uint32_t c)
{
    if (c < 0x80) return (c >= 0x20 || c == '\n') && c != '&' && c != '<';
    if (c < 0x300) return c != 0xA0 && c != 0xAD && c != 0x85;
    if (c >= 0x1E00 && c <= 0x1EFF) return 1;
    return (c >= 0x2016 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E);
}

/* Copies the run of plain code points at src[i..] to o, mapping each byte to its code
 * point. Returns the end of the run. */
static size_t copy_plain(out_t *o, const char *src, size_t len, size_t i, uint32_t *k, size_t *last_start,
                         uint32_t *last_cp, size_t *last_out)
{
    size_t j = i;
    while (j < len) {
        unsigned char b = (unsigned char)src[j];
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (j + n > len) break;
        uint32_t c = b < 0x80 ? b : n == 2 ? ((b & 0x1Fu) << 6) | (src[j + 1] & 0x3F)
                   : n == 3 ? ((b & 0x0Fu) << 12) | ((src[j + 1] & 0x3Fu) << 6) | (src[j + 2] & 0x3F)
                   : 0x110000;
        if (!plain_cp(c)) break;
        j += n;
    }
    if (j == i) return i;
    size_t at = o->b.len, n = j - i, last = j - 1;
    uint32_t ncp = (uint32_t)lead_bytes(src + i, n);
    while (((unsigned char)src[last] & 0xC0) == 0x80) last--;   /* its last code point */
    out_push(o, src + i, n, *k, *k + ncp, 1);
    *last_start = last;
    *last_out = at + (last - i);
    *last_cp = *k + ncp - 1;
    *k += ncp;
    return j;
}

/* Named entities seen in crawled Vietnamese pages; numeric ones are read in general. */
static const struct { const char *name; uint32_t cp; } ENTITIES[] = {
    {"nbsp", 0xA0}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}, {"lt", '<'}, {"gt", '>'},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"laquo", 0xAB}, {"raquo", 0xBB},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"bull", 0x2022},
    {"middot", 0xB7}, {"deg", 0xB0}, {"times", 0xD7}, {"divide", 0xF7}, {"copy", 0xA9}, {"reg", 0xAE},
    {"euro", 0x20AC}, {"pound", 0xA3}, {"yen", 0xA5}, {"cent", 0xA2}, {"shy", 0xAD}, {"percnt", '%'},
    {"Agrave", 0xC0}, {"Aacute", 0xC1}, {"Acirc", 0xC2}, {"Atilde", 0xC3}, {"Egrave", 0xC8},
    {"Eacute", 0xC9}, {"Ecirc", 0xCA}, {"Igrave", 0xCC}, {"Iacute", 0xCD}, {"Ograve", 0xD2},
    {"Oacute", 0xD3}, {"Ocirc", 0xD4}, {"Otilde", 0xD5}, {"Ugrave", 0xD9}, {"Uacute", 0xDA},
    {"Yacute", 0xDD}, {"agrave", 0xE0}, {"aacute", 0xE1}, {"acirc", 0xE2}, {"atilde", 0xE3},
    {"egrave", 0xE8}, {"eacute", 0xE9}, {"ecirc", 0xEA}, {"igrave", 0xEC}, {"iacute", 0xED},
    {"ograve", 0xF2}, {"oacute", 0xF3}, {"ocirc", 0xF4}, {"otilde", 0xF5}, {"ugrave", 0xF9},
    {"uacute", 0xFA}, {"yacute", 0xFD}};

/* The entity at src[i] ("&nbsp;", "&#8211;", "&#x20AC;"): its length in bytes (0 if none),
 * the character, and its length in code points (all ASCII). */
static size_t html_entity(const char *src, size_t len, size_t i, uint32_t *cp, uint32_t *ncp)
{
    size_t j = i + 1;
    while (j < len && j - i < 12 && src[j] != ';' && src[j] != '&' && src[j] != ' ') j++;
    if (j >= len || src[j] != ';' || j == i + 1) return 0;
    const char *name = src + i + 1;
    size_t n = j - i - 1;
    if (name[0] == '#') {
        uint32_t v = 0;
        int hex = n > 1 && (name[1] == 'x' || name[1] == 'X');
        size_t k0 = hex ? 2 : 1;
        if (k0 >= n) return 0;
        for (size_t k = k0; k < n; k++) {
            char c = name[k];
            int d = hex ? vnx_hexval(c) : c >= '0' && c <= '9' ? c - '0' : -1;
            if (d < 0 || v > 0x10FFFF) return 0;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v < 0x20) return 0;
        *cp = v;
    } else {
        size_t e = 0;
        while (e < sizeof ENTITIES / sizeof *ENTITIES &&
               !(strlen(ENTITIES[e].name) == n && memcmp(ENTITIES[e].name, name, n) == 0)) e++;
        if (e == sizeof ENTITIES / sizeof *ENTITIES) return 0;
        *cp = ENTITIES[e].cp;
    }
    *ncp = (uint32_t)(j + 1 - i);
    return j + 1 - i;
}

/* An HTML tag at src[i] ("<p>", "</a>", "<br/>", "<!-- -->"): its length in bytes, 0 if none. */
static size_t html_tag(const char *src, size_t len, size_t i)
{
    if (i + 1 >= len) return 0;
    char c = src[i + 1];
    if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '/' && c != '!' && c != '?') return 0;
    for (size_t j = i + 1; j < len && j - i < 4096; j++) {
        if (src[j] == '>') return j + 1 - i;
        if (src[j] == '<') return 0;
    }
    return 0;
}

/* Copies src[run..at) to out[*w..] and then c for the code point src[at..next); returns
 * where the copying goes on. */
static size_t replace_one(char *out, size_t *w, const char *src, size_t run, size_t at, size_t next, char c)
{
    memcpy(out + *w, src + run, at - run);
    *w += at - run;
    out[(*w)++] = c;
    return next;
}

#ifdef __SSE2__
#include <emmintrin.h>

/* Skips sixteen bytes at a time while the loop of fast_copy would pass them by: printable
 * ASCII other than & and <, an o or u not followed by C3 or E1 (no old-style tone can
 * follow), continuation bytes, and the lead bytes of the letters it steps over (C3-CB, E1
 * followed by B8-BB). Returns the first byte that loop must look at, or where fewer than 17
 * bytes are left: always the start of a code point. */
static size_t skip_plain(const unsigned char *s, size_t len, size_t i)
{
    size_t start = i;
    while (i + 17 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i nx = _mm_loadu_si128((const __m128i *)(s + i + 1));   /* the byte after each */
        /* signed comparisons: 0x80-0xBF are -128..-65, 0xC0-0xFF are -64..-1 */
        unsigned hi = (unsigned)_mm_movemask_epi8(v);
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
        unsigned ctrl = ~hi & (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        unsigned ou = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('o')),
                                                               _mm_cmpeq_epi8(folded, _mm_set1_epi8('u'))));
        unsigned amp = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')),
                                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))));
        unsigned toned = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(nx, _mm_set1_epi8((char)0xC3)),
                                                                  _mm_cmpeq_epi8(nx, _mm_set1_epi8((char)0xE1))));
        unsigned latin = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC2)),
                                                                   _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xCC))));
        unsigned viet = (unsigned)_mm_movemask_epi8(_mm_and_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE1)),
            _mm_and_si128(_mm_cmpgt_epi8(nx, _mm_set1_epi8((char)0xB7)), _mm_cmplt_epi8(nx, _mm_set1_epi8((char)0xBC)))));
        unsigned look = ctrl | amp | (ou & toned) | (hi & ~cont & ~latin & ~viet);
        if (look) return i + (size_t)__builtin_ctz(look);
        i += 16;
    }
    while (i > start && (s[i] & 0xC0) == 0x80) i--;   /* back to the lead of a letter */
    return i;
}
#else
static size_t skip_plain(const unsigned char *s, size_t len, size_t i) { (void)s; (void)len; return i; }
#endif

/* The fast path: when every change the slow path below would make replaces one code point
 * with one (a dash or space look-alike, a tab), code point offsets do not move, and the map
 * is the identity on code points: no map is built. Nearly all real text. Writes the text to
 * out (len + 1 bytes) and returns its length, or (size_t)-1 when the slow path is needed
 * (an entity, a tag, an invisible, a non-NFC or old-style tone). */
static size_t fast_copy(const char *src, size_t len, int html, char *out)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, j, w = 0, run = 0;   /* src[run..i) is still to be copied to out[w..] */
    uint32_t a, b;
    while (i < len) {
        i = skip_plain(s, len, i);
        if (i >= len) break;
        unsigned char c = s[i];
        if (c < 0x80) {
            /* printable ASCII other than & < o u: nothing to look at (the text is valid UTF-8) */
            if (c >= 0x20 && c != '&' && c != '<' && (c | 0x20) != 'o' && (c | 0x20) != 'u') { i++; continue; }
            if (c == '&' && html_entity(src, len, i, &a, &b)) return (size_t)-1;
            if (c == '<' && html && html_tag(src, len, i)) return (size_t)-1;
            if ((c | 0x20) == 'o' || (c | 0x20) == 'u')
                if (i + 1 < len && (s[i + 1] == 0xC3 || s[i + 1] == 0xE1) &&   /* a toned a, e or y */
                    old_style_pair(src, len, i, &j, &a, &b))
                    return (size_t)-1;
            if (c == '\t' || c == '\r' || c == '\f' || c == '\v') run = replace_one(out, &w, src, run, i, i + 1, ' ');
            i++;
            continue;
        }
        /* U+00C0-U+02FF and U+1E00-U+1EFF: Vietnamese letters, NFC as they are */
        if (c >= 0xC3 && c <= 0xCB) { i += 2; continue; }
        if (c == 0xE1 && i + 1 < len && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB) { i += 3; continue; }
        size_t at = i;
        uint32_t cp = vnx_next_cp(src, len, &i);
        if (plain_cp(cp)) continue;
        int space = is_space_like(cp), dash = is_dash_like(cp);
        if (space || dash) {
            run = replace_one(out, &w, src, run, at, i, space ? ' ' : '-');
            continue;
        }
        if (is_invisible(cp) || u_getIntPropertyValue((UChar32)cp, UCHAR_NFC_QUICK_CHECK) != UNORM_YES ||
            u_getCombiningClass((UChar32)cp) != 0)
            return (size_t)-1;
    }
    memcpy(out + w, src + run, len - run);
    w += len - run;
    out[w] = 0;
    return w;
}

size_t vnx_cp_skip(const char *p, size_t len, size_t i, size_t n)
{
    while (n && i < len) {
        /* eight bytes at once when they end on a code point start and hold no more than n */
        if (i + 8 < len && ((unsigned char)p[i + 8] & 0xC0) != 0x80) {
            size_t lead = lead_bytes(p + i, 8);
            if (lead <= n) {
                i += 8;
                n -= lead;
                continue;
            }
        }
        do i++; while (i < len && ((unsigned char)p[i] & 0xC0) == 0x80);   /* one code point */
        n--;
    }
    return i;
}

/* The original code points [*from, *to) that byte x of the text came from. The cursor
 * keeps the piece of the last byte asked for, and how many code points start in that piece
 * before it. */
static void map_byte(const vnx_mtext *m, vnx_cp_cursor *c, size_t x, size_t *from, size_t *to)
{
    size_t start = 0, base = 0;   /* the identity piece x is in */
    if (m->piece) {
        size_t k = c->piece;
        if (k >= m->npiece || m->piece[k].byte > x || (k + 1 < m->npiece && m->piece[k + 1].byte <= x)) {
            size_t lo = 0, hi = m->npiece;   /* the last piece that starts at or before x */
            while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (m->piece[mid].byte <= x) lo = mid;
                else hi = mid;
            }
            *c = (vnx_cp_cursor){lo, m->piece[lo].byte, 0};
            k = lo;
        }
        const vnx_piece *p = &m->piece[k];
        if (!(p->to & VNX_PIECE_IDENTITY)) {
            *from = p->from;
            *to = p->to;
            return;
        }
        start = p->byte;
        base = p->from;
    }
    if (x < c->byte) c->byte = start, c->cp = 0;
    c->cp += lead_bytes(m->text + c->byte, x - c->byte);
    c->byte = x;
    /* the code points that start before x; a byte inside a code point belongs to the last */
    *from = base + c->cp - (((unsigned char)m->text[x] & 0xC0) == 0x80);
    *to = *from + 1;
}

void vnx_mtext_span(const vnx_mtext *m, vnx_cp_cursor *c, size_t s, size_t e, size_t *cs, size_t *ce)
{
    size_t ignored;
    map_byte(m, c, s, cs, &ignored);
    map_byte(m, c, e - 1, &ignored, ce);
}

void vnx_normalize(const char *src, size_t len, int html, vnx_mtext *m)
{
    m->text = vnx_xmalloc(len + 1);
    m->len = fast_copy(src, len, html, m->text);
    m->piece = NULL;
    m->npiece = 0;
    if (m->len != (size_t)-1) return;
    free(m->text);
    out_t o = {0};
    vnx_buf_reserve(&o.b, len + 16);   /* the size of the text as given: it grows only past that */
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    size_t i = 0;
    uint32_t k = 0;                 /* code point index in the original */
    size_t seg_src = 0;             /* source byte of the last segment start copied as is */
    uint32_t seg_cp = 0;
    size_t seg_out = 0;             /* its output byte */
    int have_seg = 0;
    while (i < len) {
        size_t run = copy_plain(&o, src, len, i, &k, &seg_src, &seg_cp, &seg_out);
        if (run > i) {
            have_seg = 1;
            i = run;
            continue;
        }
        size_t at = i;
        unsigned char b = (unsigned char)src[i];
        if (b == '&') {   /* an HTML entity reads as the character it stands for */
            uint32_t ec, ncp;
            size_t elen = html_entity(src, len, i, &ec, &ncp);
            if (elen) {
                have_seg = 0;
                if (ec == 0xA0) ec = ' ';
                if (ec != 0xAD && ec != 0x200B && ec != 0xFEFF) {
                    vnx_buf tmp = {0};
                    vnx_buf_add_cp(&tmp, is_dash_like(ec) ? '-' : ec);
                    out_push(&o, tmp.p, tmp.len, k, k + ncp, 0);
                    vnx_buf_free(&tmp);
                }
                i += elen;
                k += ncp;
                continue;
            }
        }
        if (b == '<' && html) {   /* --html: a tag reads as a space */
            size_t tlen = html_tag(src, len, i);
            if (tlen) {
                have_seg = 0;
                uint32_t ncp = 0;   /* attribute text may be non-ASCII */
                for (size_t q = i; q < i + tlen; q++) ncp += ((unsigned char)src[q] & 0xC0) != 0x80;
                out_push(&o, " ", 1, k, k + ncp, 0);
                i += tlen;
                k += ncp;
                continue;
            }
        }
        if (b < 0x80) {   /* ASCII: always NFC, always a segment start */
            i++;
            char c = (char)b;
            if (c == '\t' || c == '\r' || c == '\f' || c == '\v') c = ' ';
            seg_src = at; seg_cp = k; seg_out = o.b.len; have_seg = 1;
            out_push(&o, &c, 1, k, k + 1, 1);
            k++;
            continue;
        }
        uint32_t c = vnx_next_cp(src, len, &i);
        if (is_invisible(c)) { k++; continue; }
        if (is_space_like(c)) { have_seg = 0; out_push(&o, " ", 1, k, k + 1, 1); k++; continue; }
        if (is_dash_like(c)) { have_seg = 0; out_push(&o, "-", 1, k, k + 1, 1); k++; continue; }
        UNormalizationCheckResult qc = (UNormalizationCheckResult)u_getIntPropertyValue(
            (UChar32)c, UCHAR_NFC_QUICK_CHECK);
        if (qc == UNORM_YES && u_getCombiningClass((UChar32)c) == 0) {
            seg_src = at; seg_cp = k; seg_out = o.b.len; have_seg = 1;
            out_push(&o, src + at, i - at, k, k + 1, 1);
            k++;
            continue;
        }
        /* Normalize from the last segment start through every code point that does not begin
         * a new segment. */
        size_t s = have_seg ? seg_src : at;
        uint32_t from = have_seg ? seg_cp : k;
        if (have_seg) {   /* take back the segment start, the end of an identity piece */
            o.b.len = seg_out;
            while (o.n && o.piece[o.n - 1].byte >= seg_out) o.n--;
            if (o.n && (o.piece[o.n - 1].to & VNX_PIECE_IDENTITY)) o.piece[o.n - 1].to = seg_cp | VNX_PIECE_IDENTITY;
        }
        k++;
        size_t e = i;
        while (e < len) {
            size_t nx = e;
            uint32_t c2 = vnx_next_cp(src, len, &nx);
            if (unorm2_hasBoundaryBefore(nfc, (UChar32)c2) || is_invisible(c2)) break;
            e = nx;
            k++;
        }
        push_nfc(&o, src, s, e, from, k);
        i = e;
        have_seg = 0;
    }
    new_style_tones(&o);
    m->text = o.b.p;
    m->len = o.b.len;
    m->piece = o.piece;
    m->npiece = o.n;
    /* all of it dropped (invisible characters only): no piece, but not the identity either */
    if (!m->piece) m->piece = vnx_xmalloc(sizeof *m->piece);
}

void vnx_mtext_free(vnx_mtext *m)
{
    free(m->text);
    free(m->piece);
    memset(m, 0, sizeof *m);
}
