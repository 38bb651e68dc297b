/* buf.h: a growable byte buffer, always NUL-terminated, for any text of
 * unbounded size (tokens, titles, paths, queries, snippets, JSON).
 * Every grow checks for size_t overflow. An ns_buf initialised with NS_BUF_INIT
 * owns its memory; release it with ns_buf_free. After a failed append the
 * buffer keeps its previous contents. */
#ifndef NS_BUF_H
#define NS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ns_buf {
    char *data;     /* NULL until the first append; then NUL-terminated */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
} ns_buf;

#define NS_BUF_INIT { .data = NULL, .len = 0, .cap = 0 }

/* Make room for `extra` more bytes plus the NUL. 0 or NS_ENOMEM. */
int ns_buf_reserve(ns_buf *b, size_t extra);
int ns_buf_append(ns_buf *b, const char *s, size_t len);
int ns_buf_puts(ns_buf *b, const char *s);
int ns_buf_putc(ns_buf *b, char c);
/* n in decimal */
int ns_buf_putu(ns_buf *b, unsigned long n);
int ns_buf_printf(ns_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ns_buf_vprintf(ns_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empty the buffer but keep its memory for reuse. */
void ns_buf_reset(ns_buf *b);
/* The contents as a C string; "" for a buffer never appended to. Borrowed. */
const char *ns_buf_cstr(const ns_buf *b);
/* Hand the malloc'd string to the caller (who frees it) and reset b. NULL when empty and never grown. */
char *ns_buf_detach(ns_buf *b);
void ns_buf_free(ns_buf *b);

#endif
