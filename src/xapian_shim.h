/* xapian_shim.h: the C face of libxapian; the only code that touches Xapian is
 * the shim behind it: xapian_shim.cc (read-only databases),
 * xapian_shim_search.cc (searching), xapian_shim_write.cc (writable databases),
 * xapian_shim_build.cc (documents, queries) and facets.cc (the facet engine).
 * Every function that can fail returns 0 or a negative NS_E* code and fills
 * err (which may be NULL); no C++ exception ever crosses this boundary (each
 * entry point catches Xapian::Error, std::bad_alloc and everything else).
 * Error mapping: DatabaseNotFoundError/DatabaseOpeningError -> NS_ENOTFOUND,
 * DatabaseCorruptError/DatabaseVersionError -> NS_ECORRUPT, DatabaseLockError
 * -> NS_ELOCKED, DatabaseModifiedError -> NS_EMODIFIED (reopen and retry),
 * DatabaseClosedError -> NS_ECLOSED, bad_alloc -> NS_ENOMEM, rest NS_EXAPIAN.
 * Said once here rather than at each function: a NULL where a pointer is
 * required gives NS_EINVAL (the message names the function); any function may
 * give NS_ENOMEM, and one that calls Xapian NS_EXAPIAN; a call on a closed
 * handle gives NS_ECLOSED; a read through an ns_xdb may give NS_EMODIFIED when
 * writers have since reused the blocks of its revision (reopen and retry).
 * Out parameters are cleared (NULL, 0) right after the NULL checks, so after
 * any other failure they hold nothing to free. Messages name the path, key or
 * id concerned, where there is one.
 *
 * Handles: ns_xdb (read-only), ns_xwdb (writable), ns_xdoc (a document being
 * built), ns_xquery (an immutable query tree), ns_xresults (one page of hits
 * plus exact total and facet counts). A handle returned through **out is the
 * caller's, freed with its _free; what a results handle returns by pointer is
 * borrowed from it. Results copy everything they return, so they may outlive
 * the database they came from. A query may be used with any database. Terms
 * must be 1..NS_XTERM_MAX bytes of valid UTF-8 (else NS_ETERM). Handles are
 * not thread-safe; use one per thread. */
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

/* Open the database at path for reading, at its latest commit. *out is a new
 * handle, the caller's, freed with ns_xdb_free. NS_ENOTFOUND: nothing at
 * path, or not a database; NS_ECORRUPT: a damaged database, or one of a
 * format this Xapian cannot read. */
int ns_xdb_open(ns_xdb **out, const char *path, ns_err *err);
/* How a sharded database's remote shards are reached (src/shard.h). */
typedef struct ns_xdb_opts {
    unsigned timeout_ms;   /* connecting to a remote shard, and each of its replies
                              (Xapian::Remote::open's two timeouts); 0: none */
    int allow_partial;     /* 1: search the shards that answer (ns_xdb_missing names
                              the others); 0: a shard that does not answer fails */
} ns_xdb_opts;

#define NS_XDB_TIMEOUT_DEFAULT 10000 /* ms: Xapian's own default */
#define NS_XDB_OPTS_INIT { NS_XDB_TIMEOUT_DEFAULT, 0 }

/* As ns_xdb_open, with opts (NULL: NS_XDB_OPTS_INIT). path may also be a
 * stub (shard.h): a sharded folder or a stub file of local and remote
 * shards, read as one database: BM25 statistics combined over the shards
 * (scores as over one database holding the same articles), facets counted
 * with Xapian's ValueCountMatchSpy (which xapian-tcpsrv runs), metadata
 * read from the first shard that answers (nindex writes it to shard 0).
 * A remote shard that does not answer (refused, reset, timed out) gives
 * NS_ESHARD naming it, here and from any later call, unless
 * opts->allow_partial: then the others are searched, and ns_xdb_missing
 * names it. After such a failure every remote shard is connected again
 * (once per call, and by ns_xdb_reopen while one is missing), so a shard
 * that comes back is searched again. A bad stub: shard.h's errors; a local
 * shard that cannot be opened: ns_xdb_open's, naming it. */
