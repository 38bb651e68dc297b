/* test_article_hostile.c: hostile articles (issue #13, findings 4 and 5)
 * through ns_article_parse (indexer/article.h): control characters, line
 * breaks in fields, front matter too large, too deep or expanding, lists,
 * words and texts past the caps, each refused with the reason the user will
 * read, or cleaned. */
#define _XOPEN_SOURCE 700
#include "fixture.h"

#include "articlefix.h"
#include "schema.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- hostile articles (issue #13, findings 4 and 5) ---- */

/* "---\ntitle: T\ndate: 2020-01-01\n" + fm + "---\n" + body */
static void article(ns_buf *b, const char *fm, const char *body)
{
    ns_buf_reset(b);
    ns_buf_puts(b, "---\ntitle: T\ndate: 2020-01-01\n");
    ns_buf_puts(b, fm);
    ns_buf_puts(b, "---\n");
    ns_buf_puts(b, body);
}

/* The reason is one line with no control character, whatever it quotes. */
static void one_clean_line(void)
{
    for (const char *p = err.msg; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f, "raw control in '%s'", err.msg);
}

START_TEST(control_characters_in_any_field_refuse_the_file)
{
    static const char *const fields[][2] = {
        {"title: \"Evil\\e]0;pwned\\a\"\n", "title: control character U+001B in 'Evil\\x1b]0;pwned\\x07'"},
        {"id: \"x\\e[2J\"\n", "id: control character U+001B in 'x\\x1b[2J'"},
        {"lang: \"en\\e[2J\"\n", "lang: control character U+001B in 'en\\x1b[2J'"},
        {"url: \"http://x/\\x9b2J\"\n", "url: control character U+009B in 'http://x/\\xc2\\x9b2J'"},
        {"vendors: \"Google\\0\"\n", "vendors: control character U+0000 in 'Google\\x00'"},
        {"vendors: [OpenAI, \"Google\\x7f\"]\n", "vendors: control character U+007F in 'Google\\x7f'"},
        {"tags: \"a\\vb\"\n", "tags: control character U+000B in 'a\\x0bb'"},
        {"tags: [ok, \"a\\e\"]\n", "tags: control character U+001B in 'a\\x1b'"},
    };
    ns_buf b = NS_BUF_INIT;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        article(&b, fields[i][0], "body\n");
        bad(b.data, b.len, NS_ESYNTAX, fields[i][1]);
        one_clean_line();
    }
    /* the date is read before the other fields here: replace it */
    refused("---\ntitle: T\ndate: \"2020-01-01\\e[2J\"\n---\n",
            "date: control character U+001B in '2020-01-01\\x1b[2J'");
    ns_buf_free(&b);
}
END_TEST

/* issue #13: vendors: "Multi\nMzzfake" gave the facet value "VMulti\nMzzfake",
 * which the facet reader split into a vendor and a month "zzfake". */
START_TEST(line_breaks_and_tabs_in_any_field_become_one_space)
{
    ns_buf b = NS_BUF_INIT;
    article(&b, "vendors: \"Multi\\nMzzfake\"\ntags: [\"a\\n\\n\\tb\", c  d]\n"
                "url: \"http://x/\\r\\ny\"\n", "body\n");
    ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
    ck_assert_uint_eq(art.nvendors, 1);
    ck_assert_str_eq(art.vendors[0], "Multi Mzzfake");
    ck_assert_str_eq(art.warnings[0], "unknown vendor 'Multi Mzzfake' (kept as written)");
    ck_assert_str_eq(art.tags[0], "a b");
    ck_assert_str_eq(art.tags[1], "c  d"); /* spaces alone are kept as written */
    ck_assert_str_eq(art.url, "http://x/ y");
    /* the same in a list item as in a single value */
    article(&b, "vendors: [\"Multi\\nMzzfake\", \"Multi Mzzfake\"]\n", "body\n");
    ck_assert_int_eq(parse_n(b.data, b.len), 0);
    ck_assert_uint_eq(art.nvendors, 1);
    ck_assert_str_eq(art.vendors[0], "Multi Mzzfake");
    /* a block title */
    const char *t = "---\ntitle: |\n  Line one\n\n  line two\t!\ndate: 2020-01-01\n---\n";
    ck_assert_int_eq(parse(t), 0);
    ck_assert_str_eq(art.title, "Line one line two !");
    ns_buf_free(&b);
}
END_TEST

/* The fuzzer's find (tests/fuzz/regressions/article/): a message quoting a
 * value that YAML folding left a newline in. */
