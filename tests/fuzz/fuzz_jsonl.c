/* The JSON Lines reader: any bytes as a .jsonl file give documents or error documents, whose
 * ids and dates are valid UTF-8 (they go into records). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.jsonl", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) { close(fd); return 0; }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *paths[] = {path};
    vnx_reader_options opt = {VNX_FORMAT_JSONL, NULL, NULL, NULL, 4096};
    vnx_reader *rd = vnx_reader_open(paths, 1, &opt);
    vnx_document d;
    size_t n = 0;
    while (vnx_reader_next(rd, &d)) {
        REQUIRE(d.id && d.text);
        REQUIRE(d.error || d.len <= size);
        REQUIRE(vnx_is_utf8_text(d.id, strlen(d.id)));
        REQUIRE(!d.date || vnx_is_utf8_text(d.date, strlen(d.date)));
        if (++n > size + 1) abort();   /* never more documents than lines */
    }
    vnx_reader_free(rd);
    close(fd);
    return 0;
}
