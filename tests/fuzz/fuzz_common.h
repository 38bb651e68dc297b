/* fuzz_common.h: helpers shared by the libFuzzer harnesses in tests/fuzz/.
 *
 * - FUZZ_ASSERT: an invariant that must hold for every input; a violation
 *   aborts, so libFuzzer records the input as a crash.
 * - fz_json_*: a small strict JSON parser (RFC 8259: no trailing commas, no
 *   leading zeros, no control characters or invalid UTF-8 in strings, lone
 *   surrogates refused). It decodes every string it meets and hands it to a
 *   callback, so harnesses can check that what they wrote comes back.
 * - fz_tempdb: a tiny database indexed once from a few built-in articles, for
 *   harnesses that need a real searcher (query language, web handler).
 * - The entry points' prototypes and fz_analysis, the analyzer and vendor
 *   table a harness keeps for its whole run: the preamble every harness had.
 *
 * Test code only: it keeps process-wide state, as libFuzzer harnesses must. */
#ifndef NS_FUZZ_COMMON_H
#define NS_FUZZ_COMMON_H

#include "analyze.h"
#include "buf.h"
#include "utf8.h"
#include "vendors.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                                    \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* ---- entry points and set-up ------------------------------------------------------- */

/* libFuzzer calls these and declares neither, so they are declared here
 * (-Wmissing-prototypes); a harness defines LLVMFuzzerInitialize only when it
 * sets something up. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the analyzer *a and, when v is not NULL, the vendor table *v, kept
 * for the whole run; aborts when they cannot be made. */
static inline void fz_analysis(ns_analyzer **a, ns_vendors **v)
{
    ns_err err;
    FUZZ_ASSERT(ns_analyzer_new(a, &err) == 0);
    if (v)
        FUZZ_ASSERT(ns_vendors_new(v, *a, &err) == 0);
}

/* ---- strict JSON ------------------------------------------------------------------ */

typedef struct fz_json {
    const char *s;
    size_t len, i;
    int depth;
    /* called for every decoded string (keys too; is_key says which) */
    void (*on_string)(void *ctx, const char *s, size_t len, int is_key);
    void *ctx;
    ns_buf tmp;
} fz_json;

static inline int fz_json_value(fz_json *j);

static inline void fz_json_ws(fz_json *j)
{
    while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
                             j->s[j->i] == '\r'))
        j->i++;
}

