/* test_article.c: article files to ns_article (indexer/article.h): front
 * matter through libyaml, the body through cmark, vendors, language, and each
 * kind of bad file with the reason the user will read (hostile articles and
 * the limits: test_article_hostile.c). */
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

START_TEST(translation_of_naming_itself_is_refused)
{
    refused("---\ntitle: T\ndate: 2020-01-01\nid: a/b\ntranslation_of: a/b\n---\nText.\n",
            "translation_of names the article itself ('a/b')");
    /* the default id counts too */
    refused("---\ntitle: T\ndate: 2020-01-01\ntranslation_of: dir/default-id\n---\nx\n",
            "translation_of names the article itself");
    const char *ok = "---\ntitle: T\ndate: 2020-01-01\ntranslation_of: other\n---\nx\n";
    ck_assert_msg(parse(ok) == 0, "%s", err.msg);
    ck_assert_str_eq(art.translation_of, "other");
}
END_TEST

START_TEST(translation_of_too_long_for_its_term_is_refused)
{
    /* 244 bytes is a valid id (Q + 244 = 245) but XT + 244 is one too many */
    char id[245], text[600];
    memset(id, 'x', 244);
    id[244] = '\0';
    snprintf(text, sizeof text, "---\ntitle: T\ndate: 2020-01-01\ntranslation_of: %s\n---\nx\n", id);
    bad(text, strlen(text), NS_ESYNTAX, "translation_of: an id of 244 bytes; at most 243");
}
END_TEST

START_TEST(good_article_fields)
{
    const char *t =
        "---\n"
        "title: \"Microsoft gets GPT-3: an exclusive license\"\n"
        "date: 2020-09-22\n"
        "id: msft-gpt3\n"
        "lang: en\n"
        "url: https://example.com/x\n"
        "tags: [licensing, gpt-3]\n"
        "layout: post\n"
        "---\n"
        "\n"
        "# Heading\n"
        "\n"
        "First paragraph\nwith a soft break.\n"
        "\n"
        "Second *paragraph*.\n";
    ck_assert_msg(parse(t) == 0, "%s", err.msg);
    ck_assert_str_eq(art.id, "msft-gpt3");
    ck_assert_str_eq(art.title, "Microsoft gets GPT-3: an exclusive license");
    ck_assert_str_eq(art.date, "2020-09-22");
    ck_assert_str_eq(art.month, "2020-09");
    ck_assert_str_eq(art.lang, "en");
    ck_assert_str_eq(art.url, "https://example.com/x");
    ck_assert_uint_eq(art.ntags, 2);
    ck_assert_str_eq(art.tags[1], "gpt-3");
    ck_assert_str_eq(art.text, "Heading\n\nFirst paragraph with a soft break.\n\nSecond paragraph.");
    ck_assert_uint_eq(art.text_len, strlen(art.text));
    ck_assert_uint_eq(art.nwarnings, 0);
}
END_TEST

START_TEST(default_id_and_absent_optional_fields)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-10-05\nurl:\nvendors: ~\n---\nbody\n"), 0);
    ck_assert_str_eq(art.id, "dir/default-id");
    ck_assert_ptr_null(art.url);
    ck_assert_uint_eq(art.nvendors, 0);
    ck_assert_str_eq(art.text, "body");
}
END_TEST

START_TEST(no_front_matter)
{
    refused("# Just markdown\n\ntitle: x\n",
            "no front matter (the file must start with a '---' line)");
    refused("\n---\ntitle: x\ndate: 2020-01-01\n---\n", "no front matter");
    refused("---\ntitle: x\ndate: 2020-01-01\n", "not closed");
}
END_TEST

START_TEST(invalid_yaml_names_the_line)
{
    refused("---\ntitle: ok\ndate: 2020-01-01\nvendors: [OpenAI, Google\n---\nbody\n",
            "front matter: YAML error at line ");
    refused("---\ntitle: a: b: c\ndate: 2020-01-01\n---\n", "YAML error at line 2");
    refused("---\njust a sentence\n---\n", "front matter: expected 'key: value' lines");
}
END_TEST

