/* test_expand.c: the glossary and cross-lingual expansion (searcher/expand.h)
 * and the intents read from a query's words (searcher/intent.h): matching on
 * stems both ways, the longest form first, what the Xapian query becomes, and
 * months, years and vendors in words. */
#include "analyze.h"
#include "data.h"
#include "expand.h"
#include "glossary_impl.h"
#include "intent.h"
#include "query.h"
#include "vendors.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const char glossary[] =
    "# test glossary\n"
    "\n"
    "neural network | neural net = нейросеть | нейронная сеть\n"
    "reinforcement learning = обучение с подкреплением\n"
    "learning | training = обучение\n"
    "self-driving car = беспилотный автомобиль\n";

static ns_analyzer *a;
static ns_glossary *g;
static ns_vendors *v;

static void setup(void)
{
    ns_err err;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    ck_assert_msg(ns_glossary_new_from_text(&g, a, glossary, strlen(glossary), &err) == 0, "%s",
                  err.msg);
    ck_assert_int_eq(ns_vendors_new(&v, a, &err), 0);
}

static void teardown(void)
{
    ns_glossary_free(g);
    ns_vendors_free(v);
    ns_analyzer_free(a);
    g = NULL;
    v = NULL;
    a = NULL;
}

/* Expand text; returns the expansions (*n of them) and the description of
 * the strict query in *desc (malloc'd). */
