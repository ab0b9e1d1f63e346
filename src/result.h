/* Stage 6, results (extract.c builds them, emit.c writes them): a document's entities with
 * their spans in original code points, and the JSON record. */
#ifndef VNX_RESULT_H
#define VNX_RESULT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "vnextract.h"

struct vnx_result {
    size_t invalid;   /* bytes that could not be decoded (each became U+FFFD) */
    char *id;
    char *date;
    char *error;
    char *warning;    /* a problem that did not stop the document (a document date that is not one) */
    char *keep;       /* JSON members of the input line copied after "date", or NULL */
    char *encoding;   /* what the text was read as, when not plain UTF-8 ("auto" says which) */
    size_t n;
    struct res_ent {   /* written as {type, text, start, end, value, extra..., qualifier} */
        int type;
        size_t start, end;
        size_t text;             /* its offset in strings */
        cJSON *value;            /* owned; NULL: the number num */
        double num;
        cJSON *extra;            /* owned: an object of further fields, or NULL */
        size_t qualifier;        /* its offset in strings plus one, or 0: none */
    } *e;
    char *strings;    /* the entities' texts and qualifiers, NUL-terminated: one allocation */
};

/* Entity i's text and qualifier (NULL: none). */
static inline const char *vnx_res_text(const vnx_result *r, size_t i) { return r->strings + r->e[i].text; }
static inline const char *vnx_res_qualifier(const vnx_result *r, size_t i)
{
    return r->e[i].qualifier ? r->strings + r->e[i].qualifier - 1 : NULL;
}

/* A cJSON value written as cJSON_PrintUnformatted writes it (emit.c); malloc'd. */
char *vnx_json_print(const cJSON *v);
/* Entity i's value, the same way; malloc'd. */
char *vnx_value_print(const vnx_result *r, size_t i);

/* vnx_extract with the prefilter on or off (extract.c). */
vnx_result *vnx_extract_mode(const vnx_extractor *ex, const vnx_document *doc, int prefilter);
/* Entity i of a result as a new cJSON object, as it is written (emit.c), for the examples
 * checker. */
cJSON *vnx_result_entity_object(const vnx_result *r, size_t i);

#endif
