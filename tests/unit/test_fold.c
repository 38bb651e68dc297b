/* test_fold.c: folding one part of a word (src/fold.h): the byte loop for
 * ASCII and basic Cyrillic gives utf8proc's bytes, and utf8proc's path
 * folds case, compatibility forms, apostrophes and ё. */
#include "err.h"
#include "fold.h"

#include "fixture.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fold s through utf8proc's path into out (NUL-terminated). */
static void S_slow(const char *s, char *out)
{
    int32_t *buf = NULL;
    size_t cap = 0, count = 0;
    ck_assert_int_eq(ns_fold_decompose(&buf, &cap, s, strlen(s), &count), 0);
    size_t m = ns_fold_encode(buf, count, (unsigned char *)out);
    out[m] = '\0';
    free(buf);
}

START_TEST(the_byte_loop_gives_the_bytes_utf8proc_gives)
{
    static const char *const words[] = { "GPT", "Hello", "АБВГДЕЖЗИЙКЛМНОП", "РСТУФХЦЧШЩЪЫЬЭЮЯ",
                                         "абвгдежзийклмноп", "рстуфхцчшщъыьэюя", "Ёлка", "ёж",
                                         "MixedЯзык42" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i]);
        char fast[64], slow[256];
        ns_fold_fast((const unsigned char *)words[i], n, (unsigned char *)fast);
        fast[n] = '\0';
        S_slow(words[i], slow);
        ck_assert_str_eq(fast, slow);
    }
}
END_TEST

START_TEST(utf8proc_path_folds_case_ligatures_apostrophes_and_yo)
{
    char out[256];
    S_slow("Straße", out);
    ck_assert_str_eq(out, "strasse");
    S_slow("ﬁne", out);
    ck_assert_str_eq(out, "fine");
    S_slow("don\xE2\x80\x99t", out);
    ck_assert_str_eq(out, "don't");
    S_slow("ЁЛКА", out);
    ck_assert_str_eq(out, "елка");
    S_slow("ΣΊΣΥΦΟΣ", out);
    ck_assert_str_eq(out, "σίσυφοσ");
}
END_TEST

START_TEST(the_code_point_buffer_grows_from_nothing)
{
    char word[2001];
    memset(word, 'A', 2000);
    word[2000] = '\0';
    int32_t *buf = NULL;
    size_t cap = 0, count = 0;
    ck_assert_int_eq(ns_fold_decompose(&buf, &cap, word, 2000, &count), 0);
    ck_assert_uint_eq(count, 2000);
    ck_assert_uint_ge(cap, 2000);
    ck_assert_int_eq(buf[1999], 'a');
    free(buf);
}
END_TEST

START_TEST(invalid_utf8_is_NS_EUTF8)
{
    int32_t *buf = NULL;
    size_t cap = 0, count = 7;
    ck_assert_int_eq(ns_fold_decompose(&buf, &cap, "a\xFF", 2, &count), NS_EUTF8);
    ck_assert_uint_eq(count, 0);
    free(buf);
}
END_TEST

static Suite *fold_suite(void)
{
    return FIXTURE_SUITE("fold", "core", NULL, NULL, 0,
                         the_byte_loop_gives_the_bytes_utf8proc_gives,
                         utf8proc_path_folds_case_ligatures_apostrophes_and_yo,
                         the_code_point_buffer_grows_from_nothing,
                         invalid_utf8_is_NS_EUTF8);
}

FIXTURE_MAIN(fold_suite)
