/* qfilter.h: the query language's filters (vendor:NAME, month:SPEC, lang:L,
 * and the --vendor, --month, --lang options) as Xapian queries over the
 * boolean terms and the date slot of src/schema.h.
 *
 * Each function checks its value and returns *out (caller frees with
 * ns_xquery_free) or NS_ESYNTAX with a message quoting the value (at most
 * 100 bytes of it), and the refusal's reason (query.h NS_QERR_*) in *why
 * unless why is NULL; NS_ENOMEM. The analyzer and vendor table are only
 * borrowed during the call. Counting against the query's cap of terms is
 * the parser's job (query.c). */
#ifndef NS_QFILTER_H
#define NS_QFILTER_H

#include "analyze.h"
#include "err.h"
#include "query.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <stddef.h>

/* month:YYYY-MM (the month's term) or YYYY-MM..YYYY-MM (a range of the date
 * slot, months inclusive; NS_ESYNTAX when it ends before it starts). */
int ns_qfilter_month(ns_xquery **out, const char *s, size_t len, int *why, ns_err *err);

/* lang:en or lang:ru, either case. */
int ns_qfilter_lang(ns_xquery **out, const char *s, size_t len, int *why, ns_err *err);

/* vendor:NAME: a vendor's name or alias (through v, which may be NULL) to
 * its canonical name, folded like the indexer folds it. An unknown vendor is
 * no error: its folded name matches no article. NS_ESYNTAX for an empty
 * name. */
int ns_qfilter_vendor(ns_xquery **out, ns_analyzer *a, const ns_vendors *v, const char *s,
                      size_t len, int *why, ns_err *err);

/* A query that matches nothing: a term no analyser or indexer ever makes
 * (for an over-long prefix or vendor name; the shim has no MatchNothing). */
int ns_qfilter_nothing(ns_xquery **out, ns_err *err);

#endif
