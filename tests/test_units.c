/* Unit tests of the stages and value normalizers, one function per stage. They use the
 * internal interfaces directly; the lexicons come from the bundled patterns/. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/uchar.h>

#include "../src/extractor.h"
#include "../src/normalize.h"
#include "../src/result.h"
#include "../src/util.h"
#include "../src/values.h"

static int failures, checks;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        checks++;                                                     \
        if (!(cond)) {                                                \
            failures++;                                               \
            fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);          \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

static void digits(const char *s, double want)
{
    double v = -12345;
    int ok = vnx_parse_digits(s, strlen(s), &v);
    CHECK(ok && fabs(v - want) < 1e-9, "digits \"%s\": want %.10g, got %s%.10g", s, want, ok ? "" : "failure ", v);
}

static void no_digits(const char *s)
{
    double v;
    CHECK(!vnx_parse_digits(s, strlen(s), &v), "digits \"%s\" should not parse", s);
}

static void test_digits(void)
{
    digits("38", 38);
    digits("03", 3);
    digits("3.633", 3633);
    digits("1.250.000", 1250000);
    digits("2,5", 2.5);
    digits("19,9", 19.9);
    digits("1.223,2", 1223.2);
    digits("4.0", 4.0);
    digits("0,25", 0.25);
    digits("123,000", 123);
    digits("10.000,50", 10000.5);
    digits("3,500,000", 3500000);   /* two commas: thousands, the English way */
    digits("686,977,200", 686977200);
    digits("3,500", 3.5);           /* one: a decimal comma */
    no_digits("1,234,5678");
    no_digits("1234,567,890");
    digits("2,293.08", 2293.08);    /* a comma, then a point: English */
    digits("1,234,567.5", 1234567.5);
    no_digits("1,23.5");
    no_digits("1,234.5.6");
    no_digits("1.2.3");
    no_digits("1,2,3");
    no_digits("12.34,5");
    no_digits(".5");
    no_digits("5.");
}

static const vnx_lexicon *numerals;

static void spelled(const char *s, double want)
{
    double v = -12345;
    int ok = vnx_parse_spelled(numerals, s, strlen(s), &v);
    CHECK(ok && fabs(v - want) <= 1e-9 * fmax(1, fabs(want)), "spelled \"%s\": want %.10g, got %s%.10g", s, want,
          ok ? "" : "failure ", v);
}

static void not_spelled(const char *s)
{
    double v;
    CHECK(!vnx_parse_spelled(numerals, s, strlen(s), &v), "spelled \"%s\" should not parse", s);
}

static void test_spelled(void)
{
    spelled("hai", 2);
    spelled("mười", 10);
    spelled("mười lăm", 15);
    spelled("mười tám", 18);
    spelled("hai mươi mốt", 21);
    spelled("ba mươi tư", 34);
    spelled("một trăm linh năm", 105);
    spelled("một nghìn lẻ một", 1001);
    spelled("hai mốt", 21);
    spelled("bốn ba", 43);
    spelled("một trăm hai", 120);
    spelled("năm trăm tư", 540);
    spelled("tám trăm rưỡi", 850);
    spelled("một ngàn mốt", 1100);
    spelled("năm ngàn rưỡi", 5500);
    spelled("một nghìn hai mươi", 1020);
    spelled("một ngàn mười ba", 1013);
    spelled("một triệu hai", 1200000);
    spelled("bốn trăm sáu triệu", 460000000);
    spelled("chín chín tỷ chín", 99900000000);
    spelled("hai trăm năm chín", 259);
    spelled("hai lăm ngàn không trăm ba mươi bẩy", 25037);
    spelled("một tỷ tỷ", 1e18);
    spelled("một triệu tỷ", 1e15);
    spelled("nửa tỷ", 500000000);
    spelled("hai phẩy năm", 2.5);
    spelled("sáu mươi phẩy hai bốn", 60.24);
    spelled("âm sáu mươi", -60);
    spelled("hai chục", 20);
    not_spelled("một");
    not_spelled("không");
    not_spelled("tư");
    not_spelled("mốt");
    not_spelled("trăm");
    not_spelled("nghìn");
    not_spelled("hai ba trăm");
    not_spelled("âm");
}

static void test_roman(void)
{
    CHECK(vnx_parse_roman("XXII", 4) == 22, "XXII");
    CHECK(vnx_parse_roman("XIII", 4) == 13, "XIII");
    CHECK(vnx_parse_roman("xxi", 3) == 21, "xxi");
    CHECK(vnx_parse_roman("XCIX", 4) == 99, "XCIX");
    CHECK(vnx_parse_roman("MCMXC", 5) == 1990, "MCMXC");
    CHECK(vnx_parse_roman("IIII", 4) == 0, "IIII is not canonical");
    CHECK(vnx_parse_roman("IC", 2) == 0, "IC is not canonical");
    CHECK(vnx_parse_roman("ABC", 3) == 0, "ABC");
}

/* Calendar arithmetic against days counted one by one from 1970-01-01, and ISO weeks at the
 * turns of years where they differ from the calendar year. */
static void test_calendar(void)
{
    long z = 0;
    for (long y = 1970; y < 2101; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= vnx_days_in_month(y, m); d++, z++) {
                long yy;
                int mm, dd;
                vnx_civil_from_days(z, &yy, &mm, &dd);
                if (vnx_days_from_civil(y, m, d) != z || yy != y || mm != m || dd != d) {
                    CHECK(0, "day %ld is %04ld-%02d-%02d, not %04ld-%02d-%02d", z, yy, mm, dd, y, m, d);
                    return;
                }
            }
    CHECK(vnx_days_in_month(2024, 2) == 29 && vnx_days_in_month(2100, 2) == 28 && vnx_days_in_month(2000, 2) == 29,
          "leap years: 2024 and 2000, not 2100");
    CHECK(vnx_iso_weekday(vnx_days_from_civil(2021, 4, 30)) == 4, "2021-04-30 is a Friday");
    static const struct { int y, m, d; long wy; int w; } W[] = {
        {2021, 1, 3, 2020, 53}, {2021, 1, 4, 2021, 1}, {2020, 12, 31, 2020, 53}, {2019, 12, 30, 2020, 1},
        {2017, 2, 2, 2017, 5}, {2021, 4, 30, 2021, 17}, {2026, 12, 31, 2026, 53}, {2027, 1, 1, 2026, 53},
    };
    for (size_t i = 0; i < sizeof W / sizeof *W; i++) {
        long wy;
        int w;
        vnx_iso_week(vnx_days_from_civil(W[i].y, W[i].m, W[i].d), &wy, &w);
        CHECK(wy == W[i].wy && w == W[i].w, "%04d-%02d-%02d: week %ld-W%02d, want %ld-W%02d", W[i].y, W[i].m, W[i].d,
              wy, w, W[i].wy, W[i].w);
    }
    static const struct { const char *in, *out; } D[] = {
        {"2021-04-30", "2021-04-30"}, {"2021-04-30T08:15:00+07:00", "2021-04-30"}, {"2021-04-30 08:15:00", "2021-04-30"},
        {"2021", "2021"}, {"2021-04", "2021-04"}, {"2024-02-29", "2024-02-29"},
        {"01/05/2021", NULL}, {"hôm qua", NULL}, {"2021-02-29", NULL}, {"2021-13", NULL}, {"0000", NULL},
        {"2021-4-30", NULL}, {"20210430", NULL}, {"", NULL}, {"2021-04-30x", NULL},
    };
    for (size_t i = 0; i < sizeof D / sizeof *D; i++) {
        vnx_date d;
        char t[VNX_DATE_TEXT] = "";
        int ok = vnx_parse_doc_date(D[i].in, &d);
        if (ok) vnx_format_date(&d, t);
        CHECK(D[i].out ? ok && !strcmp(t, D[i].out) : !ok, "document date \"%s\": got %s", D[i].in, ok ? t : "none");
    }
}

