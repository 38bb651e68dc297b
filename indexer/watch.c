/* watch.c: nindex --watch (watch.h). inotify tells when; ns_index_run does
 * the work, so a watched database is the one a run by hand would leave. */
#include "watch.h"

#include "buf.h"
#include "list.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What a watched directory reports: its entries written, created, renamed,
 * deleted or touched, and itself deleted or moved. IN_MODIFY too, so that a
 * file still being written keeps the burst open. */
#define WATCH_MASK                                                                              \
    (IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM |           \
     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

typedef struct wdir {
    int wd;
    unsigned gen;   /* the walk that last reached it */
    char *path;
} wdir;

/* Messages of one run, "E" or "W", the path, a newline, the message. */
typedef struct msgs {
    char **v;
    size_t n, cap;
} msgs;

typedef struct watch {
    const ns_watch_opts *o;
    const char *const *paths;
    size_t npaths;
    int fd;
    wdir *dirs;          /* sorted by wd (inotify hands them out increasing) */
    size_t ndirs, cap;
    unsigned gen;
    msgs cur, prev;      /* messages of this run and the last (sorted, for bsearch) */
    msgs held, was_held; /* files whose message waits (path and mtime), likewise */
    int dirty;           /* a change not indexed yet */
    int resync;          /* the watches must be made again from a walk */
    int first_done;      /* the first run completed */
    int interrupted;
    int locked_noted;
    double first, last;  /* the burst's first and last change, ms */
    double retry_at;     /* not before this (ms): the database was locked */
    struct timespec run_began; /* wall clock, to compare with files' mtimes */
} watch;

static double S_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int S_ends_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static void S_note(watch *W, const char *msg)
{
    if (W->o->on_note)
        W->o->on_note(W->o->index.ctx, msg);
}

/* ---- messages: each reported once while it stays the same ---- */

static void S_msgs_free(msgs *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i]);
    free(m->v);
    memset(m, 0, sizeof *m);
}

