/* Stage 2, match normalization (normalize.c): the text the rules run on, and the map
 * back to the original code points. */
#ifndef VNX_NORMALIZE_H
#define VNX_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

/* The text the rules run on: NFC, new-style tone marks, dash and space look-alikes folded,
 * invisible characters removed, and the original code points each of its bytes came from,
 * so that a match [s, e) maps back to the original code points [from(s), to(e - 1)).
 *
 * The map is a list of pieces, each from its byte to the next piece's: in an identity piece
 * the k-th code point is original code point from + k; any other piece (an HTML entity, a
 * normalized segment, a moved tone mark) came from [from, to) as a whole. A long document
 * with one rewritten character has three pieces. When every change kept one code point one
 * code point (nearly always), there is no list (NULL): code point k of the text is code
 * point k of the original. */
#define VNX_PIECE_IDENTITY 0x80000000u   /* in to: an identity piece (code points < 2^31) */
typedef struct {
    size_t byte;       /* where it starts in the text */
    uint32_t from;     /* the original code point of its first byte */
    uint32_t to;       /* the end of its original code points, with VNX_PIECE_IDENTITY */
} vnx_piece;

typedef struct {
    char *text;
    size_t len;
    vnx_piece *piece;   /* in rising order of byte, the first at 0; NULL: the identity */
    size_t npiece;
} vnx_mtext;

/* The byte n code points after byte i of the valid UTF-8 p[0..len) (len if fewer are left). */
size_t vnx_cp_skip(const char *p, size_t len, size_t i, size_t n);

/* Maps match-text byte spans to original code point spans; cheapest when asked in rising
 * order (it counts code points from where it was last asked, within one piece). */
typedef struct { size_t piece, byte, cp; } vnx_cp_cursor;
void vnx_mtext_span(const vnx_mtext *m, vnx_cp_cursor *c, size_t s, size_t e, size_t *cs, size_t *ce);

/* html: tags read as a space (entities are always decoded). */
void vnx_normalize(const char *utf8, size_t len, int html, vnx_mtext *out);
void vnx_mtext_free(vnx_mtext *m);

#endif