static void test_iso(void)
{
    char b[32];
    CHECK(vnx_iso_date(b, sizeof b, 2021, 10, 25) && !strcmp(b, "2021-10-25"), "2021-10-25: %s", b);
    CHECK(vnx_iso_date(b, sizeof b, -1, 9, 2) && !strcmp(b, "XXXX-09-02"), "XXXX-09-02: %s", b);
    CHECK(vnx_iso_date(b, sizeof b, 2023, 9, -1) && !strcmp(b, "2023-09"), "2023-09: %s", b);
    CHECK(vnx_iso_date(b, sizeof b, 2017, -1, -1) && !strcmp(b, "2017"), "2017: %s", b);
    CHECK(!vnx_iso_date(b, sizeof b, 2021, 2, 29), "2021-02-29 is no date");
    CHECK(vnx_iso_date(b, sizeof b, 2020, 2, 29), "2020-02-29 is a date");
    CHECK(!vnx_iso_date(b, sizeof b, 2021, 13, 1), "month 13");
    CHECK(!vnx_iso_date(b, sizeof b, 2021, 4, 31), "April 31");
}

static void test_decode(void)
{
    vnx_buf b = {0};
    /* stray continuation byte, overlong "/", surrogate, truncated sequence at the end */
    const char in[] = "a\x80" "b\xC0\xAF" "c\xED\xA0\x80" "d\xE1\xBA";
    size_t bad = vnx_decode(in, sizeof in - 1, &b);
    CHECK(bad == 8, "one U+FFFD per invalid byte: %zu", bad);
    size_t i = 0, n = 0;
    while (i < b.len) { vnx_next_cp(b.p, b.len, &i); n++; }
    CHECK(n == 12, "code points after decoding: %zu", n);
    CHECK(vnx_decode("\xEF\xBB\xBFxin", 6, &b) == 0 && !strcmp(b.p, "xin"), "BOM stripped: %s", b.p);
    CHECK(vnx_decode("\xFF\xFEx\0i\0", 6, &b) == 0 && !strcmp(b.p, "xi"), "UTF-16LE: %s", b.p);
    vnx_buf_free(&b);
}

/* A well-formed UTF-8 sequence at s[0..n), by the code point it spells (Unicode 3.9, table
 * 3-7, read the other way round from decode.c): its length, or 0 (NUL counts as bad). */
