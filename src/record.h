/* record.h: the stored data of one article (what a search result shows),
 * and its encoding in the Xapian document data.
 *
 * Encoding: a sequence of fields, each one tag byte, a decimal length, ':'
 * and that many bytes ("t23:Microsoft gets GPT-3..."). Unknown tags are
 * skipped on decoding, so fields can be added without a schema bump.
 * Tags: i id, t title, d date, l lang, v vendor (repeated), u url, p path,
 * x text (the rendered body, for snippets). */
#ifndef NS_RECORD_H
#define NS_RECORD_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

typedef struct ns_record {
    char *id;
    char *title;
    char *date;        /* YYYY-MM-DD */
    char *lang;        /* "en" or "ru" */
    char **vendors;    /* canonical names */
    size_t nvendors;
    char *url;         /* NULL when absent */
    char *path;
    char *text;        /* rendered plain text of the body */
    size_t text_len;
} ns_record;

/* Append the encoding of r to out. Fields that are NULL are left out. */
int ns_record_encode(const ns_record *r, ns_buf *out, ns_err *err);

/* Decode data[0..len) into *r: every string is malloc'd and NUL-terminated
 * and belongs to r (release with ns_record_clear). NS_ECORRUPT on bad data. */
int ns_record_decode(ns_record *r, const char *data, size_t len, ns_err *err);

/* Free what a decoded record owns and zero it. */
void ns_record_clear(ns_record *r);

#endif
