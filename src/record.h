/* record.h: the stored data of one article (what a search result shows),
 * and its encoding in the Xapian document data.
 *
 * Encoding: a sequence of fields, each one tag byte, a decimal length, ':'
 * and that many bytes ("t23:Microsoft gets GPT-3..."). Unknown tags are
 * skipped on decoding, so fields can be added without a schema bump.
 * Tags: i id, t title, d date, l lang, v vendor (repeated), u url, r the path
 * relative to the archive root, p path, x text (the rendered body, for
 * snippets), or z the same text as one zstd frame (what the encoder writes
 * for texts of 256 bytes or more). 'r' came later: databases written before
 * it have no such field, and readers before it skip it. */
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
    char *rel;         /* the path relative to the PATH given to nindex ("en/x.md"), what
                        * the web shows; NULL in databases written before it was stored */
    char *path;        /* the path as nindex found it (what the editor opens) */
    char *text;        /* rendered plain text of the body */
    size_t text_len;
} ns_record;

/* Compression state, reused from record to record: setting it up costs more
 * than compressing or decompressing one article (zstd probes the CPU, a
 * trap under virtualisation), so each thread that encodes or decodes many
 * records keeps one. Not thread-safe. */
typedef struct ns_record_codec ns_record_codec;

int ns_record_codec_new(ns_record_codec **out, ns_err *err);
void ns_record_codec_free(ns_record_codec *c); /* NULL is a no-op */

/* Append the encoding of r to out. Fields that are NULL are left out.
 * c: the thread's codec, or NULL for a one-off. */
int ns_record_encode(const ns_record *r, ns_record_codec *c, ns_buf *out, ns_err *err);

/* Decode data[0..len) into *r: every string is malloc'd and NUL-terminated
 * and belongs to r (release with ns_record_clear). NS_ECORRUPT on bad data.
 * c as for ns_record_encode. */
int ns_record_decode(ns_record *r, ns_record_codec *c, const char *data, size_t len,
                     ns_err *err);

/* Append to out the encoding data[0..len) with its path field ('p')
 * replaced by path (added if it had none): the other fields, the compressed
 * text included, are copied as they are. NS_ECORRUPT on bad data. Used when
 * an article's file moved but did not change. */
int ns_record_set_path(const char *data, size_t len, const char *path, ns_buf *out, ns_err *err);

/* Free what a decoded record owns and zero it. */
void ns_record_clear(ns_record *r);

#endif
