/* xapian_shim.h: the C face of libxapian; the only code that touches Xapian is
 * xapian_shim.cc. Every function that can fail returns 0 or a negative NS_E*
 * code and fills err; no C++ exception ever crosses this boundary (each entry
 * point catches Xapian::Error, std::bad_alloc and everything else).
 * Error mapping: DatabaseNotFoundError/DatabaseOpeningError -> NS_ENOTFOUND,
 * DatabaseCorruptError/DatabaseVersionError -> NS_ECORRUPT, DatabaseLockError
 * -> NS_ELOCKED, DatabaseModifiedError -> NS_EMODIFIED (reopen and retry),
 * DatabaseClosedError -> NS_ECLOSED, bad_alloc -> NS_ENOMEM, rest NS_EXAPIAN.
 *
 * Handles: ns_xdb (read-only), ns_xwdb (writable), ns_xdoc (a document being
 * built), ns_xquery (an immutable query tree), ns_xresults (one page of hits
 * plus exact total and facet counts). Results copy everything they return, so
 * they may outlive the database they came from. A query may be used with any
 * database. Terms must be 1..NS_XTERM_MAX bytes of valid UTF-8 (else NS_ETERM).
 * Handles are not thread-safe; use one per thread. */
#ifndef NS_XAPIAN_SHIM_H
#define NS_XAPIAN_SHIM_H

#include "err.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NS_XTERM_MAX 245  /* Xapian's limit on a term's length in bytes */

typedef struct ns_xdb ns_xdb;
typedef struct ns_xwdb ns_xwdb;
typedef struct ns_xdoc ns_xdoc;
typedef struct ns_xquery ns_xquery;
typedef struct ns_xresults ns_xresults;

/* Called for each metadata key starting with a prefix; return non-zero to stop. */
typedef int (*ns_xmeta_fn)(void *ctx, const char *key, size_t key_len, const char *val,
                           size_t val_len);

/* ---- read-only database ---- */

int ns_xdb_open(ns_xdb **out, const char *path, ns_err *err);
/* Move to the latest commit. *changed (may be NULL) is set to 1 if it moved. */
int ns_xdb_reopen(ns_xdb *db, int *changed, ns_err *err);
int ns_xdb_doccount(ns_xdb *db, unsigned *out, ns_err *err);
/* Number of documents indexing term (0 if none). */
int ns_xdb_termfreq(ns_xdb *db, const char *term, size_t len, unsigned *out, ns_err *err);

/* Which of terms[0..nterms) each of docids[0..ndocs) has: out[i * nterms + t]
 * is 1 when document docids[i] has terms[t], else 0 (out holds nterms *
 * ndocs bytes). One pass along each term's posting list; docids in any
 * order. Used to tell a snippet which query words it can hope to find. */
int ns_xdb_docs_have_terms(ns_xdb *db, const char *const *terms, size_t nterms,
                           const unsigned *docids, size_t ndocs, unsigned char *out, ns_err *err);
/* *val is malloc'd (caller frees), "" with *len 0 when the key is absent. */
int ns_xdb_get_metadata(ns_xdb *db, const char *key, char **val, size_t *len, ns_err *err);
int ns_xdb_metadata_each(ns_xdb *db, const char *prefix, ns_xmeta_fn fn, void *ctx, ns_err *err);
/* Best spelling correction of word from the spelling table, malloc'd, or NULL
 * in *out when there is none. */
int ns_xdb_spelling(ns_xdb *db, const char *word, size_t len, char **out, ns_err *err);
/* The same within at most max_edits edits (ns_xdb_spelling allows 2). */
int ns_xdb_spelling_within(ns_xdb *db, const char *word, size_t len, unsigned max_edits,
                           char **out, ns_err *err);
/* 1 when db's facet counts of slot come from a facet table that describes
 * its current revision (see ns_xwdb_write_facet_table), else 0. */
int ns_xdb_has_facet_table(ns_xdb *db, unsigned slot);
/* Close the database: later calls on db give NS_ECLOSED. Free with ns_xdb_free. */
int ns_xdb_close(ns_xdb *db, ns_err *err);
void ns_xdb_free(ns_xdb *db); /* closes if open; NULL is a no-op */

