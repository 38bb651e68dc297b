/* test_analyze_match.c: ns_analyze_match (the snippet's filtered analysis)
 * must give every wanted term exactly as ns_analyze does: same term, pos,
 * token, byte range and flags, in the same order. Checked word by word over
 * Snowball's whole English and Russian vocabularies (every word must still
 * find its own stem, and a short prefix of it), and term by term over mixed
 * texts with compounds, marks, other scripts and stopwords. */
#include "analyze.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNOWBALL_DATA "/usr/share/snowball/data"

/* A wanted-term filter as the snippet applies it. */
static int wanted(const ns_term *t, const char *const *terms, size_t nterms,
                  const char *const *prefixes, size_t nprefixes)
{
    if (t->flags & NS_TERM_STOP)
        return 0;
    for (size_t i = 0; i < nterms; i++)
        if (strlen(terms[i]) == t->len && memcmp(terms[i], t->term, t->len) == 0)
            return 1;
    for (size_t i = 0; i < nprefixes; i++) {
        size_t pl = strlen(prefixes[i]);
        if (pl <= t->len && memcmp(prefixes[i], t->term, pl) == 0)
            return 1;
    }
    return 0;
}

typedef struct copy {
    char term[NS_TERM_MAX + 1];
    uint32_t pos, token;
    size_t start, end;
    unsigned flags;
} copy;

/* The wanted terms of an analysis, copied (the analyzer's memory is reused). */
static size_t keep(const ns_term *t, size_t n, const char *const *terms, size_t nterms,
                   const char *const *prefixes, size_t nprefixes, copy **out)
{
    copy *c = calloc(n + 1, sizeof *c);
    size_t m = 0;
    ck_assert_ptr_nonnull(c);
    for (size_t i = 0; i < n; i++) {
        if (!wanted(&t[i], terms, nterms, prefixes, nprefixes))
            continue;
        memcpy(c[m].term, t[i].term, t[i].len + 1);
        c[m].pos = t[i].pos;
        c[m].token = t[i].token;
        c[m].start = t[i].start;
        c[m].end = t[i].end;
        c[m].flags = t[i].flags;
        m++;
    }
    *out = c;
    return m;
}

static void check_same(ns_analyzer *a, const char *text, const char *const *terms, size_t nterms,
                       const char *const *prefixes, size_t nprefixes)
{
    const ns_term *t;
    size_t n;
    ns_err err;
    copy *full, *part;
    ck_assert_int_eq(ns_analyze(a, text, strlen(text), 1, &t, &n, NULL, &err), 0);
    size_t nf = keep(t, n, terms, nterms, prefixes, nprefixes, &full);
    ck_assert_int_eq(ns_analyze_match(a, text, strlen(text), 1, terms, nterms, prefixes,
                                      nprefixes, &t, &n, &err), 0);
    size_t np = keep(t, n, terms, nterms, prefixes, nprefixes, &part);
    ck_assert_msg(nf == np, "'%.60s' wanting '%s': %zu terms in full, %zu filtered", text,
                  nterms ? terms[0] : prefixes[0], nf, np);
    for (size_t i = 0; i < nf; i++) {
        ck_assert_str_eq(full[i].term, part[i].term);
        ck_assert_uint_eq(full[i].pos, part[i].pos);
        ck_assert_uint_eq(full[i].token, part[i].token);
        ck_assert_uint_eq(full[i].start, part[i].start);
        ck_assert_uint_eq(full[i].end, part[i].end);
        ck_assert_uint_eq(full[i].flags, part[i].flags);
    }
    free(full);
    free(part);
}

