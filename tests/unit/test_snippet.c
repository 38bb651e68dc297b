/* test_snippet.c: choosing, cutting and marking snippets (searcher/snippet.c). */
#include "snippet.h"

#include "utf8.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static size_t S_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The marked words joined with '|'. */
static char *S_marked(const char *snip, const ns_span *m, size_t n)
{
    size_t len = strlen(snip) + n + 1;
    char *o = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        ck_assert(m[i].start < m[i].end);
        ck_assert(m[i].end <= strlen(snip));
        if (i)
            strcat(o, "|");
        strncat(o, snip + m[i].start, m[i].end - m[i].start);
    }
    return o;
}

START_TEST(inflections_are_marked_by_stem)
{
    const char *text = "Переводы и перевода: машинный перевод стал лучше.";
    const char *stems[] = { "перевод" };
    char *snip;
    ns_span *m;
    size_t n;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 1, NULL, NULL, 0, 0, &snip, &m, &n,
                                     &err), 0);
    ck_assert_str_eq(snip, text);
    char *w = S_marked(snip, m, n);
    ck_assert_str_eq(w, "Переводы|перевода|перевод");
    free(w);
    free(snip);
    free(m);
}
END_TEST

START_TEST(joined_terms_mark_the_whole_compound)
{
    const char *text = "OpenAI released GPT-3 and later gpt3 again";
    const char *stems[] = { "gpt3" };
    const char *prefixes[] = { "releas" };
    char *snip;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 1, NULL, prefixes, 1, 0, &snip, &m, &n,
                                     NULL), 0);
    char *w = S_marked(snip, m, n);
    ck_assert_str_eq(w, "released|GPT-3|gpt3");
    free(w);
    free(snip);
    free(m);
}
END_TEST

START_TEST(window_is_about_200_chars_around_the_best_passage)
{
    /* 3000 characters of filler, then both words, then filler again */
    size_t fill = 500;
    char *text = malloc(fill * 3 * 22 + 200);
    text[0] = '\0';
    for (size_t i = 0; i < fill; i++)
        strcat(text, "лорем ипсум ");
    strcat(text, "machine only here. ");
    for (size_t i = 0; i < fill / 2; i++)
        strcat(text, "лорем ипсум ");
    strcat(text, "The machine translation works. ");
    for (size_t i = 0; i < fill; i++)
        strcat(text, "лорем ипсум ");
    const char *stems[] = { "machin", "translat" };
    char *snip;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 2, NULL, NULL, 0, 200, &snip, &m, &n,
                                     NULL), 0);
    ck_assert(ns_utf8_valid(snip, strlen(snip)));
    size_t c = S_chars(snip);
    ck_assert_msg(c >= 150 && c <= 205, "snippet has %zu characters: %s", c, snip);
    ck_assert(strstr(snip, "machine translation") != NULL);
    ck_assert(strncmp(snip, "\xE2\x80\xA6", 3) == 0);
    ck_assert(strcmp(snip + strlen(snip) - 3, "\xE2\x80\xA6") == 0);
    /* whole words: after the ellipsis comes a word start */
    ck_assert(strncmp(snip + 3, "лорем", strlen("лорем")) == 0 ||
              strncmp(snip + 3, "ипсум", strlen("ипсум")) == 0);
    char *w = S_marked(snip, m, n);
    ck_assert_str_eq(w, "machine|translation");
    free(w);
    free(snip);
    free(m);
    free(text);
}
END_TEST

START_TEST(no_match_gives_the_beginning_and_collapses_whitespace)
{
    const char *text = "First  paragraph\nline.\n\nSecond paragraph.";
    const char *stems[] = { "absent" };
    char *snip;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 1, NULL, NULL, 0, 0, &snip, &m, &n,
                                     NULL), 0);
    ck_assert_str_eq(snip, "First paragraph line. Second paragraph.");
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(m);
    free(snip);
}
END_TEST

START_TEST(utf8_boundaries_are_respected_and_bad_bytes_replaced)
{
    /* one 300-character Cyrillic "word": the cut must fall between characters */
    char *text = malloc(700);
    text[0] = '\0';
    for (int i = 0; i < 300; i++)
        strcat(text, "ж");
    char *snip;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), NULL, 0, NULL, NULL, 0, 200, &snip, &m, &n,
                                     NULL), 0);
    ck_assert(ns_utf8_valid(snip, strlen(snip)));
    ck_assert_uint_eq(S_chars(snip), 201); /* 200 and the ellipsis */
    free(snip);
    free(text);
    const char bad[] = "ok \xff\xfe bytes";
    ck_assert_int_eq(ns_snippet_make(A, bad, sizeof bad - 1, NULL, 0, NULL, NULL, 0, 0, &snip, &m, &n,
                                     NULL), 0);
    ck_assert(ns_utf8_valid(snip, strlen(snip)));
    free(snip);
}
END_TEST

START_TEST(empty_text_gives_empty_snippet)
{
    char *snip;
    ns_span *m;
    size_t n;
    const char *stems[] = { "x" };
    ck_assert_int_eq(ns_snippet_make(A, "", 0, stems, 1, NULL, NULL, 0, 0, &snip, &m, &n, NULL), 0);
    ck_assert_str_eq(snip, "");
    ck_assert_uint_eq(n, 0);
    free(snip);
}
END_TEST

