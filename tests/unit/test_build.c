/* test_build.c: the per-article pipeline (indexer/build.h): an article's
 * bytes become its document and its spelling words (distinct, folded,
 * letters only, at least three, no stopwords), and a bad article leaves
 * nothing behind. */
#include "build.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int has_spell(const ns_index_built *b, const char *w)
{
    for (size_t i = 0; i < b->nspell; i++)
        if (strcmp(b->spell[i], w) == 0)
            return 1;
    return 0;
}

START_TEST(an_article_gives_its_document_and_spelling_words)
{
    const char *text = "---\ntitle: \"Hardware News\"\ndate: 2021-07-04\nlang: en\n---\n\n"
                       "New HARDWARE trained models: hardware x2 ab GPT-3 and the öffnung.\n";
    ns_index_built b;
    ns_err err = { 0, "" };
    ck_assert_msg(ns_index_build(&b, A, NULL, V, "arch/2021/n.md", "2021/n", text, strlen(text),
                                 &err) == 0, "%s", err.msg);
    ck_assert_ptr_nonnull(b.doc);
    ck_assert_str_eq(b.art.id, "2021/n");
    ck_assert_str_eq(b.art.month, "2021-07");
    ck_assert(has_spell(&b, "hardware"));   /* folded; title and body once */
    ck_assert(has_spell(&b, "trained"));
    ck_assert(has_spell(&b, "news"));
    ck_assert(has_spell(&b, "öffnung"));
    ck_assert(!has_spell(&b, "x2"));        /* a digit */
    ck_assert(!has_spell(&b, "ab"));        /* too short */
    ck_assert(!has_spell(&b, "and"));       /* a stopword */
    ck_assert(!has_spell(&b, "the"));
    for (size_t i = 0; i < b.nspell; i++)
        for (size_t j = i + 1; j < b.nspell; j++)
            ck_assert_str_ne(b.spell[i], b.spell[j]);
    ns_index_built_clear(&b);
    ck_assert_ptr_null(b.doc);
    ck_assert_uint_eq(b.nspell, 0);
}
END_TEST

START_TEST(a_bad_article_leaves_nothing)
{
    const char *text = "---\ntitle: x\ndate: 2021-02-30\nlang: en\n---\n\nBody words here.\n";
    ns_index_built b;
    ns_err err = { 0, "" };
    int rc = ns_index_build(&b, A, NULL, V, "bad.md", "bad", text, strlen(text), &err);
    ck_assert_int_lt(rc, 0);
    ck_assert_msg(strstr(err.msg, "date") != NULL, "%s", err.msg);
    ck_assert_ptr_null(b.doc);
    ck_assert_ptr_null(b.spell);
    ck_assert_uint_eq(b.nspell, 0);
    ns_index_built_clear(&b);
}
END_TEST

static Suite *build_suite(void)
{
    return FIXTURE_SUITE("build", "core", fixture_setup, fixture_teardown, 0,
                         an_article_gives_its_document_and_spelling_words,
                         a_bad_article_leaves_nothing);
}

FIXTURE_MAIN(build_suite)