START_TEST(message_quoting_a_multi_line_value_is_one_line)
{
    refused("---\ntitle: Deep\ndate: 3456-01-01>---\n\n > > x\n---\nbody\n",
            "date '3456-01-01>--- > > x' is not a real calendar date");
    one_clean_line();
    refused("---\ntitle: T\ndate: 2020-01-01\nlang: \"e\\nn\"\n---\n",
            "lang 'e n' is not en or ru");
}
END_TEST

START_TEST(default_id_writes_control_characters_as_percent_hex)
{
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.default_id = "dir/evil\x1b[2J\n\xc2\x9bx%y \xd0\xb5";
    const char *t = "---\ntitle: T\ndate: 2020-01-01\n---\n";
    ck_assert_int_eq(ns_article_parse(&art, t, strlen(t), &o, &err), 0);
    ck_assert_str_eq(art.id, "dir/evil%1B[2J%0A%C2%9Bx%y \xd0\xb5");
}
END_TEST

START_TEST(front_matter_over_64_KiB_is_refused)
{
    ns_buf b = NS_BUF_INIT, fm = NS_BUF_INIT;
    const char *head = "title: T\ndate: 2020-01-01\nsummary: ";
    ns_buf_puts(&fm, head);
    while (fm.len < NS_FRONT_MATTER_MAX - 1)
        ns_buf_putc(&fm, 'x');
    ns_buf_putc(&fm, '\n');
    ns_buf_printf(&b, "---\n%s---\nbody\n", fm.data);
    ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg); /* exactly 64 KiB */
    ns_buf_reset(&b);
    ns_buf_printf(&b, "---\n%sx: y\n---\nbody\n", fm.data);
    bad(b.data, b.len, NS_ETOOBIG, "front matter is 65541 bytes; front matter over 64 KiB is refused");
    ns_buf_free(&fm);
    ns_buf_free(&b);
}
END_TEST

START_TEST(front_matter_nested_deeper_than_32_levels_is_refused)
{
    ns_buf b = NS_BUF_INIT, fm = NS_BUF_INIT;
    /* flow: the root mapping is level 1, so 31 brackets make 32 */
    for (int depth = 31; depth <= 32; depth++) {
        ns_buf_reset(&fm);
        ns_buf_puts(&fm, "x: ");
        for (int i = 0; i < depth; i++)
            ns_buf_putc(&fm, '[');
        for (int i = 0; i < depth; i++)
            ns_buf_putc(&fm, ']');
        ns_buf_putc(&fm, '\n');
        article(&b, fm.data, "");
        if (depth == 31)
            ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
        else
            bad(b.data, b.len, NS_ETOOBIG, "front matter nested deeper than 32 levels");
    }
    /* block: nested mappings by indentation */
    ns_buf_reset(&fm);
    for (int i = 0; i < 40; i++) {
        for (int k = 0; k < i; k++)
            ns_buf_putc(&fm, ' ');
        ns_buf_puts(&fm, "k:\n");
    }
    article(&b, fm.data, "");
    bad(b.data, b.len, NS_ETOOBIG, "front matter nested deeper than 32 levels");
    /* the measured shape within the size cap: 30,000 levels, unclosed */
    ns_buf_reset(&fm);
    ns_buf_puts(&fm, "x: ");
    for (int i = 0; i < 30000; i++)
        ns_buf_puts(&fm, "[");
    ns_buf_putc(&fm, '\n');
    article(&b, fm.data, "");
    bad(b.data, b.len, NS_ETOOBIG, "front matter nested deeper than 32 levels");
    ns_buf_free(&fm);
    ns_buf_free(&b);
}
END_TEST

START_TEST(billion_laughs_is_refused_and_a_few_aliases_are_fine)
{
    ns_buf b = NS_BUF_INIT, fm = NS_BUF_INIT;
    ns_buf_puts(&fm, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 9; i++) {
        ns_buf_printf(&fm, "l%d: &l%d [", i, i);
        for (int k = 0; k < 9; k++)
            ns_buf_printf(&fm, "%s*l%d", k ? ", " : "", i - 1);
        ns_buf_puts(&fm, "]\n");
    }
    ns_buf_puts(&fm, "tags: *l8\n");
    article(&b, fm.data, "body\n");
    bad(b.data, b.len, NS_ETOOBIG, "front matter has more than 64 YAML anchors and aliases");
    article(&b, "company: &c OpenAI\nvendors: [*c, Google]\ntags: *c\n", "body\n");
    ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
    ck_assert_uint_eq(art.nvendors, 2);
    ck_assert_str_eq(art.vendors[0], "OpenAI");
    ck_assert_str_eq(art.tags[0], "OpenAI");
    ns_buf_free(&fm);
    ns_buf_free(&b);
}
END_TEST

