/* utf8.h: small UTF-8 helpers shared by C code and the Xapian shim. */
#ifndef NS_UTF8_H
#define NS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if s[0..len) is valid UTF-8: shortest forms only, no surrogates, nothing
 * above U+10FFFF, and no NUL byte; else 0. */
int ns_utf8_valid(const char *s, size_t len);

/* Decode one code point at s[0..len). Returns the number of bytes used (1..4)
 * and stores the code point in *cp; for an invalid or truncated sequence it
 * returns 1 and stores -1. len must be > 0. */
int ns_utf8_decode(const char *s, size_t len, int32_t *cp);

/* Length of the longest prefix of s[0..len) that is at most max bytes and
 * does not cut a UTF-8 sequence. */
size_t ns_utf8_clip(const char *s, size_t len, size_t max);

/* Characters (code points) in s[0..len) when it is valid UTF-8: the bytes
 * that do not continue a sequence. For widths and length caps of text that
 * is known valid (folded words, titles). */
size_t ns_utf8_chars(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
