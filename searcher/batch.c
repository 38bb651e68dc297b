/* batch.c: nsearch --batch on several threads (batch.h).
 *
 * The calling thread reads lines into a ring of slots; workers take the
 * oldest unsearched slot, search it with their own searcher and leave the
 * JSON in the slot. The worker that completes the oldest unprinted answer
 * prints it and every answer ready after it, so answers come out in input
 * order without a thread of their own. The ring bounds how far reading may
 * run ahead of printing.
 *
 * Each role waits on its own condition and is woken only when it can go on:
 * a worker when a line comes in, the reader when half the ring is free. With
 * one condition broadcast on every change, waking threads that went straight
 * back to sleep was 11% of a batch's time (futex wake-ups, which cost an
 * interrupt between CPUs on a virtual machine). */
#include "batch.h"
#include "str.h"

#include "buf.h"
#include "json.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define SLOTS_PER_JOB 4
/* How much of an over-long line its error answer echoes. */
#define ECHO_BYTES 256
#define S_STR2(x) #x
#define S_STR(x) S_STR2(x)

typedef struct slot {
    int done;       /* answered; whether a slot is free, queued or being
                     * searched follows from the batch's seq counters */
    char *line;
    size_t len;
    const char *bad; /* the line is refused without a search: why */
    ns_buf json;    /* the answer, newline included */
    int failed;     /* the line was an error */
} slot;

typedef struct batch {
    pthread_mutex_t mu;
    pthread_cond_t work;         /* workers: a line to take, or the end */
    pthread_cond_t space;        /* the reader: half the ring free, or the end */
    slot *ring;
    size_t nslots;
    unsigned long next_read;     /* seq of the next line read */
    unsigned long next_take;     /* seq of the next line a worker takes */
    unsigned long next_write;    /* seq of the next answer printed */
    int printing;                /* a worker is printing answers */
    int eof;                     /* no more lines */
    int fatal;                   /* stop: err says why */
    int any_failed;
    ns_err err;
    FILE *out;
    const ns_search_opts *opts;
} batch;

typedef struct worker {
    batch *b;
    ns_searcher *s;
    pthread_t thread;
    int started;
} worker;

static double S_ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Stop the batch with err's message (the first fatal error wins). Called
 * with b->mu held. */
static void S_fatal(batch *b, const ns_err *err)
{
    if (!b->fatal) {
        b->fatal = 1;
        b->err = *err;
    }
    pthread_cond_broadcast(&b->work);
    pthread_cond_broadcast(&b->space);
}

static void S_fatal_io(batch *b, const char *what, int errnum)
{
    ns_err err = { 0, "" };
    ns_err_set(&err, NS_EIO, "%s: %s", what, strerror(errnum));
    S_fatal(b, &err);
}

