/* nindex: index Markdown articles into a Xapian database (see man/nindex.1).
 * A thin program over indexer.h: options, messages, progress, exit status. */
#include "args.h"
#include "buf.h"
#include "indexer.h"
#include "schema.h"
#include "shard.h"
#include "str.h"
#include "watch.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef NS_VERSION
#define NS_VERSION "unknown"
#endif

/* Set by SIGINT/SIGTERM; the engine finishes the file at hand and commits.
 * (In bulk mode the engine blocks both signals in its worker threads, so the
 * handler runs in the main thread.) With --watch the first signal stops
 * watching (what was seen is indexed, then exit 0) and g_interrupt, set by
 * a second one, interrupts that last run. */
static volatile sig_atomic_t g_stop, g_interrupt;

static void on_signal(int sig)
{
    (void)sig;
    if (g_stop)
        g_interrupt = 1;
    g_stop = 1;
}

typedef struct ui {
    int tty;            /* progress only to a terminal */
    int shown;          /* a progress line is on screen */
    double start, last;
} ui;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(ui *u)
{
    if (u->shown) {
        fputs("\r\033[K", stderr);
        u->shown = 0;
    }
}

/* Print one line on stderr with every control character and byte of invalid
 * UTF-8 written \xHH (ns_str_escape): the line quotes file names, paths and
 * front-matter values, and a name like "\e]0;...\a.md" or "\e[2J.md" must
 * neither drive the terminal nor split the line (issue #13, finding 5). */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    ns_buf line = NS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = ns_str_vescapef(&line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", rc == 0 ? ns_buf_cstr(&line) : "nindex: out of memory writing a message");
    ns_buf_free(&line);
}

/* The engine calls these one at a time (under its own lock), possibly from
 * worker threads: each message is one whole line. */
static void on_error(void *ctx, const char *path, const char *msg)
{
    clear_progress(ctx);
    say("%s: %s", path, msg);
}

static void on_warning(void *ctx, const char *path, const char *msg)
{
    clear_progress(ctx);
    say("%s: warning: %s", path, msg);
}