static ns_expansion *S_expand(const char *text, size_t *n, char **desc)
{
    ns_query *q;
    ns_xquery *x = NULL;
    ns_expansion *e = NULL;
    ns_err err;
    ck_assert_int_eq(ns_query_parse(&q, a, v, text, strlen(text), NULL, &err), 0);
    ck_assert_msg(ns_glossary_expand(g, q, text, 0.25, &e, n, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_query_build(q, 0, &x, &err), 0);
    *desc = ns_xquery_describe(x);
    ns_xquery_free(x);
    ns_query_free(q);
    return e;
}

START_TEST(russian_inflection_finds_english_forms)
{
    size_t n;
    char *d;
    ns_expansion *e = S_expand("нейросети", &n, &d);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(e[0].words, "нейросети");
    ck_assert_int_eq(e[0].lang, 'r');
    ck_assert_uint_eq(e[0].nwith, 2);
    ck_assert_str_eq(e[0].with[0], "neural network");
    ck_assert_str_eq(e[0].with[1], "neural net");
    /* the word, or (without it) the synonym of the two phrases, scaled */
    ck_assert_msg(strstr(d, "нейросет OR") && strstr(d, "SYNONYM") && strstr(d, "neural PHRASE 2 network") &&
                      strstr(d, "0.25 * ") && strstr(d, "AND_NOT нейросет"),
                  "%s", d);
    free(d);
    ns_expansions_free(e, n);
}
END_TEST

START_TEST(english_multiword_finds_russian_phrase_with_its_stopword_gap)
{
    size_t n;
    char *d;
    ns_expansion *e = S_expand("neural networks", &n, &d);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(e[0].words, "neural networks");
    ck_assert_int_eq(e[0].lang, 'e');
    ck_assert_uint_eq(e[0].nwith, 2);
    ck_assert_str_eq(e[0].with[0], "нейросеть");
    ck_assert_str_eq(e[0].with[1], "нейронная сеть");
    free(d);
    ns_expansions_free(e, n);
    /* обучение с подкреплением: the longest form wins over обучение alone, and
     * the English phrase comes back; с is a stopword, so the Russian form spans 3 */
    e = S_expand("обучение с подкреплением", &n, &d);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(e[0].words, "обучение с подкреплением");
    ck_assert_uint_eq(e[0].nwith, 1);
    ck_assert_str_eq(e[0].with[0], "reinforcement learning");
    ck_assert_msg(strstr(d, "reinforc PHRASE 2 learn"), "%s", d);
    free(d);
    ns_expansions_free(e, n);
}
END_TEST

START_TEST(compound_word_matches_its_parts)
{
    size_t n;
    char *d;
    ns_expansion *e = S_expand("self-driving cars", &n, &d);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(e[0].words, "self-driving cars");
    ck_assert_str_eq(e[0].with[0], "беспилотный автомобиль");
    free(d);
    ns_expansions_free(e, n);
}
END_TEST

START_TEST(no_match_changes_nothing)
{
    size_t n;
    char *d;
    ns_expansion *e = S_expand("transformer", &n, &d);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(e);
    ck_assert_str_eq(d, "Query(transform)");
    free(d);
    /* a phrase, a prefix and the operands of OR are not expanded */
    e = S_expand("\"neural network\" обуч* learning OR обучение", &n, &d);
    ck_assert_uint_eq(n, 0);
    ck_assert_msg(!strstr(d, "0.25 * "), "%s", d);
    free(d);
}
END_TEST

START_TEST(bundled_glossary_loads)
{
    ns_glossary *b;
    ns_err err;
    ck_assert_msg(ns_glossary_new(&b, &err) == 0, "%s", err.msg);
    ck_assert_uint_ge(ns_glossary_entries(b), 400);
    ns_glossary_free(b);
}
END_TEST

/* The glossary compiled in at build time is exactly what the analyzer makes
 * of glossary/en-ru.txt now: every form's text, stems, span, language and
 * entry, every entry's forms, and the order searched by stem. */
START_TEST(compiled_glossary_is_the_text_analysed_now)
{
    ns_glossary *b, *t;
    ns_err err;
    ck_assert_msg(ns_glossary_new(&b, &err) == 0, "%s", err.msg);
    ck_assert_msg(ns_glossary_new_from_text(&t, a, ns_data_glossary, strlen(ns_data_glossary),
                                            &err) == 0,
                  "%s", err.msg);
    const ns_glossary_table *x = ns_glossary_table_of(b), *y = ns_glossary_table_of(t);
    ck_assert_uint_ge(y->nforms, 800);
    ck_assert_uint_eq(x->nforms, y->nforms);
    ck_assert_uint_eq(x->nentries, y->nentries);
    for (size_t i = 0; i < y->nforms; i++) {
        const ns_glossary_form *f = &x->forms[i], *g2 = &y->forms[i];
        ck_assert_str_eq(f->text, g2->text);
        ck_assert_uint_eq(f->nstems, g2->nstems);
        for (size_t k = 0; k < g2->nstems; k++)
            ck_assert_msg(strcmp(f->stems[k], g2->stems[k]) == 0, "form '%s': stem %zu is '%s', not '%s'",
                          g2->text, k, f->stems[k], g2->stems[k]);
        ck_assert_uint_eq(f->span, g2->span);
        ck_assert_int_eq(f->lang, g2->lang);
        ck_assert_uint_eq(f->entry, g2->entry);
        ck_assert_uint_eq(x->by_stem[i], y->by_stem[i]);
    }
    for (size_t i = 0; i < y->nentries; i++) {
        ck_assert_uint_eq(x->entries[i].first, y->entries[i].first);
        ck_assert_uint_eq(x->entries[i].n, y->entries[i].n);
    }
    ns_glossary_free(t);
    ns_glossary_free(b);
}
END_TEST

/* The compiled glossary expands as the analysed text does. */
START_TEST(compiled_glossary_expands)
{
    ns_glossary *b;
    ns_query *q;
    ns_expansion *e = NULL;
    size_t n = 0;
    ns_err err;
    const char text[] = "нейросети для перевода";
    ck_assert_msg(ns_glossary_new(&b, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_query_parse(&q, a, v, text, strlen(text), NULL, &err), 0);
    ck_assert_msg(ns_glossary_expand(b, q, text, 0.25, &e, &n, &err) == 0, "%s", err.msg);
    ck_assert_uint_ge(n, 1);
    ck_assert_str_eq(e[0].words, "нейросети");
    ck_assert_int_eq(e[0].lang, 'r');
    int neural = 0;
    for (size_t k = 0; k < e[0].nwith; k++)
        neural |= strstr(e[0].with[k], "neural") != NULL;
    ck_assert_msg(neural, "нейросети is not expanded with an English 'neural ...' form");
    ns_expansions_free(e, n);
    ns_query_free(q);
    ns_glossary_free(b);
}
END_TEST

START_TEST(bad_line_is_NS_ESYNTAX)
{
    ns_glossary *b = NULL;
    ns_err err;
    const char bad[] = "neural network = нейросеть\nno equals sign\n";
    ck_assert_int_eq(ns_glossary_new_from_text(&b, a, bad, strlen(bad), &err), NS_ESYNTAX);
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(err.msg, "line 2"), "%s", err.msg);
}
END_TEST

/* Intents of text, with the description of the strict query. */
static void S_intents(const char *text, ns_intents *in, char **desc)
{
    ns_query *q;
    ns_xquery *x = NULL;
    ns_err err;
    ck_assert_int_eq(ns_query_parse(&q, a, v, text, strlen(text), NULL, &err), 0);
    ck_assert_msg(ns_intents_apply(q, a, v, text, strlen(text), 5, in, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_query_build(q, 0, &x, &err), 0);
    *desc = ns_xquery_describe(x);
    ns_xquery_free(x);
    ns_query_free(q);
}

START_TEST(month_names_both_languages)
{
    ck_assert_int_eq(ns_intent_month_name(a, "December", 8), 12);
    ck_assert_int_eq(ns_intent_month_name(a, "dec", 3), 12);
    ck_assert_int_eq(ns_intent_month_name(a, "ДЕКАБРЕ", strlen("ДЕКАБРЕ")), 12);
    ck_assert_int_eq(ns_intent_month_name(a, "июнь", strlen("июнь")), 6);
    ck_assert_int_eq(ns_intent_month_name(a, "мая", strlen("мая")), 5);
    ck_assert_int_eq(ns_intent_month_name(a, "May,", 4), 5);
    ck_assert_int_eq(ns_intent_month_name(a, "decade", 6), 0);
}
END_TEST

START_TEST(month_and_year_in_words)
{
    ns_intents in;
    char *d;
    S_intents("в декабре 2020", &in, &d);
    ck_assert_str_eq(in.month, "2020-12");
    ck_assert_str_eq(in.year, "");
    ck_assert_ptr_null(in.vendor);
    /* the words, or an article of the month weighing 5, split over the two clauses */
    ck_assert_msg(strstr(d, "XM2020-12") && strstr(d, "FixedWeightPostingSource(wt=5)") &&
                      strstr(d, "0.5 * "),
                  "%s", d);
    free(d);
    ns_intents_clear(&in);
    S_intents("за июнь 2021", &in, &d);
    ck_assert_str_eq(in.month, "2021-06");
    free(d);
    ns_intents_clear(&in);
    /* may is an English stopword: the year's clause carries the month */
    S_intents("AI news from May 2021", &in, &d);
    ck_assert_str_eq(in.month, "2021-05");
    free(d);
    ns_intents_clear(&in);
    S_intents("Яндекс в 2019 году", &in, &d);
    ck_assert_str_eq(in.year, "2019");
    ck_assert_str_eq(in.month, "");
    ck_assert_str_eq(in.vendor, "Yandex");
    ck_assert_msg(strstr(d, "VALUE_RANGE 0 20190101 20191231"), "%s", d);
    free(d);
    ns_intents_clear(&in);
    /* not a year: too old, or not four digits alone */
    S_intents("1850 2020s", &in, &d);
    ck_assert_str_eq(in.year, "");
    free(d);
    ns_intents_clear(&in);
}
END_TEST

START_TEST(vendor_in_free_text_inflected)
{
    ns_intents in;
    char *d;
    S_intents("новости Сбера", &in, &d);
    ck_assert_str_eq(in.vendor, "Sberbank");
    ck_assert_msg(strstr(d, "XVsberbank"), "%s", d);
    free(d);
    ns_intents_clear(&in);
    S_intents("models by Hugging Face", &in, &d);
    ck_assert_str_eq(in.vendor, "Hugging Face");
    free(d);
    ns_intents_clear(&in);
    S_intents("machine translation", &in, &d);
    ck_assert_ptr_null(in.vendor);
    ck_assert_str_eq(d, "Query((machin AND translat))");
    free(d);
    ns_intents_clear(&in);
}
END_TEST

static Suite *expand_suite(void)
{
    return FIXTURE_SUITE("expand", "expand", setup, teardown, 0,
                         russian_inflection_finds_english_forms,
                         english_multiword_finds_russian_phrase_with_its_stopword_gap,
                         compound_word_matches_its_parts,
                         no_match_changes_nothing,
                         bundled_glossary_loads,
                         compiled_glossary_is_the_text_analysed_now,
                         compiled_glossary_expands,
                         bad_line_is_NS_ESYNTAX,
                         month_names_both_languages,
                         month_and_year_in_words,
                         vendor_in_free_text_inflected);
}

FIXTURE_MAIN(expand_suite)
