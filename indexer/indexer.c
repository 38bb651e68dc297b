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
#include "indexer.h"

#include "buf.h"
#include "dbpath.h"
#include "record.h"
#include "schema.h"
#include "sdict.h"
#include "utf8.h"

#include <utf8proc.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
    size_t capspell; /* allocated length of out->spell */
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
        if (o->nspell == c->capspell) {
            /* doubling: one more each time copied the list once per word */
            size_t cap = c->capspell ? c->capspell * 2 : 64;
            char **p = realloc(o->spell, cap * sizeof *p);
            if (!p)
                return ns_err_set(err, NS_ENOMEM, "out of memory");
            o->spell = p;
            c->capspell = cap;
        }
        char **p = o->spell;
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

int ns_index_build(ns_index_built *out, ns_analyzer *a, ns_record_codec *codec,
                   const ns_vendors *v, const char *path,
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
    if (ns_buf_printf(&b, "%c%s\n%c%s", NS_FACET_MONTH, art->month, NS_FACET_LANG, art->lang) < 0) {
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
    /* The path relative to the archive root, which the web shows rather than
     * the server's own path: the default id is it without ".md". (c.tmp is
     * free once the article is parsed, and freed below.) */
    ns_buf_reset(&c.tmp);
    if (ns_buf_puts(&c.tmp, default_id ? default_id : "") < 0 || ns_buf_puts(&c.tmp, ".md") < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    r.rel = default_id ? c.tmp.data : NULL;
    r.text = art->text;
    r.text_len = art->text_len;
    ns_buf_reset(&b);
    if ((rc = ns_record_encode(&r, codec, &b, err)) < 0)
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
    size_t rootlen;     /* key[rootlen] is the tab */
    char *path;         /* "<abs root>/<rel>": the file, whichever root led to it */
    char *id;           /* recorded id, NULL if not in the database */
    int64_t size, mtime;
    char *display;      /* path as found in this run, NULL if not found */
    char *default_id;   /* rel without ".md" */
    int stat_errno;     /* the walk could not stat it */
    int not_regular;    /* named *.md but not a regular file */
    int64_t wsize, wmtime; /* size and mtime seen by the walk */
    int seen;
    int gone;           /* 0 not looked at, 1 its file no longer exists, 2 it does */
    struct frec *same_rel; /* incremental: other unseen records of the same rel */
    size_t root_i;      /* found: the root it was found under */
    size_t ord;         /* place in processing order (found files) */
    unsigned shard;     /* bulk: the shard indexing it */
    char counted;       /* how the stats counted it: 'a'dded, 'u'pdated, 'n' unchanged */
} frec;

typedef struct root {
    const char *arg;    /* as given */
    char *abs;          /* realpath of the directory (of the file's directory) */
    char *real;         /* realpath of the argument itself */
    int is_dir;
    int walk_failed;    /* a directory under it could not be read: remove nothing */
} root;

/* A file the walk found under a root, before it gets its record. */
typedef struct found {
    char *rel;
    int err;            /* errno of its stat, 0 if none */
    int not_regular;
    int64_t size, mtime;
} found;

typedef struct flist {
    found *v;
    size_t n, cap;
} flist;

/* A symbolic link met by the walk, followed once every root's own tree is
 * walked (so a directory reached both ways gets its real path). */
typedef struct linkref {
    size_t root_i;
    char *rel;
} linkref;

/* A set of (device, inode) pairs: directories entered and files taken, so
 * that each is visited once whatever links lead to it (issue #13: 16 levels
 * of two links each indexed 131,072 copies of one file). */
typedef struct devino {
    dev_t dev;
    ino_t ino;
    int used;
} devino;

typedef struct idset {
    devino *v;
    size_t n, cap;
} idset;

/* A file refused because another file has its id; bulk mode names the owner
 * only once every shard is done, since the owner may be in another shard.
 * Incremental mode also keeps here the files whose id belongs to a file
 * indexed from another folder that still exists, reported together. */
typedef struct dupfile {
    frec *r;
    char *id;
    frec *owner;
} dupfile;

struct run;

/* One database being written and the state of its open transaction: the
 * database itself in incremental mode, a shard in bulk mode. Each writer is
 * used by one thread at a time. */
typedef struct writer {
    struct run *R;
    unsigned k;          /* shard number */
    char *path;          /* bulk: the shard's directory */
    ns_xwdb *w;
    ns_analyzer *a;
    hmap by_id;          /* id -> frec owning it in this database */
    ns_index_stats st;   /* this writer's counts */
    unsigned batch, pending;  /* changes per transaction, in the open one */
    int in_txn;
    ns_buf tmp, tmp2;
    /* Spelling words of the open transaction -> how many documents have
     * them (keys owned). Adding each word once per batch rather than once
     * per document halves the indexing time: Xapian looks every added word
     * up in the spelling table. */
    hmap spell;
    frec **files;        /* bulk: this shard's files, in processing order */
    size_t nfiles, capfiles;
    dupfile *dups;       /* bulk: files refused for a duplicate id */
    size_t ndups, capdups;
    char **stale;        /* bulk: recorded keys no longer wanted in the shard */
    size_t nstale, capstale;
    int stopped;         /* stopped before its last file */
    int rc;              /* the worker's result, err its message */
    ns_err err;
    ns_record_codec *codec; /* compresses stored texts; made on first use */
    pthread_t tid;
} writer;

typedef struct run {
    const ns_index_opts *o;
    ns_index_stats *st;
    ns_analyzer *a;      /* the calling thread's */
    ns_vendors *v;       /* shared read-only by the writers */
    root *roots;
    size_t nroots;
    frec **recs;         /* every record, owned */
    size_t nrecs, caprecs;
    frec **todo;         /* found files in processing order (borrowed) */
    size_t ntodo, captodo;
    hmap by_key;
    hmap by_path;        /* found files by path */
    ns_buf tmp;
    int meta_rc;         /* S_load_meta's failure (the shim only stops) */
    /* the walk */
    idset dirs, files;
    flist *lists;        /* per root */
    linkref *links;
    size_t nlinks, caplinks;
    /* incremental: roots whose files turned up under another root */
    char **moved;
    size_t nmoved, capmoved;
    dupfile *foreign;    /* incremental: ids of files in another folder */
    size_t nforeign, capforeign;
    /* the database */
    char *db;            /* opts->db_path, every symbolic link resolved */
    char *tmpdir;        /* db + NS_INDEX_TMP_SUFFIX, beside the real database */
    char *foreign_name;  /* an nsearch database: an entry that is not Xapian's, if any */
    int tmp_ours;        /* tmpdir carries our marker: this run may remove it */
    int tmp_made;        /* this run created tmpdir */
    int bulk;
    int db_existed;      /* bulk: swap in by exchange, else by rename */
    int db_empty_dir;    /* bulk: the database goes into an empty folder */
    ns_xwdb *lockw;      /* bulk: holds the writer lock, writes nothing */
    writer *ws;
    unsigned nw;
    pthread_mutex_t mu;  /* callbacks, progress, running */
    pthread_cond_t cv;   /* a worker finished */
    unsigned running;
    size_t done;         /* files done, for progress */
    atomic_int stop;     /* passed on from *opts->stop to the workers */
} run;

static void S_frec_free(frec *r)
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

/* The record for key ("<root>\t<rel>", the root rootlen bytes long, or up
 * to the first tab when rootlen is SIZE_MAX), created (not in the database)
 * if absent. */
static int S_rec(run *R, const char *key, size_t klen, size_t rootlen, frec **out)
{
    frec *r = S_get(&R->by_key, key, klen);
    if (r) {
        *out = r;
        return 0;
    }
    const char *tab = rootlen < klen ? key + rootlen : memchr(key, '\t', klen);
    if (!tab || *tab != '\t')
        return NS_EINVAL;
    if (!(r = calloc(1, sizeof *r)) || !(r->key = malloc(klen + 1)))
        goto nomem;
    memcpy(r->key, key, klen);
    r->key[klen] = '\0';
    r->klen = klen;
    r->rootlen = (size_t)(tab - key);
    if (!(r->path = S_key_path(key, klen, r->rootlen)))
        goto nomem;
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

/* r's path relative to its root (the part of its key after the tab). */
static const char *S_rel(const frec *r)
{
    return r->key + r->rootlen + 1;
}

/* Has r's file gone from where it was recorded (as after a move)? An error
 * other than "no such file" counts as there: nindex cannot tell. */
static int S_gone(frec *r)
{
    if (!r->gone) {
        struct stat st;
        r->gone = stat(r->path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR) ? 1 : 2;
    }
    return r->gone == 1;
}

/* Parse a "file:" value "<size> <mtime_ns> <id>"; *id points into v. */
static int S_parse_meta(const char *v, long long *size, long long *mtime, const char **id)
{
    int idoff = 0;
    if (sscanf(v, "%lld %lld %n", size, mtime, &idoff) == 2 && idoff > 0 && v[idoff]) {
        *id = v + idoff;
        return 1;
    }
    return 0;
}

static char *S_memdup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Incremental: metadata "file:<key>" -> "<size> <mtime_ns> <id>". Malformed
 * values are ignored: the file then looks new and is indexed again. */
static int S_load_meta(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    writer *W = ctx;
    run *R = W->R;
    size_t pl = strlen(NS_META_FILE_PREFIX);
    if (klen <= pl || vlen == 0)
        return 0;
    char *v = S_memdup(val, vlen);
    if (!v)
        return R->meta_rc = NS_ENOMEM;
    long long size, mtime;
    const char *id;
    frec *r = NULL;
    int rc = 0;
    if (S_parse_meta(v, &size, &mtime, &id)) {
        if ((rc = S_rec(R, key + pl, klen - pl, SIZE_MAX, &r)) == NS_EINVAL) {
            rc = 0;  /* a key without its tab: not ours to read */
        } else if (rc == 0) {
            free(r->id);
            if (!(r->id = strdup(id)))
                rc = NS_ENOMEM;
            r->size = size;
            r->mtime = mtime;
            if (rc == 0 && S_put(&W->by_id, r->id, strlen(r->id), r) < 0)
                rc = NS_ENOMEM;
        }
    }
    free(v);
    if (rc < 0)
        R->meta_rc = rc;
    return rc;
}

/* Bulk, resuming a shard: a record of a file this run gives to this shard
 * is taken over (unchanged files are then skipped); any other record is
 * stale (the file is gone, or went to another shard) and is deleted. */
static int S_load_shard_meta(void *ctx, const char *key, size_t klen, const char *val,
                             size_t vlen)
{
    writer *W = ctx;
    run *R = W->R;
    size_t pl = strlen(NS_META_FILE_PREFIX);
    if (klen <= pl || vlen == 0)
        return 0;
    char *v = S_memdup(val, vlen);
    if (!v)
        return R->meta_rc = NS_ENOMEM;
    long long size, mtime;
    const char *id = NULL;
    int rc = 0;
    frec *r = S_get(&R->by_key, key + pl, klen - pl);
    if (S_parse_meta(v, &size, &mtime, &id) && r && r->display && r->shard == W->k && !r->id &&
        !S_get(&W->by_id, id, strlen(id))) {
        if (!(r->id = strdup(id)) || S_put(&W->by_id, r->id, strlen(r->id), r) < 0)
            rc = NS_ENOMEM;
        r->size = size;
        r->mtime = mtime;
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
            if (S_push(&W->stale, &W->nstale, &W->capstale, s) < 0) {
                free(s);
                rc = NS_ENOMEM;
            }
        }
    }
    free(v);
    if (rc < 0)
        R->meta_rc = rc;
    return rc;
}

/* ---- messages (one at a time, whichever thread reports) ---- */

static void S_report(run *R, int warning, const char *path, const char *msg)
{
    void (*fn)(void *, const char *, const char *) =
        warning ? R->o->on_warning : R->o->on_error;
    if (!fn)
        return;
    pthread_mutex_lock(&R->mu);
    fn(R->o->ctx, path, msg);
    pthread_mutex_unlock(&R->mu);
}

static void S_progress(run *R)
{
    pthread_mutex_lock(&R->mu);
    R->done++;
    if (R->o->on_progress)
        R->o->on_progress(R->o->ctx, R->done, R->ntodo);
    pthread_mutex_unlock(&R->mu);
}

/* ---- the walk ---- */

static int S_ends_md(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static int S_cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_cmpfound(const void *a, const void *b)
{
    return strcmp(((const found *)a)->rel, ((const found *)b)->rel);
}

static uint64_t S_devino_hash(dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15ULL ^ (uint64_t)ino;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 29);
}

/* Add (dev, ino) to s: 1 when added, 0 when it was there, NS_ENOMEM. */
static int S_idset_add(idset *s, dev_t dev, ino_t ino)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        devino *v = calloc(cap, sizeof *v);
        if (!v)
            return NS_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i].used) {
                size_t j = S_devino_hash(s->v[i].dev, s->v[i].ino) & (cap - 1);
                while (v[j].used)
                    j = (j + 1) & (cap - 1);
                v[j] = s->v[i];
            }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = S_devino_hash(dev, ino) & (s->cap - 1);
    for (; s->v[j].used; j = (j + 1) & (s->cap - 1))
        if (s->v[j].dev == dev && s->v[j].ino == ino)
            return 0;
    s->v[j].dev = dev;
    s->v[j].ino = ino;
    s->v[j].used = 1;
    s->n++;
    return 1;
}

