/* indexer.c: walk article files, build their documents, and bring the
 * database in step with them in committed batches (see indexer.h).
 *
 * Order of a run: check every path exists and resolve the database path
 * (else nothing is touched); refuse a database that overlaps a path; classify
 * the database path, take the writer lock and choose the mode; walk the
 * roots (their own trees, then the links they hold). Incremental: load the
 * recorded files; give a file found under another root the record of its
 * path; delete the records of files gone from a walked root; give files of
 * a moved root the records of their gone files; then each file in sorted
 * order: unchanged (same size and mtime) is skipped, otherwise it is read,
 * parsed and replaced under its id; last, the records left of a moved root
 * whose files are gone. Removals come first so a file that takes over a
 * deleted file's id is not refused as a duplicate. Bulk: the same per-file
 * work, one thread per shard; then ids claimed in two shards are settled,
 * the shards merged and swapped in. */
#include "run.h"

#include "dbpath.h"
#include "list.h"
#include "schema.h"
#include "sdict.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages (one at a time, whichever thread reports) ---- */

void ns_run_report(run *R, int warning, const char *path, const char *msg)
{
    void (*fn)(void *, const char *, const char *) =
        warning ? R->o->on_warning : R->o->on_error;
    if (!fn)
        return;
    pthread_mutex_lock(&R->mu);
    fn(R->o->ctx, path, msg);
    pthread_mutex_unlock(&R->mu);
}

void ns_run_progress(run *R)
{
    pthread_mutex_lock(&R->mu);
    R->done++;
    if (R->o->on_progress)
        R->o->on_progress(R->o->ctx, R->done, R->ntodo);
    pthread_mutex_unlock(&R->mu);
}

/* Is r's file inside a directory PATH walked without trouble in this run
 * (whatever root it was recorded under)? */
static int S_in_walked_root(run *R, const frec *r)
{
    int under = 0;
    for (size_t i = 0; i < R->nroots; i++) {
        const root *rt = &R->roots[i];
        if (!rt->is_dir || !ns_dbpath_within(r->path, rt->abs) || !strcmp(r->path, rt->abs))
            continue;
        if (rt->walk_failed)
            return 0;
        under = 1;
    }
    return under;
}

void ns_run_add_stats(ns_index_stats *to, const ns_index_stats *from)
{
    to->added += from->added;
    to->updated += from->updated;
    to->unchanged += from->unchanged;
    to->removed += from->removed;
    to->failed += from->failed;
}

/* ---- incremental mode: one writer on the database ---- */

/* The facet table only saves searchers time: not writing it is a warning
 * about the database, and the run's work stands. */
void ns_run_facet_table_failed(run *R, const ns_err *terr)
{
    char msg[sizeof terr->msg + 80];
    snprintf(msg, sizeof msg, "facet table not written (searches count facets more slowly): %s",
             terr->msg);
    ns_run_report(R, 1, R->o->db_path, msg);
}

int ns_run_link_stories(ns_xwdb *w, ns_err *err)
{
    unsigned changed = 0;
    int rc = ns_xwdb_link_stories(w, &changed, err);
    if (rc == 0)
        rc = ns_xwdb_commit(w, err); /* without changes, no new revision */
    return rc;
}

void ns_run_write_sdict(run *R, ns_xwdb *w, int changed)
{
    ns_err terr = { 0, "" };
    char *v = NULL, msg[sizeof terr.msg + 80];
    size_t n = 0;
    int have = ns_xwdb_get_metadata(w, NS_META_SDICT, &v, &n, &terr) == 0 && n > 0;
    free(v);
    if (have && !changed)
        return;
    if (ns_sdict_write(w, &terr) < 0) {
        snprintf(msg, sizeof msg, "suggestion dictionary not written (suggestions are slower): %s",
                 terr.msg);
        ns_run_report(R, 1, R->o->db_path, msg);
    }
}

