/* stemmer.c: the Snowball stemmers and their cache (stemmer.h). */
#include "stemmer.h"

#include "charclass.h"
#include "err.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 4096 /* power of two */
/* A new stemmer starts with a small cache and takes the full one after
 * CACHE_GROW_AFTER misses: a one-shot search stems a few hundred words, and
 * touching a zeroed 256 KB table costs it more page faults than it saves. */
#define CACHE_SLOTS_START 256 /* power of two */
#define CACHE_GROW_AFTER 2048
#define CACHE_WORD 30 /* longer words skip the cache */

typedef struct cache_slot {
    unsigned char script, wlen, slen; /* wlen 0: empty */
    char word[CACHE_WORD], stem[CACHE_WORD];
} cache_slot;

struct ns_stemmer {
    struct sb_stemmer *en, *ru;
    cache_slot *cache;
    size_t cache_mask;   /* slots - 1 */
    size_t cache_misses; /* counted until the cache is full-size */
};

int ns_stemmer_new(ns_stemmer **out)
{
    *out = NULL;
    ns_stemmer *st = calloc(1, sizeof *st);
    if (!st)
        return NS_ENOMEM;
    st->en = sb_stemmer_new("english", "UTF_8");
    st->ru = sb_stemmer_new("russian", "UTF_8");
    st->cache = calloc(CACHE_SLOTS_START, sizeof *st->cache);
    st->cache_mask = CACHE_SLOTS_START - 1;
    if (!st->en || !st->ru || !st->cache) {
        ns_stemmer_free(st);
        return NS_ENOMEM;
    }
    *out = st;
    return 0;
}

void ns_stemmer_free(ns_stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->en);
    sb_stemmer_delete(st->ru);
    free(st->cache);
    free(st);
}

int ns_stemmer_stem(ns_stemmer *st, unsigned script, const char *w, size_t n, uint32_t h,
                    const char **out, size_t *out_len)
{
    struct sb_stemmer *sb = script == NS_SCRIPT_LATIN      ? st->en
                            : script == NS_SCRIPT_CYRILLIC ? st->ru
                                                           : NULL;
    *out = NULL;
    *out_len = 0;
    if (!sb)
        return 0;
    cache_slot *c = NULL;
    if (n <= CACHE_WORD) {
        c = &st->cache[(h ^ script) & st->cache_mask];
        if (c->wlen == n && c->script == script && memcmp(c->word, w, n) == 0) {
            *out = c->stem;
            *out_len = c->slen;
            return 0;
        }
    }
    if (c && st->cache_mask < CACHE_SLOTS - 1 && ++st->cache_misses >= CACHE_GROW_AFTER) {
        /* Busy enough for the full cache; without memory keep the small one. */
        cache_slot *big = calloc(CACHE_SLOTS, sizeof *big);
        if (big) {
            free(st->cache);
            st->cache = big;
            st->cache_mask = CACHE_SLOTS - 1;
            c = &st->cache[(h ^ script) & st->cache_mask];
        }
    }
    const char *r = (const char *)sb_stemmer_stem(sb, (const sb_symbol *)w, (int)n);
    if (!r)
        return NS_ENOMEM;
    size_t m = (size_t)sb_stemmer_length(sb);
    if (c && m <= CACHE_WORD) {
        c->script = (unsigned char)script;
        c->wlen = (unsigned char)n;
        c->slen = (unsigned char)m;
        memcpy(c->word, w, n);
        memcpy(c->stem, r, m);
    }
    *out = r;
    *out_len = m;
    return 0;
}
