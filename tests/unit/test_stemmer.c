/* test_stemmer.c: Snowball by script behind a cache (src/stemmer.h): the
 * right stemmer per script, none for other scripts, the same stem from the
 * cache as from Snowball, through the cache's growth. */
#include "charclass.h"
#include "stemmer.h"
#include "stopwords.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stem w with st into out (NUL-terminated); returns 0 when no stemmer. */
static int S_stem(ns_stemmer *st, unsigned script, const char *w, char *out)
{
    const char *r;
    size_t m;
    size_t n = strlen(w);
    ck_assert_int_eq(ns_stemmer_stem(st, script, w, n, ns_stopwords_hash(w, n), &r, &m), 0);
    if (!r)
        return 0;
    ck_assert_uint_lt(m, 64);
    memcpy(out, r, m);
    out[m] = '\0';
    return 1;
}

START_TEST(latin_is_english_and_cyrillic_russian)
{
    ns_stemmer *st;
    char out[64];
    ck_assert_int_eq(ns_stemmer_new(&st), 0);
    ck_assert(S_stem(st, NS_SCRIPT_LATIN, "training", out));
    ck_assert_str_eq(out, "train");
    ck_assert(S_stem(st, NS_SCRIPT_CYRILLIC, "нейросети", out));
    ck_assert_str_eq(out, "нейросет");
    /* the script decides, not the letters: no English stemmer for Russian */
    ck_assert(S_stem(st, NS_SCRIPT_LATIN, "нейросети", out));
    ck_assert_str_eq(out, "нейросети");
    ns_stemmer_free(st);
}
END_TEST

START_TEST(other_scripts_have_no_stemmer)
{
    ns_stemmer *st;
    char out[64];
    ck_assert_int_eq(ns_stemmer_new(&st), 0);
    ck_assert(!S_stem(st, NS_SCRIPT_GREEK, "λόγοι", out));
    ck_assert(!S_stem(st, NS_SCRIPT_NONE, "2020", out));
    ck_assert(!S_stem(st, NS_SCRIPT_CJK, "字", out));
    ns_stemmer_free(st);
    ns_stemmer_free(NULL);
}
END_TEST

START_TEST(cached_stems_equal_snowballs_through_the_caches_growth)
{
    ns_stemmer *st, *fresh;
    char a[64], b[64], w[64];
    ck_assert_int_eq(ns_stemmer_new(&st), 0);
    /* more distinct words than the small cache's growth threshold, twice:
     * the second pass is answered from the (grown) cache */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 5000; i++) {
            snprintf(w, sizeof w, "runnings%dx", i);
            ck_assert(S_stem(st, NS_SCRIPT_LATIN, w, a));
            ck_assert_int_eq(ns_stemmer_new(&fresh), 0);
            ck_assert(S_stem(fresh, NS_SCRIPT_LATIN, w, b));
            ns_stemmer_free(fresh);
            ck_assert_str_eq(a, b);
            if (i % 1000 == 0) {
                ck_assert(S_stem(st, NS_SCRIPT_LATIN, "connections", a));
                ck_assert_str_eq(a, "connect");
            }
        }
    }
    /* a word longer than the cache holds */
    ck_assert(S_stem(st, NS_SCRIPT_LATIN, "internationalizationsandmorewordings", a));
    ck_assert_str_eq(a, "internationalizationsandmoreword");
    ns_stemmer_free(st);
}
END_TEST

static Suite *stemmer_suite(void)
{
    return FIXTURE_SUITE("stemmer", "core", NULL, NULL, 60,
                         latin_is_english_and_cyrillic_russian,
                         other_scripts_have_no_stemmer,
                         cached_stems_equal_snowballs_through_the_caches_growth);
}

FIXTURE_MAIN(stemmer_suite)