int ns_xdb_open_opts(ns_xdb **out, const char *path, const ns_xdb_opts *opts, ns_err *err);
/* The shards left out of db's answers ("a:1, b:2"), "" when none (or db is
 * NULL). Borrowed: valid until the next call on db. */
const char *ns_xdb_missing(const ns_xdb *db);
/* The number of shards of db; 0 for one database that is not a stub. */
size_t ns_xdb_shard_count(const ns_xdb *db);
/* Move to the latest commit, so that db sees what writers have committed
 * since. *changed (may be NULL) is set to 1 if it moved, else 0. Results got
 * before stay valid. Errors as ns_xdb_open's. */
int ns_xdb_reopen(ns_xdb *db, int *changed, ns_err *err);
/* *out: the number of documents in db's revision. */
int ns_xdb_doccount(ns_xdb *db, unsigned *out, ns_err *err);
/* *out: the number of documents indexing term (0 if none). NS_ETERM: a bad
 * term. */
int ns_xdb_termfreq(ns_xdb *db, const char *term, size_t len, unsigned *out, ns_err *err);

/* *out: the query for prefix* over db: an OP_SYNONYM of the terms starting
 * with prefix in the whole database, every shard's terms and frequencies
 * together, at most max_expansion of them (the most frequent; 0: no limit);
 * no term: a query matching nothing. Chosen as Xapian's OP_WILDCARD with
 * WILDCARD_LIMIT_MOST_FREQUENT chooses them in one database, so one
 * database answers alike either way; unlike OP_WILDCARD, which each shard
 * expands and weighs alone, it weighs the terms alike in every shard (a
 * query is bound to this state of db: expand again after a reopen).
 * NS_ETERM: a bad prefix. */
int ns_xdb_expand_prefix(ns_xdb *db, const char *prefix, size_t len, unsigned max_expansion,
                         ns_xquery **out, ns_err *err);
/* Which of terms[0..nterms) each of docids[0..ndocs) has: out[i * nterms + t]
 * is 1 when document docids[i] has terms[t], else 0 (out holds nterms *
 * ndocs bytes, the caller's, cleared first). One pass along each term's
 * posting list; docids in any order; a NULL or empty term is had by none.
 * Used to tell a snippet which query words it can hope to find. */
int ns_xdb_docs_have_terms(ns_xdb *db, const char *const *terms, size_t nterms,
                           const unsigned *docids, size_t ndocs, unsigned char *out, ns_err *err);
/* The value of metadata key (NUL-terminated, not empty: else NS_EINVAL).
 * *val is malloc'd and NUL-terminated, the caller frees it with free(); ""
 * with *len 0 when the key is absent. len may be NULL. */
int ns_xdb_get_metadata(ns_xdb *db, const char *key, char **val, size_t *len, ns_err *err);
/* Call fn for each metadata key starting with prefix (NULL or "": every
 * key), in key order, until fn returns non-zero (which is not an error: the
 * call still returns 0). Key and value live only for the call to fn. */
int ns_xdb_metadata_each(ns_xdb *db, const char *prefix, ns_xmeta_fn fn, void *ctx, ns_err *err);
/* Best spelling correction of word from the spelling table, within 2 edits:
 * *out is malloc'd and NUL-terminated (the caller frees it with free()), or
 * NULL when there is none, or when word is already spelled right. NS_ETERM:
 * a bad word. */
int ns_xdb_spelling(ns_xdb *db, const char *word, size_t len, char **out, ns_err *err);
/* The same within at most max_edits edits. */
int ns_xdb_spelling_within(ns_xdb *db, const char *word, size_t len, unsigned max_edits,
                           char **out, ns_err *err);
/* 1 when db's facet counts of slot come from a facet table that describes
 * its current revision (see ns_xwdb_write_facet_table), else 0. Loads the
 * table if it was not tried yet; db keeps the keys of one slot at a time, so
 * asking about another forgets those read so far. Never fails: a NULL or
 * closed db, or any failure, gives 0 (the table only saves time). */
int ns_xdb_has_facet_table(ns_xdb *db, unsigned slot);
/* Close the database: later calls on db give NS_ECLOSED, and closing again
 * does nothing and returns 0. db is closed even when Xapian's close fails
 * (that failure is returned). The handle stays the caller's, to free with
 * ns_xdb_free. Results got from db stay valid. */
