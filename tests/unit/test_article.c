/* test_article.c: article files to ns_article (indexer/article.h): front
 * matter through libyaml, the body through cmark, vendors, language, and each
 * kind of bad file with the reason the user will read. */
#define _XOPEN_SOURCE 700
#include "analyze.h"
#include "article.h"
#include "schema.h"
#include "vendors.h"

#include "fixture.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char table[] =
    "OpenAI\n"
    "Google | Гугл\n"
    "Sberbank | Сбер | Сбербанк\n"
    "Yandex | Яндекс\n"
    "Hugging Face\n";

static ns_analyzer *a;
static ns_vendors *v;
static ns_article art;
static ns_err err;

static void setup(void)
{
    ck_assert_int_eq(ns_analyzer_new(&a, NULL), 0);
    ck_assert_int_eq(ns_vendors_new_from_text(&v, a, table, strlen(table), NULL), 0);
    memset(&art, 0, sizeof art);
    ns_err_clear(&err);
}

static void teardown(void)
{
    ns_article_clear(&art);
    ns_vendors_free(v);
    ns_analyzer_free(a);
}

static int parse_n(const char *text, size_t len)
{
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = a;
    o.vendors = v;
    o.default_id = "dir/default-id";
    ns_article_clear(&art);
    return ns_article_parse(&art, text, len, &o, &err);
}

static int parse(const char *text)
{
    return parse_n(text, strlen(text));
}

/* Parse must fail with code and a message containing want. */
static void bad(const char *text, size_t len, int code, const char *want)
{
    int rc = parse_n(text, len);
    ck_assert_msg(rc == code, "rc %d, want %d (%s)", rc, code, err.msg);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
    ck_assert_ptr_null(art.title);
    ck_assert_ptr_null(art.id);
}

/* Parse must fail with NS_ESYNTAX and a message containing want. */
static void refused(const char *text, const char *want)
{
    bad(text, strlen(text), NS_ESYNTAX, want);
}

static int has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

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
                         read_file_refuses_huge_and_odd_files,
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

FIXTURE_MAIN(article_suite)