START_TEST(missing_title)
{
    refused("---\ndate: 2020-01-01\n---\nbody\n", "missing title");
    refused("---\ntitle: \"  \"\ndate: 2020-01-01\n---\n", "missing title");
    refused("---\n---\nbody\n", "missing title");
    refused("---\ntitle: [a, b]\ndate: 2020-01-01\n---\n", "title: expected a single value");
}
END_TEST

START_TEST(missing_date)
{
    refused("---\ntitle: T\n---\nbody\n", "missing date");
}
END_TEST

START_TEST(impossible_dates)
{
    refused("---\ntitle: T\ndate: 2020-13-45\n---\n",
            "date '2020-13-45' is not a real calendar date (YYYY-MM-DD)");
    refused("---\ntitle: T\ndate: 2021-02-29\n---\n",
            "date '2021-02-29' is not a real calendar date");
    refused("---\ntitle: T\ndate: 1900-02-29\n---\n", "1900-02-29");
    refused("---\ntitle: T\ndate: 2020-04-31\n---\n", "2020-04-31");
    refused("---\ntitle: T\ndate: 5 Oct 2020\n---\n", "date '5 Oct 2020'");
    refused("---\ntitle: T\ndate: 2020-1-5\n---\n", "2020-1-5");
}
END_TEST

START_TEST(leap_days_and_quoted_dates_are_fine)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-02-29\n---\n"), 0);
    ck_assert_str_eq(art.date, "2020-02-29");
    ck_assert_int_eq(parse("---\ntitle: T\ndate: \"2000-02-29\"\n---\n"), 0);
    ck_assert_str_eq(art.month, "2000-02");
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-12-31\n---\n"), 0);
}
END_TEST

START_TEST(invalid_utf8_names_the_byte)
{
    const char t[] = "---\ntitle: T\ndate: 2020-01-01\n---\nbad \xff byte\n";
    bad(t, sizeof t - 1, NS_EUTF8, "invalid UTF-8 at byte 38");
    const char t2[] = "---\ntitle: \xc3\n";  /* truncated sequence */
    bad(t2, sizeof t2 - 1, NS_EUTF8, "invalid UTF-8 at byte 11");
    const char t3[] = "---\ntitle: \xed\xa0\x80\n";  /* a surrogate */
    bad(t3, sizeof t3 - 1, NS_EUTF8, "invalid UTF-8 at byte 11");
}
END_TEST

START_TEST(empty_file)
{
    bad("", 0, NS_ESYNTAX, "empty file");
}
END_TEST

START_TEST(binary_file)
{
    const char t[] = "---\ntitle: T\ndate: 2020-01-01\n---\nab\0cd";
    bad(t, sizeof t - 1, NS_ESYNTAX, "binary file (NUL byte at 36)");
    const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    bad(png, sizeof png - 1, NS_ESYNTAX, "binary file (NUL byte at 8)");
}
END_TEST

START_TEST(bad_lang)
{
    refused("---\ntitle: T\ndate: 2020-01-01\nlang: de\n---\n", "lang 'de' is not en or ru");
}
END_TEST

START_TEST(vendors_flow_list)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nvendors: [openai, Сбер]\n---\n"), 0);
    ck_assert_uint_eq(art.nvendors, 2);
    ck_assert_str_eq(art.vendors[0], "OpenAI");
    ck_assert_str_eq(art.vendors[1], "Sberbank");
}
END_TEST

START_TEST(vendors_block_list)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nvendors:\n  - Google\n"
                           "  - \"Hugging Face\"\n  - GOOGLE\n---\n"),
                     0);
    ck_assert_uint_eq(art.nvendors, 2);  /* deduplicated after canonicalisation */
    ck_assert_str_eq(art.vendors[0], "Google");
    ck_assert_str_eq(art.vendors[1], "Hugging Face");
}
END_TEST