/* Search one line into sl->json. Only fails (< 0) when out of memory. */
static int S_answer(ns_searcher *s, const ns_search_opts *opts, slot *sl, ns_err *err)
{
    ns_results *r = NULL;
    ns_err serr = { 0, "" };
    struct timespec t0;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    int src = sl->bad ? ns_err_set(&serr, NS_ESYNTAX, "%s", sl->bad)
                      : ns_search(s, sl->line, sl->len, opts, &r, &serr);
    ns_json_opts jo = NS_JSON_OPTS_INIT;
    jo.took_ms = S_ms_since(&t0);
    int jrc = src < 0 ? ns_json_error(&sl->json, sl->line, sl->len, serr.msg)
                      : ns_json_results_opts(&sl->json, r, &jo);
    ns_results_free(r);
    sl->failed = src < 0;
    if (jrc < 0 || ns_buf_putc(&sl->json, '\n') < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory answering a batch line");
    return 0;
}

/* Print the answers that are ready, in input order, from next_write on.
 * Called with b->mu held by the worker that completed answer next_write;
 * only one worker prints at a time. Flushes when the next answer is not
 * ready yet, so a lock-step caller sees each answer at once and a streaming
 * one gets fewer, larger writes; an answer completed meanwhile is printed
 * too. */
static void S_print(batch *b)
{
    b->printing = 1;
    while (!b->fatal) {
        slot *sl = &b->ring[b->next_write % b->nslots];
        if (!sl->done) {
            pthread_mutex_unlock(&b->mu);
            int bad = fflush(b->out) != 0;
            int save_errno = errno;
            pthread_mutex_lock(&b->mu);
            if (bad)
                S_fatal_io(b, "writing output", save_errno);
            if (bad || !b->ring[b->next_write % b->nslots].done)
                break;
            continue;
        }
        pthread_mutex_unlock(&b->mu);
        int bad = sl->json.len && fwrite(sl->json.data, 1, sl->json.len, b->out) != sl->json.len;
        int save_errno = errno;
        pthread_mutex_lock(&b->mu);
        if (bad) {
            S_fatal_io(b, "writing output", save_errno);
            break;
        }
        b->any_failed |= sl->failed;
        free(sl->line);
        sl->line = NULL;
        ns_buf_reset(&sl->json);
        sl->done = 0;
        b->next_write++;
        if (b->next_read - b->next_write == b->nslots / 2)
            pthread_cond_signal(&b->space);
    }
    b->printing = 0;
}

static void *S_worker(void *arg)
{
    worker *w = arg;
    batch *b = w->b;

    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (b->next_take == b->next_read && !b->eof && !b->fatal)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->fatal || b->next_take == b->next_read)
            break; /* stopped, or every line is taken and no more will come */
        unsigned long seq = b->next_take++;
        slot *sl = &b->ring[seq % b->nslots];
        pthread_mutex_unlock(&b->mu);

        ns_err err = { 0, "" };
        int rc = S_answer(w->s, b->opts, sl, &err);

        pthread_mutex_lock(&b->mu);
        if (rc < 0) {
            S_fatal(b, &err);
            break;
        }
        sl->done = 1;
        if (seq == b->next_write && !b->printing)
            S_print(b);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Read the next line of in into buf (NS_BATCH_MAX_LINE + 2 bytes), without
 * its "\n" or "\r\n": 1, or 0 at the end of input (or on a read error).
 * A longer line gives *len NS_BATCH_MAX_LINE + 1 with its first bytes in
 * buf; the rest is read and dropped, so a 1 GB line costs no more memory
 * than a short one. Only the reading thread touches in. */
static int S_getline(FILE *in, char *buf, size_t *len)
{
    size_t n = 0;
    int c, any = 0, over = 0;
    while ((c = getc_unlocked(in)) != EOF) {
        any = 1;
        if (c == '\n')
            break;
        if (n < NS_BATCH_MAX_LINE + 2)
            buf[n++] = (char)c;
        else
            over = 1;
    }
    if (!over && n && buf[n - 1] == '\r')
        n--;
    *len = over || n > NS_BATCH_MAX_LINE ? NS_BATCH_MAX_LINE + 1 : n;
    return any;
}

/* The answer's copy of a line: the line itself, or the start of an
 * over-long one, cut at a character and marked "…". *bad is set when the
 * line is refused without a search. */
static char *S_copy_line(const char *buf, size_t len, size_t *out_len, const char **bad)
{
    *bad = NULL;
    if (len > NS_BATCH_MAX_LINE) {
        static const char more[] = "\xE2\x80\xA6"; /* … */
        size_t keep = ECHO_BYTES;
        while (keep > 0 && ((unsigned char)buf[keep] & 0xC0) == 0x80)
            keep--;
        char *copy = malloc(keep + sizeof more);
        if (copy) {
            memcpy(copy, buf, keep);
            memcpy(copy + keep, more, sizeof more);
        }
        *out_len = keep + sizeof more - 1;
        *bad = "line is longer than " S_STR(NS_BATCH_MAX_LINE) " bytes (the query shows its start)";
        return copy;
    }
    /* The query parser takes NUL for a space, but the answer would echo the
     * line only up to it: refuse the line, echoing it whole. */
    if (memchr(buf, '\0', len))
        *bad = "line contains a NUL byte";
    *out_len = len;
    return ns_strndup(buf, len);
}

/* Read lines into the ring until end of input or a fatal error. */
static void S_read(batch *b, FILE *in)
{
    char *buf = malloc(NS_BATCH_MAX_LINE + 2);
    size_t n;

    if (!buf) {
        ns_err err = { 0, "" };
        ns_err_set(&err, NS_ENOMEM, "out of memory reading the batch");
        pthread_mutex_lock(&b->mu);
        S_fatal(b, &err);
        pthread_mutex_unlock(&b->mu);
    }
    while (buf && S_getline(in, buf, &n)) {
        size_t len;
        const char *bad;
        char *copy = S_copy_line(buf, n, &len, &bad);

        pthread_mutex_lock(&b->mu);
        if (!copy) {
            ns_err err = { 0, "" };
            ns_err_set(&err, NS_ENOMEM, "out of memory reading a batch line");
            S_fatal(b, &err);
        }
        /* A full ring waits until half of it is free: one wake-up per half
         * ring rather than one per answer. */
        if (b->next_read - b->next_write >= b->nslots)
            while (!b->fatal && b->next_read - b->next_write > b->nslots / 2)
                pthread_cond_wait(&b->space, &b->mu);
        if (b->fatal || !copy) {
            pthread_mutex_unlock(&b->mu);
            free(copy);
            break;
        }
        slot *sl = &b->ring[b->next_read % b->nslots];
        sl->line = copy;
        sl->len = len;
        sl->bad = bad;
        sl->failed = 0;
        b->next_read++;
        pthread_cond_signal(&b->work);
        pthread_mutex_unlock(&b->mu);
    }
    if (ferror(in)) {
        int save_errno = errno;
        pthread_mutex_lock(&b->mu);
        S_fatal_io(b, "reading the batch", save_errno);
        pthread_mutex_unlock(&b->mu);
    }
    free(buf);
    pthread_mutex_lock(&b->mu);
    b->eof = 1;
    pthread_cond_broadcast(&b->work);
    pthread_mutex_unlock(&b->mu);
}

int ns_batch_run(FILE *in, FILE *out, const char *dbpath, ns_searcher *first,
                 const ns_search_opts *opts, unsigned jobs, ns_err *err)
{
    batch b;
    worker *w = NULL;
    int rc = 0;

    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    memset(&b, 0, sizeof b);
    b.out = out;
    b.opts = opts;
    b.nslots = (size_t)jobs * SLOTS_PER_JOB;
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.work, NULL);
    pthread_cond_init(&b.space, NULL);
    if (!(b.ring = calloc(b.nslots, sizeof *b.ring)) || !(w = calloc(jobs, sizeof *w))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory starting the batch");
        goto done;
    }
    /* Every searcher is opened before any line is read, so that a database
     * that cannot be opened stops the batch before it answers anything. */
    for (unsigned i = 0; i < jobs; i++) {
        w[i].b = &b;
        if (i == 0)
            w[i].s = first;
        else if ((rc = ns_searcher_open_opts(&w[i].s, dbpath, ns_searcher_xdb_opts(first), err)) < 0)
            goto done;
    }
    for (unsigned i = 0; i < jobs; i++) {
        if (pthread_create(&w[i].thread, NULL, S_worker, &w[i]) != 0) {
            rc = ns_err_set(err, NS_ENOMEM, "cannot start a batch thread");
            goto stop;
        }
        w[i].started = 1;
    }
    S_read(&b, in);
stop:
    pthread_mutex_lock(&b.mu);
    b.eof = 1;
    if (rc < 0)
        S_fatal(&b, err);
    pthread_cond_broadcast(&b.work);
    pthread_mutex_unlock(&b.mu);
    for (unsigned i = 0; i < jobs; i++)
        if (w[i].started)
            pthread_join(w[i].thread, NULL);
    /* The last answer's worker flushed; an empty batch printed nothing. */
    if (!b.fatal && fflush(out) != 0)
        S_fatal_io(&b, "writing output", errno);
    if (rc == 0 && b.fatal)
        rc = ns_err_set(err, b.err.code ? b.err.code : NS_EIO, "%s", b.err.msg);
    if (rc == 0)
        rc = b.any_failed ? 1 : 0;
done:
    if (w)
        for (unsigned i = 1; i < jobs; i++)
            ns_searcher_close(w[i].s);
    if (b.ring)
        for (size_t i = 0; i < b.nslots; i++) {
            free(b.ring[i].line);
            ns_buf_free(&b.ring[i].json);
        }
    free(b.ring);
    free(w);
    pthread_cond_destroy(&b.work);
    pthread_cond_destroy(&b.space);
    pthread_mutex_destroy(&b.mu);
    return rc;
}