int ns_xdb_close(ns_xdb *db, ns_err *err);
/* Free db, closing it if open (a failure to close is ignored: a reader has
 * nothing pending to lose). NULL is a no-op. */
void ns_xdb_free(ns_xdb *db);

/* ---- writable database ---- */

enum {
    NS_XWDB_CREATE_OR_OPEN = 0,
    NS_XWDB_OVERWRITE = 1,  /* start afresh, as nindex --rebuild */
    NS_XWDB_OPEN = 2,       /* an existing database only (but Xapian still makes
                               its lock file "flintlock" in an existing directory,
                               even when it finds no database there) */
};

/* Open the database at path for writing, creating it if there is none
 * (unless NS_XWDB_OPEN; with NS_XWDB_OVERWRITE, an empty database replaces
 * whatever is there, a corrupt one too), and take its writer lock. *out is a
 * new handle, the caller's: ns_xwdb_close it to learn whether the last commit
 * succeeded, then ns_xwdb_free it. NS_ELOCKED: another writer (in any
 * process) holds the lock; NS_ENOTFOUND: path is not a database (with
 * NS_XWDB_OPEN: there is none); NS_ECORRUPT: a damaged one; NS_EXAPIAN: it
 * cannot be created (no parent directory, ...). */
int ns_xwdb_open(ns_xwdb **out, const char *path, int flags, ns_err *err);
/* As ns_xwdb_open for a sharded database (shard.h): nshards >= 2 creates
 * (unless NS_XWDB_OPEN) the folder path with its shards and stub, or opens
 * one with that many (another count, or a one-shard database at path:
 * NS_EINVAL); 0 or 1 opens path as it is, sharded or not. A sharded
 * handle routes each document by its id term ("Q<id>", ns_shard_of) to
 * its shard; replace, delete and get/set data go there; counts are over
 * every shard; metadata and the spelling table are shard 0's; a
 * transaction spans every shard and commits shard 0 (with the file
 * records) last, so after a crash no record names an uncommitted
 * document. ns_xwdb_write_facet_table only commits (a sharded database is
 * counted by Xapian's own spy). Remote shards in the stub: NS_EINVAL. */
int ns_xwdb_open_shards(ns_xwdb **out, const char *path, unsigned nshards, int flags,
                        ns_err *err);
/* The number of shards of w; 0 when it is not sharded. */
unsigned ns_xwdb_shard_count(const ns_xwdb *w);
/* Start a transaction: nothing written after it is visible until commit.
 * NS_EINVAL: one is already open (they do not nest). */
int ns_xwdb_begin(ns_xwdb *w, ns_err *err);
/* Commit the open transaction (which ends it, even when the commit fails),
 * or else all pending changes: atomic and durable; readers see them after
 * ns_xdb_reopen. */
int ns_xwdb_commit(ns_xwdb *w, ns_err *err);
/* Drop the open transaction's changes and end it (even when that fails).
 * With no open transaction it does nothing and returns 0, so that error
 * paths may cancel unconditionally. */
int ns_xwdb_cancel(ns_xwdb *w, ns_err *err);
/* Replace the document indexed by the unique term idterm, or add it. doc
 * gets idterm as a boolean term if it lacks it (and so does the caller's
 * doc, which Xapian shares); it stays the caller's and may be freed at once.
 * NS_ETERM: a bad idterm. */
int ns_xwdb_replace(ns_xwdb *w, const char *idterm, size_t len, const ns_xdoc *doc, ns_err *err);
/* Delete the document(s) indexed by idterm; none is not an error. NS_ETERM:
 * a bad idterm. */
int ns_xwdb_delete(ns_xwdb *w, const char *idterm, size_t len, ns_err *err);
/* The stored data of the document indexed by the unique term idterm: *data
 * is malloc'd (caller frees). NS_ENOTFOUND when no document has idterm. */
int ns_xwdb_get_data(ns_xwdb *w, const char *idterm, size_t len, char **data, size_t *dlen,
                     ns_err *err);
