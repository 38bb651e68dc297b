/* test_snowball_voc.c: our whole normalise + stem path against Snowball's own
 * test vocabularies (Debian package snowball-data: voc.txt, one word a line,
 * and output.txt, its stem on the same line). Every word goes through
 * ns_analyze_word; stopwords and words that are not exactly one one-part
 * token ("'s", "aa'", digits) are counted apart. At least 99.9% of the rest
 * must give Snowball's stem: a lower figure means our folding or our choice of
 * stemmer differs from the algorithm the index claims to use. */
#include "analyze.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNOWBALL_DATA "/usr/share/snowball/data"

static FILE *open_data(const char *lang, const char *file)
{
    char path[256]; /* our own constant paths, not user text */
    snprintf(path, sizeof path, "%s/%s/%s", SNOWBALL_DATA, lang, file);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL,
                  "%s is missing: install the Debian package snowball-data "
                  "(apt-get install snowball-data)", path);
    return f;
}

static void chomp(char *s, ssize_t *n)
{
    while (*n > 0 && (s[*n - 1] == '\n' || s[*n - 1] == '\r'))
        s[--*n] = '\0';
}

static void check_language(const char *lang)
{
    FILE *voc = open_data(lang, "voc.txt");
    FILE *outf = open_data(lang, "output.txt");
    ns_analyzer *a = NULL;
    ns_err err;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    char *w = NULL, *e = NULL;
    size_t wc = 0, ec = 0;
    ssize_t wn, en;
    size_t checked = 0, agreed = 0, stops = 0, multi = 0, lines = 0;
    while ((wn = getline(&w, &wc, voc)) >= 0) {
        en = getline(&e, &ec, outf);
        ck_assert_msg(en >= 0, "%s: output.txt is shorter than voc.txt", lang);
        chomp(w, &wn);
        chomp(e, &en);
        lines++;
        const ns_term *t;
        size_t n;
        uint32_t next;
        ck_assert_int_eq(ns_analyze(a, w, (size_t)wn, 1, &t, &n, &next, &err), 0);
        /* one token covering the whole word, of one part */
        if (next != 2 || n != 1 || t[0].start != 0 || t[0].end != (size_t)wn) {
            multi++;
            continue;
        }
        const char *term;
        size_t tl;
        int stop;
        ck_assert_int_eq(ns_analyze_word(a, w, (size_t)wn, &term, &tl, &stop, &err), 0);
        if (stop) {
            stops++;
            continue;
        }
        checked++;
        if (tl == (size_t)en && memcmp(term, e, tl) == 0) {
            agreed++;
        } else if (checked - agreed <= 20) {
            printf("%s mismatch: %s -> %s, Snowball %s\n", lang, w, term, e);
        }
    }
    ck_assert_msg(getline(&e, &ec, outf) < 0, "%s: output.txt is longer than voc.txt", lang);
    printf("%s: %zu words, %zu checked, %zu agree (%.3f%%), %zu stopwords, %zu not one part\n",
           lang, lines, checked, agreed, checked ? 100.0 * (double)agreed / (double)checked : 0.0,
           stops, multi);
    fflush(stdout);
    ck_assert_msg(checked > 1000, "%s: only %zu words checked", lang, checked);
    ck_assert_msg((double)agreed >= 0.999 * (double)checked,
                  "%s: %zu of %zu words give Snowball's stem (< 99.9%%)", lang, agreed, checked);
    free(w);
    free(e);
    fclose(voc);
    fclose(outf);
    ns_analyzer_free(a);
}

START_TEST(english_vocabulary_gives_snowball_stems)
{
    check_language("english");
}
END_TEST

START_TEST(russian_vocabulary_gives_snowball_stems)
{
    check_language("russian");
}
END_TEST

static Suite *snowball_voc_suite(void)
{
    /* valgrind runs are slow */
    return FIXTURE_SUITE("snowball_voc", "voc", NULL, NULL, 600,
                         english_vocabulary_gives_snowball_stems,
                         russian_vocabulary_gives_snowball_stems);
}

FIXTURE_MAIN(snowball_voc_suite)