/* Note a file found under root ri at rel: its stat st, or when st is NULL,
 * the errno e of the failed stat. */
static int S_add_found(run *R, size_t ri, const char *rel, const struct stat *st, int e)
{
    flist *l = &R->lists[ri];
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        found *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NS_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    found *f = &l->v[l->n];
    memset(f, 0, sizeof *f);
    if (!(f->rel = strdup(rel)))
        return NS_ENOMEM;
    if (!st) {
        f->err = e ? e : EIO;
    } else {
        f->not_regular = !S_ISREG(st->st_mode);
        f->size = (int64_t)st->st_size;
        f->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    }
    l->n++;
    return 0;
}

/* The path to show for rel under root rt: the argument as given, then rel. */
static int S_show(ns_buf *b, const root *rt, const char *rel)
{
    size_t al = strlen(rt->arg);
    int slash = al && rt->arg[al - 1] == '/';
    ns_buf_reset(b);
    return ns_buf_printf(b, "%s%s%s", rt->arg, *rel && !slash ? "/" : "", rel);
}

/* Walk the directory rel ("" for the root) of root ri, which the caller has
 * entered in R->dirs: its files named *.md, its sub-directories (each once,
 * by device and inode), in name order; dot entries are skipped (.git,
 * editor files) and symbolic links are kept for S_follow_links. */
