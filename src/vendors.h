/* vendors.h: the vendor table (vendors/vendors.txt, compiled in): canonical
 * organisation names and their aliases in English and Russian.
 *
 * Matching goes through the analyser, so it ignores case and inflection:
 * "Сбербанка", "СБЕРБАНК" and "сбербанк" all reach Sberbank, and "Hugging
 * Face" matches as two consecutive words. The table is read-only once loaded
 * and may be shared by threads; each call takes the caller's analyzer. */
#ifndef NS_VENDORS_H
#define NS_VENDORS_H

#include "analyze.h"
#include "err.h"

#include <stddef.h>

typedef struct ns_vendors ns_vendors;

/* Load the compiled-in table. NS_ESYNTAX names the bad line. */
int ns_vendors_new(ns_vendors **out, ns_analyzer *a, ns_err *err);
/* Load a table from text (same format); for tests. */
int ns_vendors_new_from_text(ns_vendors **out, ns_analyzer *a, const char *text, size_t len,
                             ns_err *err);
void ns_vendors_free(ns_vendors *v);

/* The canonical name for a name as written (the whole name must match one
 * alias or canonical name), or NULL when unknown. Borrowed from the table. */
const char *ns_vendors_canonical(const ns_vendors *v, ns_analyzer *a, const char *name,
                                 size_t len);

/* Find vendors named in analysed text (whole words, consecutive positions).
 * Calls fn once per distinct canonical name found, in order of first
 * appearance; fn returns non-zero to stop. */
typedef int (*ns_vendor_fn)(void *ctx, const char *canonical);
int ns_vendors_detect(const ns_vendors *v, const ns_term *terms, size_t count, ns_vendor_fn fn,
                      void *ctx);

/* Number of organisations in the table, and the i-th canonical name. */
size_t ns_vendors_count(const ns_vendors *v);
const char *ns_vendors_name(const ns_vendors *v, size_t i);

#endif