static int S_cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Note key (a malloc'd string, taken) in this run's list cur unless the
 * last run's sorted list prev holds it: 1 when prev holds it, 0 when noted,
 * -1 when out of memory. */
static int S_note_new(msgs *cur, const msgs *prev, char *key)
{
    if (prev->n && bsearch(&key, prev->v, prev->n, sizeof *prev->v, S_cmpstr)) {
        free(key);
        return 1;
    }
    if (ns_ptrs_push(&cur->v, &cur->n, &cur->cap, key) < 0) {
        free(key);
        return -1;
    }
    return 0;
}

/* This run's list becomes the last run's, sorted. */
static void S_roll(msgs *cur, msgs *prev)
{
    S_msgs_free(prev);
    *prev = *cur;
    memset(cur, 0, sizeof *cur);
    if (prev->n)
        qsort(prev->v, prev->n, sizeof *prev->v, S_cmpstr);
}

/* 1 when the previous run did not report the message (so it is to be
 * shown), 0 when it did. Out of memory: shown. */
static int S_fresh(watch *W, char kind, const char *path, const char *msg)
{
    ns_buf b = NS_BUF_INIT;
    if (ns_buf_printf(&b, "%c%s\n%s", kind, path, msg) < 0) {
        ns_buf_free(&b);
        return 1;
    }
    char *key = ns_buf_detach(&b);
    if (!key)
        return 1;
    /* noted either way: a message stays known while the runs repeat it */
    int fresh = !W->prev.n || !bsearch(&key, W->prev.v, W->prev.n, sizeof *W->prev.v, S_cmpstr);
    if (ns_ptrs_push(&W->cur.v, &W->cur.n, &W->cur.cap, key) < 0)
        free(key);
    return fresh;
}

/* 1 when a message about path is to wait for another run: the file was
 * modified after this run began (less the file system's coarse clock, a few
 * ms behind), so what the run read may be a file caught while being written
 * (an editor's or a script's open, then write). It waits one run for each
 * state of the file (its mtime): when the next run finds the same mtime, the
 * file was not being written but stamped ahead (a clock set wrong, an
 * archive's dates), and the message is shown then, not put off for ever. */
static int S_hold(watch *W, const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return 0;
    double began = (double)W->run_began.tv_sec * 1e3 + (double)W->run_began.tv_nsec / 1e6;
    double mtime = (double)st.st_mtim.tv_sec * 1e3 + (double)st.st_mtim.tv_nsec / 1e6;
    if (mtime < began - 20)
        return 0;
    ns_buf b = NS_BUF_INIT;
    if (ns_buf_printf(&b, "%s\n%lld.%09ld", path, (long long)st.st_mtim.tv_sec,
                      st.st_mtim.tv_nsec) < 0) {
        ns_buf_free(&b);
        return 0;
    }
    char *key = ns_buf_detach(&b);
    return key && S_note_new(&W->held, &W->was_held, key) == 0;
}

/* A message of kind 'E' (error) or 'W' (warning) from a run, passed on to
 * show when it is fresh and not held (S_hold: another run reads the file). */
static void S_message(watch *W, char kind, const char *path, const char *msg,
                      void (*show)(void *, const char *, const char *))
{
    if (S_hold(W, path))
        return;
    if (S_fresh(W, kind, path, msg) && show)
        show(W->o->index.ctx, path, msg);
}

/* The engine calls these one at a time (indexer.h). */
static void S_on_error(void *ctx, const char *path, const char *msg)
{
    watch *W = ctx;
    S_message(W, 'E', path, msg, W->o->index.on_error);
}

static void S_on_warning(void *ctx, const char *path, const char *msg)
{
    watch *W = ctx;
    S_message(W, 'W', path, msg, W->o->index.on_warning);
}

static void S_on_progress(void *ctx, size_t done, size_t total)
{
    watch *W = ctx;
    W->o->index.on_progress(W->o->index.ctx, done, total);
}

/* ---- the watches ---- */

static wdir *S_find(watch *W, int wd)
{
    size_t lo = 0, hi = W->ndirs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (W->dirs[mid].wd == wd)
            return &W->dirs[mid];
        if (W->dirs[mid].wd < wd)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void S_forget(watch *W, wdir *d)
{
    free(d->path);
    size_t i = (size_t)(d - W->dirs);
    memmove(d, d + 1, (W->ndirs - i - 1) * sizeof *d);
    W->ndirs--;
}

/* Watch the directory path: 1 when it is to be walked (first reached in
 * this walk), 0 when not (reached already, or gone meanwhile, or not
 * readable: the run reports what it cannot read), or an error. */
static int S_add(watch *W, const char *path, ns_err *err)
{
    int wd = inotify_add_watch(W->fd, path, WATCH_MASK);
    if (wd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP)
            return 0;
        if (e == ENOSPC)
            return ns_err_set(err, NS_EIO,
                              "cannot watch '%s': the inotify watch limit was reached (raise "
                              "sysctl fs.inotify.max_user_watches)", path);
        char msg[128] = "";
        strerror_r(e, msg, sizeof msg);
        return ns_err_set(err, e == ENOMEM ? NS_ENOMEM : NS_EIO, "cannot watch '%s': %s", path,
                          msg);
    }
    char *copy = strdup(path);
    if (!copy)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    wdir *d = S_find(W, wd);
    if (d && d->gen == W->gen) {
        /* reached already in this walk, by another path (a followed link):
         * the first path stays */
        free(copy);
        return 0;
    }
    if (d) {   /* watched before: its path now (it may have been renamed) */
        free(d->path);
        d->path = copy;
        d->gen = W->gen;
        return 1;
    }
    if (W->ndirs == W->cap) {
        size_t cap = W->cap ? W->cap * 2 : 64;
        wdir *v = realloc(W->dirs, cap * sizeof *v);
        if (!v) {
            free(copy);
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
        W->dirs = v;
        W->cap = cap;
    }
    /* wds increase; one lower than the last only after 2^31 watches */
    size_t i = W->ndirs;
    while (i > 0 && W->dirs[i - 1].wd > wd)
        i--;
    memmove(&W->dirs[i + 1], &W->dirs[i], (W->ndirs - i) * sizeof *W->dirs);
    W->dirs[i] = (wdir){ wd, W->gen, copy };
    W->ndirs++;
    return 1;
}

/* Watch path and the directories under it, as the indexer walks them:
 * dot entries skipped, links to directories followed only with
 * follow_symlinks (a link inside the PATHs leads to a directory watched
 * anyway). Each directory once, by its watch. */
static int S_add_tree(watch *W, const char *path, ns_err *err)
{
    int rc = S_add(W, path, err);
    if (rc <= 0)
        return rc;
    DIR *dir = opendir(path);
    if (!dir)
        return 0;
    ns_buf sub = NS_BUF_INIT;
    struct dirent *e;
    rc = 0;
    while (rc == 0 && (e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        ns_buf_reset(&sub);
        if (ns_buf_printf(&sub, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                          e->d_name) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            break;
        }
        unsigned char type = e->d_type;
        struct stat st;
        if (type == DT_UNKNOWN) {
            if (lstat(ns_buf_cstr(&sub), &st) < 0)
                continue;
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
        }
        if (type == DT_LNK && W->o->index.follow_symlinks && stat(ns_buf_cstr(&sub), &st) == 0 &&
            S_ISDIR(st.st_mode))
            type = DT_DIR;
        if (type == DT_DIR && (rc = S_add_tree(W, ns_buf_cstr(&sub), err)) > 0)
            rc = 0;
    }
    closedir(dir);
    ns_buf_free(&sub);
    return rc;
}

/* Make the watches match the PATHs as they are now: every directory under
 * them watched, the watches of directories no longer under them removed. */
static int S_sync(watch *W, ns_err *err)
{
    int rc = 0;
    W->gen++;
    for (size_t i = 0; i < W->npaths && rc >= 0; i++) {
        const char *p = W->paths[i];
        struct stat st;
        if (stat(p, &st) < 0)
            continue;   /* the run says so */
        if (S_ISDIR(st.st_mode)) {
            rc = S_add_tree(W, p, err);
            continue;
        }
        /* a single file: its directory, not the directories beside it */
        const char *slash = strrchr(p, '/');
        char *dir = !slash ? strdup(".") : slash == p ? strdup("/") : strndup(p, (size_t)(slash - p));
        if (!dir)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        rc = S_add(W, dir, err);
        free(dir);
    }
    if (rc < 0)
        return rc;
    for (size_t i = W->ndirs; i-- > 0;)
        if (W->dirs[i].gen != W->gen) {
            inotify_rm_watch(W->fd, W->dirs[i].wd);
            S_forget(W, &W->dirs[i]);
        }
    return 0;
}

/* ---- events ---- */

static void S_changed(watch *W)
{
    double t = S_now_ms();
    if (!W->dirty) {
        W->dirty = 1;
        W->first = t;
    }
    W->last = t;
}

static void S_event(watch *W, const struct inotify_event *ev)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        S_note(W, "too many changes at once (the inotify queue overflowed): rescanning "
                  "everything");
        W->resync = 1;
        S_changed(W);
        return;
    }
    wdir *d = S_find(W, ev->wd);
    if (ev->mask & IN_IGNORED) {   /* the directory is gone, its watch with it */
        if (d)
            S_forget(W, d);
        return;
    }
    if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        W->resync = 1;
        S_changed(W);
        return;
    }
    const char *name = ev->len ? ev->name : "";
    if (!*name || name[0] == '.' || !d)
        return;
    if (ev->mask & IN_ISDIR) {   /* created, moved in or out, deleted */
        W->resync = 1;
        S_changed(W);
    } else if (S_ends_md(name)) {
        S_changed(W);
    } else if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
        /* a link to a folder or to an article is followed by the run */
        ns_buf p = NS_BUF_INIT;
        struct stat st;
        if (ns_buf_printf(&p, "%s/%s", d->path, name) < 0 ||
            (lstat(ns_buf_cstr(&p), &st) == 0 && S_ISLNK(st.st_mode))) {
            W->resync = 1;
            S_changed(W);
        }
        ns_buf_free(&p);
    }
}