/* Replace only the stored data of that document (its terms and values are
 * not rewritten). NS_ENOTFOUND when no document has idterm. */
int ns_xwdb_set_data(ns_xwdb *w, const char *idterm, size_t len, const char *data, size_t dlen,
                     ns_err *err);
/* As ns_xdb_termfreq and ns_xdb_doccount, counting changes not yet committed. */
int ns_xwdb_termfreq(ns_xwdb *w, const char *term, size_t len, unsigned *out, ns_err *err);
int ns_xwdb_doccount(ns_xwdb *w, unsigned *out, ns_err *err);
/* Set metadata key (NUL-terminated, not empty: else NS_EINVAL) to the len
 * bytes at val; an empty value deletes the key. Committed with the
 * documents (and dropped with a cancelled transaction). */
int ns_xwdb_set_metadata(ns_xwdb *w, const char *key, const char *val, size_t len, ns_err *err);
/* As ns_xdb_get_metadata and ns_xdb_metadata_each, seeing changes not yet
 * committed. */
int ns_xwdb_get_metadata(ns_xwdb *w, const char *key, char **val, size_t *len, ns_err *err);
int ns_xwdb_metadata_each(ns_xwdb *w, const char *prefix, ns_xmeta_fn fn, void *ctx, ns_err *err);
/* Give each article with a translation_of (an XT term) the story key of the
 * article it names, or its own when that one is missing (src/schema.h,
 * NS_SLOT_STORY: what makes the key right in whatever order the two were
 * indexed or deleted). Looks at the translations only, not every article.
 * Writes inside the current transaction if one is open, else as pending
 * changes for the next commit. *changed (may be NULL): the articles whose
 * key changed. */
int ns_xwdb_link_stories(ns_xwdb *w, unsigned *changed, ns_err *err);
/* Commit what is pending, then, unless the database already has a current
 * one, write and commit the facet table of slot: every document's facet
 * keys in one metadata entry (its layout is in schema.h), so that a reader
 * that has just opened this revision counts facets without reading a value
 * per matching document. A reader of any other revision ignores the table,
 * so a missing or stale one costs speed, never correctness. NS_EINVAL:
 * inside a transaction, or slot is Xapian's BAD_VALUENO (0xFFFFFFFF). */
int ns_xwdb_write_facet_table(ns_xwdb *w, unsigned slot, ns_err *err);
/* Called for each word of the spelling table with its frequency; return
 * non-zero to stop. */
typedef int (*ns_xspelling_fn)(void *ctx, const char *word, size_t len, unsigned freq);
/* Call fn for each word of w's spelling table (committed or pending), in
 * byte order, until fn returns non-zero (not an error: the call returns 0).
 * The word lives only for the call to fn. */
int ns_xwdb_spellings_each(ns_xwdb *w, ns_xspelling_fn fn, void *ctx, ns_err *err);
/* Add a word to the spelling table (freq times; 0 does nothing). NS_ETERM:
 * a bad word. */
int ns_xwdb_add_spelling(ns_xwdb *w, const char *word, size_t len, unsigned freq, ns_err *err);
/* Close: an open transaction is cancelled, other pending changes committed,
 * and the lock released, even when that commit fails. Returns the commit's
 * failure, else the close's. Later calls give NS_ECLOSED, and closing again
 * does nothing and returns 0. The handle stays the caller's, to free with
 * ns_xwdb_free. */
int ns_xwdb_close(ns_xwdb *w, ns_err *err);
/* Free w, closing it if open: an open transaction is cancelled, other
 * pending changes committed, failures ignored (ns_xwdb_close first to see
 * them). NULL is a no-op. */
void ns_xwdb_free(ns_xwdb *w);

/* Merge the n >= 1 databases at sources into a new compact database at dest
 * (as xapian-compact), documents renumbered; the sources are only read.
 * Sharded sources (each with the same number of shards, else NS_EINVAL)
 * give a sharded dest: shard K of dest from shard K of every source.
 * NS_EINVAL: no dest, no sources, or a NULL source; a source that cannot be
 * opened gives ns_xdb_open's errors, naming it; a failure to write dest
 * (dest is one of the sources, ...) names dest. */
