/* test_suggest.c: the suggestion dictionary (src/sdict.h) and the keyboard
 * layout mapping (searcher/layout.h). */
#define _XOPEN_SOURCE 700
#include "layout.h"
#include "schema.h"
#include "sdict.h"
#include "xapian_shim.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- layout ---- */

static char *conv(const char *s)
{
    char *out = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_layout_convert(s, strlen(s), &out, &err), 0);
    return out;
}

#define ASSERT_CONV(in, want) FIXTURE_STR_EQ(conv(in), want)

START_TEST(latin_keys_become_russian_letters)
{
    ASSERT_CONV("ytqhjctnm", "нейросеть");
    ASSERT_CONV("Ghbdtn", "Привет");
    /* the keys of б, ю, ж, э, х, ъ, ё are punctuation on QWERTY */
    ASSERT_CONV("j,extybt", "обучение");
    ASSERT_CONV("cj[hfybnm", "сохранить");
}
END_TEST

START_TEST(russian_letters_become_latin_keys)
{
    ASSERT_CONV("ьфсршту дуфктштп", "machine learning");
    ASSERT_CONV("ПЗЕ", "GPT");
    ASSERT_CONV("ыщаецфку", "software");
}
END_TEST

START_TEST(syntax_fields_digits_and_mixed_words_stay)
{
    ASSERT_CONV("-ytqhjctnm \"ctnm\" ghtl* OR vendor:Google 2020", "-нейросеть \"сеть\" пред* OR vendor:Google 2020");
    ASSERT_CONV("gpt-3 ytqhjctnm", "gpt-3 нейросеть");
    ck_assert_ptr_null(conv("gpt-3 2020 vendor:Google"));
    ck_assert_ptr_null(conv("nvidiaа"));   /* a mix of scripts */
    ck_assert_ptr_null(conv(""));
    ck_assert_ptr_null(conv(",.;"));       /* keys but no letter */
}
END_TEST

START_TEST(conversion_round_trips)
{
    char *ru = conv("machine learning");
    ck_assert_ptr_nonnull(ru);
    ASSERT_CONV(ru, "machine learning");
    free(ru);
}
END_TEST

START_TEST(invalid_utf8_is_left_alone)
{
    const char bad[] = "\xff\xfe ytqhjctnm";
    char *out = NULL;
    ck_assert_int_eq(ns_layout_convert(bad, sizeof bad - 1, &out, NULL), 0);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, "\xff\xfe нейросеть");
    free(out);
}
END_TEST

/* ---- edit distance ---- */

static unsigned dist(const char *a, const char *b, unsigned max)
{
    int x[64], y[64];
    size_t na = 0, nb = 0;
    /* one code point per UTF-8 lead byte is enough for these tests */
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        if ((*p & 0xC0) != 0x80)
            x[na++] = *p == 0xD0 || *p == 0xD1 ? (*p << 8) | p[1] : *p;
    for (const unsigned char *p = (const unsigned char *)b; *p; p++)
        if ((*p & 0xC0) != 0x80)
            y[nb++] = *p == 0xD0 || *p == 0xD1 ? (*p << 8) | p[1] : *p;
    return ns_sdict_distance(x, na, y, nb, max);
}

START_TEST(distance_counts_edits_on_code_points)
{
    ck_assert_uint_eq(dist("transformer", "transformer", 2), 0);
    ck_assert_uint_eq(dist("transformr", "transformer", 2), 1);   /* deletion */
    ck_assert_uint_eq(dist("transfromer", "transformer", 2), 1);  /* swap of neighbours */
    ck_assert_uint_eq(dist("trunsfoRmer", "transformer", 2), 2);  /* two substitutions */
    ck_assert_uint_eq(dist("нейрость", "нейросеть", 2), 1);       /* one letter, two bytes */
    ck_assert_uint_eq(dist("abcdef", "uvwxyz", 2), 3);            /* beyond max: max + 1 */
    ck_assert_uint_eq(dist("ab", "abcde", 2), 3);
}
END_TEST

/* ---- the dictionary in a database ---- */