START_TEST(vendor_and_tag_lists_over_100_names_are_refused)
{
    ns_buf b = NS_BUF_INIT, fm = NS_BUF_INIT;
    for (int n = 100; n <= 101; n++) {
        for (int tags = 0; tags < 2; tags++) {
            ns_buf_reset(&fm);
            ns_buf_puts(&fm, tags ? "tags: [" : "vendors: [");
            for (int i = 0; i < n; i++)
                ns_buf_printf(&fm, "%sn%d", i ? ", " : "", i);
            ns_buf_puts(&fm, "]\n");
            article(&b, fm.data, "body\n");
            if (n == 100) {
                ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
                ck_assert_uint_eq(tags ? art.ntags : art.nvendors, 100);
            } else {
                bad(b.data, b.len, NS_ETOOBIG, tags ? "tags: more than 100 names"
                                                    : "vendors: more than 100 names");
            }
        }
    }
    ns_buf_free(&fm);
    ns_buf_free(&b);
}
END_TEST

START_TEST(duplicate_names_are_dropped_keeping_the_first_order)
{
    ns_buf b = NS_BUF_INIT;
    article(&b, "vendors: [b, a, b, OpenAI, a, openai, c]\ntags: [x, y, x]\n", "OpenAI again.\n");
    ck_assert_int_eq(parse_n(b.data, b.len), 0);
    ck_assert_uint_eq(art.nvendors, 4);
    ck_assert_str_eq(art.vendors[0], "b");
    ck_assert_str_eq(art.vendors[1], "a");
    ck_assert_str_eq(art.vendors[2], "OpenAI");
    ck_assert_str_eq(art.vendors[3], "c");
    ck_assert_uint_eq(art.nwarnings, 3);
    ck_assert_uint_eq(art.ntags, 2);
    ns_buf_free(&b);
}
END_TEST

START_TEST(a_word_past_the_caps_refuses_the_article)
{
    ns_buf b = NS_BUF_INIT, body = NS_BUF_INIT;
    ns_buf_puts(&body, "Fine words.\n\n");
    for (int i = 0; i < NS_WORD_PARTS_MAX + 1; i++)
        ns_buf_putc(&body, i % 2 ? '1' : 'a');
    ns_buf_putc(&body, '\n');
    article(&b, "", body.data);
    bad(b.data, b.len, NS_ETOOBIG, "a word of more than 1024 parts: 'a1a1a1a1");
    /* in the title too */
    ns_buf_reset(&b);
    ns_buf_puts(&b, "---\ndate: 2020-01-01\ntitle: ");
    for (int i = 0; i < NS_WORD_PARTS_MAX + 1; i++)
        ns_buf_puts(&b, "x-");
    ns_buf_puts(&b, "x\n---\n");
    bad(b.data, b.len, NS_ETOOBIG, "a word of more than 1024 parts: 'x-x-x");
    /* the measured shape, 8 MB of "a1a1...", is over the text cap; under it */
    ns_buf_reset(&body);
    for (size_t i = 0; i < NS_ARTICLE_TEXT_MAX - 2; i++)
        ns_buf_putc(&body, i % 2 ? '1' : 'a');
    article(&b, "", body.data);
    bad(b.data, b.len, NS_ETOOBIG, "a word of more than 1024 parts");
    /* bytes: a word of 64 KiB + 1 letters */
    ns_buf_reset(&body);
    for (int i = 0; i <= NS_WORD_MAX; i++)
        ns_buf_putc(&body, 'z');
    article(&b, "", body.data);
    bad(b.data, b.len, NS_ETOOBIG, "a word longer than 65536 bytes: 'zzzz");
    ns_buf_free(&body);
    ns_buf_free(&b);
}
END_TEST

