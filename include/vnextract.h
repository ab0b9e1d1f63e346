/*
 * vnextract: numbers, percentages, dates and official document identifiers
 * from Vietnamese text, as JSON records.
 *
 * The library has three handles, used in this order:
 *
 *   vnx_reader    turns files, directories, JSON Lines, .gz and stdin into documents;
 *   vnx_extractor holds the compiled pattern rules and lexicons of a patterns directory;
 *   vnx_result    the entities of one document, to iterate or to serialize as one JSON line.
 *
 * Thread safety: a vnx_extractor is immutable once created; any number of threads may call
 * vnx_extract() on the same extractor at once. Results and readers belong to one thread.
 *
 * Offsets: entity spans count Unicode code points of the decoded document text, end
 * exclusive, as in the contract (SPEC.md section 2). Malformed UTF-8 is decoded as one
 * U+FFFD per invalid byte, and offsets count those code points.
 */
#ifndef VNEXTRACT_H
#define VNEXTRACT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VNX_VERSION "0.1.0"

const char *vnx_version(void);

/* ---- extractor ------------------------------------------------------------------------ */

typedef struct vnx_extractor vnx_extractor;

/* Loads every *.rules file and the lexicons of patterns_dir and compiles the rules.
 * On failure returns NULL and writes "FILE:LINE: what is wrong" into err. */
vnx_extractor *vnx_extractor_new(const char *patterns_dir, char *err, size_t errlen);
void vnx_extractor_free(vnx_extractor *ex);

/* Number of rules loaded. */
size_t vnx_extractor_rule_count(const vnx_extractor *ex);

/* What each rule costs, for whoever writes or tunes rules: once vnx_extractor_profile(ex, 1)
 * is called (before extracting), every vnx_extract counts for each rule the PCRE2 searches
 * it ran, the matches they found and the time they took (a clock read around each search:
 * a little slower). vnx_extractor_rule_profile gives rule i's name, where it is written and
 * its counts so far, summed over threads; it returns 0 for i past the last rule. */
typedef struct vnx_rule_profile {
    const char *name;
    const char *file;
    int line;
    unsigned long long searches, matches, nanoseconds;
} vnx_rule_profile;
void vnx_extractor_profile(vnx_extractor *ex, int on);
int vnx_extractor_rule_profile(const vnx_extractor *ex, size_t i, vnx_rule_profile *out);
/* Where the time of extraction went, stage by stage in pipeline order, summed over threads
 * once profiling is on: decoding, normalizing, the trigger scan, regions, the rule searches
 * (the sum of the rules' nanoseconds), match checks and values (the rules' normalizers),
 * overlaps and entities. Stage i's name and nanoseconds; returns 0 for i past the last. What
 * a program does around vnx_extract (reading input, writing records) is in none of them. */
typedef struct vnx_stage_profile {
    const char *name;
    unsigned long long nanoseconds;
} vnx_stage_profile;
int vnx_extractor_stage_profile(const vnx_extractor *ex, size_t i, vnx_stage_profile *out);

/* Runs every example and reject line of every rule (the rules' own tests). Writes one line
 * per failure to report ("FILE:LINE: ...") and returns the number of failures; *checked
 * receives the number of examples run. */
int vnx_extractor_check_examples(const vnx_extractor *ex, FILE *report, size_t *checked);

/* ---- documents -------------------------------------------------------------------------- */

/* The largest document vnx_extract() processes (offsets inside are 32-bit); a larger one
 * gets a result carrying an error. */
#define VNX_DOC_BYTES_MAX ((size_t)1 << 30)

