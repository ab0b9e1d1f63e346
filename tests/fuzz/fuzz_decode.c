/* Decoding and the offset map: any bytes give valid UTF-8 and a map that never goes back;
 * without a map, the match text has as many code points as the original. */
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const enc[] = {NULL, "auto", "windows-1258", "tcvn3", "vni"};
    vnx_extractor *ex = fuzz_extractor();
    vnx_buf b = {0};
    size_t bad = vnx_decode_as(ex->enc, ex->nenc, (const char *)data, size, enc[size % 5], &b);
    REQUIRE(bad != (size_t)-1);
    size_t i = 0, ncp = 0;
    while (i < b.len) { vnx_next_cp(b.p, b.len, &i); ncp++; }
    REQUIRE(i == b.len);
    vnx_mtext m;
    vnx_normalize(b.p, b.len, size & 1, &m);
    if (m.piece) {
        vnx_cp_cursor cur = {0, 0, 0};
        size_t last = 0;
        for (size_t k = 0; k < m.len; k++) {   /* each byte, in rising order as spans are asked */
            size_t from, to;
            vnx_mtext_span(&m, &cur, k, k + 1, &from, &to);
            REQUIRE(from < to && to <= ncp && from >= last);
            last = from;
        }
    } else {
        size_t j = 0, mcp = 0;
        while (j < m.len) { vnx_next_cp(m.text, m.len, &j); mcp++; }
        REQUIRE(mcp == ncp && m.len <= b.len);
    }
    if (m.len) {
        vnx_cp_cursor cur = {0, 0, 0};
        size_t cs, ce;
        vnx_mtext_span(&m, &cur, 0, m.len, &cs, &ce);
        REQUIRE(cs <= ce && ce <= ncp);   /* the first code points may be invisible ones, dropped */
    }
    vnx_mtext_free(&m);
    vnx_buf_free(&b);
    return 0;
}
