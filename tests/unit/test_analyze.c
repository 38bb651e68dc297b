/* test_analyze.c: the analyser (src/analyze.h). Most behaviour is in the table
 * tests/unit/analyze_cases.tsv (one loop test per row); this file checks the
 * table against ns_analyze_dump and ns_analyze, and the API's edges. */
#include "analyze.h"
#include "data.h"
#include "utf8.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the case table ------------------------------------------------------- */

typedef struct row {
    int line;
    ns_buf input, expect, positions;
} row;

static row *rows;
static size_t nrows;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void unescape(ns_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            if (e == 't')
                c = '\t';
            else if (e == 'n')
                c = '\n';
            else if (e == 'x' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
            } else
                c = e;
        }
        ns_buf_append(out, &c, 1);
    }
}

static const char *table_path(ns_buf *b)
{
    const char *top = getenv("NS_TOP");
    ns_buf_reset(b);
    ns_buf_printf(b, "%s/tests/unit/analyze_cases.tsv", top ? top : ".");
    return ns_buf_cstr(b);
}

/* Read the table; 0 or -1 (the message then goes to stderr). */
static int load_table(void)
{
    ns_buf path = NS_BUF_INIT;
    FILE *f = fopen(table_path(&path), "r");
    if (!f) {
        fprintf(stderr, "cannot open %s (set NS_TOP to the source tree)\n", ns_buf_cstr(&path));
        ns_buf_free(&path);
        return -1;
    }
    ns_buf_free(&path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t');
        if (!t1) {
            fprintf(stderr, "analyze_cases.tsv:%d: no TAB\n", lineno);
            continue;
        }
        char *t2 = strchr(t1 + 1, '\t');
        rows = realloc(rows, (nrows + 1) * sizeof *rows);
        row *r = &rows[nrows++];
        memset(r, 0, sizeof *r);
        r->line = lineno;
        unescape(&r->input, line, (size_t)(t1 - line));
        char *end2 = t2 ? t2 : line + n;
        unescape(&r->expect, t1 + 1, (size_t)(end2 - t1 - 1));
        if (t2)
            ns_buf_puts(&r->positions, t2 + 1);
    }
    free(line);
    fclose(f);
    return 0;
}

static void free_table(void)
{
    for (size_t i = 0; i < nrows; i++) {
        ns_buf_free(&rows[i].input);
        ns_buf_free(&rows[i].expect);
        ns_buf_free(&rows[i].positions);
    }
    free(rows);
}

static ns_analyzer *new_analyzer(void)
{
    ns_analyzer *a = NULL;
    ns_err err;
    ck_assert_msg(ns_analyzer_new(&a, &err) == 0, "ns_analyzer_new: %s", err.msg);
    return a;
}

START_TEST(table_case_gives_expected_analysis)
{
    const row *r = &rows[_i];
    ns_analyzer *a = new_analyzer();
    ns_buf out = NS_BUF_INIT, pos = NS_BUF_INIT, expect = NS_BUF_INIT;
    ns_err err;
    ck_assert_int_eq(ns_analyze_dump(a, r->input.data ? r->input.data : "", r->input.len, &out,
                                     &err), 0);
    /* the table leaves out the final newline */
    ns_buf_puts(&expect, ns_buf_cstr(&r->expect));
    if (expect.len)
        ns_buf_putc(&expect, '\n');
    ck_assert_msg(strcmp(ns_buf_cstr(&out), ns_buf_cstr(&expect)) == 0,
                  "analyze_cases.tsv:%d: got\n%s\nexpected\n%s", r->line, ns_buf_cstr(&out),
                  ns_buf_cstr(&expect));
    if (r->positions.len) {
        const ns_term *t;
        size_t n;
        ck_assert_int_eq(ns_analyze(a, r->input.data, r->input.len, 1, &t, &n, NULL, &err), 0);
        for (size_t i = 0; i < n; i++) {
            if (t[i].flags & (NS_TERM_STOP | NS_TERM_JOINED))
                continue;
            ns_buf_printf(&pos, "%s%s@%u", pos.len ? " " : "", t[i].term, (unsigned)t[i].pos);
        }
        ck_assert_msg(strcmp(ns_buf_cstr(&pos), r->positions.data) == 0,
                      "analyze_cases.tsv:%d: positions %s, expected %s", r->line,
                      ns_buf_cstr(&pos), r->positions.data);
    }
    ns_buf_free(&out);
    ns_buf_free(&pos);
    ns_buf_free(&expect);
    ns_analyzer_free(a);
}
END_TEST

