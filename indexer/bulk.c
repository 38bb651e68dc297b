/* bulk.c: bulk mode (see indexer.h): the files split by a hash of their key
 * into shards, each indexed by its own thread into its own databases under
 * the temporary directory (a fresh one every opts->rotate files); the
 * spelling words of all of them added once each; ids claimed in two shards
 * settled; every shard's databases merged by compaction and the result
 * swapped in. An interrupted run keeps its shards for the next one. */
#include "run.h"

#include "dbpath.h"
#include "list.h"
#include "schema.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void S_thread_done(writer *W, int rc)
{
    run *R = W->R;
    if (rc < 0)
        atomic_store(&R->stop, 1);  /* the run fails: the others need not go on */
    pthread_mutex_lock(&R->mu);
    W->rc = rc;
    R->running--;
    pthread_cond_signal(&R->cv);
    pthread_mutex_unlock(&R->mu);
}

/* ---- a shard's databases ----
 *
 * Xapian's cost per committed batch grows with the database it goes into
 * (each flush merges the batch's postings into ever larger B-trees): two
 * shard writers ran at ~650 articles/s up to 350,000 articles in all and
 * ~510 after. So a shard that has taken opts->rotate files commits and goes
 * on in a fresh database, "shard-K.1", "shard-K.2", ...; the full ones stay
 * open (a loser of a duplicate id may need deleting from them) and all are
 * merged by the final compaction, which is a merge of sorted runs anyway. */

static unsigned S_rotate_at(const run *R)
{
    return R->o->rotate ? R->o->rotate : NS_INDEX_BULK_ROTATE;
}

/* The path of shard k's database s (0: W->path's "shard-K"), malloc'd. */
static char *S_seg_path(const run *R, unsigned k, unsigned s)
{
    ns_buf p = NS_BUF_INIT;
    int rc = s ? ns_buf_printf(&p, "%s/shard-%u.%u", R->tmpdir, k, s)
               : ns_buf_printf(&p, "%s/shard-%u", R->tmpdir, k);
    char *out = rc < 0 ? NULL : ns_buf_detach(&p);
    ns_buf_free(&p);
    return out;
}

