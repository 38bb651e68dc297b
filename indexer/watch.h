/* watch.h: nindex --watch, the database kept in step with the archive (Linux
 * inotify).
 *
 * ns_watch_run first brings the database in step with one ns_index_run over
 * the PATHs, then watches every directory under them (a PATH that is a file:
 * its directory) and, after each burst of changes, runs ns_index_run over
 * the same PATHs again, until *stop is set. Each run is an ordinary
 * incremental run: it walks the PATHs, re-reads only files whose size or
 * modification time changed and commits, so every rule of indexer.h holds
 * as it does for a run by hand (which files count, symbolic links, caps, the
 * --db checks, folders moved in or out) and no event can be misread into a
 * wrong database: the events only say when to run.
 *
 * What starts a run: a name ending in ".md" written, created, renamed,
 * deleted or touched; a folder created, moved in or out, deleted; a
 * symbolic link created; the event queue overflowing (then the watches are
 * made again from a fresh walk). Names starting with '.' (editors' swap and
 * lock files, .git) and other names (backup files "x.md~", temporary files
 * "x.md.tmp", vim's "4913") start nothing: the indexer would skip them too.
 * A burst is folded into one run: the run starts when no change came for
 * quiet_ms, or max_delay_ms after the burst's first change, whichever is
 * first. Changes made during a run start the next one.
 *
 * Signals: the caller's SIGINT/SIGTERM handler sets *stop. The wait for
 * events blocks those two signals around its check of *stop and waits with
 * pselect, so a signal cannot slip in between. When *stop is set, changes
 * already seen are indexed in one last run, then ns_watch_run returns 0:
 * everything is committed. *interrupt (a second signal) interrupts the run at
 * hand the way indexer.h's opts->stop does; so does *stop during the first
 * run, which may be a long build. Either way *interrupted is set.
 *
 * Messages: the callbacks of opts->index, except that a bad file or warning
 * reported by a run is not reported again by the next runs while it stays
 * the same (a bad article is reported once, not once per commit). After
 * each run on_run gets its statistics. The module never prints. */
#ifndef NS_WATCH_H
#define NS_WATCH_H

#include "err.h"
#include "indexer.h"

#include <signal.h>
#include <stddef.h>

typedef struct ns_watch_opts {
    /* The runs' options: db_path, batch, jobs, follow_symlinks, on_error,
     * on_warning, on_progress, ctx. Its stop is not used: see above. */
    ns_index_opts index;
    volatile sig_atomic_t *stop;    /* required: stop watching, index what is pending */
    volatile sig_atomic_t *interrupt; /* may be NULL: interrupt the run at hand */
    unsigned quiet_ms;              /* 0: NS_WATCH_QUIET_MS */
    unsigned max_delay_ms;          /* 0: NS_WATCH_MAX_DELAY_MS */
    /* After each run that completed or was interrupted: its statistics,
     * first = 1 for the initial run. Called with opts->index.ctx. */
    void (*on_run)(void *ctx, const ns_index_stats *st, int first);
    /* Something the user should know that is not a file's fault: "the event
     * queue overflowed: rescanning", "database locked by another writer:
     * retrying in 1 s". */
    void (*on_note)(void *ctx, const char *msg);
} ns_watch_opts;

#define NS_WATCH_QUIET_MS 100
#define NS_WATCH_MAX_DELAY_MS 1000
/* A run that found the database locked by another writer is tried again
 * after this long. */
#define NS_WATCH_RETRY_MS 1000

/* Watch paths[0..n) (see above). 0 when stopped, everything seen committed,
 * or interrupted (*interrupted = 1, the work up to the last commit kept).
 * Negative when a run failed (the codes of ns_index_run; NS_ELOCKED is
 * retried every NS_WATCH_RETRY_MS, and returned only when *interrupt ends
 * the retries after a stop) or the watches could not be set: NS_EIO with
 * err->msg saying why, e.g. "cannot watch 'x': the inotify watch limit was
 * reached (raise sysctl fs.inotify.max_user_watches)". */
int ns_watch_run(const ns_watch_opts *opts, const char *const *paths, size_t n, int *interrupted,
                 ns_err *err);

#endif
