/* test_record.c: the stored article data (src/record.h): a round trip of
 * every field, the stored text compressed ('z') from 256 bytes and plain
 * ('x') below, the older plain encoding still read, with and without a
 * codec, and corrupt data refused with NS_ECORRUPT. */
#include "record.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An article-like text of n bytes: repeated prose, with Cyrillic. */
static char *S_text(size_t n)
{
    static const char prose[] = "Сбербанк обучил ruGPT-3 на 600 ГБ текстов; OpenAI's GPT-3 "
                                "has 175 billion parameters. ";
    char *t = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        t[i] = prose[i % (sizeof prose - 1)];
    /* keep it valid UTF-8 at the cut: end on ASCII */
    if (n)
        t[n - 1] = '.';
    t[n] = '\0';
    return t;
}

static ns_record S_sample(char *text, size_t len)
{
    static char *vendors[] = { "OpenAI", "Sberbank" };
    ns_record r;
    memset(&r, 0, sizeof r);
    r.id = "2020-10/gpt3";
    r.title = "GPT-3 и ruGPT-3";
    r.date = "2020-10-15";
    r.lang = "ru";
    r.vendors = vendors;
    r.nvendors = 2;
    r.url = "https://example.org/gpt3";
    r.rel = "ru/gpt3.md";
    r.path = "corpus/ru/gpt3.md";
    r.text = text;
    r.text_len = len;
    return r;
}

static void S_round_trip(size_t len, ns_record_codec *c, char want_tag)
{
    char *text = S_text(len);
    ns_record in = S_sample(text, len), out;
    ns_buf b = NS_BUF_INIT;
    ns_err err;

    ck_assert_int_eq(ns_record_encode(&in, c, &b, &err), 0);
    /* the text field is the last one: find its tag after the path */
    const char *p = strstr(b.data, "corpus/ru/gpt3.md");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p[strlen("corpus/ru/gpt3.md")], want_tag);
    if (want_tag == 'z')
        ck_assert_msg(b.len < len, "compressed record of %zu bytes for %zu of text", b.len, len);

    ck_assert_msg(ns_record_decode(&out, c, b.data, b.len, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(out.id, in.id);
    ck_assert_str_eq(out.title, in.title);
    ck_assert_str_eq(out.date, in.date);
    ck_assert_str_eq(out.lang, in.lang);
    ck_assert_uint_eq(out.nvendors, 2);
    ck_assert_str_eq(out.vendors[0], "OpenAI");
    ck_assert_str_eq(out.vendors[1], "Sberbank");
    ck_assert_str_eq(out.url, in.url);
    ck_assert_str_eq(out.rel, in.rel);
    ck_assert_str_eq(out.path, in.path);
    ck_assert_uint_eq(out.text_len, len);
    ck_assert(memcmp(out.text, text, len) == 0);
    ck_assert_int_eq(out.text[len], '\0');
    ns_record_clear(&out);
    ns_buf_free(&b);
    free(text);
}

START_TEST(short_text_is_stored_plain)
{
    S_round_trip(100, NULL, 'x');
}
END_TEST

START_TEST(long_text_is_compressed_without_codec)
{
    S_round_trip(5000, NULL, 'z');
}
END_TEST

START_TEST(codec_is_reused_across_records)
{
    ns_record_codec *c;
    ns_err err;
    ck_assert_int_eq(ns_record_codec_new(&c, &err), 0);
    for (size_t len = 200; len < 20000; len = len * 3 + 1)
        S_round_trip(len, c, len >= 256 ? 'z' : 'x');
    ns_record_codec_free(c);
}
END_TEST

START_TEST(plain_text_field_of_schema_1_is_read)
{
    static const char good[] = "i2:ab" "t5:Title" "d10:2020-10-15" "x11:hello world";
    ns_record r;
    ns_err err;
    ck_assert_int_eq(ns_record_decode(&r, NULL, good, sizeof good - 1, &err), 0);
    ck_assert_str_eq(r.id, "ab");
    ck_assert_str_eq(r.title, "Title");
    ck_assert_str_eq(r.text, "hello world");
    ck_assert_uint_eq(r.text_len, 11);
    ck_assert_ptr_null(r.rel); /* written before the relative path was stored */
    ns_record_clear(&r);
}
END_TEST

START_TEST(corrupt_compressed_text_is_NS_ECORRUPT)
{
    char *text = S_text(4000);
    ns_record in = S_sample(text, 4000), out;
    ns_buf b = NS_BUF_INIT;
    ns_err err;
    ck_assert_int_eq(ns_record_encode(&in, NULL, &b, &err), 0);
    /* damage the zstd frame's magic number, right after "z<len>:" */
    const char *z = strstr(b.data, "gpt3.mdz");
    ck_assert_ptr_nonnull(z);
    char *frame = strchr(z, ':') + 1;
    frame[0] ^= 0x5A;
    ck_assert_int_eq(ns_record_decode(&out, NULL, b.data, b.len, &err), NS_ECORRUPT);
    ck_assert_ptr_null(out.id); /* nothing half-decoded is left */

    /* a frame cut short */
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_record_encode(&in, NULL, &b, &err), 0);
    z = strstr(b.data, "gpt3.mdz");
    size_t head = (size_t)(z - b.data) + 7;
    char hdr[32];
    int hl = snprintf(hdr, sizeof hdr, "z%d:", 10);
    memcpy(b.data + head, hdr, (size_t)hl);
    /* the declared length (10) is now shorter than the frame: bad frame, or
     * leftover bytes that are no field: either way corrupt */
    ck_assert_int_eq(ns_record_decode(&out, NULL, b.data, b.len, &err), NS_ECORRUPT);
    ns_buf_free(&b);
    free(text);
}
END_TEST

