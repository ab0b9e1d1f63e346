/* Value normalizer for official document identifiers (số ký hiệu văn bản):
 *   Party:  NUMBER-KIND/ISSUER            18-NQ/TW, 343-QĐNS/TW
 *   State:  NUMBER[/YEAR]/[KIND-]ISSUER   100/2019/NĐ-CP, 45/2019/QH14, 5973/UBND-KT
 *           (also NUMBER-YEAR/..., KIND/ISSUER: 19-2017/NQ-CP, 32/2013/TT/BTC)
 *   Short:  NUMBER/YEAR after a document-type word ("Nghị định 15/2018")
 * KIND is a known abbreviation of lexicons/kinds.tsv; the rest is the issuer, as written.
 * The issue date right after the identifier ("ngày 25/10/2017") fills "date" and is also a
 * date entity of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "util.h"
#include "values.h"

static char *upper_nospace(const char *s, size_t n)
{
    vnx_buf b = {0};
    vnx_buf_adds(&b, "");
    size_t i = 0;
    while (i < n) {
        uint32_t c = vnx_next_cp(s, n, &i);
        if (c == ' ' || c == '\n') continue;
        vnx_buf_add_cp(&b, (uint32_t)u_toupper((UChar32)c));
    }
    return b.p;
}

static cJSON *str_or_null(const char *s, size_t n)
{
    return s && n ? vnx_json_string(s, n) : cJSON_CreateNull();
}

static const char *const ROMAN[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
static const char *const ROMAN10[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};

/* Name of an issuer: the whole code, else its first part ("BNN" of "BNN-TCCB"), else a
 * legislature with its term ("QH14": "Quốc hội khóa XIV"). */
static cJSON *issuer_name(const vnx_lexicon *issuers, const char *s, size_t n)
{
    if (!n) return cJSON_CreateNull();
    const vnx_lex_entry *e = vnx_lexicon_find(issuers, s, n);
    size_t first = 0;
    while (first < n && s[first] != '-') first++;
    if (!e) e = vnx_lexicon_find(issuers, s, first);
    if (e && e->ncol > 0) return cJSON_CreateString(e->col[0]);
    size_t k = first;
    while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9') k--;
    if (k < first && k > 0 && first - k <= 2) {
        e = vnx_lexicon_find(issuers, s, k);
        int term = atoi(s + k);
        if (e && e->ncol > 0 && term > 0 && term < 100) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s khóa %s%s", e->col[0], ROMAN10[term / 10], ROMAN[term % 10]);
            return cJSON_CreateString(buf);
        }
    }
    return cJSON_CreateNull();
}

/* A kind glued to the first issuer ("TTLTBKH&ĐT"): the bytes of the longest known kind of at
 * least four bytes that starts the code, followed by two capitals or more; else 0. */
static size_t glued_kind(const vnx_extractor *ex, const char *s, size_t n)
{
    for (size_t k = n > 2 ? n - 2 : 0; k >= 4; k--)
        if (s[k] >= 'A' && s[k] <= 'Z' && s[k + 1] >= 'A' && s[k + 1] <= 'Z' && vnx_lexicon_find(ex->kinds, s, k))
            return k;
    return 0;
}


static int norm_resolution(vnx_ctx *c)
{
    size_t is, ie, ns, ne, s, e;
    if (!vnx_group(c, G_ID, &is, &ie) || !vnx_group(c, G_NUM, &ns, &ne)) return 0;
    const vnx_extractor *ex = c->ex;
    const char *m = c->m;
    size_t ks = 0, ke = 0, ss = 0, se = 0;   /* kind and issuer */
    int party = 0;
    if (vnx_group(c, G_KIND, &ks, &ke)) {
        party = 1;
        vnx_group(c, G_ISSUER, &ss, &se);
    } else if (vnx_group(c, G_CODE, &s, &e)) {
        size_t dash = s;
        while (dash < e && m[dash] != '-' && m[dash] != '/') dash++;   /* "NĐ-CP", "TT/BTC" */
        size_t kend = dash;
        while (kend > s && m[kend - 1] == ' ') kend--;
        size_t ys, ye, glued = glued_kind(ex, m + s, kend - s);
        /* the kind slot of NUMBER/YEAR/KIND-ISSUER is the kind, known or not ("XN-BCT") */
        int kind_first = dash < e && (vnx_lexicon_find(ex->kinds, m + s, kend - s) ||
                                      (!glued && vnx_group(c, G_YEAR, &ys, &ye) &&
                                       !vnx_lexicon_find(ex->issuers, m + s, kend - s)));
        if (kind_first) {
            ks = s; ke = kend;
            ss = dash + 1; se = e;
            while (ss < se && m[ss] == ' ') ss++;
        } else if (dash == e && vnx_lexicon_find(ex->kinds, m + s, e - s) &&
                   !vnx_lexicon_find(ex->issuers, m + s, e - s)) {
            ks = s; ke = e;
        } else if (glued) {
            ks = s; ke = s + glued;   /* "TTLTBKH&ĐT-BTC": TTLT, then its issuers */
            ss = ke; se = e;
        } else {
            ss = s; se = e;
        }
    }
    while (se > ss && m[se - 1] == ' ') se--;
    cJSON *v = cJSON_CreateObject();
    char *id = upper_nospace(m + is, ie - is);
    cJSON_AddStringToObject(v, "id", id);
    free(id);
    cJSON_AddItemToObject(v, "number", str_or_null(m + ns, ne - ns));
    int year = -1;
    if (vnx_group(c, G_YEAR, &s, &e)) year = atoi(m + s);
    cJSON_AddItemToObject(v, "year", year > 0 ? cJSON_CreateNumber(year) : cJSON_CreateNull());
    cJSON_AddItemToObject(v, "kind", str_or_null(m + ks, ke - ks));
    const vnx_lex_entry *k = ke > ks ? vnx_lexicon_find(ex->kinds, m + ks, ke - ks) : NULL;
    const char *kname = !k ? NULL : (party && k->ncol > 1) ? k->col[1] : k->ncol > 0 ? k->col[0] : NULL;
    cJSON_AddItemToObject(v, "kind_name", kname ? cJSON_CreateString(kname) : cJSON_CreateNull());
    /* the issuer as written, but for spaces ("QH 14" is QH14) */
    vnx_buf iss = {0};
    vnx_buf_adds(&iss, "");
    for (size_t i = ss; i < se; i++)
        if (m[i] != ' ') vnx_buf_addc(&iss, m[i]);
    cJSON_AddItemToObject(v, "issuer", str_or_null(iss.p, iss.len));
    cJSON_AddItemToObject(v, "issuer_name", issuer_name(ex->issuers, iss.p, iss.len));
    vnx_buf_free(&iss);

    /* the issue date written right after it */
    int dd = vnx_date_component(c, G_DD), dm = vnx_date_component(c, G_DM), dy = vnx_date_component(c, G_DY);
    char date[32];
    size_t ds, de;
    int has_date = vnx_group(c, G_DT, &ds, &de) && vnx_iso_date(date, sizeof date, dy, dm, dd) && dm > 0;
    cJSON_AddItemToObject(v, "date", has_date ? cJSON_CreateString(date) : cJSON_CreateNull());
    vnx_emit(c, VNX_RESOLUTION, is, ie, v, NULL);
    if (has_date) vnx_emit_date(c, ds, de, date);
    return has_date ? 2 : 1;
}

const vnx_normalizer vnx_identifier_normalizers[] = {
    {"resolution", norm_resolution},
    {NULL, NULL},
};