typedef struct vnx_document {
    const char *id;       /* document id (path, JSON id field, PATH:LINE) */
    const char *text;     /* raw text bytes (not yet decoded) */
    size_t len;
    const char *date;     /* document date "YYYY[-MM[-DD]]" (a timestamp "2021-04-30T08:15:00+07:00"
                             or "2021-04-30 08:15:00" counts as its date part) or NULL; relative
                             dates ("hôm qua") are resolved against it. Anything else is not
                             copied: the record's date is null and the result has a warning */
    int date_prefix;      /* a leading "date YYYY[-MM[-DD]]" is metadata, not text to search;
                             it becomes the record's date unless date is set */
    const char *error;    /* set when the document could not be read: it still gets a record */
    const char *where;    /* "FILE" or "FILE:LINE", for messages */
    const char *encoding; /* of text: NULL or "utf-8" (UTF-16 with a BOM is recognized),
                             "windows-1258", "tcvn3", "vni", or "auto" (see README) */
    int html;             /* text is HTML: tags read as spaces (entities are always decoded) */
    const char *default_date;  /* the document date when neither date nor a text prefix gives
                                  one (the CLI's --date), or NULL */
    const char *keep;     /* JSON members copied into the record after "date", as written
                             ("\"url\":\"...\",\"title\":\"...\""; the reader's keep
                             option), or NULL */
} vnx_document;

/* Whether s is a document date that vnx_document.date and default_date take: "YYYY",
 * "YYYY-MM", "YYYY-MM-DD" (a real date, years 1 to 9999), or a timestamp whose date part is
 * one ("2021-04-30T08:15:00+07:00", "2021-04-30 08:15:00"). */
int vnx_date_check(const char *s);

/* Whether vnx_document.encoding may name this encoding: "utf-8", "auto", the table
 * encodings of the patterns ("tcvn3", "vni"), or an ICU converter ("windows-1258"). */
int vnx_encoding_supported(const vnx_extractor *ex, const char *name);

/* ---- results ---------------------------------------------------------------------------- */

typedef struct vnx_result vnx_result;

/* Extracts the entities of doc. Never returns NULL (allocation failure aborts); a document
 * that could not be processed gets a result carrying an error and no entities. */
vnx_result *vnx_extract(const vnx_extractor *ex, const vnx_document *doc);
void vnx_result_free(vnx_result *r);

size_t vnx_result_count(const vnx_result *r);
/* Entity i: type ("number", "percent", "date", "resolution", "time"), span in code points,
 * text (UTF-8), and the whole entity as a JSON object (SPEC.md section 2). */
const char *vnx_entity_type(const vnx_result *r, size_t i);
size_t vnx_entity_start(const vnx_result *r, size_t i);
size_t vnx_entity_end(const vnx_result *r, size_t i);
const char *vnx_entity_text(const vnx_result *r, size_t i);
/* Malloc'd JSON text of the entity's value; free with vnx_free. */
char *vnx_entity_value_json(const vnx_result *r, size_t i);
/* A field of the entity as a table cell shows it, malloc'd (free with vnx_free), or NULL when
 * it has none: "value" (a number as JSON writes it, a date as its text, a resolution's id),
 * "value.kind" and the like (a resolution's parts), or any other field ("unit", "of",
 * "relative": "true", "offset", "resolved"). */
char *vnx_entity_field_text(const vnx_result *r, size_t i, const char *field);
/* A string field of the entity ("unit", "qualifier", "mod", "resolved"), or NULL. */
const char *vnx_entity_string(const vnx_result *r, size_t i, const char *field);
/* The error of the document, or NULL. */
const char *vnx_result_error(const vnx_result *r);
/* A problem that did not stop the document (its date is not a date), or NULL. */
const char *vnx_result_warning(const vnx_result *r);
/* What the text was read as: "utf-8", "utf-16le", "windows-1258"...; for the encoding
 * "auto", the one it chose. */
const char *vnx_result_encoding(const vnx_result *r);
/* Bytes of the document that were not valid in its encoding (each became one U+FFFD). */
size_t vnx_result_invalid_bytes(const vnx_result *r);

/* The record of the document: one JSON object, no newline. Malloc'd; free with vnx_free. */
char *vnx_result_json(const vnx_result *r);
void vnx_free(void *p);

