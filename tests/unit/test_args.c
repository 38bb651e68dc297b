/* test_args.c: the command-line reader of nindex and nsearch (src/args.h):
 * exact option names only, values that look like options refused (issue 13). */
#include "args.h"

#include "fixture.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_DB = 256, O_VENDOR, O_JSON, O_FACETS };

static const struct option T[] = {
    { "db", required_argument, NULL, O_DB },
    { "vendor", required_argument, NULL, O_VENDOR },
    { "json", no_argument, NULL, O_JSON },
    { "facets", no_argument, NULL, O_FACETS },
    { "limit", required_argument, NULL, 'n' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* Read every argument of "prog args..." into a line such as
 * "db=x word=gpt json", or "ERR <message>" at the first error. */
static char *S_read(int dash_words, int argc, char **argv)
{
    static char out[1024];
    ns_args a;
    ns_err err = { 0, "" };
    int c;
    out[0] = '\0';
    ns_args_init(&a, argc, argv, T, "n:h", dash_words);
    while ((c = ns_args_next(&a, &err)) != NS_ARGS_END) {
        char item[300];
        if (c < 0) {
            ck_assert_int_eq(c, NS_EINVAL);
            snprintf(out, sizeof out, "ERR %s", err.msg);
            return out;
        }
        const char *name = c == NS_ARGS_WORD ? "word" : c == O_DB ? "db" : c == O_VENDOR ? "vendor"
                           : c == O_JSON ? "json" : c == O_FACETS ? "facets" : c == 'n' ? "n"
                           : c == 'h' ? "h" : "?";
        if (a.value)
            snprintf(item, sizeof item, "%s%s=%s", out[0] ? " " : "", name, a.value);
        else
            snprintf(item, sizeof item, "%s%s", out[0] ? " " : "", name);
        strncat(out, item, sizeof out - strlen(out) - 1);
    }
    return out;
}

/* S_read over "prog" and the arguments up to a NULL. */
static char *S_readv(int dash_words, ...)
{
    char *argv[32] = { (char *)"prog" };
    int argc = 1;
    va_list ap;
    va_start(ap, dash_words);
    for (char *s; argc < 31 && (s = va_arg(ap, char *)) != NULL;)
        argv[argc++] = s;
    va_end(ap);
    return S_read(dash_words, argc, argv);
}

#define READ(dash, ...) S_readv(dash, __VA_ARGS__, (char *)NULL)

START_TEST(exact_names_values_and_words_in_any_order)
{
    ck_assert_str_eq(READ(1, "gpt", "--db", "x", "--json", "model", "--vendor=OpenAI"),
                     "word=gpt db=x json word=model vendor=OpenAI");
    ck_assert_str_eq(READ(1, "-n", "5", "-n7", "--limit=9", "-h"), "n=5 n=7 n=9 h");
    /* an empty value and a lone "-" are values */
    ck_assert_str_eq(READ(0, "--db=", "--vendor", "-"), "db= vendor=-");
}
END_TEST

START_TEST(abbreviations_are_unknown_options_with_a_suggestion)
{
    ck_assert_str_eq(READ(1, "--vend", "--json", "gpt"),
                     "ERR unknown option '--vend' (did you mean --vendor?)");
    ck_assert_str_eq(READ(1, "--d", "--json"), "ERR unknown option '--d' (did you mean --db?)");
    ck_assert_str_eq(READ(1, "--facet"), "ERR unknown option '--facet' (did you mean --facets?)");
    ck_assert_str_eq(READ(1, "--jsno"), "ERR unknown option '--jsno' (did you mean --json?)");
    ck_assert_str_eq(READ(1, "--vendor-name=x"), "ERR unknown option '--vendor-name=x'");
    ck_assert_str_eq(READ(1, "--frobnicate"), "ERR unknown option '--frobnicate'");
    ck_assert_str_eq(S_readv(1, "--", (char *)NULL), ""); /* "--" alone ends the options */
}
END_TEST

START_TEST(a_value_that_looks_like_an_option_is_refused_unless_attached)
{
    ck_assert_str_eq(READ(1, "--vendor", "--json", "gpt"),
                     "ERR option '--vendor' needs a value, and '--json' looks like an option "
                     "(write --vendor=--json if it is the value)");
    ck_assert_str_eq(READ(1, "--vendor=--json", "gpt"), "vendor=--json word=gpt");
    ck_assert_str_eq(READ(1, "-n", "-5"),
                     "ERR option '-n' needs a value, and '-5' looks like an option "
                     "(write --limit=-5 if it is the value)");
    ck_assert_str_eq(READ(1, "--db"), "ERR option '--db' needs a value");
    ck_assert_str_eq(READ(1, "--json=1"), "ERR option '--json' takes no value (got '--json=1')");
}
END_TEST

START_TEST(single_dash_words_are_words_or_unknown_options)
{
    /* nsearch: -openai excludes a word; -nasa is a word, not -n "asa" */
    ck_assert_str_eq(READ(1, "gpt", "-openai", "-nasa", "-hello", "-5"),
                     "word=gpt word=-openai word=-nasa word=-hello word=-5");
    /* nindex: there are no such words */
    ck_assert_str_eq(READ(0, "corpus", "-x"), "ERR unknown option '-x'");
    /* after "--" everything is a word */
    ck_assert_str_eq(READ(0, "--", "--json", "-x", "--"), "word=--json word=-x word=--");
}
END_TEST

START_TEST(messages_quote_arguments_safely)
{
    ck_assert_str_eq(READ(1, "--a\033[2Jb"), "ERR unknown option '--a?[2Jb'");
    char *s = READ(1, "--xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    ck_assert_str_eq(s, "ERR unknown option '--xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
}
END_TEST

static Suite *S_suite(void)
{
    return FIXTURE_SUITE("args", "args", NULL, NULL, 0,
                         exact_names_values_and_words_in_any_order,
                         abbreviations_are_unknown_options_with_a_suggestion,
                         a_value_that_looks_like_an_option_is_refused_unless_attached,
                         single_dash_words_are_words_or_unknown_options,
                         messages_quote_arguments_safely);
}

FIXTURE_MAIN(S_suite)