static inline int fz_hex4(fz_json *j, unsigned *out)
{
    unsigned v = 0;
    if (j->len - j->i < 4)
        return -1;
    for (int k = 0; k < 4; k++) {
        char c = j->s[j->i++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static inline void fz_put_cp(ns_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    FUZZ_ASSERT(ns_buf_append(b, u, n) == 0);
}

static inline int fz_json_string(fz_json *j, int is_key)
{
    if (j->i >= j->len || j->s[j->i] != '"')
        return -1;
    j->i++;
    ns_buf_reset(&j->tmp);
    FUZZ_ASSERT(ns_buf_reserve(&j->tmp, 0) == 0);
    for (;;) {
        if (j->i >= j->len)
            return -1;
        unsigned char c = (unsigned char)j->s[j->i];
        if (c == '"') {
            j->i++;
            break;
        }
        if (c < 0x20)
            return -1; /* raw control character */
        if (c == '\\') {
            if (++j->i >= j->len)
                return -1;
            char e = j->s[j->i++];
            unsigned cp;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                if (fz_hex4(j, &cp) < 0)
                    return -1;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return -1; /* lone low surrogate */
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (j->len - j->i < 6 || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
                        return -1;
                    j->i += 2;
                    if (fz_hex4(j, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return -1;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                break;
            default:
                return -1;
            }
            fz_put_cp(&j->tmp, cp);
            continue;
        }
        int32_t cp;
        int n = ns_utf8_decode(j->s + j->i, j->len - j->i, &cp);
        if (cp < 0)
            return -1; /* invalid UTF-8 inside a string */
        FUZZ_ASSERT(ns_buf_append(&j->tmp, j->s + j->i, (size_t)n) == 0);
        j->i += (size_t)n;
    }
    if (j->on_string)
        j->on_string(j->ctx, j->tmp.data, j->tmp.len, is_key);
    return 0;
}

/* One or more digits; -1 when there is none. */
static inline int fz_json_digits(fz_json *j)
{
    size_t d = j->i;
    while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        j->i++;
    return j->i > d ? 0 : -1;
}

static inline int fz_json_number(fz_json *j)
{
    size_t st = j->i;
    if (j->i < j->len && j->s[j->i] == '-')
        j->i++;
    if (j->i >= j->len)
        return -1;
    if (j->s[j->i] == '0')
        j->i++;
    else if (j->s[j->i] >= '1' && j->s[j->i] <= '9')
        while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            j->i++;
    else
        return -1;
    if (j->i < j->len && j->s[j->i] == '.') {
        j->i++;
        if (fz_json_digits(j) < 0)
            return -1;
    }
    if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (fz_json_digits(j) < 0)
            return -1;
    }
    return j->i > st ? 0 : -1;
}

static inline int fz_json_lit(fz_json *j, const char *lit)
{
    size_t n = strlen(lit);
    if (j->len - j->i < n || memcmp(j->s + j->i, lit, n) != 0)
        return -1;
    j->i += n;
    return 0;
}

static inline int fz_json_value(fz_json *j);

/* After an object's '{' (keyed: "key": value members) or an array's '[',
 * its items through the closing bracket. */
static inline int fz_json_items(fz_json *j, char close, int keyed)
{
    j->i++;
    fz_json_ws(j);
    if (j->i < j->len && j->s[j->i] == close) {
        j->i++;
        return 0;
    }
    for (;;) {
        if (keyed) {
            fz_json_ws(j);
            if (fz_json_string(j, 1) < 0)
                return -1;
            fz_json_ws(j);
            if (j->i >= j->len || j->s[j->i++] != ':')
                return -1;
        }
        if (fz_json_value(j) < 0)
            return -1;
        fz_json_ws(j);
        if (j->i >= j->len)
            return -1;
        if (j->s[j->i] != ',')
            return j->s[j->i++] == close ? 0 : -1;
        j->i++;
    }
}

static inline int fz_json_value(fz_json *j)
{
    fz_json_ws(j);
    if (j->i >= j->len || ++j->depth > 64)
        return -1;
    int rc = 0;
    char c = j->s[j->i];
    if (c == '{') {
        rc = fz_json_items(j, '}', 1);
    } else if (c == '[') {
        rc = fz_json_items(j, ']', 0);
    } else if (c == '"') {
        rc = fz_json_string(j, 0);
    } else if (c == 't') {
        rc = fz_json_lit(j, "true");
    } else if (c == 'f') {
        rc = fz_json_lit(j, "false");
    } else if (c == 'n') {
        rc = fz_json_lit(j, "null");
    } else {
        rc = fz_json_number(j);
    }
    j->depth--;
    return rc;
}

/* 0 if s[0..len) is exactly one strict JSON value (surrounding white space
 * allowed), else -1. on_string (may be NULL) sees every decoded string. */
static inline int fz_json_parse(const char *s, size_t len,
                                void (*on_string)(void *, const char *, size_t, int), void *ctx)
{
    fz_json j;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.len = len;
    j.on_string = on_string;
    j.ctx = ctx;
    int rc = fz_json_value(&j);
    if (rc == 0) {
        fz_json_ws(&j);
        if (j.i != j.len)
            rc = -1;
    }
    ns_buf_free(&j.tmp);
    return rc;
}

/* What ns_json_string promises to write for s[0..len), decoded: the same text
 * with each invalid UTF-8 byte replaced by U+FFFD. */
static inline void fz_expected_text(ns_buf *out, const char *s, size_t len)
{
    ns_buf_reset(out);
    FUZZ_ASSERT(ns_buf_reserve(out, len) == 0);
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        if (cp < 0)
            FUZZ_ASSERT(ns_buf_puts(out, "\xEF\xBF\xBD") == 0);
        else
            FUZZ_ASSERT(ns_buf_append(out, s + i, (size_t)n) == 0);
        i += (size_t)n;
    }
}

/* 1 if s[0..len) is valid UTF-8 apart from NUL bytes (which JSON can carry). */
static inline int fz_utf8_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        if (cp < 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

#endif