static int S_walk_dir(run *R, size_t ri, const char *rel, ns_err *err)
{
    root *rt = &R->roots[ri];
    int rc = 0;
    ns_buf dir = NS_BUF_INIT, full = NS_BUF_INIT, sub = NS_BUF_INIT;
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *d = NULL;
    if (ns_buf_printf(&dir, "%s%s%s", rt->abs, *rel ? "/" : "", rel) < 0)
        goto nomem;
    if (!(d = opendir(dir.data))) {
        char msg[128] = "";
        strerror_r(errno, msg, sizeof msg);
        rt->walk_failed = 1;
        R->st->failed++;
        if (S_show(&sub, rt, rel) < 0 || ns_buf_printf(&full, "cannot read directory: %s", msg) < 0)
            goto nomem;
        S_report(R, 0, sub.data, full.data);
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *name = strdup(e->d_name);
        if (!name || S_push(&names, &n, &cap, name) < 0) {
            free(name);
            goto nomem;
        }
    }
    closedir(d);
    d = NULL;
    if (n)
        qsort(names, n, sizeof *names, S_cmpstr);
    for (size_t i = 0; i < n && rc == 0; i++) {
        ns_buf_reset(&full);
        ns_buf_reset(&sub);
        if (ns_buf_printf(&full, "%s/%s", dir.data, names[i]) < 0 ||
            ns_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0)
            goto nomem;
        struct stat st;
        if (lstat(full.data, &st) < 0) {
            /* gone since the listing: nothing to index; else a file to report */
            if (errno != ENOENT && S_ends_md(names[i]) &&
                S_add_found(R, ri, sub.data, NULL, errno) < 0)
                goto nomem;
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            linkref l = { ri, ns_buf_detach(&sub) };
            if (!l.rel)
                goto nomem;
            if (R->nlinks == R->caplinks) {
                size_t c = R->caplinks ? R->caplinks * 2 : 16;
                linkref *p = realloc(R->links, c * sizeof *p);
                if (!p) {
                    free(l.rel);
                    goto nomem;
                }
                R->links = p;
                R->caplinks = c;
            }
            R->links[R->nlinks++] = l;
        } else if (S_ISDIR(st.st_mode)) {
            int added = S_idset_add(&R->dirs, st.st_dev, st.st_ino);
            if (added < 0)
                goto nomem;
            if (added)
                rc = S_walk_dir(R, ri, sub.data, err);
        } else if (S_ends_md(names[i])) {
            int added = S_idset_add(&R->files, st.st_dev, st.st_ino);
            if (added < 0 || (added && S_add_found(R, ri, sub.data, &st, 0) < 0))
                goto nomem;
        }
    }
    goto done;
nomem:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory walking '%s'", rt->arg);
done:
    if (d)
        closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    ns_buf_free(&dir);
    ns_buf_free(&full);
    ns_buf_free(&sub);
    return rc;
}

/* Is the real path p inside the PATHs given (in a directory PATH, or one
 * of the files given)? */
static int S_inside(const run *R, const char *p)
{
    for (size_t i = 0; i < R->nroots; i++) {
        const root *rt = &R->roots[i];
        if (rt->is_dir ? ns_dbpath_within(p, rt->abs) : strcmp(p, rt->real) == 0)
            return 1;
    }
    return 0;
}

/* Follow the symbolic links the walk met, in the order met (a link inside a
 * followed directory joins the queue). A link to a directory or to a *.md
 * file inside the PATHs given is followed; one that leads outside is
 * reported once and skipped, unless opts->follow_symlinks. A directory or
 * file already visited, by its real path or another link, is not again. */
static int S_follow_links(run *R, ns_err *err)
{
    int rc = 0;
    ns_buf full = NS_BUF_INIT, show = NS_BUF_INIT, msg = NS_BUF_INIT;
    for (size_t i = 0; i < R->nlinks && rc == 0; i++) {
        size_t ri = R->links[i].root_i;
        const char *rel = R->links[i].rel;
        root *rt = &R->roots[ri];
        const char *base = strrchr(rel, '/');
        base = base ? base + 1 : rel;
        ns_buf_reset(&full);
        if (ns_buf_printf(&full, "%s/%s", rt->abs, rel) < 0)
            goto nomem;
        struct stat st;
        if (stat(full.data, &st) < 0) {
            /* a broken link named *.md is a file that cannot be read */
            if (S_ends_md(base) && S_add_found(R, ri, rel, NULL, errno) < 0)
                goto nomem;
            continue;
        }
        int dir = S_ISDIR(st.st_mode);
        if (!dir && !S_ends_md(base))
            continue;
        char *target = realpath(full.data, NULL);
        if (!target) {
            if (errno == ENOMEM)
                goto nomem;
            continue;
        }
        if (!R->o->follow_symlinks && !S_inside(R, target)) {
            ns_buf_reset(&msg);
            if (S_show(&show, rt, rel) < 0 ||
                ns_buf_printf(&msg, "symbolic link to '%s' leads outside the PATHs given: "
                                    "skipped (--follow-symlinks follows it)", target) < 0) {
                free(target);
                goto nomem;
            }
            S_report(R, 1, show.data, msg.data);
            free(target);
            continue;
        }
        free(target);
        int added = S_idset_add(dir ? &R->dirs : &R->files, st.st_dev, st.st_ino);
        if (added < 0)
            goto nomem;
        if (added && dir)
            rc = S_walk_dir(R, ri, rel, err);
        else if (added && S_add_found(R, ri, rel, &st, 0) < 0)
            goto nomem;
    }
    goto done;
nomem:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory following symbolic links");
done:
    ns_buf_free(&full);
    ns_buf_free(&show);
    ns_buf_free(&msg);
    return rc;
}

