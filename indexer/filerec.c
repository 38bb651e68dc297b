/* filerec.c: the records of article files (see run.h): what the database
 * recorded of each (metadata "file:<abs root>\t<rel>" -> "<size> <mtime_ns>
 * <id>", src/schema.h) and what the walk found, one record per file path,
 * owned by the run and found by key. */
#include "run.h"

#include "list.h"
#include "schema.h"
#include "str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ns_frec_free(frec *r)
{
    if (!r)
        return;
    free(r->key);
    free(r->path);
    free(r->id);
    free(r->display);
    free(r->default_id);
    free(r);
}

/* "<root>/<rel>" for a key "<root>\t<rel>" (a root of "/" adds no slash). */
static char *S_key_path(const char *key, size_t klen, size_t rootlen)
{
    int slash = !(rootlen > 0 && key[rootlen - 1] == '/');
    char *p = malloc(klen + 1);
    if (!p)
        return NULL;
    memcpy(p, key, rootlen);
    if (slash)
        p[rootlen] = '/';
    memcpy(p + rootlen + slash, key + rootlen + 1, klen - rootlen - 1);
    p[rootlen + slash + klen - rootlen - 1] = '\0';
    return p;
}

int ns_frec_get(run *R, const char *key, size_t klen, size_t rootlen, frec **out)
{
    frec *r = ns_hmap_get(&R->by_key, key, klen);
    if (r) {
        *out = r;
        return 0;
    }
    const char *tab = rootlen < klen ? key + rootlen : memchr(key, '\t', klen);
    if (!tab || *tab != '\t')
        return NS_EINVAL;
    if (!(r = calloc(1, sizeof *r)) || !(r->key = ns_strndup(key, klen)))
        goto nomem;
    r->klen = klen;
    r->rootlen = (size_t)(tab - key);
    if (!(r->path = S_key_path(key, klen, r->rootlen)))
        goto nomem;
    if (ns_ptrs_push(&R->recs, &R->nrecs, &R->caprecs, r) < 0)
        goto nomem;
    if (ns_hmap_put(&R->by_key, r->key, klen, r) < 0) {
        R->nrecs--;
        goto nomem;
    }
    *out = r;
    return 0;
nomem:
    ns_frec_free(r);
    return NS_ENOMEM;
}

/* The path of a record for messages: as found in this run, else absolute. */
const char *ns_frec_display(const frec *r)
{
    return r->display ? r->display : r->path;
}

const char *ns_frec_rel(const frec *r)
{
    return r->key + r->rootlen + 1;
}

int ns_frec_gone(frec *r)
{
    if (!r->gone) {
        struct stat st;
        r->gone = stat(r->path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR) ? 1 : 2;
    }
    return r->gone == 1;
}

/* A record "file:<key>" -> "<size> <mtime_ns> <id>" as read. */
typedef struct meta {
    char *v;             /* the value, NUL-terminated; NULL: nothing to read */
    long long size, mtime;
    const char *id;      /* into v; NULL when the value is malformed */
} meta;

/* Read one record into m (the caller frees m->v). Nothing to read when the
 * key is the prefix alone or the value empty. 0, or NS_ENOMEM (kept in
 * R->meta_rc too). */
static int S_read_meta(run *R, size_t klen, const char *val, size_t vlen, meta *m)
{
    memset(m, 0, sizeof *m);
    if (klen <= strlen(NS_META_FILE_PREFIX) || vlen == 0)
        return 0;
    if (!(m->v = ns_strndup(val, vlen)))
        return R->meta_rc = NS_ENOMEM;
    int idoff = 0;
    if (sscanf(m->v, "%lld %lld %n", &m->size, &m->mtime, &idoff) == 2 && idoff > 0 &&
        m->v[idoff])
        m->id = m->v + idoff;
    return 0;
}

/* Incremental: metadata "file:<key>" -> "<size> <mtime_ns> <id>". Malformed
 * values are ignored: the file then looks new and is indexed again. */
int ns_frec_load(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    writer *W = ctx;
    run *R = W->R;
    size_t pl = strlen(NS_META_FILE_PREFIX);
    meta m;
    frec *r = NULL;
    int rc = S_read_meta(R, klen, val, vlen, &m);
    if (rc < 0 || !m.v)
        return rc;
    if (m.id) {
        if ((rc = ns_frec_get(R, key + pl, klen - pl, SIZE_MAX, &r)) == NS_EINVAL) {
            rc = 0;  /* a key without its tab: not ours to read */
        } else if (rc == 0) {
            free(r->id);
            if (!(r->id = strdup(m.id)))
                rc = NS_ENOMEM;
            r->size = m.size;
            r->mtime = m.mtime;
            if (rc == 0 && ns_hmap_put(&W->by_id, r->id, strlen(r->id), r) < 0)
                rc = NS_ENOMEM;
        }
    }
    free(m.v);
    if (rc < 0)
        R->meta_rc = rc;
    return rc;
}

/* Bulk, resuming a shard: a record of a file this run gives to this shard
 * is taken over (unchanged files are then skipped); any other record is
 * stale (the file is gone, or went to another shard) and is deleted. */
int ns_frec_load_shard(void *ctx, const char *key, size_t klen, const char *val,
                             size_t vlen)
{
    writer *W = ctx;
    run *R = W->R;
    size_t pl = strlen(NS_META_FILE_PREFIX);
    meta m;
    int rc = S_read_meta(R, klen, val, vlen, &m);
    if (rc < 0 || !m.v)
        return rc;
    const char *id = m.id;
    frec *r = ns_hmap_get(&R->by_key, key + pl, klen - pl);
    if (id && r && r->display && r->shard == W->k && !r->id &&
        !ns_hmap_get(&W->by_id, id, strlen(id))) {
        if (!(r->id = strdup(id)) || ns_hmap_put(&W->by_id, r->id, strlen(r->id), r) < 0)
            rc = NS_ENOMEM;
        r->size = m.size;
        r->mtime = m.mtime;
    } else {
        /* "<key>\0<id>": the id (if any) names the document to delete. */
        size_t il = id ? strlen(id) : 0;
        char *s = malloc(klen + 1 + il + 1);
        if (!s)
            rc = NS_ENOMEM;
        else {
            memcpy(s, key, klen);
            s[klen] = '\0';
            memcpy(s + klen + 1, id ? id : "", il + 1);
            if (ns_ptrs_push(&W->stale, &W->nstale, &W->capstale, s) < 0) {
                free(s);
                rc = NS_ENOMEM;
            }
        }
    }
    free(m.v);
    if (rc < 0)
        R->meta_rc = rc;
    return rc;
}