/* Read what the kernel has queued, without waiting. */
static int S_read_events(watch *W, ns_err *err)
{
    _Alignas(struct inotify_event) char buf[16384];
    for (;;) {
        ssize_t len = read(W->fd, buf, sizeof buf);
        if (len < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            char msg[128] = "";
            strerror_r(errno, msg, sizeof msg);
            return ns_err_set(err, NS_EIO, "reading inotify events: %s", msg);
        }
        if (len == 0)
            return 0;
        for (ssize_t off = 0; off < len;) {
            const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
            S_event(W, ev);
            off += (ssize_t)(sizeof *ev + ev->len);
        }
    }
}

/* Wait for events until timeout_ms (< 0: no limit) or a signal. SIGINT and
 * SIGTERM are blocked from the check of *stop until pselect unblocks them
 * atomically, so one that comes in between wakes pselect. */
static int S_wait(watch *W, long timeout_ms, ns_err *err)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    if (*W->o->stop) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return 0;
    }
    fd_set rf;
    FD_ZERO(&rf);
    FD_SET(W->fd, &rf);
    struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
    int r = pselect(W->fd + 1, &rf, NULL, NULL, timeout_ms < 0 ? NULL : &ts, &old);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r < 0 && e != EINTR) {
        char msg[128] = "";
        strerror_r(e, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "waiting for inotify events: %s", msg);
    }
    return 0;
}

/* ---- runs ---- */

