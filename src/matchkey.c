/* matchkey.c: ns_analyze_match's filter (matchkey.h). */
#include "matchkey.h"

#include "err.h"
#include "fold.h"
#include "list.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Add the first NS_MATCHKEY_CHARS characters of t[0..n) (at most) as a key. */
static int S_add(ns_matchkeys *k, const char *t, size_t n)
{
    size_t b = 0;
    for (int c = 0; c < NS_MATCHKEY_CHARS && b < n; c++) {
        unsigned char x = (unsigned char)t[b];
        b += x < 0x80 ? 1 : x < 0xE0 ? 2 : x < 0xF0 ? 3 : 4;
    }
    if (b > n)
        b = n;
    if (b == 0)
        return 0; /* an empty term matches no word */
    if (ns_array_room(&k->v, k->n, &k->cap, sizeof *k->v, 16) < 0)
        return NS_ENOMEM;
    ns_matchkey *key = &k->v[k->n++];
    key->len = b;
    memcpy(key->b, t, b);
    return 0;
}

/* Snowball words whose stem does not begin with their own first
 * NS_MATCHKEY_CHARS characters (found by testing every word of Snowball's
 * English and Russian vocabularies; test_analyze_match checks it again):
 * English special cases. Russian stems are always prefixes of the folded
 * word (ё is folded to е before stemming). */
static const char *const key_exceptions[][2] = {
    { "dying", "die" }, { "lying", "lie" }, { "tying", "tie" },
};

int ns_matchkeys_build(ns_matchkeys *k, const char *const *terms, size_t nterms,
                       const char *const *prefixes, size_t nprefixes)
{
    k->n = 0;
    for (size_t i = 0; i < nterms + nprefixes; i++) {
        int pre = i >= nterms;
        const char *t = pre ? prefixes[i - nterms] : terms[i];
        size_t n = strlen(t);
        if (n == 0 && pre) {
            /* an empty prefix: every word */
            return S_add(k, "", 0) < 0 ? NS_ENOMEM : 1;
        }
        if (S_add(k, t, n) < 0)
            return NS_ENOMEM;
        for (size_t e = 0; e < sizeof key_exceptions / sizeof *key_exceptions; e++) {
            const char *stem = key_exceptions[e][1];
            if (pre ? strncmp(stem, t, n) == 0 : strcmp(stem, t) == 0) {
                if (S_add(k, key_exceptions[e][0], strlen(key_exceptions[e][0])) < 0)
                    return NS_ENOMEM;
            }
        }
    }
    return 0;
}

int ns_matchkeys_test(const ns_matchkeys *k, const unsigned char *s, size_t start, size_t end)
{
    unsigned char head[4 * NS_MATCHKEY_CHARS];
    size_t n = 0;
    for (int c = 0; c < NS_MATCHKEY_CHARS && start + n < end; c++)
        n += s[start + n] < 0x80 ? 1 : 2;
    if (n == 0)
        return 0;  /* a word is never empty; said for the static analyzer */
    ns_fold_fast(s + start, n, head);
    for (size_t i = 0; i < k->n; i++) {
        const ns_matchkey *key = &k->v[i];
        if (key->len > n || key->b[0] != head[0])
            continue;
        size_t b = 1;
        while (b < key->len && key->b[b] == head[b])
            b++;
        if (b == key->len)
            return 1;
    }
    return 0;
}

void ns_matchkeys_free(ns_matchkeys *k)
{
    free(k->v);
    k->v = NULL;
    k->n = k->cap = 0;
}
