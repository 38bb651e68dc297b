/* indexer.h: the incremental indexing engine behind nindex.
 *
 * ns_index_run walks the given paths for *.md files, compares them with what
 * the database recorded (metadata "file:<abs root>\t<rel>" -> "<size>
 * <mtime_ns> <id>", see src/schema.h) and adds, replaces or deletes documents
 * so that the database matches the files. Work is committed in transactions
 * of opts->batch changes, each carrying its metadata, so an interrupted run
 * leaves the database at its last commit and the next run redoes exactly the
 * files that were not committed.
 *
 * The engine never prints: bad files, warnings and progress go to the
 * caller's callbacks. A bad file is not an error of the run: it is counted in
 * stats->failed, reported through on_error, and the run goes on.
 *
 * The per-article work (read, parse, analyse, build the document) is kept
 * apart from the writer (ns_index_build vs. the transaction code in
 * indexer.c) so it can move to worker threads. */
#ifndef NS_INDEXER_H
#define NS_INDEXER_H

#include "analyze.h"
#include "article.h"
#include "err.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ns_index_stats {
    size_t added, updated, unchanged, removed, failed;
    size_t total;      /* article files found */
    int interrupted;   /* 1 when *opts->stop ended the run early */
} ns_index_stats;

typedef struct ns_index_opts {
    const char *db_path;   /* required */
    int rebuild;           /* start from an empty database */
    unsigned batch;        /* changes per transaction; 0: NS_INDEX_BATCH */
    /* When non-NULL and set (by a signal handler), the run finishes the file
     * at hand, commits and returns with stats->interrupted = 1. */
    volatile sig_atomic_t *stop;
    /* A file that could not be indexed: path as found, one-line reason. */
    void (*on_error)(void *ctx, const char *path, const char *msg);
    /* A file indexed with a remark ("unknown vendor 'X' (kept as written)"). */
    void (*on_warning)(void *ctx, const char *path, const char *msg);
    /* After each file: done of total files. */
    void (*on_progress)(void *ctx, size_t done, size_t total);
    void *ctx;
} ns_index_opts;

#define NS_INDEX_BATCH 1000
#define NS_INDEX_OPTS_INIT { NULL, 0, 0, NULL, NULL, NULL, NULL, NULL }

/* Index paths[0..n) (directories searched recursively, or single files)
 * into opts->db_path. 0 when the run completed (bad files included: see
 * stats->failed) or was interrupted; negative when nothing or not all could
 * be done: NS_ENOTFOUND (a path does not exist), NS_ELOCKED, NS_ECORRUPT,
 * NS_EINVAL (database of another schema version), NS_EIO, NS_ENOMEM,
 * NS_EXAPIAN. err->msg then says what, e.g. "database 'x' is locked by
 * another writer". Work committed before a failure stays committed. */
int ns_index_run(const ns_index_opts *opts, const char *const *paths, size_t n,
                 ns_index_stats *stats, ns_err *err);

/* ---- the per-article pipeline ---- */

/* What one article file becomes: its document and the words for the
 * spelling table. Owned by the caller; release with ns_index_built_clear. */
typedef struct ns_index_built {
    ns_article art;
    ns_xdoc *doc;
    char **spell;      /* distinct folded words for the spelling table */
    size_t nspell;
} ns_index_built;

/* Parse data[0..len) (the file at display path `path`, id defaulting to
 * default_id) and build its Xapian document per src/schema.h. Uses a and v
 * (one analyzer per thread; the vendor table may be shared). Errors as
 * ns_article_parse, plus NS_ETERM/NS_EXAPIAN/NS_ENOMEM from the shim. */
int ns_index_build(ns_index_built *out, ns_analyzer *a, const ns_vendors *v, const char *path,
                   const char *default_id, const char *data, size_t len, ns_err *err);
void ns_index_built_clear(ns_index_built *b);

#endif