/* Every term of text, wanted alone, as a whole term and as a 1-3 byte prefix. */
static void check_every_term(const char *text)
{
    ns_analyzer *a = NULL;
    ns_err err;
    const ns_term *t;
    size_t n;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    ck_assert_int_eq(ns_analyze(a, text, strlen(text), 1, &t, &n, NULL, &err), 0);
    char **terms = calloc(n + 1, sizeof *terms);
    ck_assert_ptr_nonnull(terms);
    for (size_t i = 0; i < n; i++)
        terms[i] = strdup(t[i].term);
    for (size_t i = 0; i < n; i++) {
        if (!terms[i][0])
            continue;
        const char *w[1] = { terms[i] };
        check_same(a, text, w, 1, NULL, 0);
        for (size_t pl = 1; pl <= 3 && pl <= strlen(terms[i]); pl++) {
            char pre[4] = "";
            memcpy(pre, terms[i], pl);
            pre[pl] = '\0';
            const char *p[1] = { pre };
            check_same(a, text, NULL, 0, p, 1);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(terms[i]);
    free(terms);
    ns_analyzer_free(a);
}

START_TEST(mixed_text_gives_each_wanted_term_as_full_analysis)
{
    check_every_term("GPT-3 and StyleGAN2 were pre-trained on 98.5% of M2M-100's data; "
                     "OpenAI's models, don't they? Straße ﬁne café naïve Ёлка ёжик ЁЖИК "
                     "Яndex переводы перевода переводчик x86-64 ls-files dying lying tying "
                     "skies skis ugly early only gently idly Ελληνικά 日本語 й "
                     "и\xCC\x86 co\xC2\xADoperation the of and в на не hoping hopped ties");
}
END_TEST

START_TEST(upper_case_and_mixed_words_match_folded_terms)
{
    check_every_term("TRANSFORMERS Transformers transformer Translation TRANSLATED "
                     "Нейросети НЕЙРОСЕТЬ нейросетями Dying DYING Lying");
}
END_TEST

START_TEST(several_terms_and_prefixes_at_once)
{
    ns_analyzer *a = NULL;
    ns_err err;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    const char *text = "Microsoft licensed GPT-3 from OpenAI; translators translate "
                       "переводы и перевода, and the model was dying to be used.";
    const char *terms[] = { "gpt3", "licens", "перевод", "die" };
    const char *prefixes[] = { "transl", "o" };
    check_same(a, text, terms, 4, prefixes, 2);
    check_same(a, text, terms, 4, NULL, 0);
    check_same(a, text, NULL, 0, prefixes, 2);
    /* an empty prefix wants every word */
    const char *all[] = { "" };
    check_same(a, text, NULL, 0, all, 1);
    /* nothing wanted: no word can match, positions still count */
    const ns_term *t;
    size_t n;
    ck_assert_int_eq(ns_analyze_match(a, text, strlen(text), 1, NULL, 0, NULL, 0, &t, &n, &err),
                     0);
    ck_assert_int_eq(ns_analyze_match(a, "", 0, 1, terms, 4, NULL, 0, &t, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ns_analyzer_free(a);
}
END_TEST

/* Each word of a Snowball vocabulary must find its own stem, and the first
 * one and two characters of it as prefixes. */
static void check_vocabulary(const char *lang)
{
    char path[256]; /* our own constant path, not user text */
    snprintf(path, sizeof path, "%s/%s/voc.txt", SNOWBALL_DATA, lang);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s is missing: install snowball-data", path);
    ns_analyzer *a = NULL;
    ns_err err;
    ck_assert_int_eq(ns_analyzer_new(&a, &err), 0);
    char *w = NULL;
    size_t wc = 0, checked = 0;
    ssize_t wn;
    char stem[NS_TERM_MAX + 1];
    while ((wn = getline(&w, &wc, f)) >= 0) {
        while (wn > 0 && (w[wn - 1] == '\n' || w[wn - 1] == '\r'))
            w[--wn] = '\0';
        const char *term;
        size_t tlen;
        int stop;
        if (ns_analyze_word(a, w, (size_t)wn, &term, &tlen, &stop, &err) < 0 || stop || !tlen)
            continue;
        memcpy(stem, term, tlen + 1);
        const ns_term *t;
        size_t n;
        const char *terms[1] = { stem };
        ck_assert_int_eq(ns_analyze_match(a, w, (size_t)wn, 1, terms, 1, NULL, 0, &t, &n, &err),
                         0);
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= t[i].len == tlen && memcmp(t[i].term, stem, tlen) == 0;
        ck_assert_msg(found, "%s: '%s' (stem '%s') was filtered out", lang, w, stem);
        for (size_t chars = 1; chars <= 2; chars++) {
            char pre[16];
            size_t b = 0;
            for (size_t c = 0; c < chars && b < tlen; c++)
                b += ((unsigned char)stem[b] < 0x80) ? 1 : 2;
            if (b > tlen || b >= sizeof pre)
                continue;
            memcpy(pre, stem, b);
            pre[b] = '\0';
            const char *prefixes[1] = { pre };
            ck_assert_int_eq(ns_analyze_match(a, w, (size_t)wn, 1, NULL, 0, prefixes, 1, &t, &n,
                                              &err), 0);
            found = 0;
            for (size_t i = 0; i < n; i++)
                found |= t[i].len == tlen && memcmp(t[i].term, stem, tlen) == 0;
            ck_assert_msg(found, "%s: '%s' (stem '%s') was filtered out for prefix '%s'", lang,
                          w, stem, pre);
        }
        checked++;
    }
    ck_assert_uint_gt(checked, 20000);
    free(w);
    fclose(f);
    ns_analyzer_free(a);
}

START_TEST(every_english_snowball_word_finds_its_stem)
{
    check_vocabulary("english");
}
END_TEST

START_TEST(every_russian_snowball_word_finds_its_stem)
{
    check_vocabulary("russian");
}
END_TEST

static Suite *suite(void)
{
    /* valgrind runs are slow */
    return FIXTURE_SUITE("analyze_match", "core", NULL, NULL, 600,
                         mixed_text_gives_each_wanted_term_as_full_analysis,
                         upper_case_and_mixed_words_match_folded_terms,
                         several_terms_and_prefixes_at_once,
                         every_english_snowball_word_finds_its_stem,
                         every_russian_snowball_word_finds_its_stem);
}

FIXTURE_MAIN(suite)
