/* Stage 7, emit: one JSON object per document (SPEC.md section 2).
 * Keys come in a fixed order (id, date, entities, error) so that output is byte-identical
 * from run to run. The entity trees are cJSON's; they are written here straight into one
 * buffer, byte for byte as cJSON_PrintUnformatted writes them, without its allocation per
 * call and its sscanf per number (a third of the time of writing a record). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "rules.h"
#include "util.h"
#include "vnextract.h"

/* A count or offset: digits by hand. */
static void put_size(vnx_buf *b, size_t u)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    vnx_buf_add(b, p, (size_t)(e - p));
}

/* A number as cJSON prints it: an integer when it is one (in the range where %1.15g would
 * print the same digits), otherwise 15 significant digits, or 17 when 15 lose the value. */
static void put_number(vnx_buf *b, double d)
{
    char tmp[40];
    int n;
    if (isnan(d) || isinf(d)) {
        n = snprintf(tmp, sizeof tmp, "null");
    } else if (d == floor(d) && fabs(d) < 1e15) {   /* digits by hand: most values */
        if (signbit(d)) vnx_buf_add(b, "-", 1);
        put_size(b, (size_t)fabs(d));
        return;
    } else {
        n = snprintf(tmp, sizeof tmp, "%1.15g", d);
        double test = strtod(tmp, NULL);
        double max = fabs(test) > fabs(d) ? fabs(test) : fabs(d);
        if (!(fabs(test - d) <= max * DBL_EPSILON)) n = snprintf(tmp, sizeof tmp, "%1.17g", d);
    }
    vnx_buf_add(b, tmp, (size_t)n);
}

static void put_value(vnx_buf *b, const cJSON *v);

/* ,"key":value (without the comma for the first member of an object) */
static void put_member(vnx_buf *b, int first, const char *key, const cJSON *v)
{
    if (!first) vnx_buf_add(b, ",", 1);
    vnx_buf_add_json_string(b, key);
    vnx_buf_add(b, ":", 1);
    put_value(b, v);
}

static void put_value(vnx_buf *b, const cJSON *v)
{
    if (cJSON_IsString(v)) vnx_buf_add_json_string(b, v->valuestring);
    else if (cJSON_IsNumber(v)) put_number(b, v->valuedouble);
    else if (cJSON_IsTrue(v)) vnx_buf_add(b, "true", 4);
    else if (cJSON_IsFalse(v)) vnx_buf_add(b, "false", 5);
    else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        int obj = cJSON_IsObject(v);
        vnx_buf_add(b, obj ? "{" : "[", 1);
        for (const cJSON *c = v->child; c; c = c->next) {
            if (obj) {
                put_member(b, c == v->child, c->string ? c->string : "", c);
                continue;
            }
            if (c != v->child) vnx_buf_add(b, ",", 1);
            put_value(b, c);
        }
        vnx_buf_add(b, obj ? "}" : "]", 1);
    } else vnx_buf_add(b, "null", 4);
}

char *vnx_json_print(const cJSON *v)
{
    vnx_buf b = {0};
    put_value(&b, v);
    return b.p;
}

static void put_entity_value(vnx_buf *b, const struct res_ent *e)
{
    if (e->value) put_value(b, e->value);
    else put_number(b, e->num);
}

char *vnx_value_print(const vnx_result *r, size_t i)
{
    vnx_buf b = {0};
    put_entity_value(&b, &r->e[i]);
    return b.p;
}

/* A scalar as a table cell shows it: a string without quotes, a number as JSON writes it,
 * true as "true"; NULL for null, an absent field or an object. */
static char *scalar_text(const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsObject(v) || cJSON_IsArray(v)) return NULL;
    if (cJSON_IsString(v)) return vnx_xstrdup(v->valuestring);
    if (cJSON_IsBool(v)) return vnx_xstrdup(cJSON_IsTrue(v) ? "true" : "false");
    vnx_buf b = {0};
    put_value(&b, v);
    return b.p;
}

char *vnx_entity_field_text(const vnx_result *r, size_t i, const char *field)
{
    const struct res_ent *e = &r->e[i];
    if (!strcmp(field, "value")) {
        if (!e->value) return vnx_value_print(r, i);   /* a number */
        if (cJSON_IsObject(e->value)) return scalar_text(cJSON_GetObjectItemCaseSensitive(e->value, "id"));
        return scalar_text(e->value);
    }
    if (!strncmp(field, "value.", 6))
        return cJSON_IsObject(e->value) ? scalar_text(cJSON_GetObjectItemCaseSensitive(e->value, field + 6)) : NULL;
    if (!strcmp(field, "qualifier")) {
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(e->extra, "qualifier");
        if (q) return scalar_text(q);
        return vnx_res_qualifier(r, i) ? vnx_xstrdup(vnx_res_qualifier(r, i)) : NULL;
    }
    return scalar_text(cJSON_GetObjectItemCaseSensitive(e->extra, field));
}

/* An entity: {type, text, start, end, value, its further fields, qualifier}. */
static void put_entity(vnx_buf *b, const vnx_result *r, size_t i)
{
    const struct res_ent *e = &r->e[i];
    const char *qualifier = vnx_res_qualifier(r, i);
    vnx_buf_add(b, "{\"type\":", 8);
    vnx_buf_add_json_string(b, vnx_type_names[e->type]);
    vnx_buf_add(b, ",\"text\":", 8);
    vnx_buf_add_json_string(b, vnx_res_text(r, i));
    vnx_buf_add(b, ",\"start\":", 9);
    put_size(b, e->start);
    vnx_buf_add(b, ",\"end\":", 7);
    put_size(b, e->end);
    vnx_buf_add(b, ",\"value\":", 9);
    put_entity_value(b, e);
    for (const cJSON *x = e->extra ? e->extra->child : NULL; x; x = x->next)
        put_member(b, 0, x->string ? x->string : "", x);
    if (qualifier) {
        vnx_buf_add(b, ",\"qualifier\":", 13);
        vnx_buf_add_json_string(b, qualifier);
    }
    vnx_buf_add(b, "}", 1);
}

cJSON *vnx_result_entity_object(const vnx_result *r, size_t i)
{
    vnx_buf b = {0};
    put_entity(&b, r, i);
    cJSON *o = cJSON_ParseWithLength(b.p, b.len);
    vnx_buf_free(&b);
    return o;
}

char *vnx_result_json(const vnx_result *r)
{
    vnx_buf b = {0};
    vnx_buf_reserve(&b, 64 + r->n * 96);
    vnx_buf_add(&b, "{\"id\":", 6);
    vnx_buf_add_json_string(&b, r->id ? r->id : "");
    vnx_buf_add(&b, ",\"date\":", 8);
    if (r->date) vnx_buf_add_json_string(&b, r->date);
    else vnx_buf_add(&b, "null", 4);
    if (r->keep) {   /* the input line's fields the caller keeps: "url", "title" */
        vnx_buf_addc(&b, ',');
        vnx_buf_adds(&b, r->keep);
    }
    vnx_buf_add(&b, ",\"entities\":[", 13);
    for (size_t i = 0; i < r->n; i++) {
        if (i) vnx_buf_add(&b, ",", 1);
        put_entity(&b, r, i);
    }
    vnx_buf_add(&b, "]", 1);
    if (r->error) {
        vnx_buf_add(&b, ",\"error\":", 9);
        vnx_buf_add_json_string(&b, r->error);
    }
    vnx_buf_add(&b, "}", 1);
    return b.p;
}