START_TEST(vendors_single_scalar)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nvendors: Яндекс\n---\n"), 0);
    ck_assert_uint_eq(art.nvendors, 1);
    ck_assert_str_eq(art.vendors[0], "Yandex");
    refused("---\ntitle: T\ndate: 2020-01-01\nvendors: {a: b}\n---\n",
            "vendors: expected a name or a list of names");
}
END_TEST

START_TEST(unknown_vendor_kept_with_warning)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nvendors: [Acme AI, OpenAI]\n---\n"),
                     0);
    ck_assert_uint_eq(art.nvendors, 2);
    ck_assert_str_eq(art.vendors[0], "Acme AI");
    ck_assert_uint_eq(art.nwarnings, 1);
    ck_assert_str_eq(art.warnings[0], "unknown vendor 'Acme AI' (kept as written)");
}
END_TEST

START_TEST(vendors_detected_in_title_and_body_after_front_matter)
{
    ck_assert_int_eq(parse("---\ntitle: Hugging Face raises money\ndate: 2020-01-01\n"
                           "vendors: [Google]\n---\n"
                           "Беспилотники, созданные Яндексом. Модель Сбербанка. Google again.\n"),
                     0);
    ck_assert_uint_eq(art.nvendors, 4);
    ck_assert_str_eq(art.vendors[0], "Google");
    ck_assert_str_eq(art.vendors[1], "Hugging Face");
    ck_assert_str_eq(art.vendors[2], "Yandex");
    ck_assert_str_eq(art.vendors[3], "Sberbank");
}
END_TEST

START_TEST(link_text_kept_target_dropped)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\n---\n"
                           "See [the paper](https://arxiv.org/abs/2005.14165 \"Title attr\") and "
                           "![a diagram](img/secret.png) or <https://auto.example/link>.\n"
                           "\n[ref]: https://ref.example/\n"),
                     0);
    ck_assert_msg(has(art.text, "See the paper and a diagram or"), "%s", art.text);
    ck_assert(!has(art.text, "arxiv"));
    ck_assert(!has(art.text, "secret"));
    ck_assert(!has(art.text, "Title attr"));
    ck_assert(!has(art.text, "ref.example"));
}
END_TEST

START_TEST(code_kept_info_string_dropped)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\n---\n"
                           "Call `model.generate()` now.\n\n"
                           "```pythonic-info\nimport torch\nx = 1\n```\n\n    indented_code()\n"),
                     0);
    ck_assert_msg(has(art.text, "Call model.generate() now."), "%s", art.text);
    ck_assert(has(art.text, "import torch\nx = 1"));
    ck_assert(has(art.text, "indented_code()"));
    ck_assert(!has(art.text, "pythonic"));
}
END_TEST

START_TEST(html_stripped)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\n---\n"
                           "<div class=\"hidden-block\">\nblock html\n</div>\n\n"
                           "Some <b class=\"x\">bold</b> text &amp; more.\n"),
                     0);
    ck_assert_msg(has(art.text, "Some bold text & more."), "%s", art.text);
    ck_assert(!has(art.text, "hidden-block"));
    ck_assert(!has(art.text, "<b"));
    ck_assert(!has(art.text, "class"));
}
END_TEST

START_TEST(paragraphs_lists_and_quotes_are_separated)
{
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\n---\n"
                           "- one\n- two\n\n> quoted\n\n---\n\nlast\n"),
                     0);
    ck_assert_str_eq(art.text, "one\n\ntwo\n\nquoted\n\nlast");
}
END_TEST

START_TEST(lang_detected_from_body)
{
    ck_assert_int_eq(parse("---\ntitle: Sber news\ndate: 2020-01-01\n---\n"
                           "Сбербанк представил новую языковую модель для русского языка.\n"),
                     0);
    ck_assert_str_eq(art.lang, "ru");
    ck_assert_int_eq(parse("---\ntitle: Новость\ndate: 2020-01-01\n---\n"
                           "An English body about Yandex.\n"),
                     0);
    ck_assert_str_eq(art.lang, "en");
    /* an empty body: the title decides */
    ck_assert_int_eq(parse("---\ntitle: Новость дня\ndate: 2020-01-01\n---\n"), 0);
    ck_assert_str_eq(art.lang, "ru");
    /* front matter wins */
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nlang: ru\n---\nEnglish text\n"), 0);
    ck_assert_str_eq(art.lang, "ru");
}
END_TEST