static void on_progress(void *ctx, size_t done, size_t total)
{
    ui *u = ctx;
    if (!u->tty)
        return;
    double t = now();
    if (done < total && t - u->last < 0.1)
        return;
    u->last = t;
    double el = t - u->start;
    double rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[Kindexed %zu/%zu files, %.0f files/s, ETA %.0fs", done, total, rate, eta);
    u->shown = 1;
}

/* --watch: one summary line per run, as a run by hand prints it. */
static void on_run(void *ctx, const ns_index_stats *st, int first)
{
    ui *u = ctx;
    (void)first;
    clear_progress(u);
    u->tty = 0;   /* the next runs are short: no progress line */
    if (st->interrupted && st->bulk)
        say("nindex: interrupted; the database is unchanged, the work done so far is kept "
            "in '%s', run again to finish", st->tmpdir ? st->tmpdir : "?");
    else if (st->interrupted)
        say("nindex: interrupted; the work done so far is committed, run again to finish");
    printf("added %zu, updated %zu, unchanged %zu, removed %zu, failed %zu\n", st->added,
           st->updated, st->unchanged, st->removed, st->failed);
    fflush(stdout);
}

static void on_note(void *ctx, const char *msg)
{
    clear_progress(ctx);
    say("nindex: %s", msg);
}

static int watch_main(ns_index_opts *o, const char *const *paths, size_t npaths)
{
    ns_watch_opts w;
    memset(&w, 0, sizeof w);
    w.index = *o;
    w.index.stop = NULL;
    w.stop = &g_stop;
    w.interrupt = &g_interrupt;
    w.on_run = on_run;
    w.on_note = on_note;
    int interrupted = 0;
    ns_err err;
    ns_err_clear(&err);
    int rc = ns_watch_run(&w, paths, npaths, &interrupted, &err);
    clear_progress(o->ctx);
    if (rc < 0) {
        say("nindex: %s", err.msg[0] ? err.msg : ns_strerror(rc));
        return 2;
    }
    return interrupted ? 130 : 0;   /* on_run said so */
}

static void usage(FILE *f)
{
    fputs("usage: nindex [--db PATH] [--rebuild] [--batch N] [--jobs N] [--shards N] [--follow-symlinks] "
          "[--watch] PATH...\n"
          "Index the Markdown articles (*.md, with YAML front matter) found under each PATH\n"
          "(a directory, searched recursively, or a single file) into a Xapian database.\n"
          "A run is incremental: unchanged files are skipped, changed ones replaced, new ones\n"
          "added, and files gone from an indexed directory removed. A PATH that moved or was\n"
          "renamed carries on where it was.\n"
          "\n"
          "options:\n"
          "  --db PATH     the database (default: $NSEARCH_DB, else " NS_DEFAULT_DB "): an\n"
          "                nsearch database, an empty folder or a path that does not exist,\n"
          "                outside every PATH; nindex writes into nothing else\n"
          "  --rebuild     build a new database and swap it in when complete\n"
          "  --batch N     commit every N changes (default 1000)\n"
          "  --jobs N      threads when building a new database (default: the number\n"
          "                of CPUs, at most 8); each thread's shard goes on in a fresh\n"
          "                database every $NINDEX_ROTATE files (default 50000)\n"
          "  --shards N    split the database into N shards (a folder of shard0..shardN-1\n"
          "                and the stub file XAPIANDB; each article in the shard of its\n"
          "                id's hash), for xapian-tcpsrv on other machines; 1: one\n"
          "                database. Default: as the database is. Another count than\n"
          "                the database's builds it anew (re-sharding), swapped in whole\n"
          "  --follow-symlinks  also follow symbolic links that lead outside the PATHs\n"
          "                (by default each is skipped with a warning)\n"
          "  --watch       after the run, keep watching the PATHs (inotify) and index\n"
          "                each burst of changes (files written, renamed, deleted; folders\n"
          "                moved in or out) in one commit, started 100 ms after the burst\n"
          "                ends (at most 1 s after it starts), one summary line each;\n"
          "                SIGINT/SIGTERM index what was seen and end it (exit 0), a\n"
          "                second signal interrupts that run (exit 130)\n"
          "  --help        show this help and exit\n"
          "  --version     show the version and exit\n"
          "Option names are exact (no abbreviations); a value that starts with '-' needs\n"
          "--opt=VALUE; '--' ends the options.\n"
          "\n"
          "Each bad file is reported on stderr as 'PATH: reason' and the run goes on;\n"
          "a file past a limit (16 MiB, 2 MiB of text, 64 KiB of front matter, ...:\n"
          "see nindex(1)) is a bad file. Control characters in messages are written \\xHH.\n"
          "The last line on stdout is the summary:\n"
          "  added N, updated N, unchanged N, removed N, failed N\n"
          "\n"
          "exit status: 0 all files indexed; 1 some files failed; 2 nothing could be done\n"
          "(bad option, no PATH, a PATH that does not exist, database cannot be opened);\n"
          "130 interrupted (work up to the last commit is kept; run again to finish).\n",
          f);
}

/* The value v of option opt as a count from 1 to max into *out, or -1
 * after saying what is wrong. */
static int S_count(const char *opt, const char *v, unsigned long max, unsigned *out)
{
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || n == 0 || n > max) {
        say("nindex: %s: '%s' is not a number from 1 to %lu", opt, v, max);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

/* Read the command line into *o, *watch (--watch) and the PATHs, gathered
 * at argv[1..]: -1 to go on, else the exit status (help, version, a bad
 * option). */
/* The defaults the environment gives: -1, or the exit status 2 (said). */
static int S_env_defaults(ns_index_opts *o)
{
    const char *env = getenv("NSEARCH_DB");
    o->db_path = env && *env ? env : NS_DEFAULT_DB;
    /* Files per shard database in a bulk build (see indexer.h); for measuring
     * and for tests, which need a rotation without 50,000 articles. */
    const char *rot = getenv("NINDEX_ROTATE");
    if (rot && *rot && S_count("NINDEX_ROTATE", rot, 100000000, &o->rotate) < 0)
        return 2;
    return -1;
}

/* Take the option c with its value v (aerr: the reader's message when c is
 * not one): -1 to read on, else the exit status (0 after --help, --version). */
static int S_option(int c, const char *v, const ns_err *aerr, ns_index_opts *o, int *watch)
{
    switch (c) {
    case 'd':
        if (!*v) {
            fputs("nindex: --db needs a path\n", stderr);
            return 2;
        }
        o->db_path = v;
        return -1;
    case 'r':
        o->rebuild = 1;
        return -1;
    case 'L':
        o->follow_symlinks = 1;
        return -1;
    case 'w':
        *watch = 1;
        return -1;
    case 'b':
        return S_count("--batch", v, 10000000, &o->batch) < 0 ? 2 : -1;
    case 'j':
        return S_count("--jobs", v, NS_INDEX_JOBS_MAX, &o->jobs) < 0 ? 2 : -1;
    case 'S':
        return S_count("--shards", v, NS_SHARD_MAX, &o->shards) < 0 ? 2 : -1;
    case 'h':
        usage(stdout);
        return 0;
    case 'V':
        puts("nindex " NS_VERSION);
        return 0;
    default:
        say("nindex: %s", aerr->msg);
        say("Try 'nindex --help'.");
        return 2;
    }
}

static int S_parse_args(int argc, char **argv, ns_index_opts *o, int *watch, size_t *out_npaths)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"rebuild", no_argument, NULL, 'r'},
        {"batch", required_argument, NULL, 'b'},
        {"jobs", required_argument, NULL, 'j'},
        {"shards", required_argument, NULL, 'S'},
        {"follow-symlinks", no_argument, NULL, 'L'},
        {"watch", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int status = S_env_defaults(o);
    if (status >= 0)
        return status;
    /* PATHs may come before, between or after the options; like getopt,
     * gather them at the front of argv (what was read is not read again) */
    size_t npaths = 0;
    ns_args args;
    ns_err aerr;
    ns_err_clear(&aerr);
    ns_args_init(&args, argc, argv, longopts, "", 0);
    int c;
    while ((c = ns_args_next(&args, &aerr)) != NS_ARGS_END) {
        if (c == NS_ARGS_WORD)
            argv[1 + npaths++] = (char *)args.value;
        else if ((status = S_option(c, args.value, &aerr, o, watch)) >= 0)
            return status;
    }
    if (npaths == 0) {
        fputs("nindex: no PATH given\n"
              "usage: nindex [--db PATH] [--rebuild] [--batch N] [--jobs N] [--shards N] [--follow-symlinks] "
              "[--watch] PATH...\n",
              stderr);
        return 2;
    }
    *out_npaths = npaths;
    return -1;
}

/* Index the PATHs with the options given, reporting as it goes, and with
 * watch go on watching them: the exit status. */
static int S_index(const ns_index_opts *given, int watch, const char *const *paths, size_t npaths)
{
    ns_index_opts o = *given;  /* with this run's callbacks and their context */
    if (!o.jobs) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        o.jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    ui u = {isatty(STDERR_FILENO), 0, now(), 0};
    o.stop = &g_stop;
    o.on_error = on_error;
    o.on_warning = on_warning;
    o.on_progress = on_progress;
    o.ctx = &u;
    if (watch)
        return watch_main(&o, paths, npaths);
    ns_index_stats st;
    ns_err err;
    ns_err_clear(&err);
    int rc = ns_index_run(&o, paths, npaths, &st, &err);
    clear_progress(&u);
    if (rc < 0) {
        say("nindex: %s", err.msg[0] ? err.msg : ns_strerror(rc));
        ns_index_stats_clear(&st);
        return 2;
    }
    if (st.interrupted && st.bulk)
        say("nindex: interrupted; the database is unchanged, the work done so far is kept "
            "in '%s', run again to finish", st.tmpdir ? st.tmpdir : "?");
    else if (st.interrupted)
        say("nindex: interrupted; the work done so far is committed, run again to finish");
    printf("added %zu, updated %zu, unchanged %zu, removed %zu, failed %zu\n", st.added,
           st.updated, st.unchanged, st.removed, st.failed);
    ns_index_stats_clear(&st);
    if (fflush(stdout) != 0)
        return 2;
    if (st.interrupted)
        return 130;
    return st.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    size_t npaths = 0;
    int watch = 0;
    int status = S_parse_args(argc, argv, &o, &watch, &npaths);
    if (status >= 0)
        return status;
    return S_index(&o, watch, (const char *const *)argv + 1, npaths);
}
