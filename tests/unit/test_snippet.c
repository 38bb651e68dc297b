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

/* One snippet (ns_snippet_make's answer) and its marked words joined with '|'. */
typedef struct snip {
    char *text;
    ns_span *m;
    size_t n;
    char *marked;
} snip;

/* The snippet of text[0..len) for stems (with presence `present`, may be
 * NULL) and prefixes, of about chars characters (0: the default). */
static snip S_make(const char *text, size_t len, const char *const *stems, size_t nstems,
                   const unsigned char *present, const char *const *prefixes, size_t nprefixes,
                   size_t chars)
{
    snip s;
    ns_err err = { 0, "" };
    ck_assert_msg(ns_snippet_make(A, text, len, stems, nstems, present, prefixes, nprefixes, chars,
                                  &s.text, &s.m, &s.n, &err) == 0, "%s", err.msg);
    s.marked = S_marked(s.text, s.m, s.n);
    return s;
}

static void S_free(snip *s)
{
    free(s->text);
    free(s->m);
    free(s->marked);
}

START_TEST(inflections_are_marked_by_stem)
{
    const char *text = "Переводы и перевода: машинный перевод стал лучше.";
    const char *stems[] = { "перевод" };
    snip s = S_make(text, strlen(text), stems, 1, NULL, NULL, 0, 0);
    ck_assert_str_eq(s.text, text);
    ck_assert_str_eq(s.marked, "Переводы|перевода|перевод");
    S_free(&s);
}
END_TEST

START_TEST(joined_terms_mark_the_whole_compound)
{
    const char *text = "OpenAI released GPT-3 and later gpt3 again";
    const char *stems[] = { "gpt3" };
    const char *prefixes[] = { "releas" };
    snip s = S_make(text, strlen(text), stems, 1, NULL, prefixes, 1, 0);
    ck_assert_str_eq(s.marked, "released|GPT-3|gpt3");
    S_free(&s);
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
    snip s = S_make(text, strlen(text), stems, 2, NULL, NULL, 0, 200);
    const char *w = s.text;
    ck_assert(ns_utf8_valid(w, strlen(w)));
    size_t c = S_chars(w);
    ck_assert_msg(c >= 150 && c <= 205, "snippet has %zu characters: %s", c, w);
    ck_assert(strstr(w, "machine translation") != NULL);
    ck_assert(strncmp(w, "\xE2\x80\xA6", 3) == 0);
    ck_assert(strcmp(w + strlen(w) - 3, "\xE2\x80\xA6") == 0);
    /* whole words: after the ellipsis comes a word start */
    ck_assert(strncmp(w + 3, "лорем", strlen("лорем")) == 0 ||
              strncmp(w + 3, "ипсум", strlen("ипсум")) == 0);
    ck_assert_str_eq(s.marked, "machine|translation");
    S_free(&s);
    free(text);
}
END_TEST

START_TEST(no_match_gives_the_beginning_and_collapses_whitespace)
{
    const char *text = "First  paragraph\nline.\n\nSecond paragraph.";
    const char *stems[] = { "absent" };
    snip s = S_make(text, strlen(text), stems, 1, NULL, NULL, 0, 0);
    ck_assert_str_eq(s.text, "First paragraph line. Second paragraph.");
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.m);
    S_free(&s);
}
END_TEST

START_TEST(utf8_boundaries_are_respected_and_bad_bytes_replaced)
{
    /* one 300-character Cyrillic "word": the cut must fall between characters */
    char *text = malloc(700);
    text[0] = '\0';
    for (int i = 0; i < 300; i++)
        strcat(text, "ж");
    snip s = S_make(text, strlen(text), NULL, 0, NULL, NULL, 0, 200);
    ck_assert(ns_utf8_valid(s.text, strlen(s.text)));
    ck_assert_uint_eq(S_chars(s.text), 201); /* 200 and the ellipsis */
    S_free(&s);
    free(text);
    const char bad[] = "ok \xff\xfe bytes";
    s = S_make(bad, sizeof bad - 1, NULL, 0, NULL, NULL, 0, 0);
    ck_assert(ns_utf8_valid(s.text, strlen(s.text)));
    S_free(&s);
}
END_TEST

START_TEST(empty_text_gives_empty_snippet)
{
    const char *stems[] = { "x" };
    snip s = S_make("", 0, stems, 1, NULL, NULL, 0, 0);
    ck_assert_str_eq(s.text, "");
    ck_assert_uint_eq(s.n, 0);
    S_free(&s);
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

START_TEST(present_stems_stop_the_scan_once_found)
{
    const char *stems[] = { "alpha", "beta" };
    char *text = S_far_text();

    /* presence unknown: the text is read to the end, and the window with
     * both words wins */
    snip s = S_make(text, strlen(text), stems, 2, NULL, NULL, 0, 200);
    ck_assert_str_eq(s.marked, "alpha|beta");
    S_free(&s);

    /* the article has only "alpha": reading stops after the first kilobyte,
     * whose window is the opening */
    const unsigned char only_alpha[] = { 1, 0 };
    s = S_make(text, strlen(text), stems, 2, only_alpha, NULL, 0, 200);
    ck_assert(strncmp(s.text, "alpha opens", 11) == 0);
    ck_assert_str_eq(s.marked, "alpha");
    S_free(&s);

    /* none of the stems: nothing is sought, the opening is shown unmarked */
    const unsigned char none[] = { 0, 0 };
    s = S_make(text, strlen(text), stems, 2, none, NULL, 0, 200);
    ck_assert(strncmp(s.text, "alpha opens", 11) == 0);
    ck_assert_str_eq(s.marked, "");
    S_free(&s);
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
    char *text_out;
    ns_span *m;
    size_t n;
    ck_assert_int_eq(ns_snippet_make(A, text, strlen(text), stems, 2, NULL, NULL, 0, 0, &text_out, &m, &n,
                                     NULL), 0);
    ck_assert_str_eq(text_out, "x alpha\xEF\xBF\xBD beta gamma");
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(m[0].start, 2);
    ck_assert_uint_eq(m[0].end, 7);
    ck_assert_uint_eq(m[1].start, 16);
    ck_assert_uint_eq(m[1].end, 21);
    free(text_out);
    free(m);
}
END_TEST

static Suite *S_suite(void)
{
    return FIXTURE_SUITE("snippet", "snippet", fixture_setup, fixture_teardown, 0,
                         inflections_are_marked_by_stem,
                         joined_terms_mark_the_whole_compound,
                         window_is_about_200_chars_around_the_best_passage,
                         no_match_gives_the_beginning_and_collapses_whitespace,
                         utf8_boundaries_are_respected_and_bad_bytes_replaced,
                         empty_text_gives_empty_snippet,
                         present_stems_stop_the_scan_once_found,
                         a_query_struct_finds_what_the_positional_form_finds,
                         marks_follow_collapsed_whitespace_and_replaced_bytes);
}

FIXTURE_MAIN(S_suite)