/* Queue a found file f of root ri for processing. */
static int S_found(run *R, size_t ri, const found *f, ns_err *err)
{
    root *rt = &R->roots[ri];
    ns_buf *k = &R->tmp;
    ns_buf_reset(k);
    if (ns_buf_printf(k, "%s\t%s", rt->abs, f->rel) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    frec *r;
    if (S_rec(R, k->data, k->len, strlen(rt->abs), &r) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if (r->seen)
        return 0;  /* given twice (a file and its directory, say) */
    r->seen = 1;
    r->ord = R->ntodo;
    r->root_i = ri;
    ns_buf d = NS_BUF_INIT;
    const char *rel = f->rel;
    size_t rl = strlen(rel);
    int rc = rt->is_dir ? S_show(&d, rt, rel) : ns_buf_puts(&d, rt->arg);
    if (rc < 0 || !(r->display = ns_buf_detach(&d)) ||
        !(r->default_id = strndup(rel, rl > 3 && !strcmp(rel + rl - 3, ".md") ? rl - 3 : rl)) ||
        S_push(&R->todo, &R->ntodo, &R->captodo, r) < 0 ||
        S_put(&R->by_path, r->path, strlen(r->path), r) < 0) {
        ns_buf_free(&d);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    r->stat_errno = f->err;
    r->not_regular = f->not_regular;
    r->wsize = f->size;
    r->wmtime = f->mtime;
    return 0;
}

/* Find every article file: first each root's own tree, then the links met
 * (so that a directory reached both ways is walked by its real path), then
 * each root's files in sorted order become the processing order. */
static int S_walk_roots(run *R, ns_err *err)
{
    int rc = 0;
    if (!(R->lists = calloc(R->nroots, sizeof *R->lists)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (size_t i = 0; i < R->nroots && rc == 0; i++) {
        root *rt = &R->roots[i];
        struct stat st;
        if (stat(rt->is_dir ? rt->abs : rt->real, &st) < 0)
            continue;  /* went away since S_roots: nothing found */
        int added = S_idset_add(rt->is_dir ? &R->dirs : &R->files, st.st_dev, st.st_ino);
        if (added < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        if (!added)
            continue;  /* inside a PATH given before it, and walked with it */
        if (rt->is_dir) {
            rc = S_walk_dir(R, i, "", err);
        } else {
            const char *base = strrchr(rt->arg, '/');
            if (S_add_found(R, i, base ? base + 1 : rt->arg, &st, 0) < 0)
                return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
    }
    if (rc == 0)
        rc = S_follow_links(R, err);
    for (size_t i = 0; i < R->nroots && rc == 0; i++) {
        flist *l = &R->lists[i];
        if (l->n)
            qsort(l->v, l->n, sizeof *l->v, S_cmpfound);
        for (size_t j = 0; j < l->n && rc == 0; j++)
            rc = S_found(R, i, &l->v[j], err);
    }
    return rc;
}

/* ---- the writer ---- */

static int S_begin(writer *W, ns_err *err)
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
    hnode **pp = S_find(&W->spell, word, len);
    if (pp && *pp) {
        (*pp)->val = (void *)((uintptr_t)(*pp)->val + 1);
        return 0;
    }
    char *k = S_memdup(word, len);
    if (!k || S_put(&W->spell, k, len, (void *)(uintptr_t)1) < 0) {
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
        for (hnode *x = W->spell.b[i]; x; x = x->next) {
            if (rc == 0)
                rc = ns_xwdb_add_spelling(W->w, x->key, x->klen, (unsigned)(uintptr_t)x->val, err);
            free((char *)x->key);
        }
    S_hmap_free(&W->spell);
    return rc;
}

/* Commit when the batch is full (or always with force): the documents and
 * their "file:" metadata become durable together. Incremental runs commit
 * the batch's spelling words with it. A bulk run keeps them until all the
 * shards are done (S_speller), unless they grow too many: Xapian's work per
 * spelling word is large, and a word is then added once to one shard rather
 * than once per batch in every shard that has it. */
static int S_commit(writer *W, int force, ns_err *err)
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

static int S_set_file_meta(writer *W, const char *key, size_t klen, const char *val,
                           size_t vlen, ns_err *err)
{
    ns_buf *k = &W->tmp2;
    ns_buf_reset(k);
    if (ns_buf_puts(k, NS_META_FILE_PREFIX) < 0 || ns_buf_append(k, key, klen) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xwdb_set_metadata(W->w, k->data, val, vlen, err);
}

static int S_idterm(ns_buf *b, const char *id, ns_err *err)
{
    ns_buf_reset(b);
    if (ns_buf_puts(b, NS_PREFIX_ID) < 0 || ns_buf_puts(b, id) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return 0;
}

static int S_delete_id(writer *W, const char *id, ns_err *err)
{
    int rc;
    if ((rc = S_idterm(&W->tmp, id, err)) < 0)
        return rc;
    return ns_xwdb_delete(W->w, W->tmp.data, W->tmp.len, err);
}

/* Forget r's recorded id; with del, delete its document when r owns it. */
static int S_drop_id(writer *W, frec *r, int del, ns_err *err)
{
    int rc = 0;
    if (!r->id)
        return 0;
    if (S_get(&W->by_id, r->id, strlen(r->id)) == r) {
        S_del(&W->by_id, r->id, strlen(r->id));
        if (del && (rc = S_delete_id(W, r->id, err)) < 0)
            return rc;
    }
    free(r->id);
    r->id = NULL;
    return 0;
}

static int S_remove(writer *W, frec *r, ns_err *err)
{
    int rc;
    if ((rc = S_begin(W, err)) < 0 || (rc = S_drop_id(W, r, 1, err)) < 0 ||
        (rc = S_set_file_meta(W, r->key, r->klen, "", 0, err)) < 0)
        return rc;
    W->pending++;
    W->st.removed++;
    return S_commit(W, 0, err);
}

/* The path of a record for messages: as found in this run, else absolute. */
static const char *S_display(const frec *r)
{
    return r->display ? r->display : r->path;
}

static void S_fail(writer *W, const frec *r, const char *msg)
{
    W->st.failed++;
    S_report(W->R, 0, r->display, msg);
}

/* "id 'X' is already used by PATH" for r, reported. */
static int S_fail_dup(writer *W, const frec *r, const char *id, const frec *owner, ns_err *err)
{
    ns_buf m = NS_BUF_INIT;
    if (ns_buf_printf(&m, "id '%s' is already used by %s", id,
                      owner ? S_display(owner) : "another file") < 0) {
        ns_buf_free(&m);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    S_fail(W, r, m.data);
    ns_buf_free(&m);
    return 0;
}

/* Remember that the files of r's root have turned up elsewhere: its other
 * records whose files are gone are removed at the end of the run. */
static int S_mark_moved(run *R, const frec *r)
{
    for (size_t i = 0; i < R->nmoved; i++)
        if (strlen(R->moved[i]) == r->rootlen && !memcmp(R->moved[i], r->key, r->rootlen))
            return 0;
    char *dir = S_memdup(r->key, r->rootlen);
    if (!dir || S_push(&R->moved, &R->nmoved, &R->capmoved, dir) < 0) {
        free(dir);
        return NS_ENOMEM;
    }
    return 0;
}

static int S_is_moved(const run *R, const frec *r)
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
    if (S_gone(owner)) {
        if ((rc = S_begin(W, err)) < 0 || (rc = S_drop_id(W, owner, 0, err)) < 0 ||
            (rc = S_set_file_meta(W, owner->key, owner->klen, "", 0, err)) < 0)
            return rc;
        if (S_mark_moved(R, owner) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        return 1;
    }
    if (R->nforeign == R->capforeign) {
        size_t cap = R->capforeign ? R->capforeign * 2 : 16;
        dupfile *p = realloc(R->foreign, cap * sizeof *p);
        if (!p)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        R->foreign = p;
        R->capforeign = cap;
    }
    dupfile *f = &R->foreign[R->nforeign];
    if (!(f->id = strdup(id)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    f->r = r;
    f->owner = owner;
    R->nforeign++;
    W->st.failed++;
    return 0;
}

/* Index one found file. Returns < 0 only for errors that end the run (the
 * database failed); a bad file is reported and counted. */
static int S_process(writer *W, frec *r, ns_err *err)
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
    if (r->stat_errno) {
        char msg[128] = "", line[160];
        strerror_r(r->stat_errno, msg, sizeof msg);
        snprintf(line, sizeof line, "cannot read: %s", msg);
        S_fail(W, r, line);
        return 0;
    }
    if (r->not_regular) {
        S_fail(W, r, "cannot read: not a regular file");
        return 0;
    }
    if (r->id && r->size == r->wsize && r->mtime == r->wmtime) {
        W->st.unchanged++;
        r->counted = 'n';
        return 0;
    }
    if (!W->codec && (rc = ns_record_codec_new(&W->codec, err)) < 0)
        goto done;
    if (ns_article_read_file(r->path, &data, &len, &size, &mtime, &ferr) < 0 ||
        ns_index_build(&b, W->a, W->codec, R->v, r->display, r->default_id, data, len, &ferr) < 0) {
        S_fail(W, r, ferr.msg);
        goto done;
    }
    const char *id = b.art.id;
    frec *owner = S_get(&W->by_id, id, strlen(id));
    int existed = r->id != NULL;
    if (owner && owner != r && !R->bulk && !owner->seen) {
        if ((rc = S_take_id(W, r, owner, id, err)) <= 0)
            goto done;
        existed = 1;  /* the article was in the index, from its old place */
        owner = NULL;
    }
    if (owner && owner != r) {
        if (!R->bulk) {
            rc = S_fail_dup(W, r, id, owner, err);
            goto done;
        }
        /* The owner may itself lose the id to a file of another shard. */
        dupfile *p = W->dups;
        if (W->ndups == W->capdups) {
            size_t cap = W->capdups ? W->capdups * 2 : 16;
            if (!(p = realloc(W->dups, cap * sizeof *p))) {
                rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                goto done;
            }
            W->dups = p;
            W->capdups = cap;
        }
        if (!(W->dups[W->ndups].id = strdup(id))) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        W->dups[W->ndups].owner = NULL;
        W->dups[W->ndups++].r = r;
        W->st.failed++;
        goto done;
    }
    if ((rc = S_begin(W, err)) < 0)
        goto done;
    /* A changed id leaves the old document behind unless deleted here. */
    if ((rc = S_drop_id(W, r, r->id && strcmp(r->id, id) != 0, err)) < 0)
        goto done;
    if ((rc = S_idterm(&W->tmp, id, err)) < 0 ||
        (rc = ns_xwdb_replace(W->w, W->tmp.data, W->tmp.len, b.doc, err)) < 0)
        goto done;
    for (size_t i = 0; i < b.nspell; i++)
        if (S_spell_add(W, b.spell[i]) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    ns_buf_reset(&W->tmp);
    if (ns_buf_printf(&W->tmp, "%" PRId64 " %" PRId64 " %s", size, mtime, id) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = S_set_file_meta(W, r->key, r->klen, W->tmp.data, W->tmp.len, err)) < 0)
        goto done;
    if (!(r->id = strdup(id)) || S_put(&W->by_id, r->id, strlen(r->id), r) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
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
    for (size_t i = 0; i < b.art.nwarnings; i++)
        S_report(R, 1, r->display, b.art.warnings[i]);
done:
    ns_index_built_clear(&b);
    free(data);
    return rc;
}

static void S_writer_free(writer *W)
{
    ns_xwdb_free(W->w);  /* after a failure: cancels the open transaction */
    W->w = NULL;
    ns_analyzer_free(W->a);
    W->a = NULL;
    ns_record_codec_free(W->codec);
    W->codec = NULL;
    S_hmap_free(&W->by_id);
    for (size_t i = 0; i < W->spell.nb; i++)
        for (hnode *x = W->spell.b[i]; x; x = x->next)
            free((char *)x->key);
    S_hmap_free(&W->spell);
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
            dir = !slash              ? strdup(".")
                  : slash == paths[i] ? strdup("/")
                                      : strndup(paths[i], (size_t)(slash - paths[i]));
        }
        if (!dir)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        rt->abs = realpath(dir, NULL);
        int e = errno;
        free(dir);
        if (rt->abs && !(rt->real = rt->is_dir ? strdup(rt->abs) : realpath(paths[i], NULL)))
            e = errno;
        if (!rt->abs || !rt->real) {
            char msg[128] = "";
            strerror_r(e, msg, sizeof msg);
            return ns_err_set(err, NS_ENOTFOUND, "'%s': %s", paths[i], msg);
        }
    }
    return 0;
}

/* ---- the database path (dbpath.h) ---- */

static int S_classify(run *R, ns_dbpath_kind *kind, ns_err *err)
{
    free(R->foreign_name);
    R->foreign_name = NULL;
    return ns_dbpath_classify(kind, &R->foreign_name, R->db, R->o->db_path, err);
}

static int S_check_same_fs(run *R, ns_err *err)
{
    return ns_dbpath_same_fs(R->db, R->o->db_path, err);
}

/* Refuse a database that is, holds or lies inside a PATH being indexed:
 * one would be written into the other (issue #13: `nindex --db corpus
 * corpus` replaced the articles by the database). Real paths, links
 * resolved; a PATH that is a file counts as itself. */
static int S_check_overlap(run *R, ns_err *err)
{
    for (size_t i = 0; i < R->nroots; i++) {
        const char *why = ns_dbpath_overlap(R->db, R->tmpdir, R->roots[i].real);
        if (why)
            return ns_err_set(err, NS_EINVAL,
                              "database '%s' %s '%s' being indexed: choose a --db outside the "
                              "articles", R->o->db_path, why, R->roots[i].arg);
    }
    return 0;
}

/* Make the temporary directory ours (or find it is), or refuse. */
static int S_claim_tmpdir(run *R, ns_err *err)
{
    int made = 0, rc;
    if (R->tmp_ours)
        return 0;
    if ((rc = ns_dbpath_tmp_claim(R->tmpdir, R->o->db_path, &made, err)) == 0) {
        R->tmp_ours = 1;
        R->tmp_made |= made;
    }
    return rc;
}

/* Remove our temporary directory; what is not nindex's stays, with it,
 * and a warning says so. */
static void S_remove_tmpdir(run *R)
{
    char *kept = NULL;
    if (!R->tmp_ours)
        return;
    if (ns_dbpath_tmp_remove(R->tmpdir, &kept) == 0) {
        R->tmp_ours = 0;
        return;
    }
    ns_buf msg = NS_BUF_INIT;
    if (ns_buf_printf(&msg, "kept: it holds '%s', which nindex did not make",
                      kept ? kept : "?") == 0)
        S_report(R, 1, R->tmpdir, msg.data);
    ns_buf_free(&msg);
    free(kept);
}

static int S_check_schema(char *val, size_t vlen)
{
    char want[32];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    return vlen == strlen(want) && memcmp(val, want, vlen) == 0;
}

static int S_set_schema(writer *W, ns_err *err)
{
    char want[32];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    int rc = S_begin(W, err);
    if (rc == 0)
        rc = ns_xwdb_set_metadata(W->w, NS_META_SCHEMA, want, strlen(want), err);
    return rc;
}

/* Take the writer lock and choose the mode, after classifying the database
 * path (S_classify). An nsearch database: open it (never creating) as a
 * writer, which is the lock; incremental unless it holds no article or a
 * rebuild is asked. No database yet, or an empty folder: lock
 * "<tmpdir>/lock" instead, and build. A bulk run first makes sure the
 * temporary directory is ours. */
static int S_lock(run *R, ns_err *err)
{
    const char *shown = R->o->db_path;
    ns_err e;
    int rc;
    ns_dbpath_kind kind;
    ns_buf lockpath = NS_BUF_INIT;
    if (ns_buf_printf(&lockpath, "%s/lock", R->tmpdir) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (int tries = 0;; tries++) {
        ns_err_clear(&e);
        if ((rc = S_classify(R, &kind, err)) < 0)
            goto done;
        /* A rebuild is refused before the database is touched. */
        if (kind == NS_DBPATH_NSEARCH && R->o->rebuild && R->foreign_name) {
            /* The swap would carry it off with the old database. */
            rc = ns_err_set(err, NS_EINVAL,
                            "database '%s' holds '%s', which is not part of a Xapian database: "
                            "move it out before rebuilding", shown, R->foreign_name);
            goto done;
        }
        if (kind == NS_DBPATH_NSEARCH && R->o->rebuild &&
            ((rc = S_check_same_fs(R, err)) < 0 || (rc = S_claim_tmpdir(R, err)) < 0))
            goto done;
        if (kind == NS_DBPATH_NSEARCH) {
            rc = ns_xwdb_open(&R->lockw, R->db, NS_XWDB_OPEN, &e);
            if (rc == NS_ELOCKED) {
                rc = ns_err_set(err, rc, "database '%s' is locked by another writer", shown);
                goto done;
            }
            if (rc < 0) {
                rc = ns_err_set(err, rc, "cannot open database '%s': %s", shown, e.msg);
                goto done;
            }
            char *val = NULL;
            size_t vlen = 0;
            unsigned docs = 0;
            if ((rc = ns_xwdb_get_metadata(R->lockw, NS_META_SCHEMA, &val, &vlen, err)) < 0 ||
                (rc = ns_xwdb_doccount(R->lockw, &docs, err)) < 0) {
                free(val);
                goto done;
            }
            if (!R->o->rebuild && !S_check_schema(val, vlen))
                rc = ns_err_set(err, NS_EINVAL,
                                "database '%s' has schema version %.*s, this nindex writes %d: "
                                "run with --rebuild", shown, (int)(vlen > 20 ? 20 : vlen),
                                val, NS_SCHEMA_VERSION);
            free(val);
            if (rc < 0)
                goto done;
            R->db_existed = 1;
            R->bulk = R->o->rebuild || docs == 0;
            if (R->bulk && R->foreign_name) {
                rc = ns_err_set(err, NS_EINVAL,
                                "database '%s' holds '%s', which is not part of a Xapian "
                                "database: move it out before building the database anew",
                                shown, R->foreign_name);
                goto done;
            }
            if (R->bulk && ((rc = S_check_same_fs(R, err)) < 0 ||
                            (rc = S_claim_tmpdir(R, err)) < 0))
                goto done;
            goto done;
        }
        /* No database yet (or an empty folder for it): nobody can hold its
         * lock, so the temporary directory's lock database serialises the
         * runs that create it. */
        if ((kind == NS_DBPATH_EMPTY_DIR && (rc = S_check_same_fs(R, err)) < 0) ||
            (rc = S_claim_tmpdir(R, err)) < 0)
            goto done;
        rc = ns_xwdb_open(&R->lockw, lockpath.data, NS_XWDB_CREATE_OR_OPEN, &e);
        if (rc == NS_ELOCKED) {
            rc = ns_err_set(err, rc, "database '%s' is locked by another writer", shown);
            goto done;
        }
        if (rc < 0) {
            rc = ns_err_set(err, rc, "cannot create database '%s': %s", shown, e.msg);
            goto done;
        }
        /* The run that held the lock may have just created the database. */
        ns_dbpath_kind now;
        if ((rc = S_classify(R, &now, err)) < 0)
            goto done;
        if (now != kind && tries < 3) {
            ns_xwdb_free(R->lockw);
            R->lockw = NULL;
            continue;
        }
        R->db_existed = 0;
        R->db_empty_dir = kind == NS_DBPATH_EMPTY_DIR;
        R->bulk = 1;
        goto done;
    }
done:
    ns_buf_free(&lockpath);
    return rc;
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

static void S_add_stats(ns_index_stats *to, const ns_index_stats *from)
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
static void S_facet_table_failed(run *R, const ns_err *terr)
{
    char msg[sizeof terr->msg + 80];
    snprintf(msg, sizeof msg, "facet table not written (searches count facets more slowly): %s",
             terr->msg);
    S_report(R, 1, R->o->db_path, msg);
}

/* The suggestion dictionary (src/sdict.h) of w, outside a transaction and
 * before the facet table (its commit would make that table stale): when
 * documents changed, or the database has none yet. A failure costs only
 * speed (searches fall back to Xapian's spelling lookup): a warning. */
static void S_write_sdict(run *R, ns_xwdb *w, int changed)
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
        S_report(R, 1, R->o->db_path, msg);
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
        frec *f = S_get(&R->by_path, o->path, strlen(o->path));
        if (!f || f == o)
            continue;
        if (f->id && strcmp(f->id, o->id) != 0) {
            rc = S_remove(W, o, err);
            continue;
        }
        if (f->id) {
            /* One document: only the second record goes. */
            if ((rc = S_begin(W, err)) < 0 ||
                (rc = S_set_file_meta(W, o->key, o->klen, "", 0, err)) < 0)
                break;
            if (S_get(&W->by_id, o->id, strlen(o->id)) == o &&
                S_put(&W->by_id, f->id, strlen(f->id), f) < 0)
                goto nomem;
            free(o->id);
            o->id = NULL;
            W->pending++;
            rc = S_commit(W, 0, err);
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
        const char *rel = S_rel(f);
        size_t n = strlen(rel);
        free(f->default_id);
        if (!(f->default_id = strndup(rel, n > 3 && !strcmp(rel + n - 3, ".md") ? n - 3 : n)) ||
            S_put(&R->by_key, f->key, f->klen, f) < 0 || S_put(&R->by_key, o->key, o->klen, o) < 0 ||
            S_put(&W->by_id, f->id, strlen(f->id), f) < 0)
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
    int rc = S_idterm(&W->tmp, r->id, err);
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
    r->size = -1;  /* S_process reads it again */
    return 0;
}

/* A moved or renamed PATH (issue #13: after `mv /a /b`, every article of
 * /b/corpus failed with "id ... is already used by /a/corpus/..."). A file
 * found without a record takes over the record of a file that is gone from
 * where it was recorded, under another root, with the same path relative
 * to that root, the same size and the same modification time (as `mv`
 * keeps them): re-keyed, its document's stored path updated, the file
 * unchanged. When several records fit, none is taken: the file is read,
 * and S_process settles its id. */
static int S_match_moved(writer *W, ns_err *err)
{
    run *R = W->R;
    hmap by_rel;
    memset(&by_rel, 0, sizeof by_rel);
    int rc = 0;
    for (size_t i = 0; i < R->nrecs; i++) {
        frec *o = R->recs[i];
        if (!o->id || o->seen)
            continue;
        size_t rl = o->klen - o->rootlen - 1;
        o->same_rel = S_get(&by_rel, S_rel(o), rl);
        if (S_put(&by_rel, S_rel(o), rl, o) < 0)
            goto nomem;
    }
    for (size_t i = 0; i < R->ntodo && by_rel.n && rc == 0; i++) {
        frec *f = R->todo[i], *match = NULL;
        if (f->id || f->stat_errno || f->not_regular)
            continue;
        int n = 0;
        for (frec *o = S_get(&by_rel, S_rel(f), f->klen - f->rootlen - 1); o; o = o->same_rel)
            if (o->id && o->size == f->wsize && o->mtime == f->wmtime && S_gone(o)) {
                match = o;
                n++;
            }
        if (n != 1)
            continue;
        ns_buf_reset(&W->tmp);
        if (ns_buf_printf(&W->tmp, "%" PRId64 " %" PRId64 " %s", match->size, match->mtime,
                          match->id) < 0)
            goto nomem;
        if ((rc = S_begin(W, err)) < 0 ||
            (rc = S_set_file_meta(W, f->key, f->klen, W->tmp.data, W->tmp.len, err)) < 0 ||
            (rc = S_set_file_meta(W, match->key, match->klen, "", 0, err)) < 0)
            break;
        f->id = match->id;
        match->id = NULL;
        f->size = match->size;
        f->mtime = match->mtime;
        if (S_put(&W->by_id, f->id, strlen(f->id), f) < 0 || S_mark_moved(R, match) < 0)
            goto nomem;
        if ((rc = S_repath(W, f, err)) < 0)
            break;
        W->pending++;
        rc = S_commit(W, 0, err);
    }
    S_hmap_free(&by_rel);
    return rc;
nomem:
    S_hmap_free(&by_rel);
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
            S_report(R, 0, f->r->display, m.data);
            continue;
        }
        if (ns_buf_printf(&m, "%zu files not indexed: their ids belong to articles indexed "
                              "from '%.*s', which still exists (%s has the id '%s' of %s); if "
                              "the articles moved here, run nindex with --rebuild (or move the "
                              "old folder away first); if both are archives, give the articles "
                              "distinct ids",
                          n, (int)ol, f->owner->key, f->r->display, f->id, f->owner->path) < 0)
            goto nomem;
        S_report(R, 0, R->roots[ri].arg, m.data);
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
    if (!vlen && (rc = S_set_schema(W, err)) < 0)
        goto done;
    if ((rc = ns_xwdb_metadata_each(W->w, NS_META_FILE_PREFIX, S_load_meta, W, err)) < 0 ||
        R->meta_rc < 0) {
        if (rc == 0)
            rc = ns_err_set(err, R->meta_rc, "out of memory loading the file records");
        goto done;
    }
    if ((rc = S_merge_paths(W, err)) < 0)
        goto done;
    for (size_t i = 0; i < R->nrecs; i++) {
        frec *r = R->recs[i];
        if (r->id && !r->seen && S_in_walked_root(R, r) && (rc = S_remove(W, r, err)) < 0)
            goto done;
    }
    if ((rc = S_match_moved(W, err)) < 0)
        goto done;
    for (size_t i = 0; i < R->ntodo; i++) {
        if (R->o->stop && *R->o->stop) {
            R->st->interrupted = 1;
            break;
        }
        if ((rc = S_process(W, R->todo[i], err)) < 0 || (rc = S_commit(W, 0, err)) < 0)
            goto done;
        S_progress(R);
    }
    /* What is left of a moved folder: files deleted before or after the move. */
    for (size_t i = 0; i < R->nrecs && R->nmoved && !R->st->interrupted; i++) {
        frec *r = R->recs[i];
        if (r->id && !r->seen && S_is_moved(R, r) && S_gone(r) && (rc = S_remove(W, r, err)) < 0)
            goto done;
    }
    if ((rc = S_report_foreign(R, err)) < 0)
        goto done;
    if ((rc = S_commit(W, 1, err)) == 0) {
        ns_err terr = { 0, "" };
        S_write_sdict(R, W->w, W->st.added + W->st.updated + W->st.removed > 0);
        if (ns_xwdb_write_facet_table(W->w, NS_SLOT_FACETS, &terr) < 0)
            S_facet_table_failed(R, &terr);
        rc = ns_xwdb_close(W->w, err);
    }
done:
    free(val);
    W->a = NULL;
    S_add_stats(R->st, &W->st);
    return rc;
}

/* ---- bulk mode: shards in threads, merged and swapped in ---- */

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
        if ((rc = S_process(W, W->files[i], &W->err)) < 0 || (rc = S_commit(W, 0, &W->err)) < 0)
            break;
        S_progress(R);
    }
    if (rc == 0)
        rc = S_commit(W, 1, &W->err);
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
        hmap *m = &R->ws[j].spell;
        for (size_t i = 0; i < m->nb && rc == 0; i++)
            for (hnode *x = m->b[i]; x && rc == 0; x = x->next) {
                if (S_hash(x->key, x->klen) % J != W->k)
                    continue;
                uintptr_t total = (uintptr_t)x->val;
                int first = 1;
                for (unsigned o = 0; o < J && first; o++) {
                    void *c = o == j ? NULL : S_get(&R->ws[o].spell, x->key, x->klen);
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
        rc = S_begin(W, &W->err);
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
 * it unless it is unreadable or of another schema; else start it afresh. */
static int S_shard_open(run *R, writer *W, int resume, ns_err *err)
{
    ns_err e;
    ns_err_clear(&e);
    ns_buf p = NS_BUF_INIT;
    int rc;
    if (ns_buf_printf(&p, "%s/shard-%u", R->tmpdir, W->k) < 0 || !(W->path = ns_buf_detach(&p))) {
        ns_buf_free(&p);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    struct stat st;
    if (resume && stat(W->path, &st) == 0) {
        char *val = NULL;
        size_t vlen = 0;
        rc = ns_xwdb_open(&W->w, W->path, NS_XWDB_CREATE_OR_OPEN, &e);
        if (rc == 0 && (rc = ns_xwdb_get_metadata(W->w, NS_META_SCHEMA, &val, &vlen, &e)) == 0 &&
            (!vlen || !S_check_schema(val, vlen)))
            rc = NS_EINVAL;
        free(val);
        if (rc == 0)
            return 0;
        ns_xwdb_free(W->w);
        W->w = NULL;
    }
    ns_dbpath_rmtree(W->path);  /* in our temporary directory */
    ns_err_clear(&e);
    if ((rc = ns_xwdb_open(&W->w, W->path, NS_XWDB_CREATE_OR_OPEN, &e)) < 0)
        return ns_err_set(err, rc, "cannot create '%s': %s", W->path, e.msg);
    if ((rc = S_set_schema(W, err)) < 0 || (rc = S_commit(W, 1, err)) < 0)
        return rc;
    return 0;
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
    if ((rc = S_begin(W, err)) < 0)
        return rc;
    for (size_t i = 0; i < W->nstale; i++) {
        const char *key = W->stale[i];
        size_t klen = strlen(key);
        const char *id = key + klen + 1;
        if (*id && (rc = S_delete_id(W, id, err)) < 0)
            return rc;
        if ((rc = ns_xwdb_set_metadata(W->w, key, "", 0, err)) < 0)
            return rc;
    }
    return S_commit(W, 1, err);
}

static int S_byord(const void *a, const void *b)
{
    const dupfile *x = a, *y = b;
    return x->r->ord < y->r->ord ? -1 : x->r->ord > y->r->ord;
}

/* Two shards may each have given the same id to a file. The file first in
 * processing order keeps it, as in a single-writer run; the others are
 * deleted from their shards and reported as failed, naming the keeper. */
static int S_settle_ids(run *R, ns_err *err)
{
    hmap win;
    memset(&win, 0, sizeof win);
    dupfile *lost = NULL;
    size_t nlost = 0, caplost = 0;
    int rc = 0;
    for (unsigned k = 0; k < R->nw && rc == 0; k++) {
        writer *W = &R->ws[k];
        for (size_t i = 0; i < W->by_id.nb && rc == 0; i++)
            for (hnode *x = W->by_id.b[i]; x && rc == 0; x = x->next) {
                frec *r = x->val, *w0 = S_get(&win, x->key, x->klen), *loser = NULL;
                if (!w0) {
                    if (S_put(&win, r->id, strlen(r->id), r) < 0)
                        rc = NS_ENOMEM;
                    continue;
                }
                if (r->ord < w0->ord) {
                    loser = w0;
                    if (S_put(&win, r->id, strlen(r->id), r) < 0)
                        rc = NS_ENOMEM;
                } else {
                    loser = r;
                }
                if (rc == 0 && nlost == caplost) {
                    size_t cap = caplost ? caplost * 2 : 16;
                    dupfile *p = realloc(lost, cap * sizeof *p);
                    if (!p)
                        rc = NS_ENOMEM;
                    else {
                        lost = p;
                        caplost = cap;
                    }
                }
                if (rc == 0) {
                    lost[nlost].r = loser;
                    lost[nlost].owner = NULL;
                    lost[nlost++].id = loser->id;
                }
            }
    }
    if (rc < 0) {
        rc = ns_err_set(err, rc, "out of memory");
        goto done;
    }
    /* Delete the losers (their by_id entries stay: the maps are done with). */
    for (size_t i = 0; i < nlost; i++) {
        frec *r = lost[i].r;
        writer *W = &R->ws[r->shard];
        if ((rc = S_begin(W, err)) < 0 || (rc = S_delete_id(W, r->id, err)) < 0 ||
            (rc = S_set_file_meta(W, r->key, r->klen, "", 0, err)) < 0)
            goto done;
        if (r->counted == 'a')
            W->st.added--;
        else if (r->counted == 'u')
            W->st.updated--;
        else if (r->counted == 'n')
            W->st.unchanged--;
        W->st.failed++;
    }
    /* Report every refused file in processing order, naming the keeper. */
    for (unsigned k = 0; k < R->nw; k++) {
        writer *W = &R->ws[k];
        for (size_t i = 0; i < W->ndups; i++) {
            if (nlost == caplost) {
                size_t cap = caplost ? caplost * 2 : 16;
                dupfile *p = realloc(lost, cap * sizeof *p);
                if (!p) {
                    rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                    goto done;
                }
                lost = p;
                caplost = cap;
            }
            lost[nlost++] = W->dups[i];
        }
    }
    if (nlost)
        qsort(lost, nlost, sizeof *lost, S_byord);
    for (size_t i = 0; i < nlost; i++) {
        const frec *owner = S_get(&win, lost[i].id, strlen(lost[i].id));
        ns_buf m = NS_BUF_INIT;
        if (ns_buf_printf(&m, "id '%s' is already used by %s", lost[i].id,
                          owner ? S_display(owner) : "another file") < 0) {
            ns_buf_free(&m);
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        S_report(R, 0, lost[i].r->display, m.data);
        ns_buf_free(&m);
    }
done:
    free(lost);
    S_hmap_free(&win);
    return rc;
}

/* The suggestion dictionary and the facet table of the merged database,
 * before it is swapped in. */
static void S_write_facet_table(run *R, const char *path)
{
    ns_xwdb *w = NULL;
    ns_err terr = { 0, "" };
    if (ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &terr) < 0) {
        S_facet_table_failed(R, &terr);
        return;
    }
    S_write_sdict(R, w, 1);
    if (ns_xwdb_write_facet_table(w, NS_SLOT_FACETS, &terr) < 0 || ns_xwdb_close(w, &terr) < 0)
        S_facet_table_failed(R, &terr);
    ns_xwdb_free(w);
}

static int S_bulk(run *R, ns_err *err)
{
    int rc = 0, keep_tmp = 0;
    unsigned J = R->o->jobs ? R->o->jobs : 1;
    if (J > NS_INDEX_JOBS_MAX)
        J = NS_INDEX_JOBS_MAX;
    if (J > R->ntodo)
        J = R->ntodo ? (unsigned)R->ntodo : 1;
    ns_buf fresh = NS_BUF_INIT, old = NS_BUF_INIT;
    const char **srcs = NULL;
    R->st->bulk = 1;
    if (!(R->ws = calloc(J, sizeof *R->ws)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    R->nw = J;
    for (unsigned k = 0; k < J; k++) {
        R->ws[k].R = R;
        R->ws[k].k = k;
        R->ws[k].batch = R->o->batch ? R->o->batch : NS_INDEX_BULK_BATCH;
    }
    if ((rc = S_claim_tmpdir(R, err)) < 0)  /* done by S_lock: a no-op */
        goto done;
    S_clean_tmpdir(R);
    for (size_t i = 0; i < R->ntodo; i++) {
        frec *r = R->todo[i];
        r->shard = (unsigned)(S_hash(r->key, r->klen) % J);
        writer *W = &R->ws[r->shard];
        if (S_push(&W->files, &W->nfiles, &W->capfiles, r) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    }
    /* Shards of an interrupted run are kept only if it stopped cleanly (its
     * spelling words were written out): the marker goes before anything
     * changes, so a crash from here on means starting over. */
    ns_buf marker = NS_BUF_INIT;
    if (ns_buf_printf(&marker, "%s/resumable", R->tmpdir) < 0) {
        ns_buf_free(&marker);
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    struct stat mst;
    int resume = stat(marker.data, &mst) == 0;
    unlink(marker.data);
    for (unsigned k = 0; k < J && rc == 0; k++) {
        writer *W = &R->ws[k];
        if ((rc = ns_analyzer_new(&W->a, err)) < 0 || (rc = S_shard_open(R, W, resume, err)) < 0)
            break;
        rc = ns_xwdb_metadata_each(W->w, NS_META_FILE_PREFIX, S_load_shard_meta, W, err);
        if (rc < 0 || R->meta_rc < 0) {
            if (rc == 0)
                rc = ns_err_set(err, R->meta_rc, "out of memory loading the file records");
            break;
        }
        rc = S_drop_stale(W, err);
    }
    if (rc == 0 && (rc = S_threads(R, S_worker, err)) == 0) {
        int stopped = 0;
        for (unsigned k = 0; k < J; k++)
            stopped |= R->ws[k].stopped;
        rc = S_threads(R, S_speller, err);
        if (rc == 0 && stopped) {
            /* The shards hold their last commits and their spelling words;
             * the database is untouched. */
            for (unsigned k = 0; k < J; k++)
                S_add_stats(R->st, &R->ws[k].st);
            R->st->interrupted = 1;
            for (unsigned k = 0; k < J; k++) {
                writer *W = &R->ws[k];
                for (size_t i = 0; i < W->ndups && rc == 0; i++)
                    rc = S_fail_dup(W, W->dups[i].r, W->dups[i].id,
                                    S_get(&W->by_id, W->dups[i].id, strlen(W->dups[i].id)), err);
                W->st.failed -= W->ndups;  /* S_fail_dup counted them again */
            }
            for (unsigned k = 0; k < J && rc == 0; k++)
                rc = ns_xwdb_close(R->ws[k].w, err);
            if (rc == 0) {
                int fd = open(marker.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
                if (fd >= 0)
                    close(fd);
                keep_tmp = 1;
            }
            ns_buf_free(&marker);
            goto done;
        }
    }
    ns_buf_free(&marker);
    if (rc < 0)
        goto done;
    if ((rc = S_settle_ids(R, err)) < 0)
        goto done;
    for (unsigned k = 0; k < J; k++)
        S_add_stats(R->st, &R->ws[k].st);
    if (!(srcs = calloc(J, sizeof *srcs))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    for (unsigned k = 0; k < J; k++) {
        writer *W = &R->ws[k];
        if ((rc = S_commit(W, 1, err)) < 0 || (rc = ns_xwdb_close(W->w, err)) < 0)
            goto done;
        srcs[k] = W->path;
    }
    /* Compaction merges the shards (documents renumbered, metadata and
     * spelling tables merged) into the smallest form of the index. */
    if (ns_buf_printf(&fresh, "%s/new", R->tmpdir) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = ns_xcompact(fresh.data, srcs, J, err)) < 0)
        goto done;
    S_write_facet_table(R, fresh.data);
    /* The real database is swapped: a --db that is a link stays one. */
    if (old.len == 0 && ns_buf_printf(&old, "%s/old", R->tmpdir) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = ns_dbpath_install(fresh.data, R->db,
                                R->db_existed     ? NS_DBPATH_EXCHANGE
                                : R->db_empty_dir ? NS_DBPATH_MOVE_INTO
                                                  : NS_DBPATH_RENAME,
                                old.data, err)) < 0)
        goto done;
done:
    /* The lock goes last: until the old database is out of the way, no
     * other run may start. It wrote nothing, so closing writes nothing. */
    for (unsigned k = 0; k < R->nw; k++)
        S_writer_free(&R->ws[k]);
    ns_xwdb_free(R->lockw);
    R->lockw = NULL;
    if (!keep_tmp)
        S_remove_tmpdir(R);
    else if (!(R->st->tmpdir = strdup(R->tmpdir)))
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
    free(srcs);
    ns_buf_free(&fresh);
    ns_buf_free(&old);
    return rc;
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
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.cv, NULL);
    atomic_init(&R.stop, 0);
    if (n == 0) {
        rc = ns_err_set(err, NS_EINVAL, "no PATH to index");
        goto done;
    }
    if (!opts->db_path || !*opts->db_path) {
        rc = ns_err_set(err, NS_EINVAL, "no database path");
        goto done;
    }
    if ((rc = S_roots(&R, paths, n, err)) < 0)
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
    if ((rc = S_check_overlap(&R, err)) < 0)
        goto done;
    if ((rc = ns_analyzer_new(&R.a, err)) < 0 || (rc = ns_vendors_new(&R.v, R.a, err)) < 0)
        goto done;
    if ((rc = S_lock(&R, err)) < 0)
        goto done;
    if ((rc = S_walk_roots(&R, err)) < 0)
        goto done;
    stats->total = R.ntodo;
    if (R.bulk) {
        R.tmp_made = 0;  /* S_bulk removes or keeps the temporary directory */
        rc = S_bulk(&R, err);
    } else {
        /* A temporary directory left by an interrupted bulk run is of no
         * use to an incremental one (and nobody else may use it: the lock
         * is ours). One without our marker is not ours: left alone. */
        if (ns_dbpath_tmp_marked(R.tmpdir)) {
            R.tmp_ours = 1;
            S_remove_tmpdir(&R);
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
    for (unsigned k = 0; k < R.nw; k++)
        S_writer_free(&R.ws[k]);
    free(R.ws);
    /* Failed before building: the temporary directory goes if this run
     * made it (it then holds only the lock). */
    ns_xwdb_free(R.lockw);
    if (R.tmp_made)
        S_remove_tmpdir(&R);
    ns_vendors_free(R.v);
    ns_analyzer_free(R.a);
    for (size_t i = 0; i < R.nrecs; i++)
        S_frec_free(R.recs[i]);
    free(R.recs);
    free(R.todo);
    S_hmap_free(&R.by_key);
    S_hmap_free(&R.by_path);
    for (size_t i = 0; i < R.nroots; i++) {
        free(R.roots[i].abs);
        free(R.roots[i].real);
        if (R.lists) {
            for (size_t j = 0; j < R.lists[i].n; j++)
                free(R.lists[i].v[j].rel);
            free(R.lists[i].v);
        }
    }
    free(R.lists);
    free(R.roots);
    for (size_t i = 0; i < R.nlinks; i++)
        free(R.links[i].rel);
    free(R.links);
    free(R.dirs.v);
    free(R.files.v);
    for (size_t i = 0; i < R.nmoved; i++)
        free(R.moved[i]);
    free(R.moved);
    for (size_t i = 0; i < R.nforeign; i++)
        free(R.foreign[i].id);
    free(R.foreign);
    free(R.foreign_name);
    ns_buf_free(&R.tmp);
    free(R.db);
    free(R.tmpdir);
    pthread_cond_destroy(&R.cv);
    pthread_mutex_destroy(&R.mu);
    return rc;
}

void ns_index_stats_clear(ns_index_stats *st)
{
    if (!st)
        return;
    free(st->tmpdir);
    st->tmpdir = NULL;
}
