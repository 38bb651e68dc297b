/* indexer.h: the indexing engine behind nindex.
 *
 * ns_index_run walks the given paths for *.md files, compares them with what
 * the database recorded (metadata "file:<abs root>\t<rel>" -> "<size>
 * <mtime_ns> <id>", see src/schema.h) and adds, replaces or deletes documents
 * so that the database matches the files. It works in one of two modes:
 *
 * Incremental (the database exists, holds documents, and no rebuild is
 * asked): one writer brings the database in step in transactions of
 * opts->batch changes, each carrying its metadata, so an interrupted run
 * leaves the database at its last commit and the next run redoes exactly the
 * files that were not committed.
 *
 * Bulk (the database does not exist, is empty, or opts->rebuild): the files
 * are split by a hash of their path into opts->jobs shards, each indexed by
 * its own thread into its own database under "<db>.nindex-tmp/shard-K"; the
 * shards are then merged (Xapian compaction) into "<db>.nindex-tmp/new",
 * which replaces the database in one atomic rename, so readers see the old
 * database or the complete new one, never a partial one. An interrupted bulk
 * run leaves the database untouched and its committed shards in the
 * temporary directory; the next bulk run resumes from them.
 *
 * In both modes the writer lock of the database is held for the whole run
 * (when the database does not exist yet, the lock of the temporary
 * directory's "lock" database stands in for it).
 *
 * The engine never prints: bad files, warnings and progress go to the
 * caller's callbacks, which it calls one at a time (under its own mutex, from
 * worker threads in bulk mode). A bad file is not an error of the run: it is
 * counted in stats->failed, reported through on_error, and the run goes on.
 *
 * The per-article work (read, parse, analyse, build the document) is kept
 * apart from the writer (ns_index_build vs. the transaction code in
 * indexer.c): each worker thread has its own analyzer, the vendor table is
 * shared read-only. */
#ifndef NS_INDEXER_H
#define NS_INDEXER_H

#include "analyze.h"
#include "article.h"
#include "err.h"
#include "record.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ns_index_stats {
    size_t added, updated, unchanged, removed, failed;
    size_t total;      /* article files found */
    int interrupted;   /* 1 when *opts->stop ended the run early */
    int bulk;          /* 1 when the run built a new database (see above): an
                          interrupted bulk run left the database as it was */
} ns_index_stats;

typedef struct ns_index_opts {
    const char *db_path;   /* required */
    int rebuild;           /* start from an empty database */
    unsigned batch;        /* changes per transaction; 0: NS_INDEX_BATCH
                              (incremental), NS_INDEX_BULK_BATCH (bulk) */
    unsigned jobs;         /* bulk mode: shards and threads; 0: 1 */
    /* When non-NULL and set (by a signal handler), the run finishes the file
     * at hand (each worker its own), commits and returns with
     * stats->interrupted = 1. In bulk mode the engine blocks SIGINT and
     * SIGTERM in its worker threads, so the handler runs in the calling
     * thread, which passes the request on to the workers. */
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
/* Per shard. Measured on 10k articles, 2 shards: 5000 and 10000 are no
 * faster than 1000 and peak at 3.5x the memory. */
#define NS_INDEX_BULK_BATCH 1000
#define NS_INDEX_JOBS_MAX 64
#define NS_INDEX_OPTS_INIT { NULL, 0, 0, 0, NULL, NULL, NULL, NULL, NULL }

/* The temporary directory of a bulk run: db_path (trailing slashes
 * stripped) + NS_INDEX_TMP_SUFFIX. */
#define NS_INDEX_TMP_SUFFIX ".nindex-tmp"

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
 * default_id) and build its Xapian document per src/schema.h. Uses a, codec
 * and v (one analyzer and codec per thread, codec may be NULL; the vendor
 * table may be shared). Errors as
 * ns_article_parse, plus NS_ETERM/NS_EXAPIAN/NS_ENOMEM from the shim. */
int ns_index_build(ns_index_built *out, ns_analyzer *a, ns_record_codec *codec,
                   const ns_vendors *v, const char *path,
                   const char *default_id, const char *data, size_t len, ns_err *err);
void ns_index_built_clear(ns_index_built *b);

#endif