static size_t ref_seq(const unsigned char *s, size_t n)
{
    if (s[0] == 0) return 0;
    if (s[0] < 0x80) return 1;
    size_t need = s[0] >= 0xC0 && s[0] < 0xE0 ? 2 : s[0] >= 0xE0 && s[0] < 0xF0 ? 3 : s[0] >= 0xF0 && s[0] < 0xF8 ? 4 : 0;
    if (!need || n < need) return 0;
    uint32_t cp = s[0] & (0x7F >> need);
    for (size_t k = 1; k < need; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[k] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return need;
}

/* The block-wise validator against ref_seq: pieces that are valid, invalid, or valid only
 * with their neighbours, strung together at every offset a 16-byte block can fall on. */
static void test_decode_blocks(void)
{
    static const char *const piece[] = {
        "a", " ", "1", "\xC3\xA1", "\xC4\x91", "\xE1\xBB\x87", "\xE1\xBA\xA0", "\xF0\x9F\x98\x80", "\xE0\xA4\x85",
        "\xED\x9F\xBF", "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF", "\xC2\xA0", "\xDF\xBF",
        /* bad alone or in any company */
        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\x80",
        "\xBF", "\xE1", "\xE1\xBB", "\xF0\x9F\x98", "\xF5\x80\x80\x80", "\xFF", "\xFE", "\xF8\x88\x80\x80\x80",
    };
    size_t npiece = sizeof piece / sizeof *piece;
    unsigned long rnd = 12345;
    int mismatches = 0;
    vnx_buf got = {0}, want = {0};
    for (int t = 0; t < 20000 && mismatches < 5; t++) {
        unsigned char in[400];
        size_t n = 0;
        in[n++] = 'x';   /* no byte order mark */
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        int valid_only = (rnd >> 40) % 2, count = (int)((rnd >> 20) % 60);
        for (int k = 0; k < count; k++) {
            rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
            size_t pick = (rnd >> 33) % (valid_only ? 14 : npiece);
            if (pick < 3 && valid_only) { /* long ASCII runs too */
                size_t run = (rnd >> 50) % 20;
                while (run-- && n < sizeof in - 8) in[n++] = 'a' + (unsigned char)(run % 26);
            }
            size_t pl = strlen(piece[pick]);
            if (n + pl >= sizeof in) break;
            memcpy(in + n, piece[pick], pl);
            n += pl;
        }
        if ((rnd >> 10) % 7 == 0) in[(rnd >> 3) % n] = 0;   /* a NUL somewhere */
        want.len = 0;
        size_t wbad = 0;
        for (size_t i = 0; i < n;) {
            size_t k = ref_seq(in + i, n - i);
            if (k) vnx_buf_add(&want, (const char *)in + i, k), i += k;
            else vnx_buf_add(&want, "\xEF\xBF\xBD", 3), i++, wbad++;
        }
        size_t bad = vnx_decode((const char *)in, n, &got);
        if (bad != wbad || got.len != want.len || memcmp(got.p, want.p, got.len)) {
            mismatches++;
            fprintf(stderr, "decode case %d (%zu bytes):", t, n);
            for (size_t i = 0; i < n; i++) fprintf(stderr, " %02X", in[i]);
            fputc('\n', stderr);
        }
    }
    CHECK(mismatches == 0, "block-wise UTF-8 validation differs from the reference in %d cases", mismatches);
    vnx_buf_free(&got);
    vnx_buf_free(&want);
}

/* The original code points [from, to) byte x of the match text came from. */
static size_t map_from(const vnx_mtext *m, size_t x)
{
    vnx_cp_cursor c = {0, 0, 0};
    size_t from, to;
    vnx_mtext_span(m, &c, x, x + 1, &from, &to);
    return from;
}

static size_t map_to(const vnx_mtext *m, size_t x)
{
    vnx_cp_cursor c = {0, 0, 0};
    size_t from, to;
    vnx_mtext_span(m, &c, x, x + 1, &from, &to);
    return to;
}

/* The match text maps back to the original code points. */
static void test_normalize(void)
{
    vnx_mtext m;
    /* NFD "hòa" (o + U+0300), a zero-width space, an en dash, old-style "thuỷ" */
    const char in[] = "ho\xCC\x80" "a \xE2\x80\x8B" "3\xE2\x80\x93" "4 thu\xE1\xBB\xB7";
    vnx_normalize(in, sizeof in - 1, 0, &m);
    CHECK(!strcmp(m.text, "hòa 3-4 thủy"), "match text: %s", m.text);
    vnx_cp_cursor cur = {0, 0, 0};
    size_t cs, ce;
    vnx_mtext_span(&m, &cur, 0, m.len, &cs, &ce);
    CHECK(cs == 0 && ce == 14, "whole text maps to 14 original code points: [%zu,%zu)", cs, ce);
    const char *three = strchr(m.text, '3');
    size_t at = (size_t)(three - m.text);
    CHECK(map_from(&m, at) == 6 && map_to(&m, at) == 7, "'3' maps to [6,7): [%zu,%zu)", map_from(&m, at), map_to(&m, at));
    CHECK(map_from(&m, at + 1) == 7, "the dash maps to 7: %zu", map_from(&m, at + 1));
    vnx_mtext_free(&m);
    /* text that needs no rewriting keeps no map: spans are counted in the text itself */
    const char *plain = "Ngày 6/2, giá đạt 3.633 đồng";
    vnx_normalize(plain, strlen(plain), 0, &m);
    CHECK(m.piece == NULL && !strcmp(m.text, plain), "identity: no map, same text");
    const char *g = strstr(m.text, "3.633");
    cur = (vnx_cp_cursor){0, 0, 0};
    vnx_mtext_span(&m, &cur, 0, strlen("Ngày"), &cs, &ce);
    CHECK(cs == 0 && ce == 4, "identity: 'Ngày' is [0,4): [%zu,%zu)", cs, ce);
    vnx_mtext_span(&m, &cur, (size_t)(g - m.text), (size_t)(g - m.text) + 5, &cs, &ce);
    CHECK(cs == 18 && ce == 23, "identity: '3.633' is [18,23): [%zu,%zu)", cs, ce);
    vnx_mtext_span(&m, &cur, 0, strlen("Ngày"), &cs, &ce);   /* asked again from the start */
    CHECK(cs == 0 && ce == 4, "identity, cursor rewound: [%zu,%zu)", cs, ce);
    vnx_mtext_free(&m);
    /* a pair that gets shorter ("uỳ", four bytes, is "ùy", three): the text after it keeps
     * its code points (a zero-width space first, so that the text is rewritten) */
    const char *sh = "\xE2\x80\x8BThu\xE1\xBB\xB3 25 ho\xC3\xA0";
    vnx_normalize(sh, strlen(sh), 0, &m);
    CHECK(!strcmp(m.text, "Thùy 25 hòa"), "shorter pair: %s", m.text);
    const char *n25 = strstr(m.text, "25");
    CHECK(n25 && map_from(&m, n25 - m.text) == 6 && map_to(&m, n25 - m.text + 1) == 8, "shorter pair: '25' maps to [6,8)");
    CHECK(map_from(&m, 3) == 3 && map_to(&m, 4) == 5, "shorter pair: 'ùy' maps to 'uỳ', [3,5): [%zu,%zu)", map_from(&m, 3), map_to(&m, 4));
    cur = (vnx_cp_cursor){0, 0, 0};
    vnx_mtext_span(&m, &cur, 0, m.len, &cs, &ce);
    CHECK(m.len == strlen("Thùy 25 hòa") && cs == 1 && ce == 12, "shorter pair: the text is [1,12) (the invisible dropped): [%zu,%zu)", cs, ce);
    vnx_mtext_free(&m);
    /* a long text with one entity is three pieces, not a map entry per byte; spans after
     * it are counted within the last piece, asked in order or not */
    vnx_buf big = {0};
    for (int r = 0; r < 2000; r++) vnx_buf_adds(&big, "Giá 3.633 đồng ");
    vnx_buf_adds(&big, "&amp; ");
    for (int r = 0; r < 2000; r++) vnx_buf_adds(&big, "Giá 3.633 đồng ");
    vnx_normalize(big.p, big.len, 0, &m);
    CHECK(m.npiece == 3, "one entity in a long text: %zu pieces", m.npiece);
    size_t amp = (size_t)(strchr(m.text, '&') - m.text), last = m.len - strlen("3.633 đồng ");
    size_t want = 2000 * 15 + 6 + 1999 * 15 + 4;   /* code points: 15 a sentence, 6 for "&amp; " */
    cur = (vnx_cp_cursor){0, 0, 0};
    vnx_mtext_span(&m, &cur, strlen("Giá "), strlen("Giá 3.633"), &cs, &ce);
    CHECK(cs == 4 && ce == 9, "before the entity: [%zu,%zu)", cs, ce);
    vnx_mtext_span(&m, &cur, amp, amp + 1, &cs, &ce);
    CHECK(cs == 2000 * 15 && ce == 2000 * 15 + 5, "the entity: [%zu,%zu)", cs, ce);
    vnx_mtext_span(&m, &cur, last, last + 5, &cs, &ce);
    CHECK(cs == want && ce == want + 5, "the last number: [%zu,%zu), want %zu", cs, ce, want);
    size_t sentence = strlen("Giá 3.633 đồng ");
    vnx_mtext_span(&m, &cur, last - sentence, last - sentence + 5, &cs, &ce);   /* back within the piece */
    CHECK(cs == want - 15 && ce == want - 10, "the number before it: [%zu,%zu)", cs, ce);
    vnx_mtext_free(&m);
    vnx_buf_free(&big);
    vnx_normalize("quý khoá", strlen("quý khoá"), 0, &m);
    CHECK(!strcmp(m.text, "quý khóa"), "quý stays, khoá moves: %s", m.text);
    vnx_mtext_free(&m);
    const char *h = "<p>giá&nbsp;3.633&#160;đồng &amp; 5&percnt;</p>";
    vnx_normalize(h, strlen(h), 1, &m);
    CHECK(!strcmp(m.text, " giá 3.633 đồng & 5% "), "HTML: %s", m.text);
    const char *d = strstr(m.text, "3.633");
    CHECK(map_from(&m, d - m.text) == 12, "HTML: '3' maps to code point 12: %zu", map_from(&m, d - m.text));
    vnx_mtext_free(&m);
    /* every white space but the line break is a space in the match text */
    const char *ws = "a\t\v\f\r\xC2\x85\xC2\xA0\xE1\x9A\x80\xE2\x80\x80\xE2\x80\x8A\xE2\x80\xA8\xE2\x80\xA9"
                     "\xE2\x80\xAF\xE2\x81\x9F\xE3\x80\x80\nb";
    vnx_normalize(ws, strlen(ws), 0, &m);
    CHECK(!strcmp(m.text, "a              \nb"), "white space to spaces: '%s'", m.text);
    vnx_mtext_free(&m);
}

/* The block-wise skip of the normalizer against its byte loop: words alone (too short for a
 * block) and the same words joined by spaces (long enough) give the same text. */
static void test_normalize_blocks(void)
{
    static const char *const word[] = {
        "người", "Việt", "hoà", "Hoà", "HOÀ", "thuỷ", "khoẻ", "quý", "toàn", "muốn", "thuộc", "xoong",
        "a&amp;b", "x&nbsp;y", "3\xE2\x80\x93" "4", "tab\there", "a\xC2\xA0" "b", "zero\xE2\x80\x8Bwidth",
        "ho\xCC\x80" "a", "o\xCC\x81\xCC\x81", "\xE2\x80\x9C" "trích\xE2\x80\x9D", "\xF0\x9F\x98\x80",
        "Đồng", "ể", "uý", "oẹ", "cr\r\nlf", "&#8211;", "<b>", "1.068", "tỷ", "\xE1\x83\x90", "\xC2\xA9",
        "abcdefghijklmnopqrstuvwxyz", "Nghị_định", "\xEF\xBC\x8D",
    };
    size_t nword = sizeof word / sizeof *word;
    unsigned long rnd = 99;
    int mismatches = 0;
    for (int t = 0; t < 3000 && mismatches < 5; t++) {
        vnx_buf joined = {0}, want = {0};
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        int count = (int)((rnd >> 33) % 80);
        for (int k = 0; k < count; k++) {
            rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
            const char *w = word[(rnd >> 33) % nword];
            vnx_mtext m;
            vnx_normalize(w, strlen(w), 0, &m);
            if (k) vnx_buf_addc(&joined, ' '), vnx_buf_addc(&want, ' ');
            vnx_buf_adds(&joined, w);
            vnx_buf_add(&want, m.text, m.len);
            vnx_mtext_free(&m);
        }
        vnx_mtext m;
        vnx_normalize(joined.p ? joined.p : "", joined.len, 0, &m);
        if (m.len != want.len || memcmp(m.text, want.p ? want.p : "", m.len)) {
            mismatches++;
            fprintf(stderr, "normalize case %d:\n  in:   %s\n  got:  %s\n  want: %s\n", t, joined.p, m.text, want.p);
        }
        vnx_mtext_free(&m);
        vnx_buf_free(&joined);
        vnx_buf_free(&want);
    }
    CHECK(mismatches == 0, "block-wise normalization differs from word by word in %d cases", mismatches);
}

/* Skipping code points eight bytes at a time lands where stepping one at a time does. */
static void test_cp_skip(void)
{
    static const char *const piece[] = {"a", " ", "\xC3\xA0", "\xE1\xBB\x87", "\xF0\x9F\x98\x80", "9", "\n"};
    unsigned long rnd = 5;
    int bad = 0;
    for (int k = 0; k < 2000 && bad < 3; k++) {
        char t[512] = "";
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        for (size_t q = (rnd >> 33) % 60; q > 0; q--) {
            rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
            strcat(t, piece[(rnd >> 33) % 7]);
        }
        size_t len = strlen(t);
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        size_t i = 0, n = (rnd >> 33) % 70;
        for (size_t skip = (rnd >> 20) % 5; skip > 0 && i < len; skip--) vnx_next_cp(t, len, &i);
        size_t want = i;
        for (size_t q = 0; q < n && want < len; q++) vnx_next_cp(t, len, &want);
        size_t got = vnx_cp_skip(t, len, i, n);
        if (got != want && bad++ < 3) fprintf(stderr, "cp_skip from %zu by %zu in '%s': %zu, want %zu\n", i, n, t, got, want);
    }
    CHECK(bad == 0, "vnx_cp_skip differs from stepping in %d cases", bad);
}

/* The table-driven lower case is ICU's, over the tables' ranges and past them. */
static void test_tolower(void)
{
    int bad = 0;
    for (uint32_t c = 0; c < 0x2200; c++)
        if (vnx_tolower(c) != (uint32_t)u_tolower((UChar32)c)) bad++;
    CHECK(bad == 0, "vnx_tolower differs from u_tolower for %d code points", bad);
    CHECK(vnx_tolower(0x1EA0) == 0x1EA1 && vnx_tolower(0x110) == 0x111 && vnx_tolower('Q') == 'q',
          "Ạ, Đ and Q lower-case to ạ, đ and q");
}

static void test_tokenize(void)
{
    vnx_tokenizer *proto = vnx_tokenizer_new(), *t = vnx_tokenizer_clone(proto);
    const char *s = "COVID-19 đạt12 tỷ 1.068 U23 5G 4-2";
    size_t n = strlen(s);
    vnx_tokenizer_set_text(t, s, n);
    const char *p;
    p = strstr(s, "19");
    CHECK(!vnx_span_ok(t, s, n, (size_t)(p - s), (size_t)(p - s) + 2), "COVID-19");
    p = strstr(s, "12");
    CHECK(vnx_span_ok(t, s, n, (size_t)(p - s), (size_t)(p - s) + 2), "đạt12");
    p = strstr(s, "068");
    CHECK(!vnx_span_ok(t, s, n, (size_t)(p - s), (size_t)(p - s) + 3), "inside 1.068");
    p = strstr(s, "23");
    CHECK(!vnx_span_ok(t, s, n, (size_t)(p - s), (size_t)(p - s) + 2), "U23");
    p = strstr(s, "5G");
    CHECK(!vnx_span_ok(t, s, n, (size_t)(p - s), (size_t)(p - s) + 1), "5G");
    p = strstr(s, "4-2");
    CHECK(vnx_span_ok(t, s, n, (size_t)(p - s) + 2, (size_t)(p - s) + 3), "4-2");
    vnx_tokenizer_free(t);
    vnx_tokenizer_free(proto);
}

/* The extractor of the bundled patterns in dir, or NULL after a failed check. */
static vnx_extractor *open_extractor(const char *dir)
{
    char err[512];
    vnx_extractor *ex = vnx_extractor_new(dir, err, sizeof err);
    CHECK(ex != NULL, "extractor: %s", err);
    return ex;
}

/* The identifier normalizer through the pipeline: how codes split into kind and issuer. */
static void resolution(vnx_extractor *ex, const char *text, const char *want)
{
    vnx_document d = {0};
    d.id = "t";
    d.text = text;
    d.len = strlen(text);
    vnx_result *r = vnx_extract(ex, &d);
    char *got = NULL;
    for (size_t i = 0; i < vnx_result_count(r) && !got; i++)
        if (!strcmp(vnx_entity_type(r, i), "resolution")) got = vnx_entity_value_json(r, i);
    CHECK(got && strstr(got, want), "resolution in \"%s\": want %s in %s", text, want, got ? got : "nothing");
    vnx_free(got);
    vnx_result_free(r);
}

static void test_identifiers(const char *dir)
{
    vnx_extractor *ex = open_extractor(dir);
    if (!ex) return;
    resolution(ex, "Nghị quyết 18-NQ/TW ngày 25/10/2017", "\"kind\":\"NQ\",\"kind_name\":\"Nghị quyết\",\"issuer\":\"TW\"");
    resolution(ex, "Nghị quyết 18-NQ/TW ngày 25/10/2017", "\"date\":\"2017-10-25\"");
    resolution(ex, "Quy định 40-QĐ/TW", "\"kind_name\":\"Quy định\"");
    resolution(ex, "Quyết định 12/QĐ-UBND", "\"kind_name\":\"Quyết định\"");
    resolution(ex, "Luật 45/2019/QH14", "\"year\":2019,\"kind\":null,\"kind_name\":null,\"issuer\":\"QH14\",\"issuer_name\":\"Quốc hội khóa XIV\"");
    resolution(ex, "văn bản 5973/UBND-KT", "\"kind\":null,\"kind_name\":null,\"issuer\":\"UBND-KT\"");
    resolution(ex, "Thông tư liên tịch 35/2018/TTLT-BTC-BNV", "\"kind\":\"TTLT\",\"kind_name\":\"Thông tư liên tịch\",\"issuer\":\"BTC-BNV\"");
    resolution(ex, "Chỉ thị 42 -CT/TW", "\"id\":\"42-CT/TW\",\"number\":\"42\"");
    resolution(ex, "Nghị định 15/2018 quy định", "\"id\":\"15/2018\",\"number\":\"15\",\"year\":2018,\"kind\":null");
    vnx_extractor_free(ex);
}

typedef struct {
    const vnx_extractor *ex;
    const vnx_document *docs;
    size_t n;
    char **json;
    size_t *ready, *supplied;
} supplied_call;

static void *run_supplied(void *arg)
{
    supplied_call *c = arg;
    vnx_extract_json_supplied(c->ex, c->docs, c->n, 3, c->json, c->ready, c->supplied);
    return NULL;
}

/* The records json[0..n) as lines, freed. */
static vnx_buf take_records(char **json, size_t n)
{
    vnx_buf got = {0};
    vnx_buf_adds(&got, "");
    for (size_t i = 0; i < n; i++) {
        vnx_buf_adds(&got, json[i]);
        vnx_buf_addc(&got, '\n');
        vnx_free(json[i]);
    }
    return got;
}

/* The stage profile: every stage named, nothing counted until profiling is on; then the rule
 * searches' stage is the rules' own time, and a document with numbers took some time. */
static void test_stage_profile(const char *dir)
{
    vnx_extractor *ex = open_extractor(dir);
    if (!ex) return;
    vnx_stage_profile st;
    size_t n = 0;
    while (vnx_extractor_stage_profile(ex, n, &st)) {
        CHECK(st.name && *st.name && st.nanoseconds == 0, "stage %zu before profiling: %s, %llu ns", n,
              st.name ? st.name : "(null)", st.nanoseconds);
        n++;
    }
    CHECK(n == 7, "seven stages, not %zu", n);
    vnx_extractor_profile(ex, 1);
    const char *text = "Ngày 30/4/2021, có 1.250 người tham gia, tăng 12,5% so với năm ngoái.";
    vnx_document doc = {.id = "p", .text = text, .len = strlen(text), .date = "2021-04-30"};
    for (int i = 0; i < 50; i++) vnx_result_free(vnx_extract(ex, &doc));
    unsigned long long rules = 0, all = 0, searches = 0;
    vnx_rule_profile rp;
    for (size_t i = 0; vnx_extractor_rule_profile(ex, i, &rp); i++) rules += rp.nanoseconds;
    for (size_t i = 0; vnx_extractor_stage_profile(ex, i, &st); i++) {
        all += st.nanoseconds;
        if (strcmp(st.name, "rule searches (PCRE2)") == 0) searches = st.nanoseconds;
    }
    CHECK(rules > 0 && searches == rules, "rule searches' stage %llu ns, the rules' time %llu ns", searches, rules);
    CHECK(all > rules, "the stages %llu ns, more than the searches alone", all);
    vnx_extractor_free(ex);
}

/* The batch call: the record of each document, as vnx_result_json writes it, whatever the
 * number of threads (more threads than documents too); all of them ready at the end. */
static void test_batch(const char *dir)
{
    vnx_extractor *ex = open_extractor(dir);
    if (!ex) return;
    enum { N = 40 };
    vnx_document docs[N];
    char text[N][96];
    vnx_buf want = {0};
    vnx_buf_adds(&want, "");
    for (int i = 0; i < N; i++) {
        snprintf(text[i], sizeof text[i], "Ngày %d/3 có %d người, tăng %d,5%% so với năm ngoái.", i % 28 + 1, i * 37, i);
        docs[i] = (vnx_document){.id = i % 2 ? "odd" : "even", .text = text[i], .len = strlen(text[i]),
                                 .date = i % 3 ? "2021-04-30" : NULL};
        vnx_result *r = vnx_extract(ex, &docs[i]);
        char *j = vnx_result_json(r);
        vnx_buf_adds(&want, j);
        vnx_buf_addc(&want, '\n');
        vnx_free(j);
        vnx_result_free(r);
    }
    unsigned threads[] = {0, 1, 3, 64};
    for (size_t k = 0; k < sizeof threads / sizeof *threads; k++) {
        char *json[N];
        size_t ready = 0;
        vnx_extract_json_many(ex, docs, N, threads[k], json, k % 2 ? &ready : NULL);
        vnx_buf got = take_records(json, N);
        CHECK(!strcmp(got.p, want.p), "batch with %u threads:\n  %.200s\nwant\n  %.200s", threads[k], got.p, want.p);
        CHECK(k % 2 == 0 || ready == N, "batch with %u threads: %zu ready at the end", threads[k], ready);
        vnx_buf_free(&got);
    }
    vnx_extract_json_many(ex, docs, 0, 2, NULL, NULL);   /* no documents: nothing to do */
    /* documents supplied while the call runs (in a thread of its own): filled in one by one
     * from empty, with pauses, they give the same records */
    vnx_document late[N];
    memset(late, 0, sizeof late);
    char *json[N];
    size_t supplied = 0, ready = 0;
    supplied_call call = {ex, late, N, json, &ready, &supplied};
    pthread_t tid;
    CHECK(pthread_create(&tid, NULL, run_supplied, &call) == 0, "thread for the supplied batch");
    for (int i = 0; i < N; i++) {
        if (i % 8 == 0) usleep(2000);
        late[i] = docs[i];
        vnx_supply(&supplied, (size_t)i + 1);
    }
    pthread_join(tid, NULL);
    vnx_buf got = take_records(json, N);
    CHECK(!strcmp(got.p, want.p), "batch supplied one by one:\n  %.200s\nwant\n  %.200s", got.p, want.p);
    CHECK(ready == N, "batch supplied one by one: %zu ready at the end", ready);
    vnx_buf_free(&got);
    vnx_buf_free(&want);
    vnx_extractor_free(ex);
}

/* The trigger kinds of the prefilter: digit runs by shape, named words (also glued to the
 * word before them), characters. */
static vnx_kinds trigger_at(const vnx_triggers *t, const char *text, const char *what)
{
    const char *p = strstr(text, what);
    for (size_t i = 0; p && i < t->n; i++)
        if (t->v[i].s == (size_t)(p - text)) return t->v[i].kind;
    return 0;
}

static void test_triggers(const char *dir)
{
    vnx_extractor *ex = open_extractor(dir);
    if (!ex) return;
    const char *t = "Trongquý 3, ngày 6/2/2017 giá tăng 12% so với năm 2016; 1999 người, 20h30.";
    vnx_triggers tr = {0};
    vnx_find_triggers(&ex->pf, t, strlen(t), 0, &tr);
    CHECK(trigger_at(&tr, t, "6/2") & VNX_TRIGGER_DIGIT_SEP, "'6' before '/2' is digits-sep");
    CHECK(!(trigger_at(&tr, t, "6/2") & VNX_TRIGGER_YEAR), "'6' is no year");
    CHECK(trigger_at(&tr, t, "2017") & VNX_TRIGGER_YEAR, "'2017' is a year");
    CHECK(!(trigger_at(&tr, t, "2017") & VNX_TRIGGER_DIGIT_SEP), "'2017' is not followed by a separator");
    CHECK(trigger_at(&tr, t, "1999") & VNX_TRIGGER_YEAR, "'1999' is a year");
    CHECK(trigger_at(&tr, t, "quý") > VNX_TRIGGER_DIGIT_SEP, "'quý' glued to 'Trong' is a named trigger");
    CHECK(trigger_at(&tr, t, "%") > VNX_TRIGGER_DIGIT_SEP, "'%%' is a character trigger");
    CHECK(trigger_at(&tr, t, "năm") & VNX_TRIGGER_WORD, "'năm' is a numeral word");
    CHECK(trigger_at(&tr, t, "h30") > VNX_TRIGGER_DIGIT_SEP, "'h' after digits is a named word");
    CHECK(trigger_at(&tr, t, "giá") == 0, "'giá' is no trigger");
    CHECK(trigger_at(&tr, t, "2017") & VNX_TRIGGER_SEP_YEAR, "'2017' in '6/2/2017' is a sep-year");
    CHECK(!(trigger_at(&tr, t, "2016") & VNX_TRIGGER_SEP_YEAR), "'2016' after 'năm' is no sep-year");
    const char *dc = "123456789,5 - 10 và 7, 8";
    vnx_find_triggers(&ex->pf, dc, strlen(dc), 0, &tr);
    CHECK(trigger_at(&tr, dc, "123") & VNX_TRIGGER_DIGIT_SEP, "digits before a decimal comma are digits-sep");
    CHECK(trigger_at(&tr, dc, "7, 8") & VNX_TRIGGER_DIGIT_SEP, "'7, 8' is too: a space is allowed after it");
    CHECK(!(trigger_at(&tr, dc, "10") & VNX_TRIGGER_DIGIT_SEP), "'10 và' is not");
    /* day-month: two short runs and a separator, nothing more */
    vnx_find_triggers(&ex->pf, t, strlen(t), 0, &tr);
    CHECK(trigger_at(&tr, t, "6/2") & VNX_TRIGGER_DIGIT_SEP && !(trigger_at(&tr, t, "6/2") & VNX_TRIGGER_DAY_MONTH),
          "'6/2/2017' is no day-month");
    const char *dm = "ngày 30 - 4, 1.000 người, 12/10, 2,5 lần, 3-05 và 123/4, 1/234";
    vnx_find_triggers(&ex->pf, dm, strlen(dm), 0, &tr);
    CHECK(trigger_at(&tr, dm, "30 - 4") & VNX_TRIGGER_DAY_MONTH, "'30 - 4' is a day-month");
    CHECK(trigger_at(&tr, dm, "12/10") & VNX_TRIGGER_DAY_MONTH, "'12/10' is a day-month");
    CHECK(trigger_at(&tr, dm, "3-05") & VNX_TRIGGER_DAY_MONTH, "'3-05' is a day-month");
    CHECK(!(trigger_at(&tr, dm, "1.000") & VNX_TRIGGER_DAY_MONTH), "'1.000' is no day-month");
    CHECK(!(trigger_at(&tr, dm, "2,5") & VNX_TRIGGER_DAY_MONTH), "'2,5' is no day-month");
    CHECK(!(trigger_at(&tr, dm, "123/4") & VNX_TRIGGER_DAY_MONTH), "'123/4' is no day-month");
    CHECK(!(trigger_at(&tr, dm, "1/234") & VNX_TRIGGER_DAY_MONTH), "'1/234' is no day-month");

    /* sequences of kinds: "phần trăm" only with white space between the two words */
    vnx_kinds seq = 0, month_seq = 0;
    for (int b = VNX_TRIGGER_NAMED_BIT; b < ex->pf.nbit; b++) {
        if (!strcmp(ex->pf.name[b], "=phần trăm")) seq = (vnx_kinds)1 << b;
        if (!strcmp(ex->pf.name[b], "tháng words")) month_seq = (vnx_kinds)1 << b;
    }
    CHECK(seq && month_seq, "the bundled rules name the sequences '=phần trăm' and 'tháng words'");
    const char *st = "ba phần trăm, phần \n\t trăm, phần, trăm, phần năm, tháng Mười một, tháng 5, phầntrăm";
    vnx_find_triggers(&ex->pf, st, strlen(st), 0, &tr);
    CHECK(trigger_at(&tr, st, "phần trăm") & seq, "'phần trăm' is the sequence");
    CHECK(trigger_at(&tr, st, "phần \n") & seq, "'phần' and 'trăm' across a line break are the sequence");
    CHECK(!(trigger_at(&tr, st, "phần,") & seq), "'phần, trăm' is not the sequence");
    CHECK(!(trigger_at(&tr, st, "phần năm") & seq), "'phần năm' is not 'phần trăm'");
    CHECK(trigger_at(&tr, st, "tháng M") & month_seq, "'tháng Mười' is 'tháng words'");
    CHECK(!(trigger_at(&tr, st, "tháng 5") & month_seq), "'tháng 5' is not 'tháng words'");
    CHECK(!(trigger_at(&tr, st, "trăm, phần") & seq), "the sequence is marked on its first word only");

    /* "@roman_cues roman": a cue word, white space, then a word of Roman numeral letters */
    vnx_kinds roman = 0;
    for (int b = VNX_TRIGGER_NAMED_BIT; b < ex->pf.nbit; b++)
        if (!strcmp(ex->pf.name[b], "@roman_cues roman")) roman = (vnx_kinds)1 << b;
    CHECK(roman, "the bundled rules name the sequence '@roman_cues roman'");
    const char *rt = "khóa XII, khóa học, phần ix. mục C; kỳ họp thứ IVa; Khoản \n V";
    vnx_find_triggers(&ex->pf, rt, strlen(rt), 0, &tr);
    CHECK(trigger_at(&tr, rt, "khóa XII") & roman, "'khóa XII' is a cue and a Roman numeral");
    CHECK(!(trigger_at(&tr, rt, "khóa học") & roman), "'khóa học' is not");
    CHECK(trigger_at(&tr, rt, "phần ix") & roman, "'phần ix' is");
    CHECK(trigger_at(&tr, rt, "mục C") & roman, "'mục C' is");
    CHECK(!(trigger_at(&tr, rt, "thứ IVa") & roman), "'thứ IVa' is not: a letter follows");
    CHECK(trigger_at(&tr, rt, "Khoản") & roman, "'Khoản' then a space, a line break, a space and 'V' is");

    /* slack: the spaces and line breaks of a match text beyond the first of each run */
    const char *sl = "a  b\n\n\nc \n d e";
    vnx_find_triggers(&ex->pf, sl, strlen(sl), 0, &tr);
    CHECK(tr.slack == 1 + 2 + 2, "slack of two spaces, three line breaks, space, line break, space: %zu", tr.slack);

    /* regions reach back by the slack near their trigger: between a trigger far enough back
     * (t1, max_lookback + 5 bytes before t2: 10 slack bytes since) and t2, and before t1 too
     * when the region so grown passes t1 (50 more since t0); other slack does not count */
    {
        const vnx_prefilter *pf = &ex->pf;
        size_t t1 = 200 - pf->max_lookback - 5;
        vnx_trigger hand[] = {{0, 1, 0, 0}, {t1, t1 + 1, 0, 50}, {200, 201, VNX_TRIGGER_DIGIT, 60},
                              {5000, 5001, VNX_TRIGGER_DIGIT, 900}, {6000, 6001, VNX_TRIGGER_DIGIT, 900}};
        vnx_triggers ht = {hand, sizeof hand / sizeof *hand, 0, 900, 0};
        vnx_regions *rg = calloc(pf->nkey, sizeof *rg);
        vnx_regions_for(pf, &ht, 0, rg);
        int keys = 0, wrong = 0;
        for (size_t k = 0; k < pf->nkey; k++) {
            if (!(pf->key_mask[k] & VNX_TRIGGER_DIGIT)) continue;
            size_t lb = pf->key_lookback[k];
            keys++;
            /* t2: 60 slack bytes back; t3: 840 since t2, more than reach; t4: none in 1000 bytes */
            wrong += rg[k].n != 3 || rg[k].v[0].s != 200 - lb - 60 || rg[k].v[1].s != 5000 - lb - 840 ||
                     rg[k].v[2].s != 6000 - lb;
            free(rg[k].v);
        }
        for (size_t k = 0; k < pf->nkey; k++)
            if (!(pf->key_mask[k] & VNX_TRIGGER_DIGIT)) free(rg[k].v);
        free(rg);
        CHECK(keys > 0 && wrong == 0, "regions reach back by the slack near their trigger: %d of %d keys wrong", wrong, keys);
    }

    /* "=hai" in needs: the whole word, never the end of a longer one ("khai") */
    vnx_kinds whole = 0;
    for (int b = VNX_TRIGGER_NAMED_BIT; b < ex->pf.nbit; b++)
        if (strstr(ex->pf.name[b], "=hai")) whole = (vnx_kinds)1 << b;
    CHECK(whole, "the bundled rules name the whole word '=hai'");
    const char *wt = "triển khai hai dự án, Hai người";
    vnx_find_triggers(&ex->pf, wt, strlen(wt), 0, &tr);
    CHECK(!(trigger_at(&tr, wt, "hai") & whole), "'hai' at the end of 'khai' is not '=hai'");
    CHECK(trigger_at(&tr, wt, "hai dự") & whole, "'hai' alone is '=hai'");
    CHECK(trigger_at(&tr, wt, "Hai người") & whole, "'Hai' is '=hai' in any case");

    /* the window scan against the byte loop, on words in every case, glued words, digits,
     * trigger characters, punctuation and code points the window scan leaves to the loop */
    static const char *const piece[] = {
        " ", " ", " ", ", ", ".", "một", "Một", "MỘT", "mỘt", "năm", "Năm", "NĂM", "tháng", "THÁNG", "Tháng", "quý",
        "Quý", "trongquý", "vàonăm", "TrongTháng", "Vàonăm", "Trongtháng", "Hai", "Ba", "Phần", "phần", "trăm", "nghìn", "tỷ", "triệu", "đồng", "Đồng", "người",
        "giá", "hai", "mươi", "lăm", "thứ", "Thứ", "chủ", "từ", "ba", "góc", "km", "Km", "KM", "h", "giờ", "http", "www",
        "2017", "1999", "6", "12", "3.633", "1,5", "6/2", "20h30", "%", "/", "-", ":", "@", "#", "\xE2\x80\x9C",
        "\xE2\x80\x9D", "\xE2\x80\xA6", "\xC3\x97", "\xC3\xB7", "\xC2\xAA", "\xC3\x9F", "\xE1\xBA\x9E",
        "\xE1\xBA\x96", "\xC4\xB0", "\xC7\x85", "\xC9\x90", "\xD0\x94\xD0\xB0", "\xE4\xB8\xAD",
        "\xF0\x9F\x98\x80", "o\xCC\x81", "\xE2\x84\xAA" "m", "\xE2\x82\xAC", "ĂN", "ƠN", "ƯU", "ĐƯỜNG", "Ũ", "Ĩ",
        "abcdefghijklmnopqrstuvwxyzabc", "nghìntỷđồngtriệutrămmươi", "12345678901234567890123456789012345678901",
        "  ", "\n", "\n \n", "   ",
    };
    size_t npiece = sizeof piece / sizeof *piece;
    unsigned long rnd = 7;
    int mismatches = 0;
    vnx_triggers by_byte = {0};
    /* the window scan in 32-byte vectors where the processor has AVX2 (k even), and in 16-byte
     * ones (k odd) */
    for (int k = 0; k < 8000 && mismatches < 5; k++) {
        vnx_prefilter_use_avx2(k % 2 == 0);
        vnx_buf text = {0};
        rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
        int count = (int)((rnd >> 33) % 90);
        for (int q = 0; q < count; q++) {
            rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
            vnx_buf_adds(&text, piece[(rnd >> 33) % npiece]);
            if ((rnd >> 20) % 3) vnx_buf_addc(&text, ' ');
        }
        const char *x = text.p ? text.p : "";
        vnx_find_triggers(&ex->pf, x, text.len, 0, &tr);
        vnx_find_triggers_bytewise(&ex->pf, x, text.len, 0, &by_byte);
        int same = tr.n == by_byte.n && tr.slack == by_byte.slack;
        for (size_t i = 0; same && i < tr.n; i++)
            same = tr.v[i].s == by_byte.v[i].s && tr.v[i].e == by_byte.v[i].e && tr.v[i].kind == by_byte.v[i].kind &&
                   tr.v[i].slack == by_byte.v[i].slack;
        if (!same) {
            mismatches++;
            fprintf(stderr, "triggers case %d (%s): %zu by window, %zu by byte (slack %zu, %zu) in: %s\n", k,
                    k % 2 ? "SSE2" : "AVX2 if the processor has it", tr.n,
                    by_byte.n, tr.slack, by_byte.slack, x);
        }
        vnx_buf_free(&text);
    }
    vnx_prefilter_use_avx2(1);
    CHECK(mismatches == 0, "the window scan finds other triggers than the byte loop in %d cases", mismatches);
    free(by_byte.v);
    free(tr.v);
    vnx_extractor_free(ex);
}

/* ---- lexicon alternations ---- */

typedef struct { size_t end[256]; size_t n; } ends_t;

static int note_end(pcre2_callout_block *cb, void *data)
{
    ends_t *e = data;
    if (e->n < 256) e->end[e->n++] = cb->current_position;
    return 0;
}

/* Every way re matches t at byte at, in the order PCRE2 tries them: the end of each. */
static void match_ends(pcre2_code *re, const char *t, size_t at, ends_t *out)
{
    out->n = 0;
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_callout(mc, note_end, out);
    pcre2_match(re, (PCRE2_SPTR)t, strlen(t), at, PCRE2_ANCHORED, md, mc);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
}

static pcre2_code *compile_ends(const char *alternation)
{
    char pat[8192];
    snprintf(pat, sizeof pat, "%s(?C1)(*FAIL)", alternation);
    int ec;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_EXTENDED,
                         &ec, &off, NULL);
}

