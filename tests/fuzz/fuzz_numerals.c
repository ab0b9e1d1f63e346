/* The numeral readers: spelled-out numbers, years in words, digits, Roman numerals. */
#include <math.h>
#include <string.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vnx_extractor *ex = fuzz_extractor();
    vnx_buf b = {0};
    vnx_decode((const char *)data, size, &b);
    char *low = vnx_lower(b.p, b.len);
    double v;
    if (vnx_parse_spelled(ex->numerals, low, strlen(low), &v)) REQUIRE(!isnan(v));
    int y = vnx_parse_year_words(ex->numerals, low, strlen(low));
    REQUIRE(y == 0 || (y >= 1000 && y <= 2199));
    if (vnx_parse_digits(b.p, b.len, &v)) REQUIRE(!isnan(v) && v >= 0);
    int r = vnx_parse_roman(b.p, b.len);
    REQUIRE(r >= 0 && r < 4000);
    free(low);
    vnx_buf_free(&b);
    return 0;
}
