/* str.h: small string helpers every module needs, written once. */
#ifndef NS_STR_H
#define NS_STR_H

#include "buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* A malloc'd, NUL-terminated copy of exactly s[0..len) (which may hold NULs);
 * NULL when out of memory. The caller frees it. */
char *ns_strndup(const char *s, size_t len);

/* ASCII white space: space, \t, \n, \r, \v, \f. */
int ns_is_space(char c);

/* Narrow (*s, *len) to exclude leading and trailing ASCII white space. */
void ns_trim(const char **s, size_t *len);

/* A control character: C0 (U+0000-U+001F), DEL (U+007F) or C1 (U+0080-U+009F).
 * A terminal may act on any of them (ESC starts a sequence, and some terminals
 * take U+009B as one), so user data never reaches one raw. */
int ns_is_control(int32_t cp);

/* Append s[0..len) to out with every control character and every byte of
 * invalid UTF-8 written as \xHH (one per byte: ESC is "\x1b", U+009B
 * "\xc2\x9b"); everything else is copied. For messages that quote a file name
 * or a value. 0 or NS_ENOMEM. */
int ns_str_escape(ns_buf *out, const char *s, size_t len);

/* Format fmt as vprintf would and append the result to out escaped as by
 * ns_str_escape: one line for a program to print, whatever its arguments
 * (file names, queries, values) hold. 0 or NS_ENOMEM. */
int ns_str_vescapef(ns_buf *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The same into dst[0..size) (size >= 4), always NUL-terminated, for quoting
 * a user's value inside an ns_err message: at most max bytes of s (whole
 * characters), then "..." when s was longer; escapes are never cut. Returns dst. */
const char *ns_str_quote(char *dst, size_t size, const char *s, size_t len, size_t max);

#endif