/* The ends without those tried before. */
static void dedup_ends(ends_t *e)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n; i++) {
        size_t j = 0;
        while (j < n && e->end[j] != e->end[i]) j++;
        if (j == n) e->end[n++] = e->end[i];
    }
    e->n = n;
}

static int longest_first(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    return lx != ly ? (lx < ly ? 1 : -1) : strcmp(x, y);
}

/* A lexicon's alternation shares the prefixes of its words, and matches exactly as the
 * plain alternation of its words, longest first, does: the same ends, tried in the same
 * order, on words in both cases, with letters alike under case folding, and spaces. In
 * lower case (the form for caseless contexts), case variants are one word: an end the plain
 * alternation tries twice is tried once, which the rest of a pattern cannot tell apart. */
static void test_lexicon_regex(void)
{
    static const char *const letter[] = {"a", "A", "b", "B", "\xC4\x83", "\xC4\x82", "\xC4\x91", "\xC4\x90", "k", "K",
                                         "\xE2\x84\xAA", "\xC6\xB0", "\xC6\xAF", "2", "/", " "};
    size_t nletter = sizeof letter / sizeof *letter;
    unsigned long rnd = 11;
#define RND() (rnd = rnd * 6364136223846793005UL + 1442695040888963407UL, (size_t)(rnd >> 33))
    int bad = 0;
    for (int k = 0; k < 300 && bad < 3; k++) {
        vnx_lexicon lx = {0};
        size_t n = 1 + RND() % 24;
        lx.e = vnx_xcalloc(n, sizeof *lx.e);
        char words[24][32];
        for (size_t i = 0; i < n; i++) {
            words[i][0] = 0;
            size_t len = 1 + RND() % 4;
            for (size_t q = 0; q < len; q++) {
                const char *l = letter[RND() % (q == 0 || q == len - 1 ? nletter - 1 : nletter)];   /* no space at the ends */
                strcat(words[i], l);
            }
            lx.e[i].word = words[i];
        }
        lx.n = n;
        /* the reference: the plain alternation, longest first (a word twice would only be
         * tried twice, to the same end) */
        const char *sorted[24];
        for (size_t i = 0; i < n; i++) sorted[i] = words[i];
        qsort(sorted, n, sizeof *sorted, longest_first);
        vnx_buf flat = {0};
        vnx_buf_adds(&flat, "(?:");
        for (size_t i = 0; i < n; i++) {
            if (i && !strcmp(sorted[i], sorted[i - 1])) continue;
            if (i) vnx_buf_addc(&flat, '|');
            for (const char *p = sorted[i]; *p; p++) {
                if (*p == ' ' && p[1] == ' ') continue;   /* a run of spaces is one \\s+ */
                if (*p == ' ') vnx_buf_adds(&flat, "\\s+");
                else if (*p == '/') vnx_buf_adds(&flat, "\\/");
                else vnx_buf_addc(&flat, *p);
            }
        }
        vnx_buf_addc(&flat, ')');
        int as_written = k % 2;
        char *trie = vnx_lexicon_regex(&lx, as_written);
        pcre2_code *a = compile_ends(flat.p), *b = compile_ends(trie);
        CHECK(a && b, "lexicon regexes compile: %s / %s", flat.p, trie);
        for (int q = 0; a && b && q < 20; q++) {
            char text[256] = "";
            size_t len = RND() % 10;
            for (size_t c = 0; c < len; c++) strcat(text, RND() % 5 ? letter[RND() % nletter] : "\t");
            ends_t ea, eb;
            for (size_t at = 0; at < strlen(text); at++) {
                if (((unsigned char)text[at] & 0xC0) == 0x80) continue;
                match_ends(a, text, at, &ea);
                match_ends(b, text, at, &eb);
                if (!as_written) dedup_ends(&ea), dedup_ends(&eb);
                int same = ea.n == eb.n;
                for (size_t i = 0; same && i < ea.n; i++) same = ea.end[i] == eb.end[i];
                if (!same && bad++ < 3)
                    fprintf(stderr, "lexicon regex: at %zu of '%s': %zu ends with %s, %zu with %s\n", at, text, ea.n,
                            flat.p, eb.n, trie);
            }
        }
        pcre2_code_free(a);
        pcre2_code_free(b);
        free(trie);
        vnx_buf_free(&flat);
        free(lx.e);
    }
#undef RND
    CHECK(bad == 0, "the prefix-sharing alternation matches otherwise than the plain one in %d cases", bad);
}

