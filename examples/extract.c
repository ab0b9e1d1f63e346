/* A minimal program over the installed library: extracts the entities of a sentence and
 * prints them, then the record.
 *   cc extract.c $(pkg-config --cflags --libs vnextract) -o extract
 *   ./extract [PATTERNS_DIR] */
#include <stdio.h>
#include <string.h>
#include <vnextract.h>

#ifndef PATTERNS_DIR
#define PATTERNS_DIR "/usr/local/share/vnextract/patterns"
#endif

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : PATTERNS_DIR;
    char err[512];
    vnx_extractor *ex = vnx_extractor_new(dir, err, sizeof err);
    if (!ex) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    const char *text = "Nghị quyết số 18-NQ/TW ngày 25/10/2017 đạt 112,5% kế hoạch, thu 3.633 tỷ đồng.";
    vnx_document doc = {0};
    doc.id = "example";
    doc.text = text;
    doc.len = strlen(text);
    vnx_result *r = vnx_extract(ex, &doc);
    for (size_t i = 0; i < vnx_result_count(r); i++) {
        char *v = vnx_entity_value_json(r, i);
        printf("%-10s %3zu-%-3zu %-12s %s\n", vnx_entity_type(r, i), vnx_entity_start(r, i),
               vnx_entity_end(r, i), vnx_entity_text(r, i), v);
        vnx_free(v);
    }
    char *json = vnx_result_json(r);
    puts(json);
    vnx_free(json);
    int n = (int)vnx_result_count(r);
    vnx_result_free(r);
    vnx_extractor_free(ex);
    return n > 0 ? 0 : 1;
}