/* ---- API behaviours -------------------------------------------------------- */

static const ns_term *analyze(ns_analyzer *a, const char *s, size_t len, uint32_t first,
                              size_t *n, uint32_t *next)
{
    const ns_term *t = NULL;
    ns_err err;
    ck_assert_msg(ns_analyze(a, s, len, first, &t, n, next, &err) == 0, "ns_analyze: %s",
                  err.msg);
    return t;
}

START_TEST(stopword_keeps_position_with_empty_term_and_flag)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    uint32_t next;
    const ns_term *t = analyze(a, "the art", 7, 1, &n, &next);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(t[0].term, "");
    ck_assert_uint_eq(t[0].len, 0);
    ck_assert_uint_eq(t[0].flags, NS_TERM_STOP);
    ck_assert_uint_eq(t[0].pos, 1);
    ck_assert_str_eq(t[1].term, "art");
    ck_assert_uint_eq(t[1].pos, 2);
    ck_assert_uint_eq(next, 3);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(compound_gives_joined_term_first_without_position)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    const char *s = "see GPT-3 now";
    const ns_term *t = analyze(a, s, strlen(s), 10, &n, NULL);
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq(t[0].term, "see");
    ck_assert_uint_eq(t[0].pos, 10);
    ck_assert_uint_eq(t[0].token, 0);
    ck_assert_str_eq(t[1].term, "gpt3");
    ck_assert_uint_eq(t[1].flags, NS_TERM_JOINED);
    ck_assert_uint_eq(t[1].pos, 0);
    ck_assert_uint_eq(t[1].token, 1);
    ck_assert_uint_eq(t[1].start, 4);
    ck_assert_uint_eq(t[1].end, 9);
    ck_assert_str_eq(t[2].term, "gpt");
    ck_assert_uint_eq(t[2].pos, 11);
    ck_assert_uint_eq(t[2].start, 4);
    ck_assert_uint_eq(t[2].end, 7);
    ck_assert_str_eq(t[3].term, "3");
    ck_assert_uint_eq(t[3].pos, 12);
    ck_assert_uint_eq(t[3].start, 8);
    ck_assert_uint_eq(t[3].end, 9);
    ck_assert_str_eq(t[4].term, "now");
    ck_assert_uint_eq(t[4].pos, 13);
    ck_assert_uint_eq(t[4].token, 2);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(next_pos_continues_after_title_for_body)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    uint32_t next = 0;
    analyze(a, "Big News", 8, 1, &n, &next);
    ck_assert_uint_eq(next, 3);
    const ns_term *t = analyze(a, "body", 4, next + 100, &n, &next);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(t[0].pos, 103);
    ck_assert_uint_eq(next, 104);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(word_of_300_bytes_is_skipped_but_uses_a_position)
{
    ns_analyzer *a = new_analyzer();
    ns_buf b = NS_BUF_INIT;
    ns_buf_puts(&b, "alpha ");
    for (int i = 0; i < 300; i++)
        ns_buf_putc(&b, (char)('a' + i % 26));
    ns_buf_puts(&b, " omega ");
    for (int i = 0; i < 150; i++)
        ns_buf_puts(&b, "ж"); /* 300 bytes of Cyrillic: the slow path */
    ns_buf_puts(&b, " end");
    size_t n;
    uint32_t next;
    const ns_term *t = analyze(a, b.data, b.len, 1, &n, &next);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(t[0].term, "alpha");
    ck_assert_uint_eq(t[0].pos, 1);
    ck_assert_str_eq(t[1].term, "omega");
    ck_assert_uint_eq(t[1].pos, 3);
    ck_assert_str_eq(t[2].term, "end");
    ck_assert_uint_eq(t[2].pos, 5);
    ck_assert_uint_eq(next, 6);
    ns_buf_free(&b);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(term_of_exactly_NS_TERM_MAX_bytes_is_kept)
{
    ns_analyzer *a = new_analyzer();
    char s[NS_TERM_MAX + 1];
    memset(s, '7', sizeof s);
    size_t n;
    const ns_term *t = analyze(a, s, NS_TERM_MAX, 1, &n, NULL);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(t[0].len, NS_TERM_MAX);
    t = analyze(a, s, NS_TERM_MAX + 1, 1, &n, NULL);
    ck_assert_uint_eq(n, 0);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(empty_input_gives_no_terms)
{
    ns_analyzer *a = new_analyzer();
    size_t n = 99;
    uint32_t next = 0;
    analyze(a, "", 0, 5, &n, &next);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(next, 5);
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_analyze_dump(a, "", 0, &out, NULL), 0);
    ck_assert_str_eq(ns_buf_cstr(&out), "");
    ns_buf_free(&out);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(punctuation_only_gives_no_terms)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    uint32_t next;
    const char *s = " -- ... '' !? «» — / @ %% ' - _ ";
    analyze(a, s, strlen(s), 1, &n, &next);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(next, 1);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(stopwords_only_give_only_stop_terms)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    uint32_t next;
    const char *s = "The and OF и Не то";
    const ns_term *t = analyze(a, s, strlen(s), 1, &n, &next);
    ck_assert_uint_eq(n, 6);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(t[i].flags, NS_TERM_STOP);
        ck_assert_uint_eq(t[i].len, 0);
        ck_assert_uint_eq(t[i].pos, i + 1);
    }
    ck_assert_uint_eq(next, 7);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(nul_bytes_inside_text_separate_tokens)
{
    ns_analyzer *a = new_analyzer();
    size_t n;
    const ns_term *t = analyze(a, "abc\0def\0\0", 9, 1, &n, NULL);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(t[0].term, "abc");
    ck_assert_str_eq(t[1].term, "def");
    ns_analyzer_free(a);
}
END_TEST

START_TEST(random_bytes_give_only_valid_bounded_terms)
{
    ns_analyzer *a = new_analyzer();
    unsigned seed = 12345;
    char *s = malloc(65536);
    /* bytes biased towards UTF-8 lead/continuation bytes and connectors */
    static const char pool[] = "aZ9-'._ \xd0\xd1\xb0\x80\xcc\x81\xe2\x80\x99\xf0\x9f\xff\x00";
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < 65536; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = pool[(seed >> 16) % (sizeof pool - 1)];
        }
        size_t n;
        const ns_term *t = analyze(a, s, 65536, 1, &n, NULL);
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(strlen(t[i].term), t[i].len);
            ck_assert(ns_utf8_valid(t[i].term, t[i].len));
            ck_assert(t[i].len <= NS_TERM_MAX);
            ck_assert(t[i].len > 0 || (t[i].flags & NS_TERM_STOP));
            ck_assert(t[i].start < t[i].end && t[i].end <= 65536);
        }
    }
    free(s);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(huge_input_of_1MB_is_analysed)
{
    ns_analyzer *a = new_analyzer();
    const char *chunk = "The quick brown fox jumps over GPT-3 и нейросети переводят тексты. ";
    size_t cl = strlen(chunk), reps = (1u << 20) / cl + 1;
    ns_buf b = NS_BUF_INIT;
    for (size_t i = 0; i < reps; i++)
        ns_buf_append(&b, chunk, cl);
    size_t n;
    uint32_t next;
    const ns_term *t = analyze(a, b.data, b.len, 1, &n, &next);
    /* 12 positions and 13 terms (one joined) per chunk */
    ck_assert_uint_eq(next, 1 + 12 * reps);
    ck_assert_uint_eq(n, 13 * reps);
    ck_assert_str_eq(t[n - 1].term, "текст");
    ck_assert_uint_eq(t[n - 1].pos, 12 * reps);
    /* the same analyzer is reused after growing */
    t = analyze(a, "ok", 2, 1, &n, NULL);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(t[0].term, "ok");
    ns_buf_free(&b);
    ns_analyzer_free(a);
}
END_TEST

