/* test_hmap.c: the string hash map (src/hmap.h): keys by their bytes (NULs
 * included), replacing, deleting, growing past its first 256 chains, and a
 * hash that stays FNV-1a (nindex's shards depend on it). */
#include "hmap.h"

#include "fixture.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The values nindex has always computed: which shard a file goes to, and so
 * the order of documents in a bulk-built database, depend on them. */
START_TEST(the_hash_is_the_one_nindex_shards_by)
{
    ck_assert(ns_hmap_hash("", 0) == 0x14650fb0739d0383ULL);
    ck_assert(ns_hmap_hash("a", 1) == 0x44bd8ad473cd9906ULL);
    ck_assert(ns_hmap_hash("foobar", 6) == 0x88fad7c0a8ff07f2ULL);
}
END_TEST

START_TEST(an_empty_map_has_nothing_and_frees)
{
    ns_hmap m = NS_HMAP_INIT;
    ck_assert_ptr_null(ns_hmap_get(&m, "x", 1));
    ck_assert_ptr_null(ns_hmap_slot(&m, "x", 1));
    ns_hmap_del(&m, "x", 1);
    ns_hmap_free(&m);
    ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(keys_are_compared_by_their_bytes)
{
    ns_hmap m = NS_HMAP_INIT;
    int a = 1, b = 2, c = 3;
    ck_assert_int_eq(ns_hmap_put(&m, "ab", 2, &a), 0);
    ck_assert_int_eq(ns_hmap_put(&m, "a\0b", 3, &b), 0);
    ck_assert_int_eq(ns_hmap_put(&m, "abc", 2, &c), 0);  /* "ab" again: replaced */
    ck_assert_uint_eq(m.n, 2);
    ck_assert_ptr_eq(ns_hmap_get(&m, "ab", 2), &c);
    ck_assert_ptr_eq(ns_hmap_get(&m, "a\0b", 3), &b);
    ck_assert_ptr_null(ns_hmap_get(&m, "a", 1));
    ns_hnode **slot = ns_hmap_slot(&m, "ab", 2);
    ck_assert_ptr_nonnull(slot);
    ck_assert_ptr_eq((*slot)->val, &c);
    slot = ns_hmap_slot(&m, "zz", 2);
    ck_assert_ptr_nonnull(slot);
    ck_assert_ptr_null(*slot);
    ns_hmap_del(&m, "ab", 2);
    ck_assert_ptr_null(ns_hmap_get(&m, "ab", 2));
    ck_assert_ptr_eq(ns_hmap_get(&m, "a\0b", 3), &b);
    ck_assert_uint_eq(m.n, 1);
    ns_hmap_free(&m);
}
END_TEST

START_TEST(it_grows_and_keeps_every_entry)
{
    enum { N = 5000 };
    static char keys[N][16];
    ns_hmap m = NS_HMAP_INIT;
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        ck_assert_int_eq(ns_hmap_put(&m, keys[i], strlen(keys[i]), (void *)(intptr_t)(i + 1)), 0);
    }
    ck_assert_uint_eq(m.n, N);
    ck_assert_uint_ge(m.nb, N);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq((int)(intptr_t)ns_hmap_get(&m, keys[i], strlen(keys[i])), i + 1);
    size_t seen = 0;
    for (size_t i = 0; i < m.nb; i++)
        for (ns_hnode *x = m.b[i]; x; x = x->next)
            seen++;
    ck_assert_uint_eq(seen, N);
    for (int i = 0; i < N; i += 2)
        ns_hmap_del(&m, keys[i], strlen(keys[i]));
    ck_assert_uint_eq(m.n, N / 2);
    ck_assert_ptr_null(ns_hmap_get(&m, "k0", 2));
    ck_assert_int_eq((int)(intptr_t)ns_hmap_get(&m, "k1", 2), 2);
    ns_hmap_free(&m);
    ck_assert_ptr_null(m.b);
}
END_TEST

static Suite *hmap_suite(void)
{
    return FIXTURE_SUITE("hmap", "core", NULL, NULL, 0,
                         the_hash_is_the_one_nindex_shards_by,
                         an_empty_map_has_nothing_and_frees,
                         keys_are_compared_by_their_bytes,
                         it_grows_and_keeps_every_entry);
}

FIXTURE_MAIN(hmap_suite)