START_TEST(bom_and_crlf_accepted)
{
    ck_assert_msg(parse("\xEF\xBB\xBF---\r\ntitle: Windows file\r\ndate: 2020-10-05\r\n"
                        "vendors:\r\n  - OpenAI\r\n---\r\nLine one\r\nline two.\r\n\r\nNext.\r\n") == 0,
                  "%s", err.msg);
    ck_assert_str_eq(art.title, "Windows file");
    ck_assert_str_eq(art.date, "2020-10-05");
    ck_assert_str_eq(art.vendors[0], "OpenAI");
    ck_assert_str_eq(art.text, "Line one line two.\n\nNext.");
}
END_TEST

START_TEST(bad_ids_refused)
{
    refused("---\ntitle: T\ndate: 2020-01-01\nid: \"a\\eb\"\n---\n",
            "id: control character U+001B in 'a\\x1bb'");
    /* a tab is white space, as in every other field */
    ck_assert_int_eq(parse("---\ntitle: T\ndate: 2020-01-01\nid: \"a\\tb\"\n---\n"), 0);
    ck_assert_str_eq(art.id, "a b");
    ns_buf b = NS_BUF_INIT;
    ns_buf_puts(&b, "---\ntitle: T\ndate: 2020-01-01\nid: ");
    for (int i = 0; i < 300; i++)
        ns_buf_putc(&b, 'x');
    ns_buf_puts(&b, "\n---\n");
    bad(b.data, b.len, NS_ESYNTAX, "longer than");
    ns_buf_free(&b);
    refused("---\ntitle: T\ntitle: U\ndate: 2020-01-01\n---\n", "'title' is given twice");
}
END_TEST

/* on_terms sees the title at positions 1.. and the body after the gap. */
typedef struct tctx {
    int calls_title, calls_body;
    uint32_t max_title_pos, min_body_pos;
    int saw_body_term;
} tctx;

static int on_terms(void *ctx, const ns_term *t, size_t n, const char *text, size_t len,
                    int in_title, ns_err *e)
{
    tctx *c = ctx;
    (void)text, (void)len, (void)e;
    if (in_title)
        c->calls_title++;
    else
        c->calls_body++;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & NS_TERM_JOINED)
            continue;
        if (in_title && t[i].pos > c->max_title_pos)
            c->max_title_pos = t[i].pos;
        if (!in_title && (!c->min_body_pos || t[i].pos < c->min_body_pos))
            c->min_body_pos = t[i].pos;
        if (!in_title && !strcmp(t[i].term, "zebra"))
            c->saw_body_term = 1;
    }
    return 0;
}

START_TEST(terms_callback_positions_title_then_body)
{
    tctx c;
    memset(&c, 0, sizeof c);
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.vendors = v;
    o.default_id = "x";
    o.on_terms = on_terms;
    o.ctx = &c;
    const char *t = "---\ntitle: Three title words\ndate: 2020-01-01\n---\nA zebra body.\n";
    ck_assert_int_eq(ns_article_parse(&art, t, strlen(t), &o, &err), 0);
    ck_assert_int_eq(c.calls_title, 1);
    ck_assert_int_eq(c.calls_body, 1);
    ck_assert_uint_eq(c.max_title_pos, 3);
    ck_assert_uint_eq(c.min_body_pos, 4 + NS_BODY_POS_GAP);
    ck_assert(c.saw_body_term);
}
END_TEST