/* The same file recorded under two roots, found again in this run (issue
 * #13: `nindex corpus` then `nindex corpus/en` indexed the articles of en/
 * twice). A file found without a record of its own takes over the record
 * that names the same file under another root: its key, its id (still
 * relative to that root) and its size and time, so an unchanged file stays
 * unchanged. A second record of a file that has its own (left by an older
 * nindex) is removed with its document. */
static int S_merge_paths(writer *W, ns_err *err)
{
    run *R = W->R;
    int rc = 0;
    for (size_t i = 0; i < R->nrecs && rc == 0; i++) {
        frec *o = R->recs[i];
        if (!o->id || o->seen)
            continue;
        frec *f = ns_hmap_get(&R->by_path, o->path, strlen(o->path));
        if (!f || f == o)
            continue;
        if (f->id && strcmp(f->id, o->id) != 0) {
            rc = ns_writer_remove(W, o, err);
            continue;
        }
        if (f->id) {
            /* One document: only the second record goes. */
            if ((rc = ns_writer_begin(W, err)) < 0 ||
                (rc = ns_writer_set_file_meta(W, o->key, o->klen, "", 0, err)) < 0)
                break;
            if (ns_hmap_get(&W->by_id, o->id, strlen(o->id)) == o &&
                ns_hmap_put(&W->by_id, f->id, strlen(f->id), f) < 0)
                goto nomem;
            free(o->id);
            o->id = NULL;
            W->pending++;
            rc = ns_writer_commit(W, 0, err);
            continue;
        }
        char *k = f->key, *p = f->path;
        size_t kl = f->klen, rl = f->rootlen;
        f->key = o->key, f->klen = o->klen, f->rootlen = o->rootlen, f->path = o->path;
        o->key = k, o->klen = kl, o->rootlen = rl, o->path = p;
        f->id = o->id;
        o->id = NULL;
        f->size = o->size;
        f->mtime = o->mtime;
        const char *rel = ns_frec_rel(f);
        size_t n = strlen(rel);
        free(f->default_id);
        if (!(f->default_id = strndup(rel, n > 3 && !strcmp(rel + n - 3, ".md") ? n - 3 : n)) ||
            ns_hmap_put(&R->by_key, f->key, f->klen, f) < 0 || ns_hmap_put(&R->by_key, o->key, o->klen, o) < 0 ||
            ns_hmap_put(&W->by_id, f->id, strlen(f->id), f) < 0)
            goto nomem;
    }
    return rc;
nomem:
    return ns_err_set(err, NS_ENOMEM, "out of memory");
}

/* The stored path of r's document becomes r->display: the file moved
 * without changing. A document that cannot be found or read has its file
 * indexed again instead. */
static int S_repath(writer *W, frec *r, ns_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = ns_writer_idterm(&W->tmp, r->id, err);
    if (rc < 0)
        return rc;
    rc = ns_xwdb_get_data(W->w, W->tmp.data, W->tmp.len, &data, &len, err);
    if (rc == 0) {
        ns_buf_reset(&W->tmp2);
        rc = ns_record_set_path(data, len, r->display, &W->tmp2, err);
        free(data);
        if (rc == 0)
            return ns_xwdb_set_data(W->w, W->tmp.data, W->tmp.len, W->tmp2.data, W->tmp2.len,
                                    err);
    }
    if (rc != NS_ENOTFOUND && rc != NS_ECORRUPT)
        return rc;
    ns_err_clear(err);
    r->size = -1;  /* ns_writer_process reads it again */
    return 0;
}

/* A moved or renamed PATH (issue #13: after `mv /a /b`, every article of
 * /b/corpus failed with "id ... is already used by /a/corpus/..."). A file
 * found without a record takes over the record of a file that is gone from
 * where it was recorded, under another root, with the same path relative
 * to that root, the same size and the same modification time (as `mv`
 * keeps them): re-keyed, its document's stored path updated, the file
 * unchanged. When several records fit, none is taken: the file is read,
 * and ns_writer_process settles its id. */