START_TEST(text_to_index_over_2_MiB_is_refused_markup_aside)
{
    ns_buf b = NS_BUF_INIT, body = NS_BUF_INIT;
    while (body.len < NS_ARTICLE_TEXT_MAX)
        ns_buf_puts(&body, "words words words words words words words words words.\n\n");
    article(&b, "", body.data);
    bad(b.data, b.len, NS_ETOOBIG, "the text to index is 2097198 bytes after Markdown; "
                                   "over 2 MiB is refused");
    /* 10 MB of a plot inline as a data: URI is markup, not text */
    ns_buf_reset(&body);
    ns_buf_puts(&body, "A plot:\n\n![loss](data:image/png;base64,");
    while (body.len < ((size_t)10 << 20))
        ns_buf_puts(&body, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf");
    ns_buf_puts(&body, ")\n");
    article(&b, "", body.data);
    ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
    ck_assert_str_eq(art.text, "A plot:\n\nloss");
    ns_buf_free(&body);
    ns_buf_free(&b);
}
END_TEST

START_TEST(more_than_20000_distinct_terms_refuse_the_article)
{
    ns_buf b = NS_BUF_INIT, body = NS_BUF_INIT;
    /* the title "T" is one term; numbers are one term each, never stemmed */
    for (int i = 0; i < NS_ARTICLE_TERMS_MAX - 1; i++)
        ns_buf_printf(&body, "%d%s", i, i % 1000 == 999 ? "\n\n" : " ");
    article(&b, "", body.data);
    ck_assert_msg(parse_n(b.data, b.len) == 0, "%s", err.msg);
    /* repeating them costs nothing */
    ns_buf_puts(&body, " 1 2 3 T");
    ns_buf_printf(&body, " %d", NS_ARTICLE_TERMS_MAX);
    article(&b, "", body.data);
    bad(b.data, b.len, NS_ETOOBIG,
        "more than 20000 distinct terms (words and parts of words)");
    ns_buf_free(&body);
    ns_buf_free(&b);
}
END_TEST

/* 8 MB of "a1 a1 ..." in one paragraph was one analysis of 8 million terms
 * (560 MB); now the text is at most 2 MiB and comes in pieces of 64 to
 * 128 KiB, positions continuing. */
typedef struct pctx {
    size_t calls, max_count;
    uint32_t last_pos;
    int ordered;
} pctx;

static int on_piece(void *ctx, const ns_term *t, size_t n, const char *text, size_t len,
                    int in_title, ns_err *e)
{
    pctx *c = ctx;
    (void)e;
    if (in_title)
        return 0;
    c->calls++;
    if (n > c->max_count)
        c->max_count = n;
    for (size_t i = 0; i < n; i++) {
        if (t[i].end > len)
            c->ordered = 0;
        if (t[i].flags & NS_TERM_JOINED) {
            if (memcmp(text + t[i].start, "a1", 2) != 0) /* pieces cut between words */
                c->ordered = 0;
            continue;
        }
        if (t[i].pos != c->last_pos + 1)
            c->ordered = 0;
        c->last_pos = t[i].pos;
    }
    return 0;
}

START_TEST(long_paragraph_is_analysed_in_pieces)
{
    ns_buf b = NS_BUF_INIT;
    ns_buf_puts(&b, "---\ntitle: T\ndate: 2020-01-01\n---\n");
    for (int i = 0; i < 600000; i++)
        ns_buf_puts(&b, "a1 ");
    pctx c = {0, 0, 1 + NS_BODY_POS_GAP, 1};
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.default_id = "x";
    o.on_terms = on_piece;
    o.ctx = &c;
    ck_assert_int_eq(ns_article_parse(&art, b.data, b.len, &o, &err), 0);
    ck_assert(c.ordered);
    ck_assert_uint_eq(c.last_pos, 1 + NS_BODY_POS_GAP + 1200000);
    ck_assert_uint_ge(c.calls, 20);
    /* 3 terms per "a1 "; pieces of 64 KiB, the last one up to 128 KiB */
    ck_assert_uint_le(c.max_count, (128 << 10) + 3);
    ns_buf_free(&b);
}
END_TEST

START_TEST(parse_refuses_over_limit)
{
    /* No need for 16 MiB of memory: the length alone decides. */
    int rc = parse_n("x", NS_ARTICLE_MAX + 1);
    ck_assert_int_eq(rc, NS_ETOOBIG);
    ck_assert(has(err.msg, "articles over 16 MiB are refused"));
}
END_TEST

static Suite *article_hostile_suite(void)
{
    return FIXTURE_SUITE("article_hostile", "article_hostile", setup, teardown, 0,
                         parse_refuses_over_limit,
                         control_characters_in_any_field_refuse_the_file,
                         line_breaks_and_tabs_in_any_field_become_one_space,
                         message_quoting_a_multi_line_value_is_one_line,
                         default_id_writes_control_characters_as_percent_hex,
                         front_matter_over_64_KiB_is_refused,
                         front_matter_nested_deeper_than_32_levels_is_refused,
                         billion_laughs_is_refused_and_a_few_aliases_are_fine,
                         vendor_and_tag_lists_over_100_names_are_refused,
                         duplicate_names_are_dropped_keeping_the_first_order,
                         a_word_past_the_caps_refuses_the_article,
                         text_to_index_over_2_MiB_is_refused_markup_aside,
                         more_than_20000_distinct_terms_refuse_the_article,
                         long_paragraph_is_analysed_in_pieces);
}

FIXTURE_MAIN(article_hostile_suite)
