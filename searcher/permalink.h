/* permalink.h: the link from a search result to the blog's own article,
 * built from a template the site configures (NSEARCH_PERMALINK):
 * "https://blog.example/{id}/" or "/{lang}/{year}/{id}.html".
 *
 * A template is an absolute http:// or https:// URL or a path starting with
 * one '/', optionally with a query ("/?p={id}"), never a fragment, spaces,
 * control or non-ASCII characters, and it names {id} (one link for every
 * article is a mistake, not a choice). Placeholders: {id} (percent-encoded
 * but for '/': nindex's default id is the file's path, "ru/2020-10-x"),
 * {lang} ("en"/"ru"), {year} ("2020") and {month} ("2020-10"), from the
 * article's front matter; a '{' or '}' otherwise is refused. Checked once, at
 * start, so a bad template stops the program with a message naming what is
 * wrong instead of sending readers to broken links. */
#ifndef NS_PERMALINK_H
#define NS_PERMALINK_H

#include "buf.h"
#include "err.h"
#include "record.h"

typedef struct ns_permalink ns_permalink;

/* Check and copy tmpl. NS_EINVAL with a message saying what is wrong. */
int ns_permalink_new(ns_permalink **out, const char *tmpl, ns_err *err);
void ns_permalink_free(ns_permalink *pl); /* NULL is a no-op */

/* Append rec's link to out: a URL, still to be escaped for HTML or JSON.
 * Returns 0, NS_ENOMEM, or NS_ENOTFOUND (nothing appended) when rec lacks
 * what the template needs (no id; no date for {year} or {month}). */
int ns_permalink_expand(const ns_permalink *pl, const ns_record *rec, ns_buf *out);

#endif