static int S_match_moved(writer *W, ns_err *err)
{
    run *R = W->R;
    ns_hmap by_rel;
    memset(&by_rel, 0, sizeof by_rel);
    int rc = 0;
    for (size_t i = 0; i < R->nrecs; i++) {
        frec *o = R->recs[i];
        if (!o->id || o->seen)
            continue;
        size_t rl = o->klen - o->rootlen - 1;
        o->same_rel = ns_hmap_get(&by_rel, ns_frec_rel(o), rl);
        if (ns_hmap_put(&by_rel, ns_frec_rel(o), rl, o) < 0)
            goto nomem;
    }
    for (size_t i = 0; i < R->ntodo && by_rel.n && rc == 0; i++) {
        frec *f = R->todo[i], *match = NULL;
        if (f->id || f->stat_errno || f->not_regular)
            continue;
        int n = 0;
        for (frec *o = ns_hmap_get(&by_rel, ns_frec_rel(f), f->klen - f->rootlen - 1); o; o = o->same_rel)
            if (o->id && o->size == f->wsize && o->mtime == f->wmtime && ns_frec_gone(o)) {
                match = o;
                n++;
            }
        if (n != 1)
            continue;
        ns_buf_reset(&W->tmp);
        if (ns_buf_printf(&W->tmp, "%" PRId64 " %" PRId64 " %s", match->size, match->mtime,
                          match->id) < 0)
            goto nomem;
        if ((rc = ns_writer_begin(W, err)) < 0 ||
            (rc = ns_writer_set_file_meta(W, f->key, f->klen, W->tmp.data, W->tmp.len, err)) < 0 ||
            (rc = ns_writer_set_file_meta(W, match->key, match->klen, "", 0, err)) < 0)
            break;
        f->id = match->id;
        match->id = NULL;
        f->size = match->size;
        f->mtime = match->mtime;
        if (ns_hmap_put(&W->by_id, f->id, strlen(f->id), f) < 0 || ns_writer_mark_moved(R, match) < 0)
            goto nomem;
        if ((rc = S_repath(W, f, err)) < 0)
            break;
        W->pending++;
        rc = ns_writer_commit(W, 0, err);
    }
    ns_hmap_free(&by_rel);
    return rc;
nomem:
    ns_hmap_free(&by_rel);
    return ns_err_set(err, NS_ENOMEM, "out of memory");
}

/* One line per pair of folders for the files S_take_id could not settle:
 * their ids belong to files of a folder not walked in this run that still
 * exists. nindex cannot tell a moved copy from a second archive, so it
 * says what to do rather than failing each file with the same message. */
static int S_cmpforeign(const void *a, const void *b)
{
    const dupfile *x = a, *y = b;
    size_t xl = x->owner->rootlen, yl = y->owner->rootlen;
    if (x->r->root_i != y->r->root_i)
        return x->r->root_i < y->r->root_i ? -1 : 1;
    int c = memcmp(x->owner->key, y->owner->key, xl < yl ? xl : yl);
    if (c || xl != yl)
        return c ? c : xl < yl ? -1 : 1;
    return x->r->ord < y->r->ord ? -1 : x->r->ord > y->r->ord;
}

static int S_report_foreign(run *R, ns_err *err)
{
    ns_buf m = NS_BUF_INIT;
    if (R->nforeign > 1)
        qsort(R->foreign, R->nforeign, sizeof *R->foreign, S_cmpforeign);
    for (size_t i = 0, n; i < R->nforeign; i += n) {
        const dupfile *f = &R->foreign[i];
        size_t ri = f->r->root_i, ol = f->owner->rootlen;
        for (n = 1; i + n < R->nforeign; n++) {
            const dupfile *g = &R->foreign[i + n];
            if (g->r->root_i != ri || g->owner->rootlen != ol ||
                memcmp(g->owner->key, f->owner->key, ol) != 0)
                break;
        }
        ns_buf_reset(&m);
        if (n == 1) {
            /* Most likely a plain duplicate id: said as within a run. */
            if (ns_buf_printf(&m, "id '%s' is already used by %s", f->id, f->owner->path) < 0)
                goto nomem;
            ns_run_report(R, 0, f->r->display, m.data);
            continue;
        }
        if (ns_buf_printf(&m, "%zu files not indexed: their ids belong to articles indexed "
                              "from '%.*s', which still exists (%s has the id '%s' of %s); if "
                              "the articles moved here, run nindex with --rebuild (or move the "
                              "old folder away first); if both are archives, give the articles "
                              "distinct ids",
                          n, (int)ol, f->owner->key, f->r->display, f->id, f->owner->path) < 0)
            goto nomem;
        ns_run_report(R, 0, R->roots[ri].arg, m.data);
    }
    ns_buf_free(&m);
    return 0;
nomem:
    ns_buf_free(&m);
    return ns_err_set(err, NS_ENOMEM, "out of memory");
}