/* ---- caps on one word (issue #13, finding 4) ------------------------------ */

/* "a1a1..." of parts parts, between "alpha " and " omega". */
static void parts_word(ns_buf *b, size_t parts)
{
    ns_buf_reset(b);
    ns_buf_puts(b, "alpha ");
    for (size_t i = 0; i < parts; i++)
        ns_buf_putc(b, i % 2 ? '1' : 'a');
    ns_buf_puts(b, " omega");
}

START_TEST(word_of_NS_WORD_PARTS_MAX_parts_is_analysed_one_more_is_refused)
{
    ns_analyzer *a = new_analyzer();
    ns_buf b = NS_BUF_INIT;
    parts_word(&b, NS_WORD_PARTS_MAX);
    size_t n;
    uint32_t next;
    const ns_term *t = analyze(a, b.data, b.len, 1, &n, &next);
    /* alpha, each part (the joined term is over NS_TERM_MAX), omega */
    ck_assert_uint_eq(n, NS_WORD_PARTS_MAX + 2);
    ck_assert_str_eq(t[n - 1].term, "omega");
    ck_assert_uint_eq(t[n - 1].pos, NS_WORD_PARTS_MAX + 2);

    parts_word(&b, NS_WORD_PARTS_MAX + 1);
    ns_err err;
    ck_assert_int_eq(ns_analyze(a, b.data, b.len, 1, &t, &n, &next, &err), NS_ETOOBIG);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(err.msg, "a word of more than 1024 parts: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1...'");
    /* the same with hyphens: "a-b-c-..." */
    ns_buf_reset(&b);
    for (int i = 0; i <= NS_WORD_PARTS_MAX; i++)
        ns_buf_puts(&b, i ? "-x" : "x");
    ck_assert_int_eq(ns_analyze(a, b.data, b.len, 1, &t, &n, &next, &err), NS_ETOOBIG);
    ck_assert(strstr(err.msg, "more than 1024 parts: 'x-x-x") != NULL);
    /* the analyzer works on afterwards */
    t = analyze(a, "ok", 2, 1, &n, NULL);
    ck_assert_uint_eq(n, 1);
    ns_buf_free(&b);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(word_of_NS_WORD_MAX_bytes_is_analysed_one_more_is_refused)
{
    ns_analyzer *a = new_analyzer();
    ns_buf b = NS_BUF_INIT;
    ns_buf_puts(&b, "alpha ");
    for (int i = 0; i < NS_WORD_MAX; i++)
        ns_buf_putc(&b, 'q');
    ns_buf_puts(&b, " omega");
    size_t n;
    uint32_t next;
    const ns_term *t = analyze(a, b.data, b.len, 1, &n, &next);
    ck_assert_uint_eq(n, 2); /* the long word has no term but its position */
    ck_assert_uint_eq(t[1].pos, 3);

    ns_err err;
    for (int slow = 0; slow < 2; slow++) {
        /* ASCII (the fast path) and Greek (utf8proc) */
        ns_buf_reset(&b);
        for (int i = 0; i <= NS_WORD_MAX / 2; i++)
            ns_buf_puts(&b, slow ? "\xce\xb1" : "qq");
        ck_assert_int_eq(ns_analyze(a, b.data, b.len, 1, &t, &n, &next, &err), NS_ETOOBIG);
        ck_assert_msg(strstr(err.msg, "a word longer than 65536 bytes: '") == err.msg, "%s",
                      err.msg);
    }
    /* decimals are one part, so the byte cap is what stops "1.1.1..." */
    ns_buf_reset(&b);
    for (int i = 0; i <= NS_WORD_MAX / 2; i++)
        ns_buf_puts(&b, "1.");
    ns_buf_putc(&b, '1');
    ck_assert_int_eq(ns_analyze(a, b.data, b.len, 1, &t, &n, &next, &err), NS_ETOOBIG);
    ck_assert(strstr(err.msg, "longer than 65536 bytes: '1.1.1.1") != NULL);
    ns_buf_free(&b);
    ns_analyzer_free(a);
}
END_TEST

/* The measured attack: 8 MB of "a1a1..." was one word of 4 million parts
 * (1 GB, 9 s). Now it stops at part 1025. */
START_TEST(word_of_4_million_parts_is_refused)
{
    ns_analyzer *a = new_analyzer();
    size_t len = (size_t)8 << 20;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < len; i++)
        s[i] = i % 2 ? '1' : 'a';
    const ns_term *t;
    size_t n;
    ns_err err;
    ck_assert_int_eq(ns_analyze(a, s, len, 1, &t, &n, NULL, &err), NS_ETOOBIG);
    /* a snippet over such a stored text still works: no terms, positions kept */
    const char *want[] = {"a"};
    ck_assert_int_eq(ns_analyze_match(a, s, len, 1, want, 1, NULL, 0, &t, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    free(s);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(match_dump_and_word_skip_an_over_cap_word_keeping_its_positions)
{
    ns_analyzer *a = new_analyzer();
    ns_buf b = NS_BUF_INIT;
    parts_word(&b, 2000);
    const char *want[] = {"omega", "alpha", "a"};
    const ns_term *t;
    size_t n;
    ns_err err;
    ck_assert_int_eq(ns_analyze_match(a, b.data, b.len, 1, want, 3, NULL, 0, &t, &n, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(t[0].term, "alpha");
    ck_assert_str_eq(t[1].term, "omega");
    ck_assert_uint_eq(t[1].pos, 1 + 2000 + 1); /* one position per part, as indexed before */
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_analyze_dump(a, b.data, b.len, &out, &err), 0);
    ck_assert_uint_eq(out.len, strlen("alpha\talpha\n") + 2000 + strlen("\t\nomega\tomega\n"));
    ck_assert(strstr(out.data, "1a1\t\nomega\tomega\n") != NULL);
    const char *term;
    size_t tl;
    int stop;
    ck_assert_int_eq(ns_analyze_word(a, b.data + 6, 2000, &term, &tl, &stop, &err), NS_ETERM);
    ns_buf_free(&out);
    ns_buf_free(&b);
    ns_analyzer_free(a);
}
END_TEST

typedef struct flat {
    char term[NS_TERM_MAX + 1];
    uint32_t pos;
    size_t start, end;
    unsigned flags;
} flat;

/* Whole-text terms of s, with absolute offsets. */
static size_t flatten(const ns_term *t, size_t n, size_t base, flat *out)
{
    for (size_t i = 0; i < n; i++) {
        strcpy(out[i].term, t[i].term);
        out[i].pos = t[i].pos;
        out[i].start = base + t[i].start;
        out[i].end = base + t[i].end;
        out[i].flags = t[i].flags;
    }
    return n;
}

START_TEST(analyze_next_in_pieces_gives_what_one_call_gives)
{
    ns_analyzer *a = new_analyzer();
    const char *s = "GPT-3, the M2M-100 model: don't 98.5% stop... Переводы нейросетей "
                    "a--b a.b.c 1,5 ruGPT-3 e\xcc\x81t\xc3\xa9 x\xc2\xadyz  end";
    size_t len = strlen(s);
    static flat whole[256], pieces[256];
    const ns_term *t;
    size_t n, nw, used;
    uint32_t next, wnext;
    ns_err err;
    ck_assert_int_eq(ns_analyze(a, s, len, 5, &t, &n, &wnext, &err), 0);
    nw = flatten(t, n, 0, whole);
    for (size_t max = 0; max <= len + 1; max++) {
        size_t off = 0, np = 0, calls = 0;
        uint32_t pos = 5;
        while (off < len) {
            ck_assert_int_eq(ns_analyze_next(a, s + off, len - off, max, pos, &t, &n, &next,
                                             &used, &err), 0);
            ck_assert(used > 0 && used <= len - off);
            np += flatten(t, n, off, pieces + np);
            off += used;
            pos = next;
            calls++;
        }
        ck_assert_uint_eq(pos, wnext);
        ck_assert_uint_eq(np, nw);
        for (size_t i = 0; i < nw; i++) {
            ck_assert_str_eq(pieces[i].term, whole[i].term);
            ck_assert_uint_eq(pieces[i].pos, whole[i].pos);
            ck_assert_uint_eq(pieces[i].start, whole[i].start);
            ck_assert_uint_eq(pieces[i].end, whole[i].end);
            ck_assert_uint_eq(pieces[i].flags, whole[i].flags);
        }
        if (max >= len)
            ck_assert_uint_eq(calls, 1);
    }
    ns_analyzer_free(a);
}
END_TEST

START_TEST(analyze_word_stems_and_flags_stopwords)
{
    ns_analyzer *a = new_analyzer();
    const char *term;
    size_t len;
    int stop;
    ns_err err;
    ck_assert_int_eq(ns_analyze_word(a, "Сбербанка", strlen("Сбербанка"), &term, &len, &stop,
                                     &err), 0);
    ck_assert_str_eq(term, "сбербанк");
    ck_assert_uint_eq(len, strlen("сбербанк"));
    ck_assert_int_eq(stop, 0);
    ck_assert_int_eq(ns_analyze_word(a, "Yandex's", 8, &term, &len, &stop, &err), 0);
    ck_assert_str_eq(term, "yandex");
    ck_assert_int_eq(ns_analyze_word(a, "The", 3, &term, &len, &stop, &err), 0);
    ck_assert_str_eq(term, "");
    ck_assert_int_eq(stop, 1);
    ck_assert_int_eq(ns_analyze_word(a, " GPT-3 ", 7, &term, &len, &stop, &err), 0);
    ck_assert_str_eq(term, "gpt3");
    ck_assert_int_eq(stop, 0);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(analyze_word_rejects_no_word_two_words_and_long_word)
{
    ns_analyzer *a = new_analyzer();
    const char *term;
    size_t len;
    int stop;
    ns_err err;
    ck_assert_int_eq(ns_analyze_word(a, "", 0, &term, &len, &stop, &err), NS_ETERM);
    ck_assert_int_eq(ns_analyze_word(a, "--", 2, &term, &len, &stop, &err), NS_ETERM);
    ck_assert_int_eq(err.code, NS_ETERM);
    ck_assert_int_eq(ns_analyze_word(a, "Hugging Face", 12, &term, &len, &stop, &err), NS_ETERM);
    char w[100];
    memset(w, 'q', sizeof w);
    ck_assert_int_eq(ns_analyze_word(a, w, sizeof w, &term, &len, &stop, &err), NS_ETERM);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(analyze_fold_normalises_without_stemming)
{
    ns_analyzer *a = new_analyzer();
    const char *out;
    size_t len;
    ns_err err;
    const char *in = "Straße ﬁne ЁЛКА Йогурт Don’t";
    ck_assert_int_eq(ns_analyze_fold(a, in, strlen(in), &out, &len, &err), 0);
    ck_assert_str_eq(out, "strasse fine елка йогурт don't");
    ck_assert_uint_eq(len, strlen(out));
    ck_assert_int_eq(ns_analyze_fold(a, "TRANSL", 6, &out, &len, &err), 0);
    ck_assert_str_eq(out, "transl");
    ck_assert_int_eq(ns_analyze_fold(a, "", 0, &out, &len, &err), 0);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(ns_analyze_fold(a, "a\xff", 2, &out, &len, &err), NS_EUTF8);
    ck_assert_int_eq(ns_analyze_fold(a, "a\0b", 3, &out, &len, &err), NS_EUTF8);
    ns_analyzer_free(a);
}
END_TEST

/* ns_analyze folds А-Я а-я Ё ё without utf8proc; ns_analyze_fold always
 * uses utf8proc: both must agree on every letter. ("Xф" is never changed by
 * the Russian stemmer and is no stopword.) */
START_TEST(fast_cyrillic_folding_agrees_with_utf8proc)
{
    ns_analyzer *a = new_analyzer();
    for (int32_t c = 0x401; c <= 0x451; c++) {
        if (c > 0x401 && c < 0x410)
            continue;
        if (c > 0x44F && c < 0x451)
            continue;
        char w[8] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)), '\xD1', '\x84', 0};
        const char *f;
        size_t fl, n;
        ck_assert_int_eq(ns_analyze_fold(a, w, 4, &f, &fl, NULL), 0);
        char folded[16];
        memcpy(folded, f, fl);
        folded[fl] = '\0';
        const ns_term *t = analyze(a, w, 4, 1, &n, NULL);
        ck_assert_uint_eq(n, 1);
        ck_assert_msg(strcmp(t[0].term, folded) == 0, "U+%04X: %s vs utf8proc %s", (unsigned)c,
                      t[0].term, folded);
    }
    ns_analyzer_free(a);
}
END_TEST

START_TEST(is_stopword_knows_both_lists)
{
    ck_assert(ns_is_stopword("the", 3));
    ck_assert(ns_is_stopword("don't", 5));
    ck_assert(ns_is_stopword("и", strlen("и")));
    ck_assert(ns_is_stopword("еще", strlen("еще")));
    ck_assert(!ns_is_stopword("them ", 5));
    ck_assert(!ns_is_stopword("model", 5));
    ck_assert(!ns_is_stopword("", 0));
}
END_TEST

/* The lists are looked up by the folded word, so every line must already be
 * folded: a "Ещё" in the file would never match anything. */
static void check_list_folded(ns_analyzer *a, const char *list, size_t *count)
{
    const char *p = list;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n && p[0] != '#') {
            const char *f;
            size_t fl;
            ck_assert_int_eq(ns_analyze_fold(a, p, n, &f, &fl, NULL), 0);
            ck_assert_msg(fl == n && memcmp(f, p, n) == 0, "stopword '%.*s' is not folded",
                          (int)n, p);
            ck_assert_msg(ns_is_stopword(p, n), "'%.*s' is not found", (int)n, p);
            (*count)++;
        }
        p = eol ? eol + 1 : p + n;
    }
}

START_TEST(stopword_lists_are_snowball_lists_stored_folded)
{
    ns_analyzer *a = new_analyzer();
    size_t en = 0, ru = 0;
    check_list_folded(a, ns_data_stopwords_en, &en);
    check_list_folded(a, ns_data_stopwords_ru, &ru);
    ck_assert_uint_eq(en, 174); /* snowball english/stop.txt */
    ck_assert_uint_eq(ru, 159); /* snowball russian/stop.txt */
    ns_analyzer_free(a);
}
END_TEST

START_TEST(detect_lang_picks_script_of_most_letters)
{
    const char *ru = "Модель GPT-3 от OpenAI переводит тексты";
    const char *en = "Модель GPT-3 from OpenAI translates texts";
    ck_assert_int_eq(ns_detect_lang(ru, strlen(ru)), 'r');
    ck_assert_int_eq(ns_detect_lang(en, strlen(en)), 'e');
    ck_assert_int_eq(ns_detect_lang("", 0), 'e');
    ck_assert_int_eq(ns_detect_lang("123 \xff", 5), 'e');
}
END_TEST

START_TEST(dump_writes_token_tab_terms_lines)
{
    ns_analyzer *a = new_analyzer();
    ns_buf out = NS_BUF_INIT;
    ns_buf_puts(&out, "kept:");
    const char *s = "GPT-3, the  Переводы";
    ck_assert_int_eq(ns_analyze_dump(a, s, strlen(s), &out, NULL), 0);
    ck_assert_str_eq(ns_buf_cstr(&out), "kept:GPT-3\tgpt3 gpt 3\nthe\t\nПереводы\tперевод\n");
    ns_buf_free(&out);
    ns_analyzer_free(a);
}
END_TEST

START_TEST(analyzer_free_accepts_NULL)
{
    ns_analyzer_free(NULL);
}
END_TEST

static Suite *analyze_suite(void)
{
    Suite *s = suite_create("analyze");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, table_case_gives_expected_analysis, 0, (int)nrows);
    suite_add_tcase(s, tc);
    tc = tcase_create("api");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, stopword_keeps_position_with_empty_term_and_flag);
    tcase_add_test(tc, compound_gives_joined_term_first_without_position);
    tcase_add_test(tc, next_pos_continues_after_title_for_body);
    tcase_add_test(tc, word_of_300_bytes_is_skipped_but_uses_a_position);
    tcase_add_test(tc, term_of_exactly_NS_TERM_MAX_bytes_is_kept);
    tcase_add_test(tc, empty_input_gives_no_terms);
    tcase_add_test(tc, punctuation_only_gives_no_terms);
    tcase_add_test(tc, stopwords_only_give_only_stop_terms);
    tcase_add_test(tc, nul_bytes_inside_text_separate_tokens);
    tcase_add_test(tc, random_bytes_give_only_valid_bounded_terms);
    tcase_add_test(tc, huge_input_of_1MB_is_analysed);
    tcase_add_test(tc, word_of_NS_WORD_PARTS_MAX_parts_is_analysed_one_more_is_refused);
    tcase_add_test(tc, word_of_NS_WORD_MAX_bytes_is_analysed_one_more_is_refused);
    tcase_add_test(tc, word_of_4_million_parts_is_refused);
    tcase_add_test(tc, match_dump_and_word_skip_an_over_cap_word_keeping_its_positions);
    tcase_add_test(tc, analyze_next_in_pieces_gives_what_one_call_gives);
    tcase_add_test(tc, analyze_word_stems_and_flags_stopwords);
    tcase_add_test(tc, analyze_word_rejects_no_word_two_words_and_long_word);
    tcase_add_test(tc, analyze_fold_normalises_without_stemming);
    tcase_add_test(tc, fast_cyrillic_folding_agrees_with_utf8proc);
    tcase_add_test(tc, is_stopword_knows_both_lists);
    tcase_add_test(tc, stopword_lists_are_snowball_lists_stored_folded);
    tcase_add_test(tc, detect_lang_picks_script_of_most_letters);
    tcase_add_test(tc, dump_writes_token_tab_terms_lines);
    tcase_add_test(tc, analyzer_free_accepts_NULL);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (load_table() < 0)
        return 1;
    if (nrows == 0) {
        fprintf(stderr, "analyze_cases.tsv has no cases\n");
        return 1;
    }
    int rc = fixture_run(analyze_suite());
    free_table();
    return rc;
}
