/* fold.h: the analyser's normalisation of one part of a word: NFKC, Unicode
 * case folding, ’ and ʼ -> ', ё -> е (so that "Ёлка" and "елка" match, and
 * "Straße" gives "strasse").
 *
 * ASCII and basic Cyrillic (almost all text) fold by a byte loop with the
 * very bytes utf8proc would give; anything else goes through utf8proc into
 * a caller-owned code point buffer. Nothing here keeps state. */
#ifndef NS_FOLD_H
#define NS_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* Fold u[0..n) (ASCII and basic Cyrillic only, whole characters) into
 * d[0..n): the same length, since each such character folds to one of the
 * same size. */
void ns_fold_fast(const unsigned char *u, size_t n, unsigned char *d);

/* Fold s[0..n) (valid UTF-8) into code points: *buf (malloc'd, *cap
 * elements, grown with realloc as needed and kept by the caller) receives
 * *count of them. ns_fold_encode then writes them as UTF-8. 0, NS_EUTF8
 * (utf8proc refused the text), NS_ENOMEM. */
int ns_fold_decompose(int32_t **buf, size_t *cap, const char *s, size_t n, size_t *count);

/* Write u[0..count) as UTF-8 into d (room for 4 * count bytes), ё as е;
 * returns the bytes written. */
size_t ns_fold_encode(const int32_t *u, size_t count, unsigned char *d);

#endif
