/* Lexicons (lexicon.c): the word lists of patterns/lexicons (NAME.tsv), looked up by word. */
#ifndef VNX_LEXICON_H
#define VNX_LEXICON_H

#include <stddef.h>

typedef struct {
    char *key;        /* lower-cased first column */
    char *word;       /* first column as written */
    char **col;       /* the other columns */
    int ncol;
} vnx_lex_entry;

typedef struct {
    char *name;       /* file name without .tsv */
    vnx_lex_entry *e;
    size_t n;
    size_t *slot;     /* open-addressing hash of keys: index + 1, 0 empty */
    size_t nslot;
} vnx_lexicon;

/* Loads DIR/NAME.tsv; on error writes "FILE:LINE: ..." into err and returns -1. */
int vnx_lexicon_load(vnx_lexicon *lx, const char *path, const char *name, char *err, size_t errlen);
void vnx_lexicon_free(vnx_lexicon *lx);
/* The last words of src's entries, once each, as a lexicon of their own; and the most words
 * an entry of src has. */
void vnx_lexicon_last_words(const vnx_lexicon *src, vnx_lexicon *dst, size_t *max_words);
/* Entry whose key equals the lower-cased s[0..n), or NULL. */
const vnx_lex_entry *vnx_lexicon_find(const vnx_lexicon *lx, const char *s, size_t n);
/* A regex that matches what the alternation of all words, longest first, spaces as \s+,
 * matches, in the same order: with shared prefixes factored out ("k(?:m(?:2)?|g)"). as_written:
 * the words as the lexicon writes them, for a case-sensitive context, "(?-i:{@kinds})";
 * otherwise in lower case inside "(?i:...)", so that case variants ("MW", "mW") are one
 * branch. Malloc'd. */
char *vnx_lexicon_regex(const vnx_lexicon *lx, int as_written);

#endif
