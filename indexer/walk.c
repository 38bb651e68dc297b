/* walk.c: find the article files under the PATHs given (see run.h): each
 * root's own tree first, then the symbolic links met, each directory and
 * file once by device and inode (issue #13: 16 levels of two links each
 * indexed 131,072 copies of one file); a link leading outside the PATHs is
 * reported and skipped unless opts->follow_symlinks. The files found become
 * records queued in R->todo in processing order. */
#include "run.h"

#include "dbpath.h"
#include "list.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    if (ns_array_room(&l->v, l->n, &l->cap, sizeof *l->v, 64) < 0)
        return NS_ENOMEM;
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

/* The names in the open directory d but the dot entries (.git, editor
 * files), sorted, into *names (malloc'd, as its strings). NS_ENOMEM. */
static int S_list_dir(DIR *d, char ***names, size_t *n)
{
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *name = strdup(e->d_name);
        if (!name || ns_ptrs_push(names, n, &cap, name) < 0) {
            free(name);
            return NS_ENOMEM;
        }
    }
    if (*n)
        qsort(*names, *n, sizeof **names, S_cmpstr);
    return 0;
}

/* Keep the symbolic link rel of root ri for S_follow_links (rel is taken). */
static int S_add_link(run *R, size_t ri, char *rel)
{
    if (R->nlinks == R->caplinks) {
        size_t c = R->caplinks ? R->caplinks * 2 : 16;
        linkref *p = realloc(R->links, c * sizeof *p);
        if (!p) {
            free(rel);
            return NS_ENOMEM;
        }
        R->links = p;
        R->caplinks = c;
    }
    R->links[R->nlinks].root_i = ri;
    R->links[R->nlinks++].rel = rel;
    return 0;
}

static int S_walk_dir(run *R, size_t ri, const char *rel, ns_err *err);

/* One entry name of the directory rel of root ri, at full (its path) and
 * sub (its rel): a link kept, a directory walked (once), a *.md file noted. */
static int S_walk_entry(run *R, size_t ri, const char *name, const char *full, ns_buf *sub,
                        ns_err *err)
{
    struct stat st;
    if (lstat(full, &st) < 0) {
        /* gone since the listing: nothing to index; else a file to report */
        if (errno != ENOENT && S_ends_md(name) && S_add_found(R, ri, sub->data, NULL, errno) < 0)
            return NS_ENOMEM;
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        char *l = ns_buf_detach(sub);
        return l ? S_add_link(R, ri, l) : NS_ENOMEM;
    }
    if (S_ISDIR(st.st_mode)) {
        int added = S_idset_add(&R->dirs, st.st_dev, st.st_ino);
        if (added < 0)
            return NS_ENOMEM;
        return added ? S_walk_dir(R, ri, sub->data, err) : 0;
    }
    if (S_ends_md(name)) {
        int added = S_idset_add(&R->files, st.st_dev, st.st_ino);
        if (added < 0 || (added && S_add_found(R, ri, sub->data, &st, 0) < 0))
            return NS_ENOMEM;
    }
    return 0;
}

/* Walk the directory rel ("" for the root) of root ri, which the caller has
 * entered in R->dirs: its files named *.md, its sub-directories (each once,
 * by device and inode), in name order; dot entries are skipped and symbolic
 * links are kept for S_follow_links. A directory that cannot be read is
 * reported, counted as failed, and marks its root: nothing under it is
 * removed. NS_ENOMEM is the only error (err names the root). */
static int S_walk_dir(run *R, size_t ri, const char *rel, ns_err *err)
{
    root *rt = &R->roots[ri];
    int rc = 0;
    ns_buf dir = NS_BUF_INIT, full = NS_BUF_INIT, sub = NS_BUF_INIT;
    char **names = NULL;
    size_t n = 0;
    DIR *d = NULL;
    if (ns_buf_printf(&dir, "%s%s%s", rt->abs, *rel ? "/" : "", rel) < 0)
        goto nomem;
    if (!(d = opendir(dir.data))) {
        char msg[NS_ERRNO_MSG_MAX];
        ns_errno_msg(errno, msg, sizeof msg);
        rt->walk_failed = 1;
        R->st->failed++;
        if (S_show(&sub, rt, rel) < 0 || ns_buf_printf(&full, "cannot read directory: %s", msg) < 0)
            goto nomem;
        ns_run_report(R, 0, sub.data, full.data);
        goto done;
    }
    rc = S_list_dir(d, &names, &n);
    closedir(d);
    if (rc < 0)
        goto nomem;
    for (size_t i = 0; i < n && rc == 0; i++) {
        ns_buf_reset(&full);
        ns_buf_reset(&sub);
        if (ns_buf_printf(&full, "%s/%s", dir.data, names[i]) < 0 ||
            ns_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0)
            goto nomem;
        if ((rc = S_walk_entry(R, ri, names[i], full.data, &sub, err)) < 0)
            goto nomem;  /* NS_ENOMEM, the only error */
    }
    goto done;
nomem:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory walking '%s'", rt->arg);
done:
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
            ns_run_report(R, 1, show.data, msg.data);
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
    if (ns_frec_get(R, k->data, k->len, strlen(rt->abs), &r) < 0)
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
        ns_ptrs_push(&R->todo, &R->ntodo, &R->captodo, r) < 0 ||
        ns_hmap_put(&R->by_path, r->path, strlen(r->path), r) < 0) {
        ns_buf_free(&d);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    r->stat_errno = f->err;
    r->not_regular = f->not_regular;
    r->wsize = f->size;
    r->wmtime = f->mtime;
    return 0;
}

/* First each root's own tree, then the links met (so that a directory
 * reached both ways is walked by its real path), then each root's files in
 * sorted order become the processing order. */
int ns_walk(run *R, ns_err *err)
{
    int rc = 0;
    if (!(R->lists = calloc(R->nroots, sizeof *R->lists)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (size_t i = 0; i < R->nroots && rc == 0; i++) {
        root *rt = &R->roots[i];
        struct stat st;
        if (stat(rt->is_dir ? rt->abs : rt->real, &st) < 0)
            continue;  /* went away since ns_setup_roots: nothing found */
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
