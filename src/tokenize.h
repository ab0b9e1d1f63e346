/* Stage 3b, tokenization (tokenize.c): whether a match starts and ends on word boundaries. */
#ifndef VNX_TOKENIZE_H
#define VNX_TOKENIZE_H

#include <stddef.h>

typedef struct vnx_tokenizer vnx_tokenizer;
vnx_tokenizer *vnx_tokenizer_new(void);               /* the shared prototype */
vnx_tokenizer *vnx_tokenizer_clone(const vnx_tokenizer *proto);
void vnx_tokenizer_free(vnx_tokenizer *t);
void vnx_tokenizer_set_text(vnx_tokenizer *t, const char *text, size_t len);
/* Whether [s, e) may be an entity: it starts and ends on word boundaries, or is glued only to
 * an ordinary lower-case word ("đạt12 tỷ", "25học sinh"), never to a code or name ("COVID-19",
 * "U23", "5G"). */
int vnx_span_ok(vnx_tokenizer *t, const char *text, size_t len, size_t s, size_t e);

#endif
