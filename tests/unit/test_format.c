/* test_format.c: nsearch --format templates (searcher/format.c). */
#include "format.h"

#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *S_vendors[] = { "OpenAI", "Hugging Face" };

static ns_hit S_hit(void)
{
    ns_hit h;
    memset(&h, 0, sizeof h);
    h.rank = 7;
    h.score = 2.617421;
    h.rec.id = "en/gpt3";
    h.rec.title = "GPT-3 \"big\"";
    h.rec.date = "2020-06-11";
    h.rec.lang = "en";
    h.rec.vendors = S_vendors;
    h.rec.nvendors = 2;
    h.rec.url = "https://openai.com/blog";
    h.rec.path = "corpus/en/gpt3.md";
    strcpy(h.month, "2020-06");
    return h;
}

static char *S_line(const char *fmt, const ns_hit *h)
{
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_format_check(fmt, &err), 0);
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_format_hit(&b, fmt, h), 0);
    return ns_buf_detach(&b);
}

#define CHECK_LINE(fmt, h, want) FIXTURE_STR_EQ(S_line(fmt, h), want)

START_TEST(every_sequence)
{
    ns_hit h = S_hit();
    CHECK_LINE("%r|%i|%t|%d|%m|%u|%v|%l|%s|%p|%%|%n.", &h,
               "7|en/gpt3|GPT-3 \"big\"|2020-06-11|2020-06|https://openai.com/blog|OpenAI,Hugging Face|"
               "en|2.61742|corpus/en/gpt3.md|%|\n.\n");
    CHECK_LINE("", &h, "\n");
    CHECK_LINE("plain text, ёлка", &h, "plain text, ёлка\n");
    CHECK_LINE("%%d is %d", &h, "%d is 2020-06-11\n");
}
END_TEST

START_TEST(missing_values_are_empty)
{
    ns_hit h = S_hit();
    h.rec.url = NULL;
    h.rec.nvendors = 0;
    h.score = NAN;
    CHECK_LINE("[%u][%v][%s]", &h, "[][][0]\n");
}
END_TEST

START_TEST(control_characters_are_escaped)
{
    ns_hit h = S_hit();
    h.rec.path = "corpus/\x1b[2J\nx.md";
    h.rec.title = "bad \xff byte \xc2\x9b";
    CHECK_LINE("%p %t", &h, "corpus/\\x1b[2J\\x0ax.md bad \\xff byte \\xc2\\x9b\n");
}
END_TEST

START_TEST(unknown_sequences_are_named)
{
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_format_check("%d %q", &err), NS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown sequence '%q'"));
    ck_assert_int_eq(ns_format_check("100%", &err), NS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "lone '%'"));
    ck_assert_int_eq(ns_format_check("%\xd1\x8f", &err), NS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'%\xd1\x8f'"));
    ck_assert_int_eq(ns_format_check("%\x1b", &err), NS_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "'%\\x1b'"));
    ck_assert_int_eq(ns_format_check("%%%", &err), NS_EINVAL);
    ck_assert_int_eq(ns_format_check("%%%%", &err), 0);
}
END_TEST

static Suite *S_suite(void)
{
    return FIXTURE_SUITE("format", "format", NULL, NULL, 0,
                         every_sequence,
                         missing_values_are_empty,
                         control_characters_are_escaped,
                         unknown_sequences_are_named);
}

FIXTURE_MAIN(S_suite)
