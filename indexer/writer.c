/* writer.c: one database being written (see run.h): its transactions, the
 * spelling words of its batch, and what happens to one file in it (indexed,
 * replaced, removed, refused for a duplicate id). The per-article work is
 * ns_index_build's (build.c); a writer only stores what it returns. */
#include "run.h"

#include "list.h"
#include "schema.h"
#include "str.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ns_writer_begin(writer *W, ns_err *err)
{
    if (W->in_txn)
        return 0;
    int rc = ns_xwdb_begin(W->w, err);
    if (rc == 0)
        W->in_txn = 1;
    return rc;
}

/* Spelling words a bulk writer may hold before adding them to its shard. */
#define NS_SPELL_HOLD_MAX ((size_t)1 << 20)

/* Count one document having word, for the spelling table. */
static int S_spell_add(writer *W, const char *word)
{
    size_t len = strlen(word);
    ns_hnode **pp = ns_hmap_slot(&W->spell, word, len);
    if (pp && *pp) {
        (*pp)->val = (void *)((uintptr_t)(*pp)->val + 1);
        return 0;
    }
    char *k = ns_strndup(word, len);
    if (!k || ns_hmap_put(&W->spell, k, len, (void *)(uintptr_t)1) < 0) {
        free(k);
        return NS_ENOMEM;
    }
    return 0;
}

/* Hand the batch's spelling words to Xapian (inside the transaction). */
static int S_spell_flush(writer *W, ns_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < W->spell.nb; i++)
        for (ns_hnode *x = W->spell.b[i]; x; x = x->next) {
            if (rc == 0)
                rc = ns_xwdb_add_spelling(W->w, x->key, x->klen, (unsigned)(uintptr_t)x->val, err);
            free((char *)x->key);
        }
    ns_hmap_free(&W->spell);
    return rc;
}

/* Commit when the batch is full (or always with force): the documents and
 * their "file:" metadata become durable together. Incremental runs commit
 * the batch's spelling words with it. A bulk run keeps them until all the
 * shards are done (S_speller), unless they grow too many: Xapian's work per
 * spelling word is large, and a word is then added once to one shard rather
 * than once per batch in every shard that has it. */
int ns_writer_commit(writer *W, int force, ns_err *err)
{
    if (!W->in_txn || (!force && W->pending < W->batch))
        return 0;
    int rc = 0;
    if (!W->R->bulk || W->spell.n >= NS_SPELL_HOLD_MAX)
        rc = S_spell_flush(W, err);
    if (rc == 0)
        rc = ns_xwdb_commit(W->w, err);
    W->in_txn = 0;
    W->pending = 0;
    return rc;
}

