/* test_vendors.c: the vendor table (src/vendors.h): loading, canonical names
 * through the analyser (case, Russian inflection, several words), detection in
 * analysed text as whole words only, and a bad table line. */
#include "analyze.h"
#include "vendors.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const char table[] =
    "# test table\n"
    "\n"
    "OpenAI\n"
    "Google | Google Brain | Гугл\n"
    "Sberbank | Сбер | Сбербанк | SberDevices\n"
    "Yandex | Яндекс\n"
    "Hugging Face | HuggingFace\n"
    "  Nvidia  |  NVIDIA Research \n"
    "Bank of America\n";

static ns_analyzer *a;
static ns_vendors *v;

static void setup(void)
{
    ns_err err;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    ck_assert_msg(ns_vendors_new_from_text(&v, a, table, strlen(table), &err) == 0, "%s",
                  err.msg);
}

static void teardown(void)
{
    ns_vendors_free(v);
    ns_analyzer_free(a);
    v = NULL;
    a = NULL;
}

static const char *canon(const char *name)
{
    return ns_vendors_canonical(v, a, name, strlen(name));
}

/* Detection result: canonical names joined with ',' in order. */
typedef struct found {
    char s[512];
    int calls;
    int stop_after;
} found;

static int on_vendor(void *ctx, const char *name)
{
    found *f = ctx;
    if (f->s[0])
        strcat(f->s, ",");
    strcat(f->s, name);
    f->calls++;
    return f->stop_after && f->calls >= f->stop_after;
}

static const char *detect(const char *text, found *f)
{
    const ns_term *t;
    size_t n;
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(ns_analyze(a, text, strlen(text), 1, &t, &n, NULL, NULL), 0);
    ck_assert_int_eq(ns_vendors_detect(v, t, n, on_vendor, f), 0);
    return f->s;
}

START_TEST(table_lists_canonical_names_in_order)
{
    ck_assert_uint_eq(ns_vendors_count(v), 7);
    ck_assert_str_eq(ns_vendors_name(v, 0), "OpenAI");
    ck_assert_str_eq(ns_vendors_name(v, 5), "Nvidia");  /* trimmed */
    ck_assert_ptr_null(ns_vendors_name(v, 7));
}
END_TEST

START_TEST(canonical_sber_is_Sberbank)
{
    ck_assert_str_eq(canon("Сбер"), "Sberbank");
    ck_assert_str_eq(canon("СБЕРБАНК"), "Sberbank");
    ck_assert_str_eq(canon("Сбербанка"), "Sberbank");
    ck_assert_str_eq(canon("sberbank"), "Sberbank");
    ck_assert_str_eq(canon("  Sberbank "), "Sberbank");
}
END_TEST

START_TEST(canonical_is_case_insensitive)
{
    ck_assert_str_eq(canon("OpenAI"), "OpenAI");
    ck_assert_str_eq(canon("openai"), "OpenAI");
    ck_assert_str_eq(canon("NVIDIA"), "Nvidia");
    ck_assert_str_eq(canon("nvidia research"), "Nvidia");
}
END_TEST

START_TEST(canonical_multiword_alias)
{
    ck_assert_str_eq(canon("Hugging Face"), "Hugging Face");
    ck_assert_str_eq(canon("hugging  face"), "Hugging Face");
    ck_assert_str_eq(canon("HuggingFace"), "Hugging Face");
    ck_assert_str_eq(canon("Google Brain"), "Google");
    ck_assert_str_eq(canon("Bank of America"), "Bank of America");
}
END_TEST

START_TEST(canonical_unknown_is_NULL)
{
    ck_assert_ptr_null(canon("Acme Robotics"));
    ck_assert_ptr_null(canon("Hugging"));        /* part of an alias is not the alias */
    ck_assert_ptr_null(canon("Googleplex"));
    ck_assert_ptr_null(canon(""));
    ck_assert_ptr_null(canon("!!!"));
    ck_assert_ptr_null(ns_vendors_canonical(NULL, a, "OpenAI", 6));
}
END_TEST

START_TEST(detect_russian_inflections)
{
    found f;
    ck_assert_str_eq(detect("Беспилотники, созданные Яндексом, ездят по Москве.", &f), "Yandex");
    ck_assert_str_eq(detect("Модель Сбербанка обучена на русских текстах.", &f), "Sberbank");
    ck_assert_str_eq(detect("В Сбере рассказали о ruGPT-3.", &f), "Sberbank");
}
END_TEST

START_TEST(detect_case_and_order_of_first_appearance)
{
    found f;
    ck_assert_str_eq(detect("NVIDIA and OpenAI; later nvidia again, then google.", &f),
                     "Nvidia,OpenAI,Google");
    ck_assert_int_eq(f.calls, 3);  /* each canonical once */
}
END_TEST

START_TEST(detect_two_word_alias_needs_consecutive_words)
{
    found f;
    ck_assert_str_eq(detect("Models on Hugging Face hub", &f), "Hugging Face");
    ck_assert_str_eq(detect("a hugging, warm face", &f), "");
    ck_assert_str_eq(detect("hugging the face", &f), "");
    ck_assert_str_eq(detect("Bank of America invests", &f), "Bank of America");
}
END_TEST

