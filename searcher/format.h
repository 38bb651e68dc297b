/* format.h: nsearch --format, one line of text per result from a template,
 * like `git log --format`: "%d %t %u" gives "2020-10-29 MIT model ...
 * https://...". The sequences:
 *   %i id        %t title     %d date (YYYY-MM-DD)    %m month (YYYY-MM)
 *   %u url (empty when the article has none)          %v vendors, comma-joined
 *   %l language  %s score     %r rank (1-based)       %p path (as nindex found it)
 *   %n newline   %% percent
 * Everything else in the template is copied as written. Every value from an
 * article is escaped as by ns_str_escape (src/str.h): control characters and
 * invalid UTF-8 are written \xHH, so a title cannot drive the terminal or
 * split the line. */
#ifndef NS_FORMAT_H
#define NS_FORMAT_H

#include "buf.h"
#include "err.h"
#include "search.h"

/* 0 when every % sequence of fmt is known; NS_EINVAL otherwise, err->msg
 * naming the first unknown one ("unknown sequence '%x' in the format (see
 * nsearch --help)") or a '%' that ends it. */
int ns_format_check(const char *fmt, ns_err *err);

/* Append hit h written by fmt (checked) and a newline to out. 0 or NS_ENOMEM. */
int ns_format_hit(ns_buf *out, const char *fmt, const ns_hit *h);

#endif
