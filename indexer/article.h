/* article.h: one article file (YAML front matter + CommonMark body) to an
 * ns_article: its fields, its vendors and the plain text of its body.
 *
 * Input is the file's bytes (need not end in NUL). A file that is not an
 * article gives NS_ESYNTAX, NS_EUTF8 or NS_ETOOBIG with a one-line reason in
 * err->msg that the caller prints after the path ("missing title", "invalid
 * UTF-8 at byte 1234", ...); a value it quotes is clipped and its control
 * characters written \xHH (ns_str_quote), so the reason is one line that
 * cannot drive a terminal. The article owns all its strings; release them
 * with ns_article_clear.
 *
 * Every front-matter value (title, date, id, lang, url, each vendor and tag)
 * is one line: TAB, CR and LF inside it turn their run of white space into
 * one space, and any other control character (C0, DEL, C1) refuses the file
 * ("vendors: control character U+001B in '...'"). A default id (from the
 * path) has each byte of a control character written %XX instead.
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

/* Caps on one article (issue #13, finding 4). Past any of them the file is
 * refused (NS_ETOOBIG) with a message naming the cap, and nindex goes on
 * with the other files. Each is far above what a real article holds and
 * keeps the worst article under it cheap (README "Articles" has the list):
 *
 * The file: 16 MiB, refused before being read. A long Markdown article is
 * under 200 KB; notebooks exported to Markdown with their plots inline as
 * data: URIs reach a few MB (link targets are not indexed, so those bytes
 * cost only cmark's fast parse: the text cap below is what bounds the
 * analysis). */
#define NS_ARTICLE_MAX ((size_t)16 << 20)
/* The text to index, what the body renders to (README "Articles": markup
 * and link targets are not in it): 2 MiB, about 300,000 words, ten times the
 * longest real article. Xapian's work is per word (about 0.4 s per MB of
 * ordinary words on a 2-core AMD EPYC), so this is what bounds the time of
 * the worst article; 16 MiB of words took 6 s. */
#define NS_ARTICLE_TEXT_MAX ((size_t)2 << 20)
/* The YAML between the '---' lines: 64 KiB. Real front matter is under 1 KB;
 * 64 KiB leaves room for long summaries and other tools' keys. */
#define NS_FRONT_MATTER_MAX ((size_t)64 << 10)
/* Nesting of YAML lists and mappings: 32 levels (real front matter uses 2 or
 * 3). Checked on the event stream before any tree is built: libyaml's
 * scanner costs the square of the depth (200,000 levels took 96 s). */
#define NS_FRONT_MATTER_DEPTH 32
/* YAML anchors (&a) and aliases (*a) together: 64. Front matter rarely uses
 * one; the cap rules out "billion laughs" and libyaml's quadratic anchor
 * lookup. */
#define NS_FRONT_MATTER_REFS 64
/* Names in vendors: and in tags: (each): 100. A digest names a few dozen
 * organisations at most. */
#define NS_ARTICLE_NAMES_MAX 100
/* Distinct terms (words and parts of words after analysis, title and body):
 * 20,000. Xapian's work and memory per document grow with its distinct terms
 * (about 40 us each, most of it for the spelling table), so 8 MB of random
 * words took 51 s and 760 MB. Real text is far below: 3 MB of man pages has
 * 13,500 (and the text cap allows 2 MiB), a 300 KB article 4,000; only a
 * base64 blob of over ~90 KB or generated junk passes it. With the text cap
 * it keeps the worst article (2 MiB of words, 20,000 of them distinct) to
 * about a second of CPU. The caps on one word are in analyze.h (NS_WORD_MAX,
 * NS_WORD_PARTS_MAX): an article with a word past them is refused too. */
#define NS_ARTICLE_TERMS_MAX 20000

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
    char *translation_of; /* the id of the article this one translates, or NULL */
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

#define NS_ARTICLE_OPTS_INIT                                                            \
    { .analyzer = NULL, .vendors = NULL, .default_id = NULL, .on_terms = NULL, .ctx = NULL }

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