static int S_incremental(run *R, ns_err *err)
{
    writer *W = &R->ws[0];
    int rc;
    W->w = R->lockw;
    R->lockw = NULL;
    W->a = R->a;  /* borrowed: this thread's */
    char *val = NULL;
    size_t vlen = 0;
    if ((rc = ns_xwdb_get_metadata(W->w, NS_META_SCHEMA, &val, &vlen, err)) < 0)
        goto done;
    /* Goes out with the first batch (or the final commit); not counted in
     * pending, so batches stay whole numbers of files. */
    if (!vlen && (rc = ns_writer_set_schema(W, err)) < 0)
        goto done;
    if ((rc = ns_xwdb_metadata_each(W->w, NS_META_FILE_PREFIX, ns_frec_load, W, err)) < 0 ||
        R->meta_rc < 0) {
        if (rc == 0)
            rc = ns_err_set(err, R->meta_rc, "out of memory loading the file records");
        goto done;
    }
    if ((rc = S_merge_paths(W, err)) < 0)
        goto done;
    for (size_t i = 0; i < R->nrecs; i++) {
        frec *r = R->recs[i];
        if (r->id && !r->seen && S_in_walked_root(R, r) && (rc = ns_writer_remove(W, r, err)) < 0)
            goto done;
    }
    if ((rc = S_match_moved(W, err)) < 0)
        goto done;
    for (size_t i = 0; i < R->ntodo; i++) {
        if (R->o->stop && *R->o->stop) {
            R->st->interrupted = 1;
            break;
        }
        if ((rc = ns_writer_process(W, R->todo[i], err)) < 0 || (rc = ns_writer_commit(W, 0, err)) < 0)
            goto done;
        ns_run_progress(R);
    }
    /* What is left of a moved folder: files deleted before or after the move. */
    for (size_t i = 0; i < R->nrecs && R->nmoved && !R->st->interrupted; i++) {
        frec *r = R->recs[i];
        if (r->id && !r->seen && ns_writer_is_moved(R, r) && ns_frec_gone(r) && (rc = ns_writer_remove(W, r, err)) < 0)
            goto done;
    }
    if ((rc = S_report_foreign(R, err)) < 0)
        goto done;
    if ((rc = ns_writer_commit(W, 1, err)) == 0 && (rc = ns_run_link_stories(W->w, err)) == 0) {
        ns_err terr = { 0, "" };
        ns_run_write_sdict(R, W->w, W->st.added + W->st.updated + W->st.removed > 0);
        if (ns_xwdb_write_facet_table(W->w, NS_SLOT_FACETS, &terr) < 0)
            ns_run_facet_table_failed(R, &terr);
        rc = ns_xwdb_close(W->w, err);
    }
done:
    free(val);
    W->a = NULL;
    ns_run_add_stats(R->st, &W->st);
    return rc;
}

void ns_run_init(run *R, const ns_index_opts *opts, ns_index_stats *stats)
{
    memset(R, 0, sizeof *R);
    R->o = opts;
    R->st = stats;
    pthread_mutex_init(&R->mu, NULL);
    pthread_cond_init(&R->cv, NULL);
    atomic_init(&R->stop, 0);
}

