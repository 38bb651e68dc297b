/* strset.c: a set of strings (see strset.h). */
#include "strset.h"

#include "err.h"
#include "list.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint32_t S_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

int ns_strset_add(ns_strset *set, const char *s, size_t len, int *added)
{
    *added = 0;
    if (set->n + 1 > set->cap / 2) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        uint32_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return NS_ENOMEM;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slot[i])
                continue;
            const char *k = set->keys.data + set->slot[i] - 1;
            size_t h = S_hash(k, strlen(k)) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = set->slot[i];
        }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t h = S_hash(s, len) & (set->cap - 1);
    for (; set->slot[h] && set->keys.data; h = (h + 1) & (set->cap - 1)) {
        const char *k = set->keys.data + set->slot[h] - 1;
        if (strncmp(k, s, len) == 0 && k[len] == '\0')
            return 0;
    }
    /* offsets are 32-bit: the keys are at most a few MB (the caps below) */
    if (set->keys.len >= UINT32_MAX - len - 1)
        return NS_ENOMEM;
    uint32_t off = (uint32_t)set->keys.len + 1;
    if (ns_buf_append(&set->keys, s, len) < 0 || ns_buf_putc(&set->keys, '\0') < 0)
        return NS_ENOMEM;
    set->slot[h] = off;
    set->n++;
    *added = 1;
    return 0;
}

void ns_strset_free(ns_strset *set)
{
    free(set->slot);
    ns_buf_free(&set->keys);
    memset(set, 0, sizeof *set);
}

int ns_strs_add_new(char ***list, size_t *n, ns_strset *seen, const char *s, size_t len)
{
    int added;
    if (ns_strset_add(seen, s, len, &added) < 0)
        return NS_ENOMEM;
    return added ? ns_strs_add(list, n, s, len) : 0;
}