/* Keep W's current database among its full ones (W->w is then NULL). */
static int S_seg_push(writer *W, ns_err *err)
{
    if (ns_array_room(&W->segs, W->nsegs, &W->capsegs, sizeof *W->segs, 4) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    W->segs[W->nsegs++] = W->w;
    W->w = NULL;
    return 0;
}

/* Open shard W->k's database s afresh as W->w, with the schema committed:
 * whatever an earlier run left at its path goes. */
static int S_seg_create(writer *W, unsigned s, ns_err *err)
{
    ns_err e;
    ns_err_clear(&e);
    char *path = S_seg_path(W->R, W->k, s);
    int rc;
    if (!path)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    ns_dbpath_rmtree(path);  /* in our temporary directory */
    /* the shards of a sharded database are routed inside the writer */
    if ((rc = ns_xwdb_open_shards(&W->w, path, W->R->nshards, NS_XWDB_CREATE_OR_OPEN, &e)) < 0)
        rc = ns_err_set(err, rc, "cannot create '%s': %s", path, e.msg);
    else if ((rc = ns_writer_set_schema(W, err)) == 0)
        rc = ns_writer_commit(W, 1, err);
    free(path);
    return rc;
}

/* W's current database is full: commit it and go on in a fresh one. */
static int S_rotate(writer *W, ns_err *err)
{
    int rc;
    if ((rc = ns_writer_commit(W, 1, err)) < 0 || (rc = S_seg_push(W, err)) < 0)
        return rc;
    W->seg_files = 0;
    return S_seg_create(W, (unsigned)W->nsegs, err);
}

/* Remove shard k's later databases from s on: those of a run that is not
 * resumed. They are made in order, so the first missing one ends them. */
static void S_seg_remove_from(const run *R, unsigned k, unsigned s)
{
    for (;; s++) {
        char *path = S_seg_path(R, k, s);
        struct stat st;
        int there = path && stat(path, &st) == 0;
        if (there)
            ns_dbpath_rmtree(path);
        free(path);
        if (!there)
            break;
    }
}

/* Delete id's document (if id is not empty) and the metadata entry key from
 * W's full databases; the caller does it in W->w. Which database holds a
 * file is not recorded, and a deletion where there is nothing costs a
 * look-up. Committed with the database in S_merge or on interruption. */
static int S_forget_in_segs(writer *W, const char *key, const char *id, ns_err *err)
{
    int rc;
    if (!W->nsegs)
        return 0;
    if (*id && (rc = ns_writer_idterm(&W->tmp, id, err)) < 0)
        return rc;
    for (unsigned s = 0; s < W->nsegs; s++) {
        if (*id && (rc = ns_xwdb_delete(W->segs[s], W->tmp.data, W->tmp.len, err)) < 0)
            return rc;
        if ((rc = ns_xwdb_set_metadata(W->segs[s], key, "", 0, err)) < 0)
            return rc;
    }
    return 0;
}

/* Commit and close all of W's databases. */
static int S_close_all(writer *W, ns_err *err)
{
    int rc = 0;
    for (unsigned s = 0; s < W->nsegs && rc == 0; s++)
        rc = ns_xwdb_close(W->segs[s], err);
    if (rc == 0)
        rc = ns_xwdb_close(W->w, err);
    return rc;
}

/* Phase 1: index the shard's files. */
static void *S_worker(void *arg)
{
    writer *W = arg;
    run *R = W->R;
    int rc = 0;
    for (size_t i = 0; i < W->nfiles; i++) {
        if (atomic_load(&R->stop)) {
            W->stopped = 1;
            break;
        }
        if ((rc = ns_writer_process(W, W->files[i], &W->err)) < 0 || (rc = ns_writer_commit(W, 0, &W->err)) < 0)
            break;
        if (++W->seg_files >= S_rotate_at(R) && i + 1 < W->nfiles && (rc = S_rotate(W, &W->err)) < 0)
            break;
        ns_run_progress(R);
    }
    if (rc == 0)
        rc = ns_writer_commit(W, 1, &W->err);
    S_thread_done(W, rc);
    return NULL;
}

/* A spelling word and its count over all the writers. */
typedef struct spword {
    const char *w;
    size_t len;
    uintptr_t n;
} spword;

static int S_spword_cmp(const void *a, const void *b)
{
    const spword *x = a, *y = b;
    int c = memcmp(x->w, y->w, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Phase 2: the spelling words all the workers hold, split between the
 * shards by a hash of the word, so each word is added once, to one shard,
 * with its count summed over all of them (compaction merges the tables).
 * Added in byte order: Xapian's spelling table takes sorted words about a
 * third faster than words in hash order. */
static void *S_speller(void *arg)
{
    writer *W = arg;
    run *R = W->R;
    unsigned J = R->nw;
    spword *v = NULL;
    size_t nv = 0, cap = 0;
    int rc = 0;
    for (unsigned j = 0; j < J && rc == 0; j++) {
        ns_hmap *m = &R->ws[j].spell;
        for (size_t i = 0; i < m->nb && rc == 0; i++)
            for (ns_hnode *x = m->b[i]; x && rc == 0; x = x->next) {
                if (ns_hmap_hash(x->key, x->klen) % J != W->k)
                    continue;
                uintptr_t total = (uintptr_t)x->val;
                int first = 1;
                for (unsigned o = 0; o < J && first; o++) {
                    void *c = o == j ? NULL : ns_hmap_get(&R->ws[o].spell, x->key, x->klen);
                    if (c && o < j)
                        first = 0;  /* counted from map o */
                    else if (c)
                        total += (uintptr_t)c;
                }
                if (!first)
                    continue;
                if (nv == cap) {
                    size_t nc = cap ? cap * 2 : 1024;
                    spword *p = realloc(v, nc * sizeof *p);
                    if (!p) {
                        rc = ns_err_set(&W->err, NS_ENOMEM, "out of memory");
                        break;
                    }
                    v = p;
                    cap = nc;
                }
                v[nv].w = x->key;
                v[nv].len = x->klen;
                v[nv++].n = total;
            }
    }
    if (nv)
        qsort(v, nv, sizeof *v, S_spword_cmp);
    if (rc == 0)
        rc = ns_writer_begin(W, &W->err);
    for (size_t i = 0; i < nv && rc == 0; i++)
        rc = ns_xwdb_add_spelling(W->w, v[i].w, v[i].len,
                                  v[i].n > UINT32_MAX ? UINT32_MAX : (unsigned)v[i].n, &W->err);
    free(v);
    if (rc == 0 && (rc = ns_xwdb_commit(W->w, &W->err)) == 0)
        W->in_txn = 0;
    S_thread_done(W, rc);
    return NULL;
}

/* Run fn on every writer, one thread each, and wait for them all. SIGINT
 * and SIGTERM stay with this thread, which passes a stop request on (a
 * handler in a worker would race with its reads). */
static int S_threads(run *R, void *(*fn)(void *), ns_err *err)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    unsigned started = 0;
    pthread_mutex_lock(&R->mu);
    for (; started < R->nw; started++) {
        R->ws[started].rc = 0;
        if (pthread_create(&R->ws[started].tid, NULL, fn, &R->ws[started]) != 0)
            break;
        R->running++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started < R->nw)
        atomic_store(&R->stop, 1);
    while (R->running > 0) {
        if (R->o->stop && *R->o->stop)
            atomic_store(&R->stop, 1);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&R->cv, &R->mu, &ts);
    }
    pthread_mutex_unlock(&R->mu);
    for (unsigned k = 0; k < started; k++)
        pthread_join(R->ws[k].tid, NULL);
    if (started < R->nw)
        return ns_err_set(err, NS_ENOMEM, "cannot start an indexing thread");
    for (unsigned k = 0; k < R->nw; k++)
        if (R->ws[k].rc < 0) {
            *err = R->ws[k].err;
            return R->ws[k].rc;
        }
    return 0;
}

/* Open shard W->k: with resume, keep what an interrupted run committed to
 * it (its first database and the later ones) unless it is unreadable or of
 * another schema; else start it afresh. */
static int S_shard_open(run *R, writer *W, int resume, ns_err *err)
{
    ns_err e;
    ns_err_clear(&e);
    int rc;
    if (!(W->path = S_seg_path(R, W->k, 0)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    struct stat st;
    for (unsigned s = 0; resume; s++) {
        char *path = s ? S_seg_path(R, W->k, s) : W->path;
        char *val = NULL;
        size_t vlen = 0;
        ns_xwdb *w = NULL;
        if (!path)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        if (stat(path, &st) < 0) {
            if (path != W->path)
                free(path);
            break;  /* the databases of the shard end here */
        }
        rc = ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &e);
        if (rc == 0 && (rc = ns_xwdb_get_metadata(w, NS_META_SCHEMA, &val, &vlen, &e)) == 0 &&
            (!vlen || !ns_writer_schema_ok(val, vlen)))
            rc = NS_EINVAL;
        free(val);
        if (path != W->path)
            free(path);
        if (rc < 0) {
            /* Unreadable: it and the later ones start afresh; their files
             * have no records, so they are indexed again. */
            ns_xwdb_free(w);
            ns_err_clear(&e);
            if (s == 0)
                break;
            S_seg_remove_from(R, W->k, s);
            return 0;
        }
        if (W->w && (rc = S_seg_push(W, err)) < 0) {
            ns_xwdb_free(w);
            return rc;
        }
        W->w = w;
    }
    if (W->w)
        return 0;
    S_seg_remove_from(R, W->k, 1);
    return S_seg_create(W, 0, err);
}

/* Keep in the temporary directory only the shards this run uses, the lock
 * it holds and the marker of a clean interruption: the other entries nindex
 * makes there are from an earlier run. Entries of other names are left. */
static void S_clean_tmpdir(run *R)
{
    ns_dbpath_tmp_clean(R->tmpdir, R->nw, !R->db_existed);
}

/* Delete the stale records of a resumed shard. */
static int S_drop_stale(writer *W, ns_err *err)
{
    int rc = 0;
    if (!W->nstale)
        return 0;
    if ((rc = ns_writer_begin(W, err)) < 0)
        return rc;
    for (size_t i = 0; i < W->nstale; i++) {
        const char *key = W->stale[i];
        size_t klen = strlen(key);
        const char *id = key + klen + 1;
        if (*id && (rc = ns_writer_delete_id(W, id, err)) < 0)
            return rc;
        if ((rc = ns_xwdb_set_metadata(W->w, key, "", 0, err)) < 0 ||
            (rc = S_forget_in_segs(W, key, id, err)) < 0)
            return rc;
    }
    return ns_writer_commit(W, 1, err);
}

static int S_byord(const void *a, const void *b)
{
    const dupfile *x = a, *y = b;
    return x->r->ord < y->r->ord ? -1 : x->r->ord > y->r->ord;
}

/* Files that lost an id: grows by doubling. */
typedef struct duplist {
    dupfile *v;
    size_t n, cap;
} duplist;

static int S_dup_push(duplist *l, dupfile d)
{
    if (ns_array_room(&l->v, l->n, &l->cap, sizeof *l->v, 16) < 0)
        return NS_ENOMEM;
    l->v[l->n++] = d;
    return 0;
}

/* Every id in the writers' maps goes to the file first in processing order
 * (win: id -> keeper); the files that claimed it too go to lost. */
static int S_find_losers(run *R, ns_hmap *win, duplist *lost)
{
    for (unsigned k = 0; k < R->nw; k++) {
        writer *W = &R->ws[k];
        for (size_t i = 0; i < W->by_id.nb; i++)
            for (ns_hnode *x = W->by_id.b[i]; x; x = x->next) {
                frec *r = x->val, *w0 = ns_hmap_get(win, x->key, x->klen), *loser = r;
                if (!w0 || r->ord < w0->ord) {
                    if (ns_hmap_put(win, r->id, strlen(r->id), r) < 0)
                        return NS_ENOMEM;
                    if (!w0)
                        continue;
                    loser = w0;
                }
                dupfile d = { loser, loser->id, NULL };
                if (S_dup_push(lost, d) < 0)
                    return NS_ENOMEM;
            }
    }
    return 0;
}

/* Delete a lost file from its shard, counted as failed rather than as it
 * was (its by_id entry stays: the maps are done with). */
static int S_delete_loser(run *R, frec *r, ns_err *err)
{
    writer *W = &R->ws[r->shard];
    int rc;
    if ((rc = ns_writer_begin(W, err)) < 0 || (rc = ns_writer_delete_id(W, r->id, err)) < 0 ||
        (rc = ns_writer_set_file_meta(W, r->key, r->klen, "", 0, err)) < 0)
        return rc;
    if (W->nsegs) {
        ns_buf key = NS_BUF_INIT;
        if (ns_buf_puts(&key, NS_META_FILE_PREFIX) < 0 || ns_buf_append(&key, r->key, r->klen) < 0)
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        else
            rc = S_forget_in_segs(W, key.data, r->id, err);
        ns_buf_free(&key);
        if (rc < 0)
            return rc;
    }
    if (r->counted == 'a')
        W->st.added--;
    else if (r->counted == 'u')
        W->st.updated--;
    else if (r->counted == 'n')
        W->st.unchanged--;
    W->st.failed++;
    return 0;
}

/* Two shards may each have given the same id to a file. The file first in
 * processing order keeps it, as in a single-writer run; the others are
 * deleted from their shards and reported as failed, naming the keeper, in
 * processing order together with the files each shard refused itself. */
static int S_settle_ids(run *R, ns_err *err)
{
    ns_hmap win = NS_HMAP_INIT;
    duplist lost = { NULL, 0, 0 };
    int rc = 0;
    ns_buf m = NS_BUF_INIT;
    if (S_find_losers(R, &win, &lost) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < lost.n; i++)
        if ((rc = S_delete_loser(R, lost.v[i].r, err)) < 0)
            goto done;
    for (unsigned k = 0; k < R->nw; k++)
        for (size_t i = 0; i < R->ws[k].ndups; i++)
            if (S_dup_push(&lost, R->ws[k].dups[i]) < 0) {
                rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                goto done;
            }
    if (lost.n)
        qsort(lost.v, lost.n, sizeof *lost.v, S_byord);
    for (size_t i = 0; i < lost.n; i++) {
        const frec *owner = ns_hmap_get(&win, lost.v[i].id, strlen(lost.v[i].id));
        ns_buf_reset(&m);
        if (ns_buf_printf(&m, "id '%s' is already used by %s", lost.v[i].id,
                          owner ? ns_frec_display(owner) : "another file") < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        ns_run_report(R, 0, lost.v[i].r->display, m.data);
    }
done:
    ns_buf_free(&m);
    free(lost.v);
    ns_hmap_free(&win);
    return rc;
}

/* The merged database's stories linked (a failure fails the run: results
 * would show both tellings), then its suggestion dictionary and facet
 * table, before it is swapped in. */
static int S_finish_merged(run *R, const char *path, ns_err *err)
{
    ns_xwdb *w = NULL;
    ns_err terr = { 0, "" };
    int rc = ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, err);
    if (rc == 0)
        rc = ns_run_link_stories(w, err);
    if (rc < 0) {
        ns_xwdb_free(w);
        return rc;
    }
    ns_run_write_sdict(R, w, 1);
    if (ns_xwdb_write_facet_table(w, NS_SLOT_FACETS, &terr) < 0 || ns_xwdb_close(w, &terr) < 0)
        ns_run_facet_table_failed(R, &terr);
    ns_xwdb_free(w);
    return 0;
}

/* The writers, one per shard (J of them), and each found file given to one
 * by a hash of its key. */
static int S_shards(run *R, unsigned J, ns_err *err)
{
    if (!(R->ws = calloc(J, sizeof *R->ws)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    R->nw = J;
    for (unsigned k = 0; k < J; k++) {
        R->ws[k].R = R;
        R->ws[k].k = k;
        R->ws[k].batch = R->o->batch ? R->o->batch : NS_INDEX_BULK_BATCH;
    }
    for (size_t i = 0; i < R->ntodo; i++) {
        frec *r = R->todo[i];
        r->shard = (unsigned)(ns_hmap_hash(r->key, r->klen) % J);
        writer *W = &R->ws[r->shard];
        if (ns_ptrs_push(&W->files, &W->nfiles, &W->capfiles, r) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    return 0;
}

/* Open every shard (resuming: with what it committed, its stale records
 * deleted) with its own analyzer. */
static int S_open_shards(run *R, int resume, ns_err *err)
{
    int rc = 0;
    for (unsigned k = 0; k < R->nw && rc == 0; k++) {
        writer *W = &R->ws[k];
        if ((rc = ns_analyzer_new(&W->a, err)) < 0 || (rc = S_shard_open(R, W, resume, err)) < 0)
            break;
        for (unsigned s = 0; s < W->nsegs && rc == 0 && R->meta_rc == 0; s++)
            rc = ns_xwdb_metadata_each(W->segs[s], NS_META_FILE_PREFIX, ns_frec_load_shard, W, err);
        if (rc == 0 && R->meta_rc == 0)
            rc = ns_xwdb_metadata_each(W->w, NS_META_FILE_PREFIX, ns_frec_load_shard, W, err);
        if (rc < 0 || R->meta_rc < 0) {
            if (rc == 0)
                rc = ns_err_set(err, R->meta_rc, "out of memory loading the file records");
            break;
        }
        rc = S_drop_stale(W, err);
    }
    return rc;
}

/* Interrupted: the shards hold their last commits and their spelling words;
 * the database is untouched. The files refused for a duplicate id are
 * reported now, naming the owner within their shard; the marker says the
 * shards may be resumed. */
static int S_keep_interrupted(run *R, const char *marker, ns_err *err)
{
    int rc = 0;
    for (unsigned k = 0; k < R->nw; k++)
        ns_run_add_stats(R->st, &R->ws[k].st);
    R->st->interrupted = 1;
    for (unsigned k = 0; k < R->nw; k++) {
        writer *W = &R->ws[k];
        for (size_t i = 0; i < W->ndups && rc == 0; i++)
            rc = ns_writer_fail_dup(W, W->dups[i].r, W->dups[i].id,
                                    ns_hmap_get(&W->by_id, W->dups[i].id, strlen(W->dups[i].id)), err);
        W->st.failed -= W->ndups;  /* ns_writer_fail_dup counted them again */
    }
    for (unsigned k = 0; k < R->nw && rc == 0; k++)
        rc = S_close_all(&R->ws[k], err);
    if (rc == 0) {
        int fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd >= 0)
            close(fd);
    }
    return rc;
}

/* The shards complete: ids settled, committed, merged by compaction
 * (documents renumbered, metadata and spelling tables merged) into the
 * smallest form of the index, given its facet table, and swapped in for the
 * real database (a --db that is a link stays one). J: R->nw, at least 1. */
static int S_merge(run *R, unsigned J, ns_err *err)
{
    int rc;
    const char **srcs = NULL;
    size_t n = 0;
    ns_buf fresh = NS_BUF_INIT, old = NS_BUF_INIT;
    if ((rc = S_settle_ids(R, err)) < 0)
        goto done;
    for (unsigned k = 0; k < J; k++)
        ns_run_add_stats(R->st, &R->ws[k].st);
    for (unsigned k = 0; k < J; k++)
        n += 1 + R->ws[k].nsegs;
    if (!(srcs = calloc(n, sizeof *srcs))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    n = 0;
    for (unsigned k = 0; k < J; k++) {
        writer *W = &R->ws[k];
        if ((rc = ns_writer_commit(W, 1, err)) < 0 || (rc = S_close_all(W, err)) < 0)
            goto done;
        for (unsigned s = 0; s <= W->nsegs; s++)
            if (!(srcs[n++] = S_seg_path(R, k, s))) {
                rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                goto done;
            }
    }
    if (ns_buf_printf(&fresh, "%s/new", R->tmpdir) < 0 ||
        ns_buf_printf(&old, "%s/old", R->tmpdir) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = ns_xcompact(fresh.data, srcs, n, err)) < 0)
        goto done;
    if ((rc = S_finish_merged(R, fresh.data, err)) < 0)
        goto done;
    rc = ns_dbpath_install(fresh.data, R->db,
                           R->db_existed     ? NS_DBPATH_EXCHANGE
                           : R->db_empty_dir ? NS_DBPATH_MOVE_INTO
                                             : NS_DBPATH_RENAME,
                           old.data, err);
done:
    for (size_t i = 0; srcs && i < n; i++)
        free((char *)srcs[i]);
    free(srcs);
    ns_buf_free(&fresh);
    ns_buf_free(&old);
    return rc;
}

int ns_bulk_run(run *R, ns_err *err)
{
    int rc = 0, keep_tmp = 0;
    unsigned J = R->o->jobs ? R->o->jobs : 1;
    if (J > NS_INDEX_JOBS_MAX)
        J = NS_INDEX_JOBS_MAX;
    if (J > R->ntodo)
        J = R->ntodo ? (unsigned)R->ntodo : 1;
    ns_buf marker = NS_BUF_INIT;
    R->st->bulk = 1;
    if ((rc = S_shards(R, J, err)) < 0)
        goto done;
    if ((rc = ns_setup_claim_tmpdir(R, err)) < 0)  /* done by ns_setup_lock: a no-op */
        goto done;
    S_clean_tmpdir(R);
    /* Shards of an interrupted run are kept only if it stopped cleanly (its
     * spelling words were written out): the marker goes before anything
     * changes, so a crash from here on means starting over. */
    if (ns_buf_printf(&marker, "%s/resumable", R->tmpdir) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    struct stat mst;
    int resume = stat(marker.data, &mst) == 0;
    unlink(marker.data);
    if ((rc = S_open_shards(R, resume, err)) < 0 || (rc = S_threads(R, S_worker, err)) < 0)
        goto done;
    int stopped = 0;
    for (unsigned k = 0; k < J; k++)
        stopped |= R->ws[k].stopped;
    if ((rc = S_threads(R, S_speller, err)) < 0)
        goto done;
    if (stopped) {
        keep_tmp = (rc = S_keep_interrupted(R, marker.data, err)) == 0;
        goto done;
    }
    rc = S_merge(R, J, err);
done:
    /* The lock goes last: until the old database is out of the way, no
     * other run may start. It wrote nothing, so closing writes nothing. */
    for (unsigned k = 0; k < R->nw; k++)
        ns_writer_free(&R->ws[k]);
    ns_xwdb_free(R->lockw);
    R->lockw = NULL;
    if (!keep_tmp)
        ns_setup_remove_tmpdir(R);
    else if (!(R->st->tmpdir = strdup(R->tmpdir)))
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
    ns_buf_free(&marker);
    return rc;
}
