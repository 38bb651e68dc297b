/* article.h: one article file (YAML front matter + CommonMark body) to an
 * ns_article: its fields, its vendors and the plain text of its body.
 *
 * Input is the file's bytes (need not end in NUL). A file that is not an
 * article gives NS_ESYNTAX, NS_EUTF8 or NS_ETOOBIG with a one-line reason in
 * err->msg that the caller prints after the path ("missing title", "invalid
 * UTF-8 at byte 1234", ...). The article owns all its strings; release them
 * with ns_article_clear.
 *
 * Parsing analyses the title and the body once (to detect vendors named in
 * them); a caller that indexes the article receives those same terms through
 * opts->on_terms instead of analysing the text a second time. Positions
 * follow src/schema.h: title from 1, body after a gap of NS_BODY_POS_GAP. */
#ifndef NS_ARTICLE_H
#define NS_ARTICLE_H

#include "analyze.h"
#include "err.h"
#include "vendors.h"

#include <stddef.h>
#include <stdint.h>

/* Articles larger than this are refused (NS_ETOOBIG) before being read. */
#define NS_ARTICLE_MAX ((size_t)16 << 20)

typedef struct ns_article {
    char *id;           /* front matter id, else opts->default_id */
    char *title;
    char date[11];      /* YYYY-MM-DD, a real calendar date */
    char month[8];      /* YYYY-MM */
    char lang[3];       /* "en" or "ru" */
    char **vendors;     /* canonical names (unknown front-matter ones as written) */
    size_t nvendors;
    char **tags;
    size_t ntags;
    char *url;          /* NULL when absent */
    char *text;         /* rendered plain text of the body, paragraphs split by "\n\n" */
    size_t text_len;
    char **warnings;    /* "unknown vendor 'X' (kept as written)", ... */
    size_t nwarnings;
} ns_article;

/* Receives the analysed terms of one piece of the article: the title (in_title
 * 1) or a chunk of the body (in_title 0; long bodies come in several chunks
 * split at paragraph breaks, with positions continuing). text[0..len) is the
 * analysed text that the terms' start/end offsets refer to. The terms belong
 * to the analyzer: the callback may call the analyzer, but then must not use
 * terms afterwards. Return 0, or a negative NS_E* code (with err filled) to
 * stop parsing with that error. */
typedef int (*ns_article_terms_fn)(void *ctx, const ns_term *terms, size_t count,
                                   const char *text, size_t len, int in_title, ns_err *err);

typedef struct ns_article_opts {
    ns_analyzer *analyzer;      /* required */
    const ns_vendors *vendors;  /* NULL: vendors are kept as written, none detected */
    const char *default_id;     /* id when the front matter has none; required */
    ns_article_terms_fn on_terms; /* may be NULL */
    void *ctx;
} ns_article_opts;

#define NS_ARTICLE_OPTS_INIT { NULL, NULL, NULL, NULL, NULL }

/* Parse data[0..len) into *out (zeroed first; on error *out holds nothing).
 * 0, NS_ESYNTAX, NS_EUTF8, NS_ETOOBIG, NS_ENOMEM, or on_terms' code. */
int ns_article_parse(ns_article *out, const char *data, size_t len, const ns_article_opts *opts,
                     ns_err *err);

/* Read a whole article file into *data (malloc'd, NUL-terminated; the caller
 * frees), refusing anything but a regular file and files over NS_ARTICLE_MAX
 * bytes before reading them. *size and *mtime_ns (may be NULL) receive the
 * file's size and modification time as read. NS_EIO (err->msg "cannot read:
 * <strerror>", "not a regular file"), NS_ETOOBIG, NS_ENOMEM. */
int ns_article_read_file(const char *path, char **data, size_t *len, int64_t *size,
                         int64_t *mtime_ns, ns_err *err);

/* Free what the article owns and zero it. */
void ns_article_clear(ns_article *art);

#endif