/* A batch: the record of each of docs[0..n), as vnx_result_json writes it, in json[i] (free
 * each with vnx_free). threads > 1 spreads the documents over that many threads, made for the
 * call; 0 or 1 works in the calling thread. ready, when not NULL, counts during the call the
 * leading documents whose records are in json: another thread may take json[0 .. *ready)
 * while the call goes on (read *ready with an atomic load, acquire). For bindings: one call
 * for many documents, during which a foreign-function layer that lets other threads run
 * (Python's ctypes releases the GIL) can turn the first records into its own objects. */
void vnx_extract_json_many(const vnx_extractor *ex, const vnx_document *docs, size_t n, unsigned threads,
                           char **json, size_t *ready);
/* The same, while the caller still fills in docs: the call reads docs[k] only once *supplied
 * is above k, and its threads wait for it to grow; the caller writes docs[k] and then moves
 * *supplied past it with vnx_supply (it must reach n, or the call never returns). So a
 * binding that must first convert its texts (Python encodes str to UTF-8) converts them
 * while the first ones are extracted. */
void vnx_extract_json_supplied(const vnx_extractor *ex, const vnx_document *docs, size_t n, unsigned threads,
                               char **json, size_t *ready, const size_t *supplied);
/* *supplied = k, as vnx_extract_json_supplied reads it (an atomic store, release). */
void vnx_supply(size_t *supplied, size_t k);

/* ---- reader ----------------------------------------------------------------------------- */

typedef enum { VNX_FORMAT_AUTO = 0, VNX_FORMAT_TEXT, VNX_FORMAT_JSONL } vnx_format;

typedef struct vnx_reader_options {
    vnx_format format;        /* AUTO: by file name (.jsonl, .ndjson, with or without .gz) */
    const char *text_field;   /* default "text" */
    const char *id_field;     /* default "id" */
    const char *date_field;   /* default "date" */
    size_t max_doc_bytes;     /* larger documents get an error record; 0 or more than
                                 VNX_DOC_BYTES_MAX (1 GiB): that */
    /* Walking directories, as ripgrep does: hidden files and directories (".git") are
     * skipped unless hidden is set, and so are binary files (a NUL in their first 8 KB,
     * UTF-16 with a BOM aside; vnx_reader_skipped counts them). globs: shell patterns
     * ("*.txt"; with a '/', against the path below the directory), "!" first to exclude; a
     * file is read when it matches an include (or there is none) and no exclude. Paths given
     * by name are always read. */
    int hidden;
    const char *const *globs;
    size_t nglobs;
    /* JSON Lines fields copied into each document's record (vnx_document.keep), those the
     * line has: pipelines join on them ("url", "title"). */
    const char *const *keep;
    size_t nkeep;
} vnx_reader_options;

typedef struct vnx_reader vnx_reader;

/* paths: files, directories or "-" (stdin); n == 0 means stdin. */
vnx_reader *vnx_reader_open(const char *const *paths, size_t n, const vnx_reader_options *opt);
/* Fills doc with the next document and returns 1; 0 at the end. doc stays valid until the
 * next call. A document that could not be read has doc->error set. Problems that are not
 * documents (an unreadable directory entry) are counted and reported through messages. */
int vnx_reader_next(vnx_reader *rd, vnx_document *doc);
/* The text of the document the last vnx_reader_next gave (doc->len bytes and a NUL), handed
 * over: the caller owns it and frees it with vnx_free, and doc->text stays valid until the
 * next call. Saves a copy of every document for a caller that keeps the text. NULL when the
 * document has no text (an error document), or when it was taken already. */
char *vnx_reader_take_text(vnx_reader *rd);
/* Binary files that a directory walk skipped so far. */
unsigned long long vnx_reader_skipped(const vnx_reader *rd);
/* Bytes of text read so far (after decompression). */
unsigned long long vnx_reader_bytes(const vnx_reader *rd);
/* Progress through the input files as stored (compressed bytes for .gz): bytes done, and the
 * total, or 0 when it is not known (standard input, directories). */
void vnx_reader_progress(const vnx_reader *rd, unsigned long long *done, unsigned long long *total);
void vnx_reader_free(vnx_reader *rd);

#ifdef __cplusplus
}
#endif
#endif
