/* sdict.h: the suggestion dictionary, a deletion index over the index's own
 * words for spelling suggestions that cost well under a millisecond.
 *
 * Why: Xapian 1.4's spelling lookup (trigrams of bytes) takes 15-100 ms for a
 * Russian word at 100k articles, since Cyrillic's two-byte letters make the
 * byte trigrams unselective. This is a SymSpell-like table instead: every
 * word of the spelling table (the most frequent NS_SDICT_MAX_WORDS of them)
 * is filed under itself and each string made by deleting one of its code
 * points; a lookup files the misspelled word's own deletions (up to two)
 * into the same buckets and reads only those buckets. Candidates are then
 * checked with the true edit distance (optimal string alignment on code
 * points: insertions, deletions, substitutions, adjacent transpositions).
 * A word is found within one edit always; within two when at most one of
 * the edits removed a letter from the intended word or changed one (two
 * letters typed in excess, one in excess and one changed, a transposition
 * and more), which is where the table stays at one entry per letter.
 *
 * Layout (metadata of the database; src/schema.h names the keys):
 *   NS_META_SDICT          "NSSD" version(1) nbuckets nwords  (varints)
 *   NS_META_SDICT_BUCKET + 8 hex digits of the bucket number:
 *                          {freq len bytes}* : the words filed there, each
 *                          once, with its spelling frequency (varints)
 * A bucket number is the FNV-1a hash of the UTF-8 bytes of a word or
 * deletion, modulo nbuckets. Buckets with no word have no entry.
 *
 * nindex writes the table when a run has changed documents (a stale table
 * costs suggestions, never results: every suggestion is checked against the
 * index before it is offered). Anything unexpected in it makes a lookup
 * find nothing, never fail. */
#ifndef NS_SDICT_H
#define NS_SDICT_H

#include "err.h"
#include "xapian_shim.h"

#include <stddef.h>

#define NS_SDICT_VERSION 1
#define NS_SDICT_MAX_WORDS 300000  /* most frequent words kept */
#define NS_SDICT_MAX_CHARS 32      /* longer words are neither filed nor looked up */
#define NS_SDICT_PER_BUCKET 8      /* about this many entries per bucket */

/* Build the table from w's spelling table and write it (outside a
 * transaction; this commits). Replaces an earlier table, removing buckets
 * the new one no longer has. */
int ns_sdict_write(ns_xwdb *w, ns_err *err);

/* The best correction of word[0..len) (folded, valid UTF-8) within max_edits
 * (1 or 2) edits: the fewest edits first, then the most frequent word.
 * *out is malloc'd (the caller frees it), or NULL when there is none or the
 * word is itself in the table. Returns 1 when db has a table, 0 when it has
 * none (the caller may fall back to Xapian's lookup), < 0 on failure of the
 * database (a damaged table is not a failure: nothing is found). */
int ns_sdict_lookup(ns_xdb *db, const char *word, size_t len, unsigned max_edits, char **out,
                    ns_err *err);

/* Edit distance between code point arrays a and b (optimal string
 * alignment), or max + 1 when it is larger than max. Exposed for tests. */
unsigned ns_sdict_distance(const int *a, size_t na, const int *b, size_t nb, unsigned max);

#endif
