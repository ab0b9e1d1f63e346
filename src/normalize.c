/* Stage 2, match normalization: the text the rules see.
 *
 * Rules are written for composed (NFC), new-style Vietnamese. Real archives also hold
 * decomposed text, old-style tone placement ("hoà", "thuỷ"), dash and space look-alikes and
 * invisible characters. This stage rewrites those, and records for every output byte which
 * original code points it came from, so that spans point into the text as it was given.
 *
 * Fast path: a code point whose NFC quick-check is "yes" and that starts a segment is copied
 * as is; only the segments around the others go through ICU's normalizer. */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "internal.h"

typedef struct {
    vnx_buf b;
    uint32_t *from, *to;
    size_t cap;
} out_t;

/* Appends bytes and makes room for their map entries (and the one past the end). */
static void out_add(out_t *o, const char *p, size_t n)
{
    vnx_buf_add(&o->b, p, n);
    if (o->b.len + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->b.len + 1) cap *= 2;
        o->from = vnx_xrealloc(o->from, cap * sizeof *o->from);
        o->to = vnx_xrealloc(o->to, cap * sizeof *o->to);
        o->cap = cap;
    }
}

static void out_push(out_t *o, const char *p, size_t n, uint32_t from, uint32_t to)
{
    out_add(o, p, n);
    for (size_t k = o->b.len - n; k < o->b.len; k++) { o->from[k] = from; o->to[k] = to; }
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
        if (U_SUCCESS(st)) out_push(o, p8, (size_t)len8, from, to);
        if (p8 != tmp8) free(p8);
    }
    if (U_FAILURE(st)) out_push(o, src + s, e - s, from, to);   /* keep the text as it was */
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

/* Old-style tone placement: "hoà" -> "hòa", "thuỷ" -> "thủy", at the end of a syllable.
 * The new pair is never longer in bytes than the old one ("uỳ", four bytes, is "ùy", three),
 * so the text and its maps are rewritten in place: a long document needs no second copy. */
static void new_style_tones(out_t *o)
{
    char *t = o->b.p;
    size_t len = o->b.len, i, j, w;
    uint32_t a, b;
    for (i = 0; i + 1 < len; i++)
        if (old_style_pair(t, len, i, &j, &a, &b)) break;
    if (i + 1 >= len) return;
    for (w = i; i < len;) {   /* w <= i: what is written is never read again */
        if (old_style_pair(t, len, i, &j, &a, &b)) {
            uint32_t from = o->from[i], to = o->to[j - 1];
            char pair[8];
            size_t n = 0;
            U8_APPEND_UNSAFE(pair, n, a);
            U8_APPEND_UNSAFE(pair, n, b);
            memcpy(t + w, pair, n);
            for (size_t k = w; k < w + n; k++) { o->from[k] = from; o->to[k] = to; }
            w += n;
            i = j;
        } else {
            t[w] = t[i];
            o->from[w] = o->from[i];
            o->to[w] = o->to[i];
            w++;
            i++;
        }
    }
    o->from[w] = o->from[len];
    o->to[w] = o->to[len];
    t[w] = 0;
    o->b.len = w;
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
    size_t at = o->b.len, n = j - i;
    out_add(o, src + i, n);
    uint32_t cp = *k;
    for (size_t q = 0; q < n; q++) {
        unsigned char b = (unsigned char)src[i + q];
        if ((b & 0xC0) != 0x80 && q > 0) cp++;
        if ((b & 0xC0) != 0x80) { *last_start = i + q; *last_out = at + q; *last_cp = cp; }
        o->from[at + q] = cp;
        o->to[at + q] = cp + 1;
    }
    *k = cp + 1;
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
            int d = c >= '0' && c <= '9' ? c - '0' : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
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

void vnx_mtext_span(const vnx_mtext *m, vnx_cp_cursor *c, size_t s, size_t e, size_t *cs, size_t *ce)
{
    if (m->from) {
        *cs = m->from[s];
        *ce = m->to[e - 1];
        return;
    }
    /* identity: the code point of byte x is the number of lead bytes before it */
    size_t at[2] = {s, e}, cp[2];
    for (int k = 0; k < 2; k++) {
        if (at[k] < c->byte) c->byte = c->cp = 0;
        c->cp += lead_bytes(m->text + c->byte, at[k] - c->byte);
        c->byte = at[k];
        cp[k] = c->cp;
    }
    *cs = cp[0];
    *ce = cp[1];
}

void vnx_normalize(const char *src, size_t len, int html, vnx_mtext *m)
{
    m->text = vnx_xmalloc(len + 1);
    m->len = fast_copy(src, len, html, m->text);
    m->from = m->to = NULL;
    if (m->len != (size_t)-1) return;
    free(m->text);
    out_t o = {0};
    /* the maps sized for the text as given, in one allocation each: they grow only past that
     * (NFC may lengthen), not by a realloc at every doubling from 256 */
    vnx_buf_reserve(&o.b, len + 16);
    o.cap = len + 16;
    o.from = vnx_xmalloc(o.cap * sizeof *o.from);
    o.to = vnx_xmalloc(o.cap * sizeof *o.to);
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
                    out_push(&o, tmp.p, tmp.len, k, k + ncp);
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
                out_push(&o, " ", 1, k, k + ncp);
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
            out_push(&o, &c, 1, k, k + 1);
            k++;
            continue;
        }
        uint32_t c = vnx_next_cp(src, len, &i);
        if (is_invisible(c)) { k++; continue; }
        if (is_space_like(c)) { have_seg = 0; out_push(&o, " ", 1, k, k + 1); k++; continue; }
        if (is_dash_like(c)) { have_seg = 0; out_push(&o, "-", 1, k, k + 1); k++; continue; }
        UNormalizationCheckResult qc = (UNormalizationCheckResult)u_getIntPropertyValue(
            (UChar32)c, UCHAR_NFC_QUICK_CHECK);
        if (qc == UNORM_YES && u_getCombiningClass((UChar32)c) == 0) {
            seg_src = at; seg_cp = k; seg_out = o.b.len; have_seg = 1;
            out_push(&o, src + at, i - at, k, k + 1);
            k++;
            continue;
        }
        /* Normalize from the last segment start through every code point that does not begin
         * a new segment. */
        size_t s = have_seg ? seg_src : at;
        uint32_t from = have_seg ? seg_cp : k;
        if (have_seg) o.b.len = seg_out;
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
    out_push(&o, "", 0, k, k);
    if (!o.b.p) vnx_buf_reserve(&o.b, 1), o.b.p[0] = 0;
    if (o.cap < o.b.len + 1) {
        o.from = vnx_xrealloc(o.from, (o.b.len + 1) * sizeof *o.from);
        o.to = vnx_xrealloc(o.to, (o.b.len + 1) * sizeof *o.to);
    }
    o.from[o.b.len] = k;
    o.to[o.b.len] = k;
    new_style_tones(&o);
    m->text = o.b.p;
    m->len = o.b.len;
    m->from = o.from;
    m->to = o.to;
}

void vnx_mtext_free(vnx_mtext *m)
{
    free(m->text);
    free(m->from);
    free(m->to);
    memset(m, 0, sizeof *m);
}
