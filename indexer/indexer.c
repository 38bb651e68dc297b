/* indexer.c: walk article files, build their documents, and bring the
 * database in step with them in committed batches (see indexer.h).
 *
 * Order of a run: check every path exists (else nothing is touched); open
 * the database (the writer lock); walk the roots; load the recorded files;
 * delete the records of files gone from a walked root; then each file in
 * sorted order: unchanged (same size and mtime) is skipped, otherwise it is
 * read, parsed and replaced under its id. Removals come first so a file that
 * takes over a deleted file's id is not refused as a duplicate. */
#include "indexer.h"

#include "buf.h"
#include "record.h"
#include "schema.h"
#include "utf8.h"

#include <utf8proc.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a small string hash map (keys are borrowed from the values) ---- */

typedef struct hnode {
    const char *key;
    size_t klen;
    void *val;
    struct hnode *next;
} hnode;

typedef struct hmap {
    hnode **b;
    size_t nb, n;
} hmap;

static uint64_t S_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static hnode **S_find(hmap *m, const char *key, size_t klen)
{
    if (!m->nb)
        return NULL;
    hnode **pp = &m->b[S_hash(key, klen) % m->nb];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->klen == klen && memcmp((*pp)->key, key, klen) == 0)
            return pp;
    return pp;
}

static void *S_get(hmap *m, const char *key, size_t klen)
{
    hnode **pp = S_find(m, key, klen);
    return pp && *pp ? (*pp)->val : NULL;
}

static int S_grow(hmap *m)
{
    size_t nb = m->nb ? m->nb * 2 : 256;
    hnode **b = calloc(nb, sizeof *b);
    if (!b)
        return NS_ENOMEM;
    for (size_t i = 0; i < m->nb; i++) {
        hnode *x = m->b[i], *next;
        for (; x; x = next) {
            next = x->next;
            size_t h = S_hash(x->key, x->klen) % nb;
            x->next = b[h];
            b[h] = x;
        }
    }
    free(m->b);
    m->b = b;
    m->nb = nb;
    return 0;
}

/* Set key -> val (replacing). 0 or NS_ENOMEM. */
static int S_put(hmap *m, const char *key, size_t klen, void *val)
{
    if (m->n >= m->nb && S_grow(m) < 0)
        return NS_ENOMEM;
    hnode **pp = S_find(m, key, klen);
    if (*pp) {
        (*pp)->key = key;
        (*pp)->val = val;
        return 0;
    }
    hnode *x = malloc(sizeof *x);
    if (!x)
        return NS_ENOMEM;
    x->key = key;
    x->klen = klen;
    x->val = val;
    x->next = NULL;
    *pp = x;
    m->n++;
    return 0;
}

static void S_del(hmap *m, const char *key, size_t klen)
{
    hnode **pp = S_find(m, key, klen);
    if (pp && *pp) {
        hnode *x = *pp;
        *pp = x->next;
        free(x);
        m->n--;
    }
}

static void S_hmap_free(hmap *m)
{
    for (size_t i = 0; i < m->nb; i++) {
        hnode *x = m->b[i], *next;
        for (; x; x = next) {
            next = x->next;
            free(x);
        }
    }
    free(m->b);
    memset(m, 0, sizeof *m);
}

/* ---- the per-article pipeline ---- */

typedef struct bctx {
    ns_analyzer *a;
    ns_xdoc *doc;
    ns_index_built *out;
    hmap raw;        /* words as written, already looked at for spelling */
    hmap spell;      /* folded words in out->spell */
    ns_buf tmp;
    char **rawkeys;  /* owned copies of the raw keys */
    size_t nraw, capraw;
} bctx;

/* A word the searcher may suggest: letters only (no digits, no '_' or '''),
 * at least 3 of them, not a stopword. */
static int S_spellable(const char *w, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(w + i, len - i, &cp);
        if (cp < 0)
            return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        if (!(c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) &&
            !(chars && c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME))
            return 0;
        chars++;
        i += (size_t)n;
    }
    return chars >= 3 && !ns_is_stopword(w, len);
}