/* Lexicon lookups: lower case, runs of spaces as one, none at either end. */
static void test_lexicon_find(const char *dir)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/lexicons/qualifiers.tsv", dir);
    vnx_lexicon q;
    CHECK(vnx_lexicon_load(&q, path, "qualifiers", err, sizeof err) == 0, "%s", err);
    static const char *const found[] = {"hơn", "HƠN", "Tối Đa", "tối  đa", " ít nhất ", "ÍT   NHẤT LÀ", "Xấp Xỉ"};
    for (size_t i = 0; i < sizeof found / sizeof *found; i++)
        CHECK(vnx_lexicon_find(&q, found[i], strlen(found[i])) != NULL, "lexicon: '%s' not found", found[i]);
    const vnx_lex_entry *e = vnx_lexicon_find(&q, "ít nhất là", strlen("ít nhất là"));
    CHECK(e && e->ncol == 1 && !strcmp(e->col[0], "ít nhất"), "lexicon: 'ít nhất là' reads 'ít nhất'");
    static const char *const missing[] = {"tối", "hơnn", "h ơn", "", "   ", "tối đa đa"};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++)
        CHECK(vnx_lexicon_find(&q, missing[i], strlen(missing[i])) == NULL, "lexicon: '%s' found", missing[i]);
    /* longer than the stack buffer, with a malformed byte (read as U+FFFD, three bytes) */
    char big[400];
    memset(big, '\xff', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(vnx_lexicon_find(&q, big, strlen(big)) == NULL, "lexicon: malformed bytes found");
    CHECK(vnx_lexicon_find(&q, big, 80) == NULL, "lexicon: malformed bytes found");
    vnx_lexicon_free(&q);
}

