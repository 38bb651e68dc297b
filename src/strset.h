/* strset.h: a set of strings, for linear-time de-duplication (an
 * article's vendors and tags) and for counting distinct terms: open
 * addressing over 32-bit offsets into one buffer of NUL-terminated copies,
 * so it holds at most a few hundred MB of keys. Zeroed (NS_STRSET_INIT) it
 * is empty; ns_strset_free releases it. Functions that can fail return 0 or
 * NS_ENOMEM and leave the set as it was. */
#ifndef NS_STRSET_H
#define NS_STRSET_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ns_strset {
    uint32_t *slot;  /* key offset + 1; 0 is empty */
    size_t cap, n;   /* cap: a power of two, or 0 */
    ns_buf keys;
} ns_strset;

#define NS_STRSET_INIT { .slot = NULL, .cap = 0, .n = 0, .keys = NS_BUF_INIT }

/* Add a copy of s[0..len) (no NUL inside) unless it is there; *added says
 * which. */
int ns_strset_add(ns_strset *set, const char *s, size_t len, int *added);

/* Free the set's memory and leave it empty. */
void ns_strset_free(ns_strset *set);

/* Append a copy of s[0..len) to the string list (*list, *n) (see list.h)
 * unless the set seen, which holds the list's strings, has it. */
int ns_strs_add_new(char ***list, size_t *n, ns_strset *seen, const char *s, size_t len);

#endif
