/* suggest.c: spelling suggestions for a query (suggest.h). */
#include "suggest.h"

#include "buf.h"
#include "sdict.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* The best correction of one folded word, or *fix NULL. */
static int S_correct(ns_xdb *db, const char *w, size_t len, unsigned edits, char **fix, ns_err *err)
{
    int rc = ns_sdict_lookup(db, w, len, edits, fix, err);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    /* No dictionary (a database of an older nindex): Xapian's table. */
    rc = ns_xdb_spelling_within(db, w, len, edits, fix, err);
    if (rc == NS_ETERM) {
        ns_err_clear(err);
        rc = 0;
    }
    return rc;
}

int ns_suggest_spelling(ns_xdb *db, const ns_query *q, const char *query, size_t len, char **out,
                        ns_err *err)
{
    size_t nw, at = 0;
    const ns_query_word *w = ns_query_words(q, &nw);
    ns_buf b = NS_BUF_INIT;
    int changed = 0, rc = 0;
    unsigned lookups = 0;

    *out = NULL;
    for (size_t i = 0; i < nw; i++) {
        size_t flen, nchars;
        unsigned tf = 0;
        char *fix = NULL;
        if (!w[i].folded || w[i].end > len || w[i].start < at)
            continue;
        flen = strlen(w[i].folded);
        nchars = ns_utf8_chars(w[i].folded, flen);
        if (nchars < NS_SUGGEST_MIN_CHARS)
            continue;
        if (lookups >= NS_SUGGEST_MAX_LOOKUPS)
            break;
        if ((rc = ns_xdb_termfreq(db, w[i].stem, strlen(w[i].stem), &tf, err)) < 0)
            goto done;
        if (tf > 0)
            continue;
        lookups++;
        if ((rc = S_correct(db, w[i].folded, flen, nchars < NS_SUGGEST_LONG_CHARS ? 1 : 2, &fix,
                            err)) < 0)
            goto done;
        if (fix && strcmp(fix, w[i].folded) != 0) {
            if (ns_buf_append(&b, query + at, w[i].start - at) < 0 || ns_buf_puts(&b, fix) < 0) {
                free(fix);
                rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                goto done;
            }
            at = w[i].end;
            changed = 1;
        }
        free(fix);
    }
    if (changed) {
        if (ns_buf_append(&b, query + at, len - at) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        *out = ns_buf_detach(&b);
    }
done:
    ns_buf_free(&b);
    return rc;
}
