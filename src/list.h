/* list.h: growable arrays of pointers and lists of malloc'd strings, the
 * two shapes of list the modules keep (files found, records, warnings,
 * vendor names, highlight terms).
 *
 * A list is a pointer to its array plus a count (and, for ns_ptrs_push, a
 * capacity), all zero when empty; the caller owns the array. Every function
 * that can fail returns 0 or NS_ENOMEM and then leaves the list as it was. */
#ifndef NS_LIST_H
#define NS_LIST_H

#include <stddef.h>

/* Make room for one more element of elsize bytes in the array *arrp (a T **
 * for any object type T, passed as &array) that holds n of them with room
 * for *cap: when full, its room doubles (from first). The growable arrays of
 * structs the modules keep each end their push with this. */
int ns_array_room(void *arrp, size_t n, size_t *cap, size_t elsize, size_t first);

/* Append item to the array *arrp (a T ** for any object type T, passed as
 * &array) of *n pointers with room for *cap, doubling it (from 256) when
 * full. The items are not owned. */
int ns_ptrs_push(void *arrp, size_t *n, size_t *cap, void *item);

/* Append a malloc'd copy of s[0..len) (NUL-terminated) to the string list
 * (*list, *n). */
int ns_strs_add(char ***list, size_t *n, const char *s, size_t len);

/* Index of the string of bytes s[0..len) in list[0..n), or -1. */
long ns_strs_find(char *const *list, size_t n, const char *s, size_t len);

/* Free every string of list[0..n) and the array. NULL is a no-op. */
void ns_strs_free(char **list, size_t n);

#endif
