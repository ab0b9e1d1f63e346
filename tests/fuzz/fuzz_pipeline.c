/* The whole pipeline on arbitrary bytes: a record that parses, spans in order, in range,
 * never overlapping. */
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vnx_document d = {0};
    d.id = "fuzz";
    d.text = (const char *)data;
    d.len = size;
    d.date_prefix = 1;
    d.html = size & 1;
    vnx_result *r = vnx_extract(fuzz_extractor(), &d);
    vnx_buf b = {0};
    vnx_decode((const char *)data, size, &b);
    size_t ncp = 0, i = 0;
    while (i < b.len) { vnx_next_cp(b.p, b.len, &i); ncp++; }
    size_t last = 0;
    for (size_t k = 0; k < vnx_result_count(r); k++) {
        size_t s = vnx_entity_start(r, k), e = vnx_entity_end(r, k);
        REQUIRE(s < e && e <= ncp && s >= last);
        last = e;
    }
    char *json = vnx_result_json(r);
    cJSON *j = cJSON_Parse(json);
    REQUIRE(j);
    cJSON_Delete(j);
    free(json);
    vnx_result_free(r);
    vnx_buf_free(&b);
    return 0;
}