START_TEST(long_body_comes_in_chunks_with_continuing_positions)
{
    tctx c;
    memset(&c, 0, sizeof c);
    ns_buf b = NS_BUF_INIT;
    ns_buf_puts(&b, "---\ntitle: T\ndate: 2020-01-01\n---\n");
    for (int i = 0; i < 20000; i++)
        ns_buf_puts(&b, "Some words in a paragraph.\n\n");
    ns_buf_puts(&b, "The zebra ends it.\n");
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.default_id = "x";
    o.on_terms = on_terms;
    o.ctx = &c;
    ck_assert_int_eq(ns_article_parse(&art, b.data, b.len, &o, &err), 0);
    ck_assert_int_gt(c.calls_body, 1);
    ck_assert(c.saw_body_term);
    ns_buf_free(&b);
}
END_TEST

static char tmpdir[64];

static char *tpath(const char *name)
{
    static char p[128];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

START_TEST(read_file_refuses_huge_and_odd_files)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_article.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char *data = NULL;
    size_t len = 0;
    int64_t size, mtime;

    /* 50 MB, sparse: refused by its size, never read into memory */
    int fd = open(tpath("huge.md"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 52428800), 0);
    close(fd);
    ck_assert_int_eq(ns_article_read_file(tpath("huge.md"), &data, &len, &size, &mtime, &err),
                     NS_ETOOBIG);
    ck_assert_str_eq(err.msg, "file is 52428800 bytes; articles over 16 MiB are refused");
    ck_assert_ptr_null(data);

    ck_assert_int_eq(symlink(tpath("nowhere"), tpath("dangling.md")), 0);
    ck_assert_int_eq(ns_article_read_file(tpath("dangling.md"), &data, &len, NULL, NULL, &err),
                     NS_EIO);
    ck_assert_str_eq(err.msg, "cannot read: No such file or directory");

    ck_assert_int_eq(mkfifo(tpath("fifo.md"), 0644), 0);
    ck_assert_int_eq(ns_article_read_file(tpath("fifo.md"), &data, &len, NULL, NULL, &err),
                     NS_EIO);
    ck_assert_str_eq(err.msg, "cannot read: not a regular file");

    FILE *f = fopen(tpath("ok.md"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("---\ntitle: T\ndate: 2020-01-01\n---\nhi\n", f);
    fclose(f);
    ck_assert_int_eq(ns_article_read_file(tpath("ok.md"), &data, &len, &size, &mtime, &err), 0);
    ck_assert_uint_eq(len, 37);
    ck_assert_int_eq(size, 37);
    ck_assert_int_gt(mtime, 0);
    ck_assert_str_eq(data + len - 3, "hi\n");
    free(data);

    unlink(tpath("huge.md"));
    unlink(tpath("dangling.md"));
    unlink(tpath("fifo.md"));
    unlink(tpath("ok.md"));
    rmdir(tmpdir);
}
END_TEST

static Suite *article_suite(void)
{
    return FIXTURE_SUITE("article", "article", setup, teardown, 0,
                         good_article_fields,
                         default_id_and_absent_optional_fields,
                         no_front_matter,
                         invalid_yaml_names_the_line,
                         missing_title,
                         translation_of_naming_itself_is_refused,
                         translation_of_too_long_for_its_term_is_refused,
                         missing_date,
                         impossible_dates,
                         leap_days_and_quoted_dates_are_fine,
                         invalid_utf8_names_the_byte,
                         empty_file,
                         binary_file,
                         bad_lang,
                         vendors_flow_list,
                         vendors_block_list,
                         vendors_single_scalar,
                         unknown_vendor_kept_with_warning,
                         vendors_detected_in_title_and_body_after_front_matter,
                         link_text_kept_target_dropped,
                         code_kept_info_string_dropped,
                         html_stripped,
                         paragraphs_lists_and_quotes_are_separated,
                         lang_detected_from_body,
                         bom_and_crlf_accepted,
                         bad_ids_refused,
                         terms_callback_positions_title_then_body,
                         long_body_comes_in_chunks_with_continuing_positions,
                         read_file_refuses_huge_and_odd_files);
}

FIXTURE_MAIN(article_suite)
