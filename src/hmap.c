/* hmap.c: a chained hash map of borrowed byte-string keys (see hmap.h). */
#include "hmap.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

uint64_t ns_hmap_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a steps; see hmap.h */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

ns_hnode **ns_hmap_slot(ns_hmap *m, const char *key, size_t klen)
{
    if (!m->nb)
        return NULL;
    ns_hnode **pp = &m->b[ns_hmap_hash(key, klen) % m->nb];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->klen == klen && memcmp((*pp)->key, key, klen) == 0)
            return pp;
    return pp;
}

void *ns_hmap_get(ns_hmap *m, const char *key, size_t klen)
{
    ns_hnode **pp = ns_hmap_slot(m, key, klen);
    return pp && *pp ? (*pp)->val : NULL;
}

static int S_grow(ns_hmap *m)
{
    size_t nb = m->nb ? m->nb * 2 : 256;
    ns_hnode **b = calloc(nb, sizeof *b);
    if (!b)
        return NS_ENOMEM;
    for (size_t i = 0; i < m->nb; i++) {
        ns_hnode *x = m->b[i], *next;
        for (; x; x = next) {
            next = x->next;
            size_t h = ns_hmap_hash(x->key, x->klen) % nb;
            x->next = b[h];
            b[h] = x;
        }
    }
    free(m->b);
    m->b = b;
    m->nb = nb;
    return 0;
}

int ns_hmap_put(ns_hmap *m, const char *key, size_t klen, void *val)
{
    if (m->n >= m->nb && S_grow(m) < 0)
        return NS_ENOMEM;
    ns_hnode **pp = ns_hmap_slot(m, key, klen);
    if (*pp) {
        (*pp)->key = key;
        (*pp)->val = val;
        return 0;
    }
    ns_hnode *x = malloc(sizeof *x);
    if (!x)
        return NS_ENOMEM;
    x->key = key;
    x->klen = klen;
    x->val = val;
    x->next = NULL;
    *pp = x;
    m->n++;
    return 0;
}

void ns_hmap_del(ns_hmap *m, const char *key, size_t klen)
{
    ns_hnode **pp = ns_hmap_slot(m, key, klen);
    if (pp && *pp) {
        ns_hnode *x = *pp;
        *pp = x->next;
        free(x);
        m->n--;
    }
}

void ns_hmap_free(ns_hmap *m)
{
    for (size_t i = 0; i < m->nb; i++) {
        ns_hnode *x = m->b[i], *next;
        for (; x; x = next) {
            next = x->next;
            free(x);
        }
    }
    free(m->b);
    memset(m, 0, sizeof *m);
}