/* ---- writable database ---- */

enum {
    NS_XWDB_CREATE_OR_OPEN = 0,
    NS_XWDB_OVERWRITE = 1,  /* start afresh, as nindex --rebuild */
    NS_XWDB_OPEN = 2,       /* an existing database only (but Xapian still makes
                               its lock file "flintlock" in an existing directory,
                               even when it finds no database there) */
};

/* Opens (creating if needed, unless NS_XWDB_OPEN) with the writer lock;
 * NS_ELOCKED if another process holds it, NS_ENOTFOUND if NS_XWDB_OPEN finds
 * no database at path. */
int ns_xwdb_open(ns_xwdb **out, const char *path, int flags, ns_err *err);
/* Start a transaction: nothing written after it is visible until commit. */
int ns_xwdb_begin(ns_xwdb *w, ns_err *err);
/* Commit the open transaction (or all pending changes if none): atomic. */
int ns_xwdb_commit(ns_xwdb *w, ns_err *err);
/* Drop the open transaction's changes. */
int ns_xwdb_cancel(ns_xwdb *w, ns_err *err);
/* Replace the document indexed by the unique term idterm, or add it. */
int ns_xwdb_replace(ns_xwdb *w, const char *idterm, size_t len, const ns_xdoc *doc, ns_err *err);
/* Delete the document(s) indexed by idterm; none is not an error. */
int ns_xwdb_delete(ns_xwdb *w, const char *idterm, size_t len, ns_err *err);
/* The stored data of the document indexed by the unique term idterm: *data
 * is malloc'd (caller frees). NS_ENOTFOUND when no document has idterm. */
int ns_xwdb_get_data(ns_xwdb *w, const char *idterm, size_t len, char **data, size_t *dlen,
                     ns_err *err);
/* Replace only the stored data of that document (its terms and values are
 * not rewritten). NS_ENOTFOUND when no document has idterm. */
int ns_xwdb_set_data(ns_xwdb *w, const char *idterm, size_t len, const char *data, size_t dlen,
                     ns_err *err);
int ns_xwdb_termfreq(ns_xwdb *w, const char *term, size_t len, unsigned *out, ns_err *err);
int ns_xwdb_doccount(ns_xwdb *w, unsigned *out, ns_err *err);
/* Set a metadata key (an empty value deletes it); committed with the documents. */
int ns_xwdb_set_metadata(ns_xwdb *w, const char *key, const char *val, size_t len, ns_err *err);
int ns_xwdb_get_metadata(ns_xwdb *w, const char *key, char **val, size_t *len, ns_err *err);
int ns_xwdb_metadata_each(ns_xwdb *w, const char *prefix, ns_xmeta_fn fn, void *ctx, ns_err *err);
/* Commit what is pending, then, unless the database already has a current
 * one, write and commit the facet table of slot: every document's facet
 * keys in one metadata entry, so that a reader that has just opened this
 * revision counts facets without reading a value per matching document. A
 * reader of any other revision ignores the table, so a missing or stale one
 * costs speed, never correctness. Outside a transaction only. */
int ns_xwdb_write_facet_table(ns_xwdb *w, unsigned slot, ns_err *err);
/* Add a word to the spelling table (freq times). */
int ns_xwdb_add_spelling(ns_xwdb *w, const char *word, size_t len, unsigned freq, ns_err *err);
/* Close: an open transaction is cancelled, other pending changes committed;
 * the lock is released. Later calls give NS_ECLOSED. Free with ns_xwdb_free. */
int ns_xwdb_close(ns_xwdb *w, ns_err *err);
void ns_xwdb_free(ns_xwdb *w); /* closes (cancelling an open transaction); NULL no-op */

/* Merge source databases into a new compact database at dest (xapian-compact). */
int ns_xcompact(const char *dest, const char *const *sources, size_t n, ns_err *err);

/* ---- documents ---- */

