/* Shared by the fuzz targets: the bundled patterns, loaded once. */
#ifndef VNX_FUZZ_COMMON_H
#define VNX_FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include "../../src/extractor.h"
#include "../../src/normalize.h"
#include "../../src/result.h"
#include "../../src/util.h"
#include "../../src/values.h"

static inline vnx_extractor *fuzz_extractor(void)
{
    static vnx_extractor *ex;
    if (!ex) {
        char err[512];
        ex = vnx_extractor_new(VNX_FUZZ_PATTERNS, err, sizeof err);
        if (!ex) { fprintf(stderr, "%s\n", err); abort(); }
    }
    return ex;
}

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)
#endif
