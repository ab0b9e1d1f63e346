/* The rules' own tests: every "example:" and "reject:" line of the pattern files is run
 * through the whole pipeline, so a rule author sees at once what a change broke. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "result.h"
#include "util.h"

static int same_json(const cJSON *want, const cJSON *got)
{
    if (cJSON_IsNumber(want) && cJSON_IsNumber(got)) {
        double a = want->valuedouble, b = got->valuedouble;
        return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
    }
    if (cJSON_IsObject(want) && cJSON_IsObject(got)) {
        /* every expected key must match; other keys of the entity are free */
        for (const cJSON *k = want->child; k; k = k->next) {
            const cJSON *g = cJSON_GetObjectItemCaseSensitive(got, k->string);
            if (cJSON_IsNull(k) ? g && !cJSON_IsNull(g) : !same_json(k, g)) return 0;   /* null: none */
        }
        return 1;
    }
    return cJSON_Compare(want, got, 1);
}

static void describe(const vnx_result *r, vnx_buf *b)
{
    if (!vnx_result_count(r)) { vnx_buf_adds(b, "nothing"); return; }
    for (size_t i = 0; i < vnx_result_count(r); i++) {
        if (i) vnx_buf_adds(b, ", ");
        cJSON *o = vnx_result_entity_object(r, i);
        char *p = cJSON_PrintUnformatted(o);
        vnx_buf_adds(b, p);
        free(p);
        cJSON_Delete(o);
    }
}

int vnx_extractor_check_examples(const vnx_extractor *ex, FILE *report, size_t *checked)
{
    int failures = 0;
    size_t n = 0;
    for (size_t i = 0; i < ex->rules.nrule; i++) {
        const vnx_rule *rule = &ex->rules.rule[i];
        for (size_t k = 0; k < rule->nex; k++) {
            const vnx_example *e = &rule->ex[k];
            const char *type = vnx_type_names[e->type];
            vnx_document doc = {0};
            doc.id = "example";
            doc.text = e->text;
            doc.len = strlen(e->text);
            doc.date = e->date;
            vnx_result *r = vnx_extract_mode(ex, &doc, 1);
            n++;
            /* the prefilter must not change anything: compare with a scan of the whole text */
            vnx_result *full = vnx_extract_mode(ex, &doc, 0);
            char *a = vnx_result_json(r), *b = vnx_result_json(full);
            if (strcmp(a, b) != 0) {
                failures++;
                fprintf(report, "%s:%d: rule %s: the prefilter changes the result of \"%s\" (a trigger word "
                        "missing from lexicons/triggers.tsv, or a wrong needs:)\n    with: %s\n    without: %s\n",
                        rule->file, e->line, rule->name, e->text, a, b);
            }
            free(a);
            free(b);
            vnx_result_free(full);
            int ok;
            const char *why = "";
            if (!e->span) {
                /* an ignore rule's entities never reach the result: its reject asks for none
                 * of any type (what it hides must stay hidden) */
                int any = e->type == VNX_IGNORE;
                ok = 1;
                for (size_t j = 0; j < vnx_result_count(r); j++)
                    if (any || strcmp(vnx_entity_type(r, j), type) == 0) ok = 0;
                why = any ? "expected no entity at all (the rule hides them)" : "expected no entity of this type";
            } else {
                cJSON *found = NULL;
                for (size_t j = 0; j < vnx_result_count(r) && !found; j++)
                    if (strcmp(vnx_entity_type(r, j), type) == 0 && strcmp(vnx_entity_text(r, j), e->span) == 0)
                        found = vnx_result_entity_object(r, j);
                ok = found && same_json(e->value, cJSON_GetObjectItemCaseSensitive(found, "value")) &&
                     (!e->extra || same_json(e->extra, found));
                why = !found ? "entity not found" : "wrong value or fields";
                cJSON_Delete(found);
            }
            if (!ok) {
                failures++;
                vnx_buf b = {0};
                describe(r, &b);
                char *want = e->span ? cJSON_PrintUnformatted(e->value) : NULL;
                fprintf(report, "%s:%d: rule %s: %s: \"%s\"", rule->file, e->line, rule->name, why, e->text);
                if (e->span) fprintf(report, " => %s \"%s\" %s", type, e->span, want);
                fprintf(report, "\n    got: %s\n", b.p);
                free(want);
                vnx_buf_free(&b);
            }
            vnx_result_free(r);
        }
    }
    if (checked) *checked = n;
    return failures;
}
