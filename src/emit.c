/* Stage 7, emit: one JSON object per document (SPEC.md section 2), through cJSON.
 * Keys come in a fixed order (id, date, entities, error) so that output is byte-identical
 * from run to run. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void add_json_string(vnx_buf *b, const char *s)
{
    cJSON *item = cJSON_CreateStringReference(s);
    char *p = cJSON_PrintUnformatted(item);
    vnx_buf_adds(b, p);
    free(p);
    cJSON_Delete(item);
}

char *vnx_result_json(const vnx_result *r)
{
    vnx_buf b = {0};
    vnx_buf_adds(&b, "{\"id\":");
    add_json_string(&b, r->id ? r->id : "");
    vnx_buf_adds(&b, ",\"date\":");
    if (r->date) add_json_string(&b, r->date);
    else vnx_buf_adds(&b, "null");
    vnx_buf_adds(&b, ",\"entities\":[");
    for (size_t i = 0; i < r->n; i++) {
        if (i) vnx_buf_addc(&b, ',');
        char *p = cJSON_PrintUnformatted(r->e[i].obj);
        vnx_buf_adds(&b, p);
        free(p);
    }
    vnx_buf_addc(&b, ']');
    if (r->error) {
        vnx_buf_adds(&b, ",\"error\":");
        add_json_string(&b, r->error);
    }
    vnx_buf_addc(&b, '}');
    return b.p;
}
