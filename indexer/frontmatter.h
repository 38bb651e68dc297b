/* frontmatter.h: the YAML front matter of an article (internal to the
 * indexer: article.c reads an article, this reads its front matter). Every
 * key nsearch reads has one handler (title, date, id, lang, url, vendors,
 * tags); other keys belong to other tools and are ignored. The limits
 * (size, depth, anchors) are article.h's; the format is the repository's
 * article format (docs/architecture.md points to it). */
#ifndef NS_FRONTMATTER_H
#define NS_FRONTMATTER_H

#include "article.h"
#include "err.h"

#include <stddef.h>

/* How much of a user's value an error message quotes (bytes), and the room
 * it needs once escaped (\xHH per byte at worst) with "...". */
#define QUOTE_MAX 60
#define QUOTE_BUF (4 * QUOTE_MAX + 4)

/* s[0..len) quoted for a message: clipped, control characters escaped. */
#define QUOTE(buf, s, len) ns_str_quote((buf), sizeof(buf), (s), (len), QUOTE_MAX)

/* Read the front matter yaml[0..ylen) into art's title, date, month, lang,
 * id, url and tags; the vendors as given go to (*fm_vendors, *nfm), for the
 * caller to check against the vendor table. title and date are required.
 * 0, NS_ESYNTAX, NS_ETOOBIG (over NS_FRONT_MATTER_MAX bytes, too deep, too
 * many anchors), NS_EUTF8, NS_ENOMEM; err names the key and quotes the
 * value. What was filled before an error is the caller's to clear. */
int ns_front_matter_read(ns_article *art, const char *yaml, size_t ylen, char ***fm_vendors,
                         size_t *nfm, ns_err *err);

/* NS_ESYNTAX unless id[0..len) is a valid article id (see article.h). */
int ns_front_matter_check_id(const char *id, size_t len, ns_err *err);

#endif