int ns_xcompact(const char *dest, const char *const *sources, size_t n, ns_err *err);

/* ---- documents ---- */

/* *out: a new empty document, the caller's, freed with ns_xdoc_free. A
 * document belongs to no database until ns_xwdb_replace copies it in. */
int ns_xdoc_new(ns_xdoc **out, ns_err *err);
/* A term at a word position (pos >= 1, else NS_EINVAL), raising its wdf by
 * wdf_inc. NS_ETERM: a bad term. */
int ns_xdoc_add_posting(ns_xdoc *d, const char *term, size_t len, unsigned pos, unsigned wdf_inc,
                        ns_err *err);
/* A term without position, raising its wdf by wdf_inc. NS_ETERM: a bad term. */
int ns_xdoc_add_term(ns_xdoc *d, const char *term, size_t len, unsigned wdf_inc, ns_err *err);
/* A filter term: wdf 0, does not change the document length used by BM25.
 * NS_ETERM: a bad term. */
int ns_xdoc_add_boolean_term(ns_xdoc *d, const char *term, size_t len, ns_err *err);
/* Set the value in slot to the len bytes at val (len 0 removes it).
 * NS_EINVAL: slot is Xapian's BAD_VALUENO (0xFFFFFFFF). */
int ns_xdoc_add_value(ns_xdoc *d, unsigned slot, const char *val, size_t len, ns_err *err);
/* Set the document's data (what a hit returns) to the len bytes at data. */
int ns_xdoc_set_data(ns_xdoc *d, const char *data, size_t len, ns_err *err);
/* Free d; NULL is a no-op. */
void ns_xdoc_free(ns_xdoc *d);

/* ---- queries (immutable; combining copies the subqueries, so free each) ---- */

enum ns_xop {
    NS_XQ_AND,        /* all subqueries */
    NS_XQ_OR,         /* any */
    NS_XQ_AND_NOT,    /* first but none of the rest */
    NS_XQ_FILTER,     /* first, restricted to the rest, which do not weigh */
    NS_XQ_PHRASE,     /* terms in order within `window` positions (0: exactly adjacent) */
    NS_XQ_AND_MAYBE,  /* first; the rest only add weight */
    NS_XQ_SYNONYM,    /* any, weighed as if one term (their frequencies merged),
                         so that a word's equivalents add recall, not weight */
};

/* Every query constructor sets *out to a new query, the caller's, freed
 * with ns_xquery_free. */

/* Documents indexing term. NS_ETERM: a bad term. */
int ns_xquery_term(ns_xquery **out, const char *term, size_t len, ns_err *err);
/* All terms starting with prefix; at most max_expansion of them (the most
 * frequent), 0 for no limit. NS_ETERM: a bad prefix. */
int ns_xquery_wildcard(ns_xquery **out, const char *prefix, size_t len, unsigned max_expansion,
                       ns_err *err);
/* Documents whose value in slot lies in [lo, hi] (string order; lo and hi
 * NUL-terminated). NS_EINVAL: slot is Xapian's BAD_VALUENO (0xFFFFFFFF). */
int ns_xquery_value_range(ns_xquery **out, unsigned slot, const char *lo, const char *hi,
                          ns_err *err);
/* Every document. */
int ns_xquery_match_all(ns_xquery **out, ns_err *err);
/* Documents matching q, each weighing q's weight plus weight (>= 0): a
 * boost by a boolean term (vendor, month) or a date range, which weigh
 * nothing themselves, or a constant per matched clause (coordination). Made
 * of Xapian's stock FixedWeightPostingSource and OP_AND, so a remote server
 * (xapian-tcpsrv) runs it as it is. NS_EINVAL: a negative or NaN weight. */
int ns_xquery_boost(ns_xquery **out, const ns_xquery *q, double weight, ns_err *err);
/* q with every weight multiplied by factor (>= 0; OP_SCALE_WEIGHT).
 * NS_EINVAL: a negative or NaN factor. */
int ns_xquery_scale(ns_xquery **out, const ns_xquery *q, double factor, ns_err *err);
/* Combine n >= 1 subqueries with op. The subqueries stay owned by the caller
 * (each is copied) and may be freed at once. NS_EINVAL: n is 0, a subquery
 * is NULL, or op is not an ns_xop. */