static char *db_with(const char *const *words, const unsigned *freqs, size_t n)
{
    static char path[128];
    ns_xwdb *w = NULL;
    ns_err err = { 0, "" };
    snprintf(path, sizeof path, "%s/db", tmpdir);
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(ns_xwdb_add_spelling(w, words[i], strlen(words[i]), freqs[i], &err), 0);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_msg(ns_sdict_write(w, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    return path;
}

static char *lookup(ns_xdb *db, const char *word, unsigned edits, int want_rc)
{
    char *out = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_sdict_lookup(db, word, strlen(word), edits, &out, &err), want_rc);
    return out;
}

static const char *const W[] = { "transformer", "transformers", "нейросеть", "нейросети",
                                 "обучение", "learning", "leaning", "machine" };
static const unsigned F[] = { 40, 10, 30, 20, 50, 60, 2, 70 };

START_TEST(dictionary_corrects_both_languages)
{
    ns_xdb *db = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_xdb_open(&db, db_with(W, F, 8), &err), 0);
    char *s = lookup(db, "transformr", 2, 1);
    ck_assert_str_eq(s, "transformer");
    free(s);
    s = lookup(db, "нейросетт", 2, 1);    /* substitution: нейросеть and нейросети both 1 away */
    ck_assert_str_eq(s, "нейросеть");     /* the more frequent */
    free(s);
    s = lookup(db, "обучние", 2, 1);      /* a letter missing */
    ck_assert_str_eq(s, "обучение");
    free(s);
    s = lookup(db, "lerning", 1, 1);      /* learning (60) over leaning (2), both 1 away */
    ck_assert_str_eq(s, "learning");
    free(s);
    s = lookup(db, "mcahine", 2, 1);      /* a swap */
    ck_assert_str_eq(s, "machine");
    free(s);
    ck_assert_ptr_null(lookup(db, "machine", 2, 1));    /* spelled right */
    ck_assert_ptr_null(lookup(db, "zzzzzzzz", 2, 1));   /* nothing near */
    ck_assert_ptr_null(lookup(db, "trnsfrmer", 1, 1));  /* two edits, one allowed */
    ns_xdb_free(db);
}
END_TEST

START_TEST(rewriting_with_more_words_finds_old_and_new_ones)
{
    ns_xdb *db = NULL;
    ns_xwdb *w = NULL;
    ns_err err = { 0, "" };
    char *path = db_with(W, F, 8);
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err), 0);
    /* many more words: the table is rewritten with more buckets */
    for (int i = 0; i < 2000; i++) {
        char word[32];
        snprintf(word, sizeof word, "word%dx", i);
        ck_assert_int_eq(ns_xwdb_add_spelling(w, word, strlen(word), 1, &err), 0);
    }
    ck_assert_int_eq(ns_sdict_write(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), 0);
    char *s = lookup(db, "transformr", 2, 1);
    ck_assert_str_eq(s, "transformer");
    free(s);
    s = lookup(db, "word17y", 1, 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(strncmp(s, "word17", 6), 0);
    free(s);
    ns_xdb_free(db);
}
END_TEST

START_TEST(no_dictionary_returns_0_and_a_damaged_one_finds_nothing)
{
    ns_xdb *db = NULL;
    ns_xwdb *w = NULL;
    ns_err err = { 0, "" };
    char path[128];
    snprintf(path, sizeof path, "%s/plain", tmpdir);
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    ck_assert_int_eq(ns_xwdb_add_spelling(w, "machine", 7, 3, &err), 0);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), 0);
    ck_assert_ptr_null(lookup(db, "machne", 1, 0));
    ns_xdb_free(db);

    /* a header that names one bucket, and that bucket's value cut short */
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, NS_META_SDICT, "NSSD\x01\x01\x01", 7, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, NS_META_SDICT_BUCKET "00000000", "\x03\x7fmach", 6,
                                          &err), 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), 0);
    ck_assert_ptr_null(lookup(db, "machne", 1, 1));
    ns_xdb_free(db);
}
END_TEST

static Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, latin_keys_become_russian_letters);
    tcase_add_test(tc, russian_letters_become_latin_keys);
    tcase_add_test(tc, syntax_fields_digits_and_mixed_words_stay);
    tcase_add_test(tc, conversion_round_trips);
    tcase_add_test(tc, invalid_utf8_is_left_alone);
    tcase_add_test(tc, distance_counts_edits_on_code_points);
    suite_add_tcase(s, tc);
    tc = tcase_create("sdict");
    tcase_add_checked_fixture(tc, tempdir_setup, tempdir_teardown);
    tcase_add_test(tc, dictionary_corrects_both_languages);
    tcase_add_test(tc, rewriting_with_more_words_finds_old_and_new_ones);
    tcase_add_test(tc, no_dictionary_returns_0_and_a_damaged_one_finds_nothing);
    suite_add_tcase(s, tc);
    return s;
}

FIXTURE_MAIN(suggest_suite)
