/* articlefix.h: what the article parser's two test programs (test_article.c:
 * fields, Markdown, vendors, files; test_article_hostile.c: hostile
 * articles and the limits) share: a vendor table, the analyzer and vendors
 * set up per test, and parse / bad / refused. Included once by each. */
#ifndef NS_TEST_ARTICLEFIX_H
#define NS_TEST_ARTICLEFIX_H

#include "analyze.h"
#include "article.h"
#include "vendors.h"

#include <check.h>
#include <string.h>

static const char table[] =
    "OpenAI\n"
    "Google | Гугл\n"
    "Sberbank | Сбер | Сбербанк\n"
    "Yandex | Яндекс\n"
    "Hugging Face\n";

__attribute__((unused)) static ns_analyzer *a;
__attribute__((unused)) static ns_vendors *v;
__attribute__((unused)) static ns_article art;
__attribute__((unused)) static ns_err err;

__attribute__((unused)) static void setup(void)
{
    ck_assert_int_eq(ns_analyzer_new(&a, NULL), 0);
    ck_assert_int_eq(ns_vendors_new_from_text(&v, a, table, strlen(table), NULL), 0);
    memset(&art, 0, sizeof art);
    ns_err_clear(&err);
}

__attribute__((unused)) static void teardown(void)
{
    ns_article_clear(&art);
    ns_vendors_free(v);
    ns_analyzer_free(a);
}

__attribute__((unused)) static int parse_n(const char *text, size_t len)
{
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.vendors = v;
    o.default_id = "dir/default-id";
    ns_article_clear(&art);
    return ns_article_parse(&art, text, len, &o, &err);
}

__attribute__((unused)) static int parse(const char *text)
{
    return parse_n(text, strlen(text));
}

/* Parse must fail with code and a message containing want. */
__attribute__((unused)) static void bad(const char *text, size_t len, int code, const char *want)
{
    int rc = parse_n(text, len);
    ck_assert_msg(rc == code, "rc %d, want %d (%s)", rc, code, err.msg);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
    ck_assert_ptr_null(art.title);
    ck_assert_ptr_null(art.id);
}

/* Parse must fail with NS_ESYNTAX and a message containing want. */
__attribute__((unused)) static void refused(const char *text, const char *want)
{
    bad(text, strlen(text), NS_ESYNTAX, want);
}

__attribute__((unused)) static int has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

#endif