static int S_raw_add(bctx *c, const char *w, size_t len, int *added)
{
    *added = 0;
    if (S_get(&c->raw, w, len))
        return 0;
    if (c->nraw == c->capraw) {
        size_t cap = c->capraw ? c->capraw * 2 : 256;
        char **p = realloc(c->rawkeys, cap * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        c->rawkeys = p;
        c->capraw = cap;
    }
    char *k = malloc(len + 1);
    if (!k)
        return NS_ENOMEM;
    memcpy(k, w, len);
    k[len] = '\0';
    c->rawkeys[c->nraw++] = k;
    if (S_put(&c->raw, k, len, k) < 0)
        return NS_ENOMEM;
    *added = 1;
    return 0;
}

static int S_on_terms(void *ctx, const ns_term *terms, size_t count, const char *text, size_t len,
                      int in_title, ns_err *err)
{
    bctx *c = ctx;
    unsigned wdf = in_title ? NS_TITLE_WDF : 1;
    int rc = 0;
    (void)len;
    /* Words to fold for spelling: (start, end) of each positional term. The
     * fold below reuses the analyzer, so every term is consumed first. */
    ns_buf_reset(&c->tmp);
    for (size_t i = 0; i < count; i++) {
        const ns_term *t = &terms[i];
        if (t->flags & NS_TERM_STOP)
            continue;
        if (t->flags & NS_TERM_JOINED)
            rc = ns_xdoc_add_term(c->doc, t->term, t->len, wdf, err);
        else
            rc = ns_xdoc_add_posting(c->doc, t->term, t->len, t->pos, wdf, err);
        if (rc < 0)
            return rc;
        if (t->flags & NS_TERM_JOINED || t->end - t->start < 3)
            continue;
        int added;
        if ((rc = S_raw_add(c, text + t->start, t->end - t->start, &added)) < 0)
            return ns_err_set(err, rc, "out of memory");
        size_t range[2] = {t->start, t->end};
        if (added && ns_buf_append(&c->tmp, (const char *)range, sizeof range) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    size_t nr = c->tmp.len / (2 * sizeof(size_t));
    for (size_t i = 0; i < nr; i++) {
        size_t range[2];
        memcpy(range, c->tmp.data + i * sizeof range, sizeof range);
        const char *f;
        size_t flen;
        if (ns_analyze_fold(c->a, text + range[0], range[1] - range[0], &f, &flen, NULL) < 0)
            continue;
        if (!S_spellable(f, flen) || S_get(&c->spell, f, flen))
            continue;
        ns_index_built *o = c->out;
        char **p = realloc(o->spell, (o->nspell + 1) * sizeof *p);
        if (!p)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        o->spell = p;
        if (!(p[o->nspell] = malloc(flen + 1)))
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        memcpy(p[o->nspell], f, flen);
        p[o->nspell][flen] = '\0';
        if (S_put(&c->spell, p[o->nspell], flen, p[o->nspell]) < 0) {
            free(p[o->nspell]);
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
        o->nspell++;
    }
    return 0;
}

static int S_bool_term(ns_xdoc *doc, ns_buf *b, const char *prefix, const char *val, size_t len,
                       ns_err *err)
{
    ns_buf_reset(b);
    if (ns_buf_puts(b, prefix) < 0 || ns_buf_append(b, val, len) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xdoc_add_boolean_term(doc, b->data, b->len, err);
}

int ns_index_build(ns_index_built *out, ns_analyzer *a, const ns_vendors *v, const char *path,
                   const char *default_id, const char *data, size_t len, ns_err *err)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    bctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    ns_buf b = NS_BUF_INIT;
    if ((rc = ns_xdoc_new(&out->doc, err)) < 0)
        goto done;
    c.doc = out->doc;
    ns_article_opts ao = NS_ARTICLE_OPTS_INIT;
    ao.analyzer = a;
    ao.vendors = v;
    ao.default_id = default_id;
    ao.on_terms = S_on_terms;
    ao.ctx = &c;
    if ((rc = ns_article_parse(&out->art, data, len, &ao, err)) < 0)
        goto done;
    const ns_article *art = &out->art;

    /* Boolean terms: id, month, language, vendors (folded, as the searcher
     * folds vendor:NAME). */
    if ((rc = S_bool_term(out->doc, &b, NS_PREFIX_ID, art->id, strlen(art->id), err)) < 0 ||
        (rc = S_bool_term(out->doc, &b, NS_PREFIX_MONTH, art->month, 7, err)) < 0 ||
        (rc = S_bool_term(out->doc, &b, NS_PREFIX_LANG, art->lang, 2, err)) < 0)
        goto done;
    for (size_t i = 0; i < art->nvendors; i++) {
        const char *f;
        size_t flen;
        if ((rc = ns_analyze_fold(a, art->vendors[i], strlen(art->vendors[i]), &f, &flen, err)) < 0)
            goto done;
        if ((rc = S_bool_term(out->doc, &b, NS_PREFIX_VENDOR, f, flen, err)) < 0) {
            if (rc == NS_ETERM)
                ns_err_set(err, rc, "vendor name '%.40s...' is too long", art->vendors[i]);
            goto done;
        }
    }

    /* Values: the date for sorting and ranges, the facet keys. */
    char ymd[9];
    memcpy(ymd, art->date, 4);
    memcpy(ymd + 4, art->date + 5, 2);
    memcpy(ymd + 6, art->date + 8, 2);
    ymd[8] = '\0';
    if ((rc = ns_xdoc_add_value(out->doc, NS_SLOT_DATE, ymd, 8, err)) < 0)
        goto done;
    ns_buf_reset(&b);
    if (ns_buf_printf(&b, "%c%s", NS_FACET_MONTH, art->month) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < art->nvendors; i++)
        if (ns_buf_printf(&b, "\n%c%s", NS_FACET_VENDOR, art->vendors[i]) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    if ((rc = ns_xdoc_add_value(out->doc, NS_SLOT_FACETS, b.data, b.len, err)) < 0)
        goto done;

    /* Stored data: what a result shows. */
    ns_record r;
    memset(&r, 0, sizeof r);
    r.id = art->id;
    r.title = art->title;
    r.date = (char *)art->date;
    r.lang = (char *)art->lang;
    r.vendors = art->vendors;
    r.nvendors = art->nvendors;
    r.url = art->url;
    r.path = (char *)path;
    r.text = art->text;
    r.text_len = art->text_len;
    ns_buf_reset(&b);
    if ((rc = ns_record_encode(&r, &b, err)) < 0)
        goto done;
    if ((rc = ns_xdoc_set_data(out->doc, b.data, b.len, err)) < 0)
        goto done;
done:
    for (size_t i = 0; i < c.nraw; i++)
        free(c.rawkeys[i]);
    free(c.rawkeys);
    S_hmap_free(&c.raw);
    S_hmap_free(&c.spell);
    ns_buf_free(&c.tmp);
    ns_buf_free(&b);
    if (rc < 0)
        ns_index_built_clear(out);
    return rc;
}

void ns_index_built_clear(ns_index_built *b)
{
    if (!b)
        return;
    ns_article_clear(&b->art);
    ns_xdoc_free(b->doc);
    for (size_t i = 0; i < b->nspell; i++)
        free(b->spell[i]);
    free(b->spell);
    memset(b, 0, sizeof *b);
}

/* ---- files: what the database recorded, what the walk found ---- */

typedef struct frec {
    char *key;          /* "<abs root>\t<rel>" (the metadata key without "file:") */
    size_t klen;
    char *id;           /* recorded id, NULL if not in the database */
    int64_t size, mtime;
    char *display;      /* path as found in this run, NULL if not found */
    char *default_id;   /* rel without ".md" */
    int stat_errno;     /* the walk could not stat it */
    int64_t wsize, wmtime; /* size and mtime seen by the walk */
    int seen;
} frec;

typedef struct root {
    const char *arg;    /* as given */
    char *abs;          /* realpath of the directory (of the file's directory) */
    int is_dir;
    int walk_failed;    /* a directory under it could not be read: remove nothing */
} root;

typedef struct run {
    const ns_index_opts *o;
    ns_index_stats *st;
    ns_xwdb *w;
    ns_analyzer *a;
    ns_vendors *v;
    root *roots;
    size_t nroots;
    frec **recs;        /* every record, owned */
    size_t nrecs, caprecs;
    frec **todo;        /* found files in processing order (borrowed) */
    size_t ntodo, captodo;
    hmap by_key, by_id;
    unsigned pending;   /* changes in the open transaction */
    ns_buf tmp, tmp2;
    int in_txn;
    int meta_rc;        /* S_load_meta's failure (the shim only stops) */
} run;

static void S_frec_free(frec *r)
{
    if (!r)
        return;
    free(r->key);
    free(r->id);
    free(r->display);
    free(r->default_id);
    free(r);
}

static int S_push(void *arrp, size_t *n, size_t *cap, void *item)
{
    void ***arr = arrp;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        void **p = realloc(*arr, c * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        *arr = p;
        *cap = c;
    }
    (*arr)[(*n)++] = item;
    return 0;
}

/* The record for key, created (not in the database) if absent. */
static int S_rec(run *R, const char *key, size_t klen, frec **out)
{
    frec *r = S_get(&R->by_key, key, klen);
    if (r) {
        *out = r;
        return 0;
    }
    if (!(r = calloc(1, sizeof *r)) || !(r->key = malloc(klen + 1)))
        goto nomem;
    memcpy(r->key, key, klen);
    r->key[klen] = '\0';
    r->klen = klen;
    if (S_push(&R->recs, &R->nrecs, &R->caprecs, r) < 0)
        goto nomem;
    if (S_put(&R->by_key, r->key, klen, r) < 0) {
        R->nrecs--;
        goto nomem;
    }
    *out = r;
    return 0;
nomem:
    S_frec_free(r);
    return NS_ENOMEM;
}

/* Metadata "file:<key>" -> "<size> <mtime_ns> <id>". Malformed values are
 * ignored: the file then looks new and is indexed again. */
static int S_load_meta(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    run *R = ctx;
    size_t pl = strlen(NS_META_FILE_PREFIX);
    if (klen <= pl || vlen == 0)
        return 0;
    char *v = malloc(vlen + 1);
    if (!v)
        return NS_ENOMEM;
    memcpy(v, val, vlen);
    v[vlen] = '\0';
    long long size, mtime;
    int idoff = 0;
    frec *r = NULL;
    int rc = 0;
    if (sscanf(v, "%lld %lld %n", &size, &mtime, &idoff) == 2 && idoff > 0 && v[idoff]) {
        if ((rc = S_rec(R, key + pl, klen - pl, &r)) == 0) {
            free(r->id);
            if (!(r->id = strdup(v + idoff)))
                rc = NS_ENOMEM;
            r->size = size;
            r->mtime = mtime;
            if (rc == 0 && S_put(&R->by_id, r->id, strlen(r->id), r) < 0)
                rc = NS_ENOMEM;
        }
    }
    free(v);
    if (rc < 0)
        R->meta_rc = rc;
    return rc;
}

static int S_ends_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* Ancestors of the directory being walked, to refuse symlink loops. */
typedef struct dirid {
    dev_t dev;
    ino_t ino;
} dirid;

static int S_cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the *.md files under abs/rel (rel "" at the root) into *list as
 * relative paths. Dot entries are skipped (.git, editor files). */
static int S_walk(run *R, root *rt, const char *rel, const dirid *anc, size_t depth, char ***list,
                  size_t *n, size_t *cap, ns_err *err)
{
    int rc = 0;
    ns_buf dir = NS_BUF_INIT, full = NS_BUF_INIT, sub = NS_BUF_INIT;
    DIR *d = NULL;
    if (ns_buf_printf(&dir, "%s%s%s", rt->abs, *rel ? "/" : "", rel) < 0)
        goto nomem;
    if (!(d = opendir(dir.data))) {
        char msg[128] = "";
        strerror_r(errno, msg, sizeof msg);
        rt->walk_failed = 1;
        R->st->failed++;
        ns_buf_reset(&sub);
        if (ns_buf_printf(&sub, "%s%s%s", rt->arg, *rel ? "/" : "", rel) < 0)
            goto nomem;
        if (R->o->on_error) {
            ns_buf_reset(&full);
            if (ns_buf_printf(&full, "cannot read directory: %s", msg) < 0)
                goto nomem;
            R->o->on_error(R->o->ctx, sub.data, full.data);
        }
        goto done;
    }
    struct dirent *e;
    while ((errno = 0, e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        ns_buf_reset(&full);
        ns_buf_reset(&sub);
        if (ns_buf_printf(&full, "%s/%s", dir.data, e->d_name) < 0 ||
            ns_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) < 0)
            goto nomem;
        struct stat st;
        int ok = stat(full.data, &st) == 0;
        if (ok && S_ISDIR(st.st_mode)) {
            int loop = 0;
            for (size_t i = 0; i <= depth; i++)
                if (anc[i].dev == st.st_dev && anc[i].ino == st.st_ino)
                    loop = 1;
            if (loop)
                continue;
            dirid *anc2 = malloc((depth + 2) * sizeof *anc2);
            char *subrel = ns_buf_detach(&sub);
            if (!anc2 || !subrel) {
                free(anc2);
                free(subrel);
                goto nomem;
            }
            memcpy(anc2, anc, (depth + 1) * sizeof *anc2);
            anc2[depth + 1].dev = st.st_dev;
            anc2[depth + 1].ino = st.st_ino;
            rc = S_walk(R, rt, subrel, anc2, depth + 1, list, n, cap, err);
            free(subrel);
            free(anc2);
            if (rc < 0)
                goto done;
            continue;
        }
        if (!S_ends_md(e->d_name))
            continue;
        char *s = ns_buf_detach(&sub);
        if (!s || S_push(list, n, cap, s) < 0) {
            free(s);
            goto nomem;
        }
    }
    goto done;
nomem:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory walking '%s'", rt->arg);
done:
    if (d)
        closedir(d);
    ns_buf_free(&dir);
    ns_buf_free(&full);
    ns_buf_free(&sub);
    return rc;
}

/* Queue a found file (rt, rel) for processing. */
static int S_found(run *R, root *rt, const char *rel, const char *display_rel, ns_err *err)
{
    ns_buf *k = &R->tmp;
    ns_buf_reset(k);
    if (ns_buf_printf(k, "%s\t%s", rt->abs, rel) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    frec *r;
    if (S_rec(R, k->data, k->len, &r) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if (r->seen)
        return 0;  /* given twice (a file and its directory, say) */
    r->seen = 1;
    ns_buf d = NS_BUF_INIT;
    size_t al = strlen(rt->arg);
    int slash = al && rt->arg[al - 1] == '/';
    int rc = display_rel ? ns_buf_printf(&d, "%s%s%s", rt->arg, slash ? "" : "/", display_rel)
                         : ns_buf_puts(&d, rt->arg);
    size_t rl = strlen(rel);
    if (rc < 0 || !(r->display = ns_buf_detach(&d)) ||
        !(r->default_id = strndup(rel, rl > 3 && !strcmp(rel + rl - 3, ".md") ? rl - 3 : rl)) ||
        S_push(&R->todo, &R->ntodo, &R->captodo, r) < 0) {
        ns_buf_free(&d);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    ns_buf_reset(k);
    if (ns_buf_printf(k, "%s/%s", rt->abs, rel) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    struct stat st;
    if (stat(k->data, &st) < 0) {
        r->stat_errno = errno ? errno : EIO;
    } else {
        r->wsize = (int64_t)st.st_size;
        r->wmtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
    return 0;
}

static int S_walk_roots(run *R, ns_err *err)
{
    for (size_t i = 0; i < R->nroots; i++) {
        root *rt = &R->roots[i];
        if (!rt->is_dir) {
            const char *base = strrchr(rt->arg, '/');
            base = base ? base + 1 : rt->arg;
            int rc = S_found(R, rt, base, NULL, err);
            if (rc < 0)
                return rc;
            continue;
        }
        char **list = NULL;
        size_t n = 0, cap = 0;
        struct stat st;
        dirid *anc = malloc(sizeof *anc);
        if (!anc)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        int rc = 0;
        if (stat(rt->abs, &st) == 0) {
            anc[0].dev = st.st_dev;
            anc[0].ino = st.st_ino;
            rc = S_walk(R, rt, "", anc, 0, &list, &n, &cap, err);
        }
        free(anc);
        if (rc == 0 && n)
            qsort(list, n, sizeof *list, S_cmpstr);
        for (size_t j = 0; j < n; j++) {
            if (rc == 0)
                rc = S_found(R, rt, list[j], list[j], err);
            free(list[j]);
        }
        free(list);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- the writer ---- */

static int S_begin(run *R, ns_err *err)
{
    if (R->in_txn)
        return 0;
    int rc = ns_xwdb_begin(R->w, err);
    if (rc == 0)
        R->in_txn = 1;
    return rc;
}

/* Commit when the batch is full (or always with force): the documents and
 * their "file:" metadata become durable together. */
static int S_commit(run *R, int force, ns_err *err)
{
    unsigned batch = R->o->batch ? R->o->batch : NS_INDEX_BATCH;
    if (!R->in_txn || (!force && R->pending < batch))
        return 0;
    int rc = ns_xwdb_commit(R->w, err);
    R->in_txn = 0;
    R->pending = 0;
    return rc;
}

static int S_set_file_meta(run *R, const frec *r, const char *val, size_t vlen, ns_err *err)
{
    ns_buf *k = &R->tmp2;
    ns_buf_reset(k);
    if (ns_buf_puts(k, NS_META_FILE_PREFIX) < 0 || ns_buf_append(k, r->key, r->klen) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xwdb_set_metadata(R->w, k->data, val, vlen, err);
}

static int S_idterm(ns_buf *b, const char *id, ns_err *err)
{
    ns_buf_reset(b);
    if (ns_buf_puts(b, NS_PREFIX_ID) < 0 || ns_buf_puts(b, id) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return 0;
}

/* Forget r's recorded id; with del, delete its document when r owns it. */
static int S_drop_id(run *R, frec *r, int del, ns_err *err)
{
    int rc = 0;
    if (!r->id)
        return 0;
    if (S_get(&R->by_id, r->id, strlen(r->id)) == r) {
        S_del(&R->by_id, r->id, strlen(r->id));
        if (del) {
            if ((rc = S_idterm(&R->tmp, r->id, err)) < 0 ||
                (rc = ns_xwdb_delete(R->w, R->tmp.data, R->tmp.len, err)) < 0)
                return rc;
        }
    }
    free(r->id);
    r->id = NULL;
    return 0;
}

static int S_remove(run *R, frec *r, ns_err *err)
{
    int rc;
    if ((rc = S_begin(R, err)) < 0 || (rc = S_drop_id(R, r, 1, err)) < 0 ||
        (rc = S_set_file_meta(R, r, "", 0, err)) < 0)
        return rc;
    R->pending++;
    R->st->removed++;
    return S_commit(R, 0, err);
}

/* The path of a record for messages: as found in this run, else absolute. */
static const char *S_display(run *R, const frec *r)
{
    if (r->display)
        return r->display;
    ns_buf *b = &R->tmp2;
    ns_buf_reset(b);
    if (ns_buf_append(b, r->key, r->klen) < 0)
        return r->key;
    char *tab = memchr(b->data, '\t', b->len);
    if (tab)
        *tab = '/';
    return b->data;
}

static void S_fail(run *R, const frec *r, const char *msg)
{
    R->st->failed++;
    if (R->o->on_error)
        R->o->on_error(R->o->ctx, r->display, msg);
}

/* Index one found file. Returns < 0 only for errors that end the run (the
 * database failed); a bad file is reported and counted. */
static int S_process(run *R, frec *r, ns_err *err)
{
    int rc = 0;
    char *data = NULL;
    size_t len = 0;
    int64_t size = 0, mtime = 0;
    ns_index_built b;
    memset(&b, 0, sizeof b);
    ns_err ferr;
    ns_err_clear(&ferr);
    if (r->stat_errno) {
        char msg[128] = "", line[160];
        strerror_r(r->stat_errno, msg, sizeof msg);
        snprintf(line, sizeof line, "cannot read: %s", msg);
        S_fail(R, r, line);
        return 0;
    }
    if (r->id && r->size == r->wsize && r->mtime == r->wmtime) {
        R->st->unchanged++;
        return 0;
    }
    ns_buf path = NS_BUF_INIT;
    if (ns_buf_append(&path, r->key, r->klen) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    *(char *)memchr(path.data, '\t', path.len) = '/';
    if (ns_article_read_file(path.data, &data, &len, &size, &mtime, &ferr) < 0 ||
        ns_index_build(&b, R->a, R->v, r->display, r->default_id, data, len, &ferr) < 0) {
        S_fail(R, r, ferr.msg);
        goto done;
    }
    const char *id = b.art.id;
    frec *owner = S_get(&R->by_id, id, strlen(id));
    if (owner && owner != r) {
        ns_buf m = NS_BUF_INIT;
        if (ns_buf_printf(&m, "id '%s' is already used by %s", id, S_display(R, owner)) < 0) {
            ns_buf_free(&m);
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        S_fail(R, r, m.data);
        ns_buf_free(&m);
        goto done;
    }
    int existed = r->id != NULL;
    if ((rc = S_begin(R, err)) < 0)
        goto done;
    /* A changed id leaves the old document behind unless deleted here. */
    if ((rc = S_drop_id(R, r, r->id && strcmp(r->id, id) != 0, err)) < 0)
        goto done;
    if ((rc = S_idterm(&R->tmp, id, err)) < 0 ||
        (rc = ns_xwdb_replace(R->w, R->tmp.data, R->tmp.len, b.doc, err)) < 0)
        goto done;
    for (size_t i = 0; i < b.nspell; i++)
        if ((rc = ns_xwdb_add_spelling(R->w, b.spell[i], strlen(b.spell[i]), 1, err)) < 0)
            goto done;
    ns_buf_reset(&R->tmp);
    if (ns_buf_printf(&R->tmp, "%" PRId64 " %" PRId64 " %s", size, mtime, id) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = S_set_file_meta(R, r, R->tmp.data, R->tmp.len, err)) < 0)
        goto done;
    if (!(r->id = strdup(id)) || S_put(&R->by_id, r->id, strlen(r->id), r) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    r->size = size;
    r->mtime = mtime;
    R->pending++;
    if (existed)
        R->st->updated++;
    else
        R->st->added++;
    if (R->o->on_warning)
        for (size_t i = 0; i < b.art.nwarnings; i++)
            R->o->on_warning(R->o->ctx, r->display, b.art.warnings[i]);
done:
    ns_buf_free(&path);
    ns_index_built_clear(&b);
    free(data);
    return rc;
}

/* ---- the run ---- */

static int S_roots(run *R, const char *const *paths, size_t n, ns_err *err)
{
    if (!(R->roots = calloc(n, sizeof *R->roots)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    R->nroots = n;
    for (size_t i = 0; i < n; i++) {
        root *rt = &R->roots[i];
        rt->arg = paths[i];
        struct stat st;
        if (stat(paths[i], &st) < 0) {
            char msg[128] = "";
            strerror_r(errno, msg, sizeof msg);
            return ns_err_set(err, NS_ENOTFOUND, "'%s': %s", paths[i], msg);
        }
        rt->is_dir = S_ISDIR(st.st_mode);
        char *dir = NULL;
        if (rt->is_dir) {
            dir = strdup(paths[i]);
        } else {
            const char *slash = strrchr(paths[i], '/');
            dir = !slash ? strdup(".") : slash == paths[i] ? strdup("/")
                                                          : strndup(paths[i], (size_t)(slash - paths[i]));
        }
        if (!dir)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        rt->abs = realpath(dir, NULL);
        int e = errno;
        free(dir);
        if (!rt->abs) {
            char msg[128] = "";
            strerror_r(e, msg, sizeof msg);
            return ns_err_set(err, NS_ENOTFOUND, "'%s': %s", paths[i], msg);
        }
    }
    return 0;
}

static int S_open(run *R, ns_err *err)
{
    const char *db = R->o->db_path;
    ns_err e;
    ns_err_clear(&e);
    int rc = ns_xwdb_open(&R->w, db, R->o->rebuild ? NS_XWDB_OVERWRITE : NS_XWDB_CREATE_OR_OPEN,
                          &e);
    if (rc == NS_ELOCKED)
        return ns_err_set(err, rc, "database '%s' is locked by another writer", db);
    if (rc < 0)
        return ns_err_set(err, rc, "cannot open database '%s': %s", db, e.msg);
    char *val = NULL;
    size_t vlen = 0;
    if ((rc = ns_xwdb_get_metadata(R->w, NS_META_SCHEMA, &val, &vlen, err)) < 0)
        return rc;
    char want[32];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    if (vlen && (vlen != strlen(want) || memcmp(val, want, vlen) != 0)) {
        rc = ns_err_set(err, NS_EINVAL,
                        "database '%s' has schema version %.*s, this nindex writes %s: "
                        "run with --rebuild", db, (int)(vlen > 20 ? 20 : vlen), val, want);
    } else if (!vlen) {
        /* Goes out with the first batch (or the final commit); not counted
         * in pending, so batches stay whole numbers of files. */
        if ((rc = S_begin(R, err)) == 0)
            rc = ns_xwdb_set_metadata(R->w, NS_META_SCHEMA, want, strlen(want), err);
    }
    free(val);
    return rc;
}

/* Is r under a directory root walked without trouble in this run? */
static int S_in_walked_root(run *R, const frec *r)
{
    for (size_t i = 0; i < R->nroots; i++) {
        const root *rt = &R->roots[i];
        size_t al = strlen(rt->abs);
        if (rt->is_dir && !rt->walk_failed && r->klen > al && r->key[al] == '\t' &&
            memcmp(r->key, rt->abs, al) == 0)
            return 1;
    }
    return 0;
}

int ns_index_run(const ns_index_opts *opts, const char *const *paths, size_t n,
                 ns_index_stats *stats, ns_err *err)
{
    int rc = 0;
    run R;
    memset(&R, 0, sizeof R);
    memset(stats, 0, sizeof *stats);
    R.o = opts;
    R.st = stats;
    if (n == 0) {
        rc = ns_err_set(err, NS_EINVAL, "no PATH to index");
        goto done;
    }
    if ((rc = S_roots(&R, paths, n, err)) < 0)
        goto done;
    if ((rc = ns_analyzer_new(&R.a, err)) < 0 || (rc = ns_vendors_new(&R.v, R.a, err)) < 0)
        goto done;
    if ((rc = S_open(&R, err)) < 0)
        goto done;
    if (!opts->rebuild &&
        ((rc = ns_xwdb_metadata_each(R.w, NS_META_FILE_PREFIX, S_load_meta, &R, err)) < 0 ||
         R.meta_rc < 0)) {
        if (rc == 0)
            rc = ns_err_set(err, R.meta_rc, "out of memory loading the file records");
        goto done;
    }
    if ((rc = S_walk_roots(&R, err)) < 0)
        goto done;
    stats->total = R.ntodo;
    for (size_t i = 0; i < R.nrecs; i++) {
        frec *r = R.recs[i];
        if (r->id && !r->seen && S_in_walked_root(&R, r) && (rc = S_remove(&R, r, err)) < 0)
            goto done;
    }
    for (size_t i = 0; i < R.ntodo; i++) {
        if (opts->stop && *opts->stop) {
            stats->interrupted = 1;
            break;
        }
        if ((rc = S_process(&R, R.todo[i], err)) < 0 || (rc = S_commit(&R, 0, err)) < 0)
            goto done;
        if (opts->on_progress)
            opts->on_progress(opts->ctx, i + 1, R.ntodo);
    }
    rc = S_commit(&R, 1, err);
    if (rc == 0)
        rc = ns_xwdb_close(R.w, err);
done:
    ns_xwdb_free(R.w);  /* after a failure: cancels the open transaction */
    ns_vendors_free(R.v);
    ns_analyzer_free(R.a);
    for (size_t i = 0; i < R.nrecs; i++)
        S_frec_free(R.recs[i]);
    free(R.recs);
    free(R.todo);
    S_hmap_free(&R.by_key);
    S_hmap_free(&R.by_id);
    for (size_t i = 0; i < R.nroots; i++)
        free(R.roots[i].abs);
    free(R.roots);
    ns_buf_free(&R.tmp);
    ns_buf_free(&R.tmp2);
    return rc;
}
