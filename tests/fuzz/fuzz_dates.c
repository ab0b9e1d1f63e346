/* The date rules and normalizer: arbitrary text after date words; every date value is a
 * well-formed partial ISO 8601 string. */
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const pre[] = {"ngày ", "tháng ", "năm ", "quý ", "từ ngày ", "cuối năm "};
    vnx_buf t = {0};
    vnx_buf_adds(&t, pre[size % 6]);
    vnx_buf_add(&t, data, size);
    vnx_document d = {0};
    d.id = "fuzz";
    d.text = t.p;
    d.len = t.len;
    d.date = size & 1 ? "2023-09" : NULL;
    vnx_result *r = vnx_extract(fuzz_extractor(), &d);
    for (size_t i = 0; i < vnx_result_count(r); i++) {
        if (strcmp(vnx_entity_type(r, i), "date") != 0) continue;
        char *v = vnx_entity_value_json(r, i);
        REQUIRE(v && v[0] == '"');
        for (char *p = v + 1; *p && *p != '"'; p++) REQUIRE(strchr("0123456789X-/QHW", *p));
        free(v);
    }
    vnx_result_free(r);
    vnx_buf_free(&t);
    return 0;
}