int ns_xdoc_new(ns_xdoc **out, ns_err *err);
/* A term at a word position (pos >= 1), raising its wdf by wdf_inc. */
int ns_xdoc_add_posting(ns_xdoc *d, const char *term, size_t len, unsigned pos, unsigned wdf_inc,
                        ns_err *err);
/* A term without position. */
int ns_xdoc_add_term(ns_xdoc *d, const char *term, size_t len, unsigned wdf_inc, ns_err *err);
/* A filter term: wdf 0, does not change the document length used by BM25. */
int ns_xdoc_add_boolean_term(ns_xdoc *d, const char *term, size_t len, ns_err *err);
int ns_xdoc_add_value(ns_xdoc *d, unsigned slot, const char *val, size_t len, ns_err *err);
int ns_xdoc_set_data(ns_xdoc *d, const char *data, size_t len, ns_err *err);
void ns_xdoc_free(ns_xdoc *d);

/* ---- queries (immutable; combining copies the subqueries, so free each) ---- */

enum ns_xop {
    NS_XQ_AND,        /* all subqueries */
    NS_XQ_OR,         /* any */
    NS_XQ_AND_NOT,    /* first but none of the rest */
    NS_XQ_FILTER,     /* first, restricted to the rest, which do not weigh */
    NS_XQ_PHRASE,     /* terms in order within `window` positions (0: exactly adjacent) */
    NS_XQ_AND_MAYBE,  /* first; the rest only add weight */
};

int ns_xquery_term(ns_xquery **out, const char *term, size_t len, ns_err *err);
/* All terms starting with prefix; at most max_expansion of them (the most
 * frequent), 0 for no limit. */
int ns_xquery_wildcard(ns_xquery **out, const char *prefix, size_t len, unsigned max_expansion,
                       ns_err *err);
/* Documents whose value in slot lies in [lo, hi] (string order). */
int ns_xquery_value_range(ns_xquery **out, unsigned slot, const char *lo, const char *hi,
                          ns_err *err);
int ns_xquery_match_all(ns_xquery **out, ns_err *err);
/* Combine n >= 1 subqueries with op. The subqueries stay owned by the caller. */
int ns_xquery_combine(ns_xquery **out, enum ns_xop op, ns_xquery *const *subs, size_t n,
                      unsigned window, ns_err *err);
/* Xapian's description of the query, malloc'd (for tests and debugging). */
char *ns_xquery_describe(const ns_xquery *q);
void ns_xquery_free(ns_xquery *q);

/* ---- searching ---- */

typedef struct ns_xsearch_opts {
    double k1, b;          /* BM25 parameters */
    unsigned offset;       /* first hit to return, from 0 */
    unsigned limit;        /* hits to return */
    int sort_by_value;     /* 0: relevance, ties by value_slot descending;
                              1: value_slot descending, then relevance */
    int value_slot;        /* slot for tie-break / sort; -1 none */
    int facet_slot;        /* slot holding '\n'-separated facet keys; -1: no facets */
} ns_xsearch_opts;

#define NS_XSEARCH_OPTS_INIT { 1.2, 0.75, 0, 10, 0, -1, -1 }

typedef struct ns_xhit {
    unsigned docid;
    double score;
    char *data;            /* the document's stored data (copied) */
    size_t data_len;
} ns_xhit;

typedef struct ns_xfacet {
    char *key;             /* one key from the facet slot, as stored */
    unsigned count;        /* matching documents carrying it */
} ns_xfacet;

/* Run q. The total is exact (every match is counted), and so are the facet
 * counts when opts->facet_slot >= 0. NS_EMODIFIED means: reopen db, retry. */
int ns_xsearch(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *opts, ns_xresults **out,
               ns_err *err);
unsigned ns_xresults_total(const ns_xresults *r);
size_t ns_xresults_count(const ns_xresults *r);
const ns_xhit *ns_xresults_hit(const ns_xresults *r, size_t i);
/* Facets sorted by count descending, then key ascending. */
size_t ns_xresults_facet_count(const ns_xresults *r);
const ns_xfacet *ns_xresults_facet(const ns_xresults *r, size_t i);
void ns_xresults_free(ns_xresults *r);

#ifdef __cplusplus
}
#endif
#endif
