/* test_frontmatter.c: the front matter's handlers (indexer/frontmatter.h):
 * each key to its field, unknown keys ignored, a key given twice or a bad
 * value refused with the key named, title and date required. */
#include "frontmatter.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static ns_article art;
static char **fmv;
static size_t nfm;

static void setup(void)
{
    memset(&art, 0, sizeof art);
    fmv = NULL;
    nfm = 0;
}

static void teardown(void)
{
    ns_article_clear(&art);
    for (size_t i = 0; i < nfm; i++)
        free(fmv[i]);
    free(fmv);
}

static int read_fm(const char *yaml, ns_err *err)
{
    return ns_front_matter_read(&art, yaml, strlen(yaml), &fmv, &nfm, err);
}

START_TEST(every_key_goes_to_its_field)
{
    ns_err err = { 0, "" };
    const char *y = "title: \"A title\"\ndate: 2020-02-29\nlang: ru\nid: news/1\n"
                    "url: https://example.org/1\nvendors: [OpenAI, OpenAI, Google]\n"
                    "tags: ml\nlayout: post\ntranslation_of: news/0\n";
    ck_assert_msg(read_fm(y, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(art.title, "A title");
    ck_assert_str_eq(art.date, "2020-02-29");
    ck_assert_str_eq(art.month, "2020-02");
    ck_assert_str_eq(art.lang, "ru");
    ck_assert_str_eq(art.id, "news/1");
    ck_assert_str_eq(art.url, "https://example.org/1");
    ck_assert_str_eq(art.translation_of, "news/0");
    ck_assert_uint_eq(nfm, 2);
    ck_assert_str_eq(fmv[0], "OpenAI");
    ck_assert_str_eq(fmv[1], "Google");
    ck_assert_uint_eq(art.ntags, 1);
    ck_assert_str_eq(art.tags[0], "ml");
}
END_TEST

START_TEST(a_bad_value_is_refused_naming_its_key)
{
    static const struct { const char *yaml, *msg; } cases[] = {
        { "title: a\ntitle: b\ndate: 2020-01-01\n", "front matter: 'title' is given twice" },
        { "title: a\ndate: 2021-02-29\n", "date '2021-02-29' is not a real calendar date (YYYY-MM-DD)" },
        { "title: a\ndate: 2020-01-01\nlang: de\n", "lang 'de' is not en or ru" },
        { "title: [a, b]\ndate: 2020-01-01\n", "title: expected a single value, not a list or a mapping" },
        { "date: 2020-01-01\n", "missing title" },
        { "title: a\ndate:\n", "missing date" },
        { "- a\n- b\n", "front matter: expected 'key: value' lines (title:, date:, ...)" },
        { "title: a\ndate: 2020-01-01\ntranslation_of: [a, b]\n",
          "translation_of: expected a single value, not a list or a mapping" },
        { "title: a\ndate: 2020-01-01\ntranslation_of: x\ntranslation_of: y\n",
          "front matter: 'translation_of' is given twice" },
        { "title: a\ndate: 2020-01-01\ntranslation_of: \"a\\tb\\x01\"\n",
          "translation_of: control character U+0001 in 'a\\x09b\\x01'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        teardown();
        setup();
        ns_err err = { 0, "" };
        ck_assert_int_eq(read_fm(cases[i].yaml, &err), NS_ESYNTAX);
        ck_assert_str_eq(err.msg, cases[i].msg);
    }
}
END_TEST

static Suite *frontmatter_suite(void)
{
    return FIXTURE_SUITE("frontmatter", "core", setup, teardown, 0,
                         every_key_goes_to_its_field,
                         a_bad_value_is_refused_naming_its_key);
}

FIXTURE_MAIN(frontmatter_suite)
