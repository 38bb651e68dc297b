/* test_str.c: the small string helpers. */
#include "str.h"

#include "buf.h"

#include "fixture.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

START_TEST(strndup_copies_exactly_len_bytes_including_NULs)
{
    char *p = ns_strndup("a\0bc", 3);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(memcmp(p, "a\0b", 3), 0);
    ck_assert_int_eq(p[3], '\0');
    free(p);
}
END_TEST

START_TEST(trim_drops_ascii_space_at_both_ends_only)
{
    const char *s = " \t\r\n a b \v\f";
    size_t len = strlen(s);
    ns_trim(&s, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(strncmp(s, "a b", 3), 0);
}
END_TEST

START_TEST(trim_of_only_space_is_empty)
{
    const char *s = "  \n ";
    size_t len = strlen(s);
    ns_trim(&s, &len);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(non_ascii_bytes_are_not_space)
{
    ck_assert(!ns_is_space((char)0xA0));  /* a byte of U+00A0 in UTF-8, not a space by itself */
    ck_assert(!ns_is_space('x'));
    ck_assert(ns_is_space('\f'));
}
END_TEST

/* issue #13, finding 5: a file name or a front-matter value quoted in a
 * message must not drive the terminal (ESC ] 0 ; ... BEL sets its title,
 * ESC [ 2 J clears it; U+009B is a one-character CSI for some terminals). */
START_TEST(escape_writes_control_characters_and_bad_bytes_as_hex)
{
    ns_buf b = NS_BUF_INIT;
    const char s[] = "a\x1b]0;pwned\a\tb\n\x7f\xc2\x9b[2J caf\xe9 \xd0\xb5\xc2\xa0z";
    ck_assert_int_eq(ns_str_escape(&b, s, sizeof s - 1), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
                     "a\\x1b]0;pwned\\x07\\x09b\\x0a\\x7f\\xc2\\x9b[2J caf\\xe9 \xd0\xb5\xc2\xa0z");
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_str_escape(&b, "x\0y", 3), 0);
    ck_assert_int_eq(b.len, 6);
    ck_assert_str_eq(ns_buf_cstr(&b), "x\\x00y");
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_str_escape(&b, "plain", 5), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "plain");
    ns_buf_free(&b);
}
END_TEST

static int vescapef(ns_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ns_str_vescapef(b, fmt, ap);
    va_end(ap);
    return rc;
}

START_TEST(vescapef_formats_then_escapes_the_whole_line)
{
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(vescapef(&b, "%s: %s (%d)", "dir/evil\x1b[2J\nx.md", "bad\a", 7), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "dir/evil\\x1b[2J\\x0ax.md: bad\\x07 (7)");
    ns_buf_free(&b);
}
END_TEST

START_TEST(control_characters_are_c0_del_and_c1)
{
    ck_assert(ns_is_control(0));
    ck_assert(ns_is_control(0x1b));
    ck_assert(ns_is_control('\t'));
    ck_assert(ns_is_control(0x7f));
    ck_assert(ns_is_control(0x85));
    ck_assert(ns_is_control(0x9f));
    ck_assert(!ns_is_control(' '));
    ck_assert(!ns_is_control(0xa0));
    ck_assert(!ns_is_control(0x435));
    ck_assert(!ns_is_control(-1));
}
END_TEST

START_TEST(quote_clips_at_whole_characters_and_escapes)
{
    char q[32];
    ck_assert_str_eq(ns_str_quote(q, sizeof q, "2020-10-05", 10, 60), "2020-10-05");
    ck_assert_str_eq(ns_str_quote(q, sizeof q, "ab\ncd", 5, 60), "ab\\x0acd");
    /* at most max bytes of the value, never half a character */
    ck_assert_str_eq(ns_str_quote(q, sizeof q, "\xd0\xb5\xd0\xb5\xd0\xb5", 6, 5), "\xd0\xb5\xd0\xb5...");
    /* the buffer is the limit: an escape is never cut */
    ck_assert_str_eq(ns_str_quote(q, 12, "\x1b\x1b\x1b", 3, 60), "\\x1b\\x1b...");
    ck_assert_str_eq(ns_str_quote(q, sizeof q, "", 0, 60), "");
}
END_TEST

static Suite *str_suite(void)
{
    return FIXTURE_SUITE("str", "str", NULL, NULL, 0,
                         strndup_copies_exactly_len_bytes_including_NULs,
                         trim_drops_ascii_space_at_both_ends_only,
                         trim_of_only_space_is_empty,
                         non_ascii_bytes_are_not_space,
                         escape_writes_control_characters_and_bad_bytes_as_hex,
                         control_characters_are_c0_del_and_c1,
                         vescapef_formats_then_escapes_the_whole_line,
                         quote_clips_at_whole_characters_and_escapes);
}

FIXTURE_MAIN(str_suite)