/* A text with "alpha" at its start and "alpha beta" after 3 KB of filler. */
static char *S_far_text(void)
{
    size_t cap = 4096;
    char *t = malloc(cap);
    strcpy(t, "alpha opens the text.");
    while (strlen(t) < 3000)
        strcat(t, " filler words go here");
    strcat(t, " then alpha beta close it.");
    return t;
}

/* The snippet of text for stems with presence `present`, and its marked
 * words joined by '|' (both the caller's to free). */
static char *S_present_snippet(const char *text, const char *const *stems, size_t nstems,
                               const unsigned char *present, char **marked)
{
    char *snip;
    ns_span *m;
    size_t n;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, nstems, present, NULL, 0, 200,
                                     &snip, &m, &n, &err), 0);
    *marked = S_marked(snip, m, n);
    free(m);
    return snip;
}

START_TEST(present_stems_stop_the_scan_once_found)
{
    const char *stems[] = { "alpha", "beta" };
    char *text = S_far_text(), *snip, *w;

    /* presence unknown: the text is read to the end, and the window with
     * both words wins */
    snip = S_present_snippet(text, stems, 2, NULL, &w);
    ck_assert_str_eq(w, "alpha|beta");
    free(w);
    free(snip);

    /* the article has only "alpha": reading stops after the first kilobyte,
     * whose window is the opening */
    const unsigned char only_alpha[] = { 1, 0 };
    snip = S_present_snippet(text, stems, 2, only_alpha, &w);
    ck_assert(strncmp(snip, "alpha opens", 11) == 0);
    ck_assert_str_eq(w, "alpha");
    free(w);
    free(snip);

    /* none of the stems: nothing is sought, the opening is shown unmarked */
    const unsigned char none[] = { 0, 0 };
    snip = S_present_snippet(text, stems, 2, none, &w);
    ck_assert(strncmp(snip, "alpha opens", 11) == 0);
    ck_assert_str_eq(w, "");
    free(w);
    free(snip);
    free(text);
}
END_TEST

START_TEST(a_query_struct_finds_what_the_positional_form_finds)
{
    const char *text = "Машинный перевод: переводы GPT-3 и gpt3 в 2020 году, released twice.";
    const char *stems[] = { "перевод", "gpt3" };
    const char *prefixes[] = { "releas" };
    char *s1, *s2;
    ns_span *m1, *m2;
    size_t n1, n2;
    ns_err err = { 0, "" };
    ns_snippet_query q = NS_SNIPPET_QUERY_INIT;
    q.stems = stems;
    q.nstems = 2;
    q.prefixes = prefixes;
    q.nprefixes = 1;
    q.chars = 30;
    ck_assert_int_eq(ns_snippet_find(A, text, strlen(text), &q, &s1, &m1, &n1, &err), 0);
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 2, NULL, prefixes, 1, 30, &s2,
                                     &m2, &n2, &err), 0);
    ck_assert_str_eq(s1, s2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_uint_gt(n1, 0);
    ck_assert_mem_eq(m1, m2, n1 * sizeof *m1);
    ck_assert_ptr_nonnull(strstr(s1, "\xE2\x80\xA6")); /* 30 characters cut it */
    free(s1);
    free(s2);
    free(m1);
    free(m2);
    /* the empty query: the opening, about 200 characters, no marks */
    ns_snippet_query none = NS_SNIPPET_QUERY_INIT;
    ck_assert_int_eq(ns_snippet_find(A, text, strlen(text), &none, &s1, &m1, &n1, &err), 0);
    ck_assert_str_eq(s1, text);
    ck_assert_uint_eq(n1, 0);
    ck_assert_ptr_null(m1);
    free(s1);
}
END_TEST

/* The copy's marks point at the marked words after the runs before them
 * were collapsed and the bad byte replaced (three bytes for one). */
START_TEST(marks_follow_collapsed_whitespace_and_replaced_bytes)
{
    const char *text = "x\t\t\x01 alpha\xFF beta  \x7F gamma";
    const char *stems[] = { "alpha", "gamma" };
    char *snip;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 2, NULL, NULL, 0, 0, &snip, &m, &n,
                                     NULL), 0);
    ck_assert_str_eq(snip, "x alpha\xEF\xBF\xBD beta gamma");
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(m[0].start, 2);
    ck_assert_uint_eq(m[0].end, 7);
    ck_assert_uint_eq(m[1].start, 16);
    ck_assert_uint_eq(m[1].end, 21);
    free(snip);
    free(m);
}
END_TEST

static Suite *S_suite(void)
{
    Suite *s = suite_create("snippet");
    TCase *t = tcase_create("snippet");
    tcase_add_checked_fixture(t, fixture_setup, fixture_teardown);
    tcase_add_test(t, inflections_are_marked_by_stem);
    tcase_add_test(t, joined_terms_mark_the_whole_compound);
    tcase_add_test(t, window_is_about_200_chars_around_the_best_passage);
    tcase_add_test(t, no_match_gives_the_beginning_and_collapses_whitespace);
    tcase_add_test(t, utf8_boundaries_are_respected_and_bad_bytes_replaced);
    tcase_add_test(t, empty_text_gives_empty_snippet);
    tcase_add_test(t, present_stems_stop_the_scan_once_found);
    tcase_add_test(t, a_query_struct_finds_what_the_positional_form_finds);
    tcase_add_test(t, marks_follow_collapsed_whitespace_and_replaced_bytes);
    suite_add_tcase(s, t);
    return s;
}

FIXTURE_MAIN(S_suite)