int ns_writer_set_file_meta(writer *W, const char *key, size_t klen, const char *val,
                           size_t vlen, ns_err *err)
{
    ns_buf *k = &W->tmp2;
    ns_buf_reset(k);
    if (ns_buf_puts(k, NS_META_FILE_PREFIX) < 0 || ns_buf_append(k, key, klen) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xwdb_set_metadata(W->w, k->data, val, vlen, err);
}

int ns_writer_idterm(ns_buf *b, const char *id, ns_err *err)
{
    ns_buf_reset(b);
    if (ns_buf_puts(b, NS_PREFIX_ID) < 0 || ns_buf_puts(b, id) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return 0;
}

int ns_writer_delete_id(writer *W, const char *id, ns_err *err)
{
    int rc;
    if ((rc = ns_writer_idterm(&W->tmp, id, err)) < 0)
        return rc;
    return ns_xwdb_delete(W->w, W->tmp.data, W->tmp.len, err);
}

/* Forget r's recorded id; with del, delete its document when r owns it. */
static int S_drop_id(writer *W, frec *r, int del, ns_err *err)
{
    int rc = 0;
    if (!r->id)
        return 0;
    if (ns_hmap_get(&W->by_id, r->id, strlen(r->id)) == r) {
        ns_hmap_del(&W->by_id, r->id, strlen(r->id));
        if (del && (rc = ns_writer_delete_id(W, r->id, err)) < 0)
            return rc;
    }
    free(r->id);
    r->id = NULL;
    return 0;
}

int ns_writer_remove(writer *W, frec *r, ns_err *err)
{
    int rc;
    if ((rc = ns_writer_begin(W, err)) < 0 || (rc = S_drop_id(W, r, 1, err)) < 0 ||
        (rc = ns_writer_set_file_meta(W, r->key, r->klen, "", 0, err)) < 0)
        return rc;
    W->pending++;
    W->st.removed++;
    return ns_writer_commit(W, 0, err);
}

int ns_writer_schema_ok(const char *val, size_t vlen)
{
    char want[32];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    return vlen == strlen(want) && memcmp(val, want, vlen) == 0;
}

int ns_writer_set_schema(writer *W, ns_err *err)
{
    char want[32];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    int rc = ns_writer_begin(W, err);
    if (rc == 0)
        rc = ns_xwdb_set_metadata(W->w, NS_META_SCHEMA, want, strlen(want), err);
    return rc;
}

static void S_fail(writer *W, const frec *r, const char *msg)
{
    W->st.failed++;
    ns_run_report(W->R, 0, r->display, msg);
}

/* "id 'X' is already used by PATH" for r, reported. */
int ns_writer_fail_dup(writer *W, const frec *r, const char *id, const frec *owner, ns_err *err)
{
    ns_buf m = NS_BUF_INIT;
    if (ns_buf_printf(&m, "id '%s' is already used by %s", id,
                      owner ? ns_frec_display(owner) : "another file") < 0) {
        ns_buf_free(&m);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    S_fail(W, r, m.data);
    ns_buf_free(&m);
    return 0;
}

/* Remember that the files of r's root have turned up elsewhere: its other
 * records whose files are gone are removed at the end of the run. */
int ns_writer_mark_moved(run *R, const frec *r)
{
    for (size_t i = 0; i < R->nmoved; i++)
        if (strlen(R->moved[i]) == r->rootlen && !memcmp(R->moved[i], r->key, r->rootlen))
            return 0;
    char *dir = ns_strndup(r->key, r->rootlen);
    if (!dir || ns_ptrs_push(&R->moved, &R->nmoved, &R->capmoved, dir) < 0) {
        free(dir);
        return NS_ENOMEM;
    }
    return 0;
}

int ns_writer_is_moved(const run *R, const frec *r)
{
    for (size_t i = 0; i < R->nmoved; i++)
        if (strlen(R->moved[i]) == r->rootlen && !memcmp(R->moved[i], r->key, r->rootlen))
            return 1;
    return 0;
}

/* Incremental: r's id belongs to owner, a file not found in this run. If
 * owner's file is gone (its folder moved or was renamed), r takes the id
 * over: 1. If it still exists, in a folder not walked in this run, nindex
 * cannot tell a moved archive from a second one: r is kept for one report
 * per folder (S_report_foreign) and counted as failed: 0. */
static int S_take_id(writer *W, frec *r, frec *owner, const char *id, ns_err *err)
{
    run *R = W->R;
    int rc;
    if (ns_frec_gone(owner)) {
        if ((rc = ns_writer_begin(W, err)) < 0 || (rc = S_drop_id(W, owner, 0, err)) < 0 ||
            (rc = ns_writer_set_file_meta(W, owner->key, owner->klen, "", 0, err)) < 0)
            return rc;
        if (ns_writer_mark_moved(R, owner) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        return 1;
    }
    if (ns_array_room(&R->foreign, R->nforeign, &R->capforeign, sizeof *R->foreign, 16) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    dupfile *f = &R->foreign[R->nforeign];
    if (!(f->id = strdup(id)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    f->r = r;
    f->owner = owner;
    R->nforeign++;
    W->st.failed++;
    return 0;
}

/* A file the walk could not take, or one unchanged since recorded: counted
 * (and reported) without reading it. 1 when so, else 0. */
static int S_settled_unread(writer *W, frec *r)
{
    if (r->stat_errno) {
        char msg[NS_ERRNO_MSG_MAX], line[NS_ERRNO_MSG_MAX + 32];
        snprintf(line, sizeof line, "cannot read: %s", ns_errno_msg(r->stat_errno, msg, sizeof msg));
        S_fail(W, r, line);
        return 1;
    }
    if (r->not_regular) {
        S_fail(W, r, "cannot read: not a regular file");
        return 1;
    }
    if (r->id && r->size == r->wsize && r->mtime == r->wmtime) {
        W->st.unchanged++;
        r->counted = 'n';
        return 1;
    }
    return 0;
}

/* Bulk: r's id is held by another file of this shard. Which keeps it is
 * known only once every shard is done (the owner may itself lose it to a
 * file of another shard): kept in W->dups, counted as failed. */
static int S_defer_dup(writer *W, frec *r, const char *id, ns_err *err)
{
    if (ns_array_room(&W->dups, W->ndups, &W->capdups, sizeof *W->dups, 16) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if (!(W->dups[W->ndups].id = strdup(id)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    W->dups[W->ndups].owner = NULL;
    W->dups[W->ndups++].r = r;
    W->st.failed++;
    return 0;
}

/* Write b's document under its id for r, read at size and mtime, with r's
 * "file:" record, in the open transaction; existed: it replaces a document
 * the index had. */
static int S_store(writer *W, frec *r, const ns_index_built *b, int64_t size, int64_t mtime,
                   int existed, ns_err *err)
{
    const char *id = b->art.id;
    int rc;
    if ((rc = ns_writer_begin(W, err)) < 0)
        return rc;
    /* A changed id leaves the old document behind unless deleted here. */
    if ((rc = S_drop_id(W, r, r->id && strcmp(r->id, id) != 0, err)) < 0)
        return rc;
    if ((rc = ns_writer_idterm(&W->tmp, id, err)) < 0 ||
        (rc = ns_xwdb_replace(W->w, W->tmp.data, W->tmp.len, b->doc, err)) < 0)
        return rc;
    for (size_t i = 0; i < b->nspell; i++)
        if (S_spell_add(W, b->spell[i]) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    ns_buf_reset(&W->tmp);
    if (ns_buf_printf(&W->tmp, "%" PRId64 " %" PRId64 " %s", size, mtime, id) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if ((rc = ns_writer_set_file_meta(W, r->key, r->klen, W->tmp.data, W->tmp.len, err)) < 0)
        return rc;
    if (!(r->id = strdup(id)) || ns_hmap_put(&W->by_id, r->id, strlen(r->id), r) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    r->size = size;
    r->mtime = mtime;
    W->pending++;
    if (existed) {
        W->st.updated++;
        r->counted = 'u';
    } else {
        W->st.added++;
        r->counted = 'a';
    }
    for (size_t i = 0; i < b->art.nwarnings; i++)
        ns_run_report(W->R, 1, r->display, b->art.warnings[i]);
    return 0;
}

int ns_writer_process(writer *W, frec *r, ns_err *err)
{
    run *R = W->R;
    int rc = 0;
    char *data = NULL;
    size_t len = 0;
    int64_t size = 0, mtime = 0;
    ns_index_built b;
    memset(&b, 0, sizeof b);
    ns_err ferr;
    ns_err_clear(&ferr);
    if (S_settled_unread(W, r))
        return 0;
    if (!W->codec && (rc = ns_record_codec_new(&W->codec, err)) < 0)
        goto done;
    if (ns_article_read_file(r->path, &data, &len, &size, &mtime, &ferr) < 0 ||
        ns_index_build(&b, W->a, W->codec, R->v, r->display, r->default_id, data, len, &ferr) < 0) {
        S_fail(W, r, ferr.msg);
        goto done;
    }
    const char *id = b.art.id;
    frec *owner = ns_hmap_get(&W->by_id, id, strlen(id));
    int existed = r->id != NULL;
    if (owner && owner != r && !R->bulk && !owner->seen) {
        if ((rc = S_take_id(W, r, owner, id, err)) <= 0)
            goto done;
        existed = 1;  /* the article was in the index, from its old place */
        owner = NULL;
    }
    if (owner && owner != r)
        rc = R->bulk ? S_defer_dup(W, r, id, err) : ns_writer_fail_dup(W, r, id, owner, err);
    else
        rc = S_store(W, r, &b, size, mtime, existed, err);
done:
    ns_index_built_clear(&b);
    free(data);
    return rc;
}

void ns_writer_free(writer *W)
{
    ns_xwdb_free(W->w);  /* after a failure: cancels the open transaction */
    W->w = NULL;
    for (unsigned s = 0; s < W->nsegs; s++)
        ns_xwdb_free(W->segs[s]);
    free(W->segs);
    W->segs = NULL;
    W->nsegs = W->capsegs = 0;
    ns_analyzer_free(W->a);
    W->a = NULL;
    ns_record_codec_free(W->codec);
    W->codec = NULL;
    ns_hmap_free(&W->by_id);
    for (size_t i = 0; i < W->spell.nb; i++)
        for (ns_hnode *x = W->spell.b[i]; x; x = x->next)
            free((char *)x->key);
    ns_hmap_free(&W->spell);
    ns_buf_free(&W->tmp);
    ns_buf_free(&W->tmp2);
    free(W->files);
    for (size_t i = 0; i < W->ndups; i++)
        free(W->dups[i].id);
    free(W->dups);
    for (size_t i = 0; i < W->nstale; i++)
        free(W->stale[i]);
    free(W->stale);
    free(W->path);
    memset(W, 0, sizeof *W);
}