void ns_run_free(run *R)
{
    for (unsigned k = 0; k < R->nw; k++)
        ns_writer_free(&R->ws[k]);
    free(R->ws);
    /* Failed before building: the temporary directory goes if this run
     * made it (it then holds only the lock). */
    ns_xwdb_free(R->lockw);
    if (R->tmp_made)
        ns_setup_remove_tmpdir(R);
    ns_vendors_free(R->v);
    ns_analyzer_free(R->a);
    for (size_t i = 0; i < R->nrecs; i++)
        ns_frec_free(R->recs[i]);
    free(R->recs);
    free(R->todo);
    ns_hmap_free(&R->by_key);
    ns_hmap_free(&R->by_path);
    for (size_t i = 0; i < R->nroots; i++) {
        free(R->roots[i].abs);
        free(R->roots[i].real);
        if (R->lists) {
            for (size_t j = 0; j < R->lists[i].n; j++)
                free(R->lists[i].v[j].rel);
            free(R->lists[i].v);
        }
    }
    free(R->lists);
    free(R->roots);
    for (size_t i = 0; i < R->nlinks; i++)
        free(R->links[i].rel);
    free(R->links);
    free(R->dirs.v);
    free(R->files.v);
    for (size_t i = 0; i < R->nmoved; i++)
        free(R->moved[i]);
    free(R->moved);
    for (size_t i = 0; i < R->nforeign; i++)
        free(R->foreign[i].id);
    free(R->foreign);
    free(R->foreign_name);
    ns_buf_free(&R->tmp);
    free(R->db);
    free(R->tmpdir);
    pthread_cond_destroy(&R->cv);
    pthread_mutex_destroy(&R->mu);
}

int ns_index_run(const ns_index_opts *opts, const char *const *paths, size_t n,
                 ns_index_stats *stats, ns_err *err)
{
    int rc = 0;
    run R;
    memset(stats, 0, sizeof *stats);
    ns_run_init(&R, opts, stats);
    if (n == 0) {
        rc = ns_err_set(err, NS_EINVAL, "no PATH to index");
        goto done;
    }
    if (!opts->db_path || !*opts->db_path) {
        rc = ns_err_set(err, NS_EINVAL, "no database path");
        goto done;
    }
    if ((rc = ns_setup_roots(&R, paths, n, err)) < 0)
        goto done;
    if ((rc = ns_dbpath_resolve(&R.db, opts->db_path, opts->db_path, err)) < 0)
        goto done;
    ns_buf b = NS_BUF_INIT;
    if (ns_buf_printf(&b, "%s%s", R.db, NS_INDEX_TMP_SUFFIX) < 0 ||
        !(R.tmpdir = ns_buf_detach(&b))) {
        ns_buf_free(&b);
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = ns_setup_check_overlap(&R, err)) < 0)
        goto done;
    if ((rc = ns_analyzer_new(&R.a, err)) < 0 || (rc = ns_vendors_new(&R.v, R.a, err)) < 0)
        goto done;
    if ((rc = ns_setup_lock(&R, err)) < 0)
        goto done;
    if ((rc = ns_walk(&R, err)) < 0)
        goto done;
    stats->total = R.ntodo;
    if (R.bulk) {
        R.tmp_made = 0;  /* ns_bulk_run removes or keeps the temporary directory */
        rc = ns_bulk_run(&R, err);
    } else {
        /* A temporary directory left by an interrupted bulk run is of no
         * use to an incremental one (and nobody else may use it: the lock
         * is ours). One without our marker is not ours: left alone. */
        if (ns_dbpath_tmp_marked(R.tmpdir)) {
            R.tmp_ours = 1;
            ns_setup_remove_tmpdir(&R);
        }
        if (!(R.ws = calloc(1, sizeof *R.ws))) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        R.nw = 1;
        R.ws[0].R = &R;
        R.ws[0].batch = opts->batch ? opts->batch : NS_INDEX_BATCH;
        rc = S_incremental(&R, err);
    }
done:
    ns_run_free(&R);
    return rc;
}

void ns_index_stats_clear(ns_index_stats *st)
{
    if (!st)
        return;
    free(st->tmpdir);
    st->tmpdir = NULL;
}
