/* test_matchkey.c: ns_analyze_match's filter (src/matchkey.h): a word passes
 * when its folded first two characters start a wanted term or prefix, the
 * English special cases pass, an empty prefix wants every word. */
#include "err.h"
#include "matchkey.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int S_test(const ns_matchkeys *k, const char *word)
{
    return ns_matchkeys_test(k, (const unsigned char *)word, 0, strlen(word));
}

START_TEST(a_word_passes_when_its_folded_start_is_a_key)
{
    ns_matchkeys k = NS_MATCHKEYS_INIT;
    const char *terms[] = { "train", "нейросет" };
    ck_assert_int_eq(ns_matchkeys_build(&k, terms, 2, NULL, 0), 0);
    ck_assert(S_test(&k, "Training"));
    ck_assert(S_test(&k, "TRAINS"));
    ck_assert(S_test(&k, "Нейросети"));
    ck_assert(!S_test(&k, "model"));
    ck_assert(!S_test(&k, "t"));  /* shorter than the key */
    ck_assert(!S_test(&k, "Нос"));
    ns_matchkeys_free(&k);
}
END_TEST

START_TEST(english_words_whose_stem_changes_their_start_pass)
{
    ns_matchkeys k = NS_MATCHKEYS_INIT;
    const char *terms[] = { "die" };
    ck_assert_int_eq(ns_matchkeys_build(&k, terms, 1, NULL, 0), 0);
    ck_assert(S_test(&k, "dying"));
    const char *prefixes[] = { "ti" };
    ck_assert_int_eq(ns_matchkeys_build(&k, NULL, 0, prefixes, 1), 0);
    ck_assert(S_test(&k, "tying"));
    ck_assert(!S_test(&k, "dying")); /* the keys were replaced */
    ns_matchkeys_free(&k);
}
END_TEST

START_TEST(an_empty_prefix_wants_every_word_and_an_empty_term_none)
{
    ns_matchkeys k = NS_MATCHKEYS_INIT;
    const char *empty[] = { "" };
    ck_assert_int_eq(ns_matchkeys_build(&k, NULL, 0, empty, 1), 1);
    ck_assert_int_eq(ns_matchkeys_build(&k, empty, 1, NULL, 0), 0);
    ck_assert_uint_eq(k.n, 0);
    ck_assert(!S_test(&k, "anything"));
    ns_matchkeys_free(&k);
    ns_matchkeys_free(&k); /* freed keys may be freed again */
}
END_TEST

START_TEST(many_keys_grow_the_array)
{
    ns_matchkeys k = NS_MATCHKEYS_INIT;
    char buf[100][3];
    const char *terms[100];
    for (int i = 0; i < 100; i++) {
        buf[i][0] = (char)('a' + i % 26);
        buf[i][1] = (char)('a' + i / 26);
        buf[i][2] = '\0';
        terms[i] = buf[i];
    }
    ck_assert_int_eq(ns_matchkeys_build(&k, terms, 100, NULL, 0), 0);
    ck_assert_uint_eq(k.n, 100);
    ck_assert(S_test(&k, "zcat"));
    ck_assert(!S_test(&k, "zz"));
    ns_matchkeys_free(&k);
}
END_TEST

static Suite *matchkey_suite(void)
{
    return FIXTURE_SUITE("matchkey", "core", NULL, NULL, 0,
                         a_word_passes_when_its_folded_start_is_a_key,
                         english_words_whose_stem_changes_their_start_pass,
                         an_empty_prefix_wants_every_word_and_an_empty_term_none,
                         many_keys_grow_the_array);
}

FIXTURE_MAIN(matchkey_suite)
