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
 * its own thread into its own database under "<db>.nindex-tmp/shard-K" (a
 * shard past opts->rotate files goes on in a fresh "shard-K.1", and so on,
 * since Xapian slows as a database grows); the shards' databases are then merged (Xapian compaction) into "<db>.nindex-tmp/new",
 * which replaces the database in one atomic rename, so readers see the old
 * database or the complete new one, never a partial one. An interrupted bulk
 * run leaves the database untouched and its committed shards in the
 * temporary directory; the next bulk run resumes from them.
 *
 * In both modes the writer lock of the database is held for the whole run
 * (when the database does not exist yet, the lock of the temporary
 * directory's "lock" database stands in for it).
 *
 * What opts->db_path may be (issue #13: `nindex --db corpus corpus` deleted
 * the articles): a path that does not exist (created), an empty directory
 * (the new database's files are moved into it, its version file last), or
 * an nsearch database (a Xapian database with "nsearch:schema" metadata).
 * Anything else (a file, a folder holding other things, a Xapian database
 * of someone else) is refused with NS_EINVAL before anything is written,
 * and so is a database that is, holds or lies inside a path to index.
 * Symbolic links in db_path are resolved first: the real database is the
 * one opened and swapped, with the temporary directory beside it, and the
 * link stays. The temporary directory carries a marker file: one without
 * it is the user's, refused for a build and never removed. nindex removes
 * only what it made: its temporary directory's entries, and a swapped-out
 * database by its Xapian files.
 *
 * Records are matched to files by path, whichever root reached them: a file
 * recorded under `corpus` and found again under `corpus/en` keeps its record
 * and id. A root that moved or was renamed carries on: a file found without
 * a record takes over the record of a gone file with the same path relative
 * to its root, size and modification time (unchanged; its document's stored
 * path updated), and an id recorded for a gone file is free for the file
 * that now has it (updated); the other records of such a root whose files
 * are gone are removed. An id held by a file of another folder that still
 * exists cannot be settled: such files fail, reported in one line per
 * folder that names --rebuild.
 *
 * The walk visits each directory and each file once, by device and inode,
 * whatever links lead to it, and a root's own tree before the links it
 * holds. A symbolic link to a directory or *.md file inside the paths given
 * is followed; one that leads outside is reported through on_warning and
 * skipped, unless opts->follow_symlinks.
 *
 * The engine never prints: bad files, warnings and progress go to the
 * caller's callbacks, which it calls one at a time (under its own mutex, from
 * worker threads in bulk mode). A bad file is not an error of the run: it is
 * counted in stats->failed, reported through on_error, and the run goes on.
 *
 * The per-article work (read, parse, analyse, build the document) is kept
 * apart from the writer (ns_index_build in build.h vs. the transactions of
 * writer.c): each worker thread has its own analyzer, the vendor table is
 * shared read-only. docs/architecture.md names the engine's modules. */
#ifndef NS_INDEXER_H
#define NS_INDEXER_H

#include "analyze.h"
#include "article.h"
#include "build.h"
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
    char *tmpdir;      /* an interrupted bulk run: the temporary directory that
                          keeps its work (malloc'd; ns_index_stats_clear frees) */
} ns_index_stats;

typedef struct ns_index_opts {
    const char *db_path;   /* required */
    int rebuild;           /* start from an empty database */
    unsigned batch;        /* changes per transaction; 0: NS_INDEX_BATCH
                              (incremental), NS_INDEX_BULK_BATCH (bulk) */
    unsigned jobs;         /* bulk mode: shards and threads; 0: 1 */
    unsigned rotate;       /* bulk mode: files a shard's database takes before
                              the shard goes on in a fresh one (all merged at
                              the end); 0: NS_INDEX_BULK_ROTATE */
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
    /* Follow symbolic links that lead outside the paths given (by default
     * each is reported once through on_warning and skipped). */
    int follow_symlinks;
    /* Shards of the database (src/shard.h): 0 keeps what the database has
     * (1 for a new one); 1 one database; N >= 2 a folder of N shards and
     * its stub, each article in shard ns_shard_of(id). A count other than
     * the database's rebuilds it (bulk mode, swapped in whole): re-sharding. */
    unsigned shards;
} ns_index_opts;

#define NS_INDEX_BATCH 1000
/* Per shard. Measured on 10k articles, 2 shards: 5000 and 10000 are no
 * faster than 1000 and peak at 3.5x the memory. */
#define NS_INDEX_BULK_BATCH 1000
#define NS_INDEX_JOBS_MAX 64
/* Per shard: see bulk.c for the measurement. */
#define NS_INDEX_BULK_ROTATE 50000
#define NS_INDEX_OPTS_INIT                                                                 \
    { .db_path = NULL, .rebuild = 0, .batch = 0, .jobs = 0, .rotate = 0, .stop = NULL,    \
      .on_error = NULL, .on_warning = NULL, .on_progress = NULL, .ctx = NULL,             \
      .follow_symlinks = 0, .shards = 0 }

/* The temporary directory of a bulk run: db_path (trailing slashes
 * stripped) + NS_INDEX_TMP_SUFFIX. */
#define NS_INDEX_TMP_SUFFIX ".nindex-tmp"

/* Index paths[0..n) (directories searched recursively, or single files)
 * into opts->db_path. 0 when the run completed (bad files included: see
 * stats->failed) or was interrupted; negative when nothing or not all could
 * be done: NS_ENOTFOUND (a path does not exist), NS_ELOCKED, NS_ECORRUPT,
 * NS_EINVAL (database of another schema version, or a db_path nindex may
 * not write: see above), NS_EIO, NS_ENOMEM, NS_EXAPIAN. err->msg then says what, e.g. "database 'x' is locked by
 * another writer". Work committed before a failure stays committed. */
int ns_index_run(const ns_index_opts *opts, const char *const *paths, size_t n,
                 ns_index_stats *stats, ns_err *err);
/* Free what a run left in stats (its tmpdir). NULL is a no-op. */
void ns_index_stats_clear(ns_index_stats *st);

#endif