/* The reader hands a document's text over once; left alone, it frees it itself. */
static void test_reader_take(void)
{
    char path[] = "/tmp/vnx_test_reader_XXXXXX.jsonl";
    int fd = mkstemps(path, 6);
    CHECK(fd >= 0, "cannot make a temporary file");
    if (fd < 0) return;
    static const char lines[] = "{\"id\":\"a\",\"text\":\"Năm 2023 \\u0111\"}\n{\"id\":\"b\",\"text\":\"hai\"}\nnot json\n"
                                "{\"id\":\"c\",\"text\":\"ba\"}\n";
    CHECK(write(fd, lines, sizeof lines - 1) == (ssize_t)(sizeof lines - 1), "cannot write %s", path);
    close(fd);
    const char *paths[] = {path};
    vnx_reader *rd = vnx_reader_open(paths, 1, NULL);
    vnx_document d;
    CHECK(vnx_reader_next(rd, &d) == 1 && !d.error, "reader: first document");
    char *t = vnx_reader_take_text(rd);
    CHECK(t && d.text == t && d.len == strlen("Năm 2023 đ") && !strcmp(t, "Năm 2023 đ"), "reader: first text taken");
    CHECK(vnx_reader_take_text(rd) == NULL, "reader: a text is handed over once");
    vnx_free(t);
    CHECK(vnx_reader_next(rd, &d) == 1 && d.len == 3 && !memcmp(d.text, "hai", 3), "reader: second document");
    CHECK(vnx_reader_next(rd, &d) == 1 && d.error, "reader: the invalid line is an error document");
    CHECK(vnx_reader_take_text(rd) == NULL, "reader: an error document has no text to hand over");
    CHECK(vnx_reader_next(rd, &d) == 1 && !strcmp(d.id, "c") && !strcmp(d.text, "ba"), "reader: fourth document");
    CHECK(vnx_reader_next(rd, &d) == 0, "reader: the end");
    vnx_reader_free(rd);
    unlink(path);
}

