/* stemmer.h: Snowball stemming by script (English for Latin letters,
 * Russian for Cyrillic), behind a cache of recent words.
 *
 * Stemming is most of the analyser's work on prose, and prose repeats its
 * words: a direct-mapped cache of recent (script, word) -> stem pairs more
 * than halves the time. A stemmer belongs to one thread (one per analyzer). */
#ifndef NS_STEMMER_H
#define NS_STEMMER_H

#include <stddef.h>
#include <stdint.h>

typedef struct ns_stemmer ns_stemmer;

/* Create the English and Russian stemmers and a small cache. 0 or NS_ENOMEM
 * (out of memory, or Snowball could not make a stemmer). Free with
 * ns_stemmer_free. */
int ns_stemmer_new(ns_stemmer **out);
void ns_stemmer_free(ns_stemmer *st); /* NULL is a no-op */

/* Stem the folded word w[0..n) of script (NS_SCRIPT_*, charclass.h); h is
 * ns_stopwords_hash(w, n), which the caller has already computed. *out is
 * the stem (not NUL-terminated, *out_len bytes), borrowed from the stemmer
 * until its next call, never pointing into w; NULL when the script has no
 * stemmer (digits, Greek, CJK, ...: the word is its own term). 0 or
 * NS_ENOMEM. */
int ns_stemmer_stem(ns_stemmer *st, unsigned script, const char *w, size_t n, uint32_t h,
                    const char **out, size_t *out_len);

#endif