START_TEST(empty_text_stays_plain)
{
    ns_record in = S_sample("", 0), out;
    ns_buf b = NS_BUF_INIT;
    ns_err err;
    ck_assert_int_eq(ns_record_encode(&in, NULL, &b, &err), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "x0:"));
    ck_assert_int_eq(ns_record_decode(&out, NULL, b.data, b.len, &err), 0);
    ck_assert_str_eq(out.text, "");
    ns_record_clear(&out);
    ns_buf_free(&b);
}
END_TEST

START_TEST(set_path_replaces_only_the_path)
{
    char *text = S_text(1000);
    ns_record in = S_sample(text, 1000), out;
    ns_buf b = NS_BUF_INIT, b2 = NS_BUF_INIT;
    ns_err err;
    ck_assert_int_eq(ns_record_encode(&in, NULL, &b, &err), 0);
    ck_assert_msg(ns_record_set_path(b.data, b.len, "/moved/ru/gpt3.md", &b2, &err) == 0, "%s",
                  err.msg);
    ck_assert_msg(ns_record_decode(&out, NULL, b2.data, b2.len, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(out.path, "/moved/ru/gpt3.md");
    ck_assert_str_eq(out.id, in.id);
    ck_assert_str_eq(out.title, in.title);
    ck_assert_str_eq(out.url, in.url);
    ck_assert_uint_eq(out.nvendors, 2);
    ck_assert_str_eq(out.vendors[1], "Sberbank");
    ck_assert_uint_eq(out.text_len, 1000);
    ck_assert_mem_eq(out.text, text, 1000);
    ns_record_clear(&out);
    /* a record without a path gains one */
    ns_buf_reset(&b);
    ns_buf_reset(&b2);
    in.path = NULL;
    ck_assert_int_eq(ns_record_encode(&in, NULL, &b, &err), 0);
    ck_assert_int_eq(ns_record_set_path(b.data, b.len, "a.md", &b2, &err), 0);
    ck_assert_int_eq(ns_record_decode(&out, NULL, b2.data, b2.len, &err), 0);
    ck_assert_str_eq(out.path, "a.md");
    ns_record_clear(&out);
    /* corrupt data is refused */
    ns_buf_reset(&b2);
    ck_assert_int_eq(ns_record_set_path("t99:short", 9, "a.md", &b2, &err), NS_ECORRUPT);
    ns_buf_free(&b);
    ns_buf_free(&b2);
    free(text);
}
END_TEST

static Suite *record_suite(void)
{
    return FIXTURE_SUITE("record", "record", NULL, NULL, 0,
                         short_text_is_stored_plain,
                         long_text_is_compressed_without_codec,
                         codec_is_reused_across_records,
                         plain_text_field_of_schema_1_is_read,
                         corrupt_compressed_text_is_NS_ECORRUPT,
                         empty_text_stays_plain,
                         set_path_replaces_only_the_path);
}

FIXTURE_MAIN(record_suite)