int ns_xquery_combine(ns_xquery **out, enum ns_xop op, ns_xquery *const *subs, size_t n,
                      unsigned window, ns_err *err);
/* Xapian's description of the query, malloc'd (the caller frees it with
 * free()), for tests and debugging; NULL for a NULL q or out of memory. */
char *ns_xquery_describe(const ns_xquery *q);
/* Free q; NULL is a no-op. */
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
    int unweighted;        /* 1: only the total and the facets are wanted (with limit
                              0): every match weighs the same (Xapian's BoolWeight,
                              which a remote server knows too), no BM25 per match */
    unsigned check_at_least; /* 0: visit every match, so the total and the facets are
                              exact; n: only the page is wanted (the same hits, in the
                              same order), visiting at least n matches; the total is
                              then an estimate, and facets are not counted. A sharded
                              database visits every match all the same (Xapian 1.4 cut
                              short over shards missed hits of the page) */
    int collapse_slot;     /* one hit per distinct non-empty value of this slot (the
                              best ranked; Xapian's collapse key), -1: none. The
                              page is exact; the total becomes an estimate; the
                              facets still count every matching document */
    int few_ties;          /* 1: the caller expects few matches of equal weight (a
                              query with words): by relevance with value_slot's
                              ties, one local database, no collapse slot, the page
                              is then ranked by weight alone and only its ties read
                              value_slot (Xapian reads it for every match); a tie
                              across the page's end is searched again as before.
                              The same page either way */
} ns_xsearch_opts;

/* Positional, unlike the other *_INIT macros: the shim (C++11) expands it,
 * and designated initializers are C++ only from C++20. */

#define NS_XSEARCH_OPTS_INIT { 1.2, 0.75, 0, 10, 0, -1, -1, 0, 0, -1, 0 }

typedef struct ns_xhit {
    unsigned docid;
    double score;
    char *data;            /* the document's stored data (copied, NUL-terminated) */
    size_t data_len;       /* its length, without that NUL */
    char *collapse_key;    /* with opts->collapse_slot: its value there (copied,
                              NUL-terminated; "" when empty), else NULL */
} ns_xhit;

typedef struct ns_xfacet {
    char *key;             /* one key from the facet slot, as stored (NUL-terminated) */
    unsigned count;        /* matching documents carrying it */
} ns_xfacet;

/* Run q on db with opts (NULL: NS_XSEARCH_OPTS_INIT). *out is a new result
 * set, the caller's, freed with ns_xresults_free; it copies what it holds,
 * so it may outlive db and q. The total is exact (every match is counted),
 * and so are the facet counts when opts->facet_slot >= 0. NS_EMODIFIED
 * means: reopen db, retry; NS_ECORRUPT: a damaged database. */
int ns_xsearch(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *opts, ns_xresults **out,
               ns_err *err);
/* The number of matches (0 for a NULL r): exact without a collapse slot; with
 * one, Xapian's estimate of the hits after collapsing (a match too weak for
 * the page is never compared with the others), so count those otherwise. */
unsigned ns_xresults_total(const ns_xresults *r);
/* The number of hits on the page, at most opts->limit (0 for a NULL r). */
size_t ns_xresults_count(const ns_xresults *r);
/* Hit i (from 0) of the page, in rank order, or NULL when i is past the
 * last or r is NULL. Borrowed: it and its data live until
 * ns_xresults_free(r). */
const ns_xhit *ns_xresults_hit(const ns_xresults *r, size_t i);
/* The number of distinct facet keys among all matches (0 without facets or
 * for a NULL r). */
size_t ns_xresults_facet_count(const ns_xresults *r);
/* Facet i (from 0), sorted by count descending, then key ascending
 * (bytewise), or NULL when i is past the last or r is NULL. Borrowed: it
 * and its key live until ns_xresults_free(r). */
const ns_xfacet *ns_xresults_facet(const ns_xresults *r, size_t i);
/* Free r and everything it returned; NULL is a no-op. */
void ns_xresults_free(ns_xresults *r);

#ifdef __cplusplus
}
#endif
#endif
