/* test_charclass.c: the analyser's character classes and scripts
 * (src/charclass.h): the inline fast path and utf8proc's path agree, and
 * bad bytes are one-byte separators. */
#include "charclass.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int S_kind(const char *s, unsigned *script, size_t *n)
{
    int k;
    *n = ns_charclass_read((const unsigned char *)s, strlen(s), 0, &k, script);
    return k;
}

START_TEST(ascii_letters_digits_and_connectors_have_their_classes)
{
    unsigned sc;
    size_t n;
    ck_assert_int_eq(S_kind("a", &sc, &n), NS_CH_LETTER);
    ck_assert_uint_eq(sc, NS_SCRIPT_LATIN);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(S_kind("Z", &sc, &n), NS_CH_LETTER);
    ck_assert_int_eq(S_kind("7", &sc, &n), NS_CH_DIGIT);
    ck_assert_int_eq(S_kind("-", &sc, &n), NS_CH_HYPHEN);
    ck_assert_int_eq(S_kind("_", &sc, &n), NS_CH_HYPHEN);
    ck_assert_int_eq(S_kind("'", &sc, &n), NS_CH_APOS);
    ck_assert_int_eq(S_kind(".", &sc, &n), NS_CH_DOT);
    ck_assert_int_eq(S_kind(",", &sc, &n), NS_CH_DOT);
    ck_assert_int_eq(S_kind("%", &sc, &n), NS_CH_SEP);
    ck_assert_int_eq(S_kind(" ", &sc, &n), NS_CH_SEP);
}
END_TEST

START_TEST(basic_cyrillic_is_read_without_utf8proc_and_agrees_with_it)
{
    /* every basic Cyrillic letter: the fast path and the general one agree */
    static const char *const letters[] = { "А", "Я", "а", "п", "р", "я", "Ё", "ё" };
    for (size_t i = 0; i < sizeof letters / sizeof *letters; i++) {
        const unsigned char *s = (const unsigned char *)letters[i];
        unsigned sc, sc2;
        int k, k2;
        ck_assert(ns_charclass_basic_cyrillic(s, 2, 0));
        ck_assert(ns_charclass_fast(s, 2, 0, 2));
        ck_assert_uint_eq(ns_charclass_read(s, 2, 0, &k, &sc), 2);
        ck_assert_uint_eq(ns_charclass_read_other(s, 2, 0, &k2, &sc2), 2);
        ck_assert_int_eq(k, NS_CH_LETTER);
        ck_assert_int_eq(k2, NS_CH_LETTER);
        ck_assert_uint_eq(sc, NS_SCRIPT_CYRILLIC);
        ck_assert_uint_eq(sc2, NS_SCRIPT_CYRILLIC);
    }
    /* Ѣ is Cyrillic but not basic: utf8proc's path */
    ck_assert(!ns_charclass_basic_cyrillic((const unsigned char *)"Ѣ", 2, 0));
    ck_assert(!ns_charclass_basic_cyrillic((const unsigned char *)"\xD0", 1, 0));
}
END_TEST

START_TEST(other_scripts_marks_and_invisible_characters)
{
    unsigned sc;
    size_t n;
    ck_assert_int_eq(S_kind("Ω", &sc, &n), NS_CH_LETTER);
    ck_assert_uint_eq(sc, NS_SCRIPT_GREEK);
    ck_assert_int_eq(S_kind("字", &sc, &n), NS_CH_LETTER);
    ck_assert_uint_eq(sc, NS_SCRIPT_CJK);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(S_kind("한", &sc, &n), NS_CH_LETTER);
    ck_assert_uint_eq(sc, NS_SCRIPT_HANGUL);
    ck_assert_int_eq(S_kind("ﬁ", &sc, &n), NS_CH_LETTER);
    ck_assert_uint_eq(sc, NS_SCRIPT_LATIN);
    ck_assert_int_eq(S_kind("\xCC\x86", &sc, &n), NS_CH_MARK); /* U+0306 */
    ck_assert_int_eq(S_kind("\xE2\x80\x90", &sc, &n), NS_CH_HYPHEN); /* U+2010 */
    ck_assert_int_eq(S_kind("\xE2\x80\x99", &sc, &n), NS_CH_APOS);   /* U+2019 */
    ck_assert_int_eq(S_kind("\xC2\xAD", &sc, &n), NS_CH_IGNORE);     /* soft hyphen */
    ck_assert_int_eq(S_kind("٣", &sc, &n), NS_CH_DIGIT);            /* Arabic-Indic 3 */
    ck_assert_uint_eq(ns_charclass_script(0x05D0), NS_SCRIPT_OTHER + (0x05D0 >> 7)); /* א */
}
END_TEST

START_TEST(invalid_utf8_and_nul_are_one_byte_separators)
{
    int k;
    unsigned sc;
    const unsigned char bad[] = { 0xFF, 'a' };
    ck_assert_uint_eq(ns_charclass_read(bad, 2, 0, &k, &sc), 1);
    ck_assert_int_eq(k, NS_CH_SEP);
    const unsigned char cut[] = { 0xE2, 0x80 }; /* truncated */
    ck_assert_uint_eq(ns_charclass_read(cut, 2, 0, &k, &sc), 1);
    ck_assert_int_eq(k, NS_CH_SEP);
    const unsigned char nul[] = { 0 };
    ck_assert_uint_eq(ns_charclass_read(nul, 1, 0, &k, &sc), 1);
    ck_assert_int_eq(k, NS_CH_SEP);
}
END_TEST

static Suite *charclass_suite(void)
{
    return FIXTURE_SUITE("charclass", "core", NULL, NULL, 0,
                         ascii_letters_digits_and_connectors_have_their_classes,
                         basic_cyrillic_is_read_without_utf8proc_and_agrees_with_it,
                         other_scripts_marks_and_invisible_characters,
                         invalid_utf8_and_nul_are_one_byte_separators);
}

FIXTURE_MAIN(charclass_suite)