START_TEST(detect_whole_words_only)
{
    found f;
    ck_assert_str_eq(detect("The Googleplex campus and OpenAIX", &f), "");
    ck_assert_str_eq(detect("", &f), "");
    /* Benchmark articles quoting man pages were tagged AMD and Arm for
     * "amd64" and "arm64": a vendor is named by whole tokens only. */
    ck_assert_str_eq(detect("packages for nvidia64 and google2, see openai_integrity", &f), "");
    ck_assert_str_eq(detect("a Google-backed startup", &f), "");
    ck_assert_str_eq(detect("built by Nvidia, licensed from Google.", &f), "Nvidia,Google");
}
END_TEST

START_TEST(detect_longest_alias_wins)
{
    found f;
    ck_assert_str_eq(detect("Google Brain researchers", &f), "Google");
    ck_assert_str_eq(detect("NVIDIA Research lab", &f), "Nvidia");
}
END_TEST

START_TEST(detect_callback_can_stop)
{
    found f;
    const ns_term *t;
    size_t n;
    const char *text = "OpenAI, Google and Yandex";
    memset(&f, 0, sizeof f);
    f.stop_after = 1;
    ck_assert_int_eq(ns_analyze(a, text, strlen(text), 1, &t, &n, NULL, NULL), 0);
    ck_assert_int_ne(ns_vendors_detect(v, t, n, on_vendor, &f), 0);
    ck_assert_str_eq(f.s, "OpenAI");
}
END_TEST

static int load(const char *text, ns_err *err)
{
    ns_vendors *x = NULL;
    int rc = ns_vendors_new_from_text(&x, a, text, strlen(text), err);
    ns_vendors_free(x);
    return rc;
}

START_TEST(bad_line_is_NS_ESYNTAX_naming_the_line)
{
    ns_err err;
    ck_assert_int_eq(load("# c\nOpenAI\nGoogle || Гугл\n", &err), NS_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3"));
    ck_assert_int_eq(load("OpenAI\n| Гугл\n", &err), NS_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 2"));
    ck_assert_int_eq(load("OpenAI\nGoogle |\n", &err), NS_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 2"));
    ck_assert_int_eq(load("OpenAI\n\n--- | ...\n", &err), NS_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3"));
}
END_TEST

START_TEST(alias_of_two_organisations_is_refused)
{
    ns_err err;
    ck_assert_int_eq(load("Google | Alphabet\nAlphabet Inc | alphabet\n", &err), NS_ESYNTAX);
    ck_assert_ptr_nonnull(strstr(err.msg, "Google"));
}
END_TEST

START_TEST(empty_table_detects_nothing)
{
    ns_vendors *x = NULL;
    ck_assert_int_eq(ns_vendors_new_from_text(&x, a, "", 0, NULL), 0);
    ck_assert_uint_eq(ns_vendors_count(x), 0);
    ck_assert_ptr_null(ns_vendors_canonical(x, a, "OpenAI", 6));
    ns_vendors_free(x);
    ns_vendors_free(NULL);
}
END_TEST

/* The bundled table (vendors/vendors.txt, compiled in) loads and names the
 * organisations the issue asks for. */
START_TEST(bundled_table_loads_and_canonicalises)
{
    ns_vendors *x = NULL;
    ns_err err;
    ck_assert_msg(ns_vendors_new(&x, a, &err) == 0, "%s", err.msg);
    ck_assert_uint_ge(ns_vendors_count(x), 30);
    ck_assert_str_eq(ns_vendors_canonical(x, a, "Сбер", strlen("Сбер")), "Sberbank");
    ck_assert_str_eq(ns_vendors_canonical(x, a, "Яндекс", strlen("Яндекс")), "Yandex");
    ck_assert_str_eq(ns_vendors_canonical(x, a, "openai", 6), "OpenAI");
    const ns_term *t;
    size_t n;
    const char *text = "Исследователи Яндекса и Сбербанка";
    found f;
    memset(&f, 0, sizeof f);
    ck_assert_int_eq(ns_analyze(a, text, strlen(text), 1, &t, &n, NULL, NULL), 0);
    ck_assert_int_eq(ns_vendors_detect(x, t, n, on_vendor, &f), 0);
    ck_assert_str_eq(f.s, "Yandex,Sberbank");
    ns_vendors_free(x);
}
END_TEST

static Suite *vendors_suite(void)
{
    return FIXTURE_SUITE("vendors", "vendors", setup, teardown, 0,
                         table_lists_canonical_names_in_order,
                         canonical_sber_is_Sberbank,
                         canonical_is_case_insensitive,
                         canonical_multiword_alias,
                         canonical_unknown_is_NULL,
                         detect_russian_inflections,
                         detect_case_and_order_of_first_appearance,
                         detect_two_word_alias_needs_consecutive_words,
                         detect_whole_words_only,
                         detect_longest_alias_wins,
                         detect_callback_can_stop,
                         bad_line_is_NS_ESYNTAX_naming_the_line,
                         alias_of_two_organisations_is_refused,
                         empty_table_detects_nothing,
                         bundled_table_loads_and_canonicalises);
}

FIXTURE_MAIN(vendors_suite)