/* The record writer writes cJSON values byte for byte as cJSON_PrintUnformatted does. */
static void test_json_print(void)
{
    static const double nums[] = {0, -0.0, 1, -1, 3633, 112.5, 0.1, 2.0 / 3, 1e-7, 1250000000, 2147483648.0,
                                  -99950000000, 999999999999999, 1e15, 1e18, 1e300, 123456.789, 0.75, 1.05};
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) cJSON_AddItemToArray(arr, cJSON_CreateNumber(nums[i]));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", "quote \" back \\ tab \t nl \n bell \a del \x7f Việt");
    cJSON_AddItemToObject(o, "nums", arr);
    cJSON_AddNullToObject(o, "none");
    cJSON_AddTrueToObject(o, "yes");
    cJSON_AddItemToObject(o, "empty", cJSON_CreateObject());
    char *want = cJSON_PrintUnformatted(o), *got = vnx_json_print(o);
    CHECK(!strcmp(want, got), "JSON as cJSON writes it:\n  cJSON %s\n  ours  %s", want, got);
    free(want);
    free(got);
    cJSON_Delete(o);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "patterns";
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/lexicons/numerals.tsv", dir);
    vnx_lexicon lx;
    if (vnx_lexicon_load(&lx, path, "numerals", err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    numerals = &lx;
    test_digits();
    test_spelled();
    test_roman();
    test_iso();
    test_calendar();
    test_decode();
    test_decode_blocks();
    test_normalize();
    test_normalize_blocks();
    test_cp_skip();
    test_tolower();
    test_tokenize();
    test_identifiers(dir);
    test_json_print();
    test_lexicon_find(dir);
    test_reader_take();
    test_triggers(dir);
    test_stage_profile(dir);
    test_batch(dir);
    test_lexicon_regex();
    vnx_lexicon_free(&lx);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
