/* hmap.h: a hash map from byte strings to pointers, chained.
 *
 * Keys are borrowed: the map stores the key pointer it was given, which must
 * stay valid (usually it points into the value) until the entry is deleted,
 * replaced or the map freed. Values are the caller's; the map never frees
 * them. An ns_hmap initialised with NS_HMAP_INIT (or zeroed) is empty and
 * allocates on its first ns_hmap_put. Not thread-safe: one writer, or
 * readers only.
 *
 * To visit every entry (in no particular order): for i in [0, m->nb), follow
 * m->b[i] through ->next. The map must not change meanwhile. */
#ifndef NS_HMAP_H
#define NS_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ns_hnode {
    const char *key;      /* borrowed */
    size_t klen;
    void *val;
    struct ns_hnode *next;
} ns_hnode;

typedef struct ns_hmap {
    ns_hnode **b;         /* nb chains */
    size_t nb, n;         /* chains, entries */
} ns_hmap;

#define NS_HMAP_INIT { .b = NULL, .nb = 0, .n = 0 }

/* The hash of s[0..len): 64-bit FNV-1a's steps from the offset basis
 * 1469598103934665603 (FNV's own, 14695981039346656037, lost its last
 * digit long ago; it hashes as well). Never to change: nindex gives files
 * and spelling words to shards by it, which fixes the order of documents in
 * a bulk-built database (tests/unit/test_hmap.c pins its values). */
uint64_t ns_hmap_hash(const char *s, size_t len);

/* The value of key, or NULL when absent. */
void *ns_hmap_get(ns_hmap *m, const char *key, size_t klen);

/* Where key's node is (*slot non-NULL) or would be linked (*slot NULL), for
 * changing a value in place; NULL for a map never put into. */
ns_hnode **ns_hmap_slot(ns_hmap *m, const char *key, size_t klen);

/* Set key -> val, replacing the key pointer and value of an entry with equal
 * bytes. 0 or NS_ENOMEM (the map is then unchanged). */
int ns_hmap_put(ns_hmap *m, const char *key, size_t klen, void *val);

/* Remove key's entry, if any (its key and value are not freed). */
void ns_hmap_del(ns_hmap *m, const char *key, size_t klen);

/* Free the map's own memory (not keys or values) and leave it empty. */
void ns_hmap_free(ns_hmap *m);

#endif