static int S_run(watch *W, volatile sig_atomic_t *stop, ns_err *err)
{
    int rc;
    if (W->resync) {
        W->resync = 0;
        if ((rc = S_sync(W, err)) < 0)
            return rc;
    }
    W->dirty = 0;
    ns_index_opts io = W->o->index;
    io.stop = stop;
    if (W->first_done)
        io.rebuild = 0;   /* --rebuild is for the first run */
    io.on_error = S_on_error;
    io.on_warning = S_on_warning;
    io.on_progress = W->o->index.on_progress ? S_on_progress : NULL;
    io.ctx = W;
    ns_index_stats st;
    clock_gettime(CLOCK_REALTIME, &W->run_began);
    rc = ns_index_run(&io, W->paths, W->npaths, &st, err);
    if (W->held.n)   /* a held message: another run reads its file */
        S_changed(W);
    S_roll(&W->cur, &W->prev);
    S_roll(&W->held, &W->was_held);
    if (rc == NS_ELOCKED) {
        /* another nindex is writing: try again when it may be done */
        if (!W->locked_noted) {
            char msg[sizeof err->msg + 64];
            snprintf(msg, sizeof msg, "%s: trying again every %d ms", err->msg,
                     NS_WATCH_RETRY_MS);
            S_note(W, msg);
        }
        W->locked_noted = 1;
        ns_err_clear(err);
        ns_index_stats_clear(&st);
        S_changed(W);
        W->retry_at = S_now_ms() + NS_WATCH_RETRY_MS;
        return 0;
    }
    W->locked_noted = 0;
    if (rc < 0) {
        ns_index_stats_clear(&st);
        return rc;
    }
    if (W->o->on_run)
        W->o->on_run(W->o->index.ctx, &st, !W->first_done);
    W->first_done = 1;
    if (st.interrupted)
        W->interrupted = 1;
    ns_index_stats_clear(&st);
    return 0;
}

int ns_watch_run(const ns_watch_opts *opts, const char *const *paths, size_t n, int *interrupted,
                 ns_err *err)
{
    watch W;
    memset(&W, 0, sizeof W);
    W.o = opts;
    W.paths = paths;
    W.npaths = n;
    *interrupted = 0;
    if (!opts->stop)
        return ns_err_set(err, NS_EINVAL, "no stop flag");
    double quiet = opts->quiet_ms ? opts->quiet_ms : NS_WATCH_QUIET_MS;
    double max_delay = opts->max_delay_ms ? opts->max_delay_ms : NS_WATCH_MAX_DELAY_MS;
    volatile sig_atomic_t never = 0;
    volatile sig_atomic_t *interrupt = opts->interrupt ? opts->interrupt : &never;
    int rc;
    if ((W.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        char msg[128] = "";
        strerror_r(errno, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "cannot watch for changes (inotify): %s", msg);
    }
    /* Watches first: a change made during the first run starts the next. */
    if ((rc = S_sync(&W, err)) < 0)
        goto done;
    /* The first run may be a long build: a signal interrupts it. */
    if ((rc = S_run(&W, opts->stop, err)) < 0)
        goto done;
    while (!W.interrupted && !*opts->stop) {
        long timeout = -1;
        if (W.dirty) {
            double t = S_now_ms();
            double due = W.last + quiet < W.first + max_delay ? W.last + quiet : W.first + max_delay;
            if (due < W.retry_at)
                due = W.retry_at;
            timeout = due > t ? (long)(due - t) + 1 : 0;
            if (timeout == 0) {
                /* the first run was locked out: it interrupts on a signal too */
                if ((rc = S_run(&W, W.first_done ? interrupt : opts->stop, err)) < 0)
                    goto done;
                continue;
            }
        }
        if ((rc = S_wait(&W, timeout, err)) < 0 || (rc = S_read_events(&W, err)) < 0)
            goto done;
    }
    /* Stopped: what was seen until now goes in one last run (tried again
     * while another writer holds the database, until a second signal). */
    if (!W.interrupted && (rc = S_read_events(&W, err)) < 0)
        goto done;
    while (!W.interrupted && (W.dirty || !W.first_done)) {
        if (*interrupt) {
            rc = ns_err_set(err, NS_ELOCKED, "stopped while another writer held the database: "
                                             "the last changes are not indexed (run nindex again)");
            break;
        }
        if ((rc = S_run(&W, interrupt, err)) < 0)
            break;
        if (W.dirty) {
            struct timespec ts = { NS_WATCH_RETRY_MS / 1000, (NS_WATCH_RETRY_MS % 1000) * 1000000L };
            nanosleep(&ts, NULL);   /* a signal ends it early */
        }
    }
done:
    *interrupted = W.interrupted;
    for (size_t i = 0; i < W.ndirs; i++)
        free(W.dirs[i].path);
    free(W.dirs);
    S_msgs_free(&W.cur);
    S_msgs_free(&W.prev);
    S_msgs_free(&W.held);
    S_msgs_free(&W.was_held);
    close(W.fd);
    return rc;
}
