/* dbpath.c: the database path and nindex's temporary directory (see
 * dbpath.h). */
#include "dbpath.h"

#include "buf.h"
#include "schema.h"
#include "shard.h"
#include "xapian_shim.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* renameat2(2) through syscall(2): the glibc wrapper needs _GNU_SOURCE,
 * which would also switch strerror_r to its GNU form. */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int S_renameat2(const char *from, const char *to, unsigned flags)
{
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
#else
    (void)from, (void)to, (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

/* Rename from to to unless to exists (where renameat2 is missing, a check
 * then a rename: the caller holds the lock that keeps other nindex runs
 * out). */
static int S_rename_noreplace(const char *from, const char *to)
{
    int rc = S_renameat2(from, to, RENAME_NOREPLACE);
    if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) {
        struct stat st;
        if (lstat(to, &st) == 0) {
            errno = EEXIST;
            return -1;
        }
        rc = rename(from, to);
    }
    return rc;
}

/* The folder of path (which has no trailing slash), malloc'd. */
static char *S_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    return !slash           ? strdup(".")
           : slash == path  ? strdup("/")
                            : strndup(path, (size_t)(slash - path));
}

static int S_dots(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..");
}

/* ---- resolving and classifying ---- */

/* Replace *cur, a symbolic link of size bytes, by its target (relative to
 * the link's folder). 0 or the error code (and *cur as it was). */
static int S_follow_link(char **cur, size_t size, const char *shown, ns_err *err)
{
    char msg[NS_ERRNO_MSG_MAX];
    ns_buf b = NS_BUF_INIT, t = NS_BUF_INIT;
    int rc = 0;
    if (ns_buf_reserve(&b, size + 1) < 0)
        goto nomem;
    ssize_t n = readlink(*cur, b.data, size + 1);
    if (n < 0 || (size_t)n > size) {
        ns_errno_msg(n < 0 ? errno : EAGAIN, msg, sizeof msg);
        rc = ns_err_set(err, NS_EIO, "database '%s': cannot read the link '%s': %s", shown,
                        *cur, msg);
        goto done;
    }
    b.data[n] = '\0';
    const char *slash = strrchr(*cur, '/');
    if ((b.data[0] != '/' && slash && ns_buf_append(&t, *cur, (size_t)(slash - *cur) + 1) < 0) ||
        ns_buf_puts(&t, b.data) < 0)
        goto nomem;
    while (t.len > 1 && t.data[t.len - 1] == '/')
        t.data[--t.len] = '\0';
    char *next = ns_buf_detach(&t);
    if (!next)
        goto nomem;
    free(*cur);
    *cur = next;
    goto done;
nomem:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory");
done:
    ns_buf_free(&b);
    ns_buf_free(&t);
    return rc;
}

/* cur is not there: a database to create, so its folder must be. *res: the
 * folder's real path and cur's name. 0 or the error code. */
static int S_resolve_new(const char *cur, const char *shown, char **res, ns_err *err)
{
    char msg[NS_ERRNO_MSG_MAX];
    const char *slash = strrchr(cur, '/');
    const char *name = slash ? slash + 1 : cur;
    char *dir = NULL, *rdir = NULL;
    ns_buf b = NS_BUF_INIT;
    int rc = 0;
    if (!(dir = S_dirname(cur))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
    } else if (!(rdir = realpath(dir, NULL)) || S_dots(name)) {
        ns_errno_msg(rdir ? EINVAL : errno, msg, sizeof msg);
        rc = ns_err_set(err, NS_ENOTFOUND, "cannot create database '%s': folder '%s': %s",
                        shown, dir, msg);
    } else if (ns_buf_printf(&b, "%s%s%s", rdir, strcmp(rdir, "/") ? "/" : "", name) < 0 ||
               !(*res = ns_buf_detach(&b))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    free(dir);
    free(rdir);
    ns_buf_free(&b);
    return rc;
}

int ns_dbpath_resolve(char **out, const char *path, const char *shown, ns_err *err)
{
    char *cur, *res = NULL;
    int rc = 0;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    *out = NULL;
    if (!(cur = strndup(path, len)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (int hops = 0; rc == 0; hops++) {
        struct stat st;
        if (lstat(cur, &st) == 0 && S_ISLNK(st.st_mode)) {
            if (hops == 40)
                rc = ns_err_set(err, NS_EINVAL,
                                "database '%s': too many levels of symbolic links", shown);
            else
                rc = S_follow_link(&cur, (size_t)st.st_size, shown, err);
            continue;
        }
        if ((res = realpath(cur, NULL)))
            break;
        if (errno == ENOENT) {
            rc = S_resolve_new(cur, shown, &res, err);
        } else {
            char msg[NS_ERRNO_MSG_MAX];
            ns_errno_msg(errno, msg, sizeof msg);
            rc = ns_err_set(err, NS_EIO, "database '%s': %s", shown, msg);
        }
        break;
    }
    free(cur);
    if (rc < 0) {
        free(res);
        res = NULL;
    }
    *out = res;
    return rc;
}

/* Is name "shard<K>", a shard of a sharded database (src/shard.h)? */
static int S_shard_dir(const char *name)
{
    unsigned k;
    int n = 0;
    return sscanf(name, "shard%u%n", &k, &n) == 1 && name[n] == '\0' && isdigit((unsigned char)name[5]);
}

int ns_dbpath_xapian_file(const char *name)
{
    static const char *const exact[] = { "iamglass", "iamchert", "iamhoney", "iamflint",
                                         "iambrass", "flintlock", "uuid", NULL };
    static const char *const suffix[] = { ".glass", ".DB", ".baseA", ".baseB", ".tmp", NULL };
    for (int i = 0; exact[i]; i++)
        if (!strcmp(name, exact[i]))
            return 1;
    size_t n = strlen(name);
    for (int i = 0; suffix[i]; i++) {
        size_t m = strlen(suffix[i]);
        if (n > m && !strcmp(name + n - m, suffix[i]))
            return 1;
    }
    return strncmp(name, "changes", 7) == 0 || !strcmp(name, NS_STUB_NAME) || S_shard_dir(name);
}

/* Is name a file whose presence makes a folder a Xapian database? */
static int S_version_file(const char *name)
{
    return (!strncmp(name, "iam", 3) && ns_dbpath_xapian_file(name)) || !strcmp(name, NS_STUB_NAME);
}

/* Count the entries of the folder db (dot entries aside): *n in all, *xap
 * Xapian's files, *version whether Xapian's version file is there, and
 * *other the name of the first entry that is neither (malloc'd, or NULL). */
static int S_scan_folder(const char *db, const char *shown, size_t *n, size_t *xap, int *version,
                         char **other, ns_err *err)
{
    DIR *d = opendir(db);
    if (!d) {
        char msg[NS_ERRNO_MSG_MAX];
        return ns_err_set(err, NS_EIO, "database '%s': cannot read the folder: %s", shown,
                          ns_errno_msg(errno, msg, sizeof msg));
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (S_dots(e->d_name))
            continue;
        (*n)++;
        if (S_version_file(e->d_name))
            *version = 1;
        else if (ns_dbpath_xapian_file(e->d_name))
            (*xap)++;
        else if (!*other && !(*other = strdup(e->d_name))) {
            closedir(d);
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
    }
    closedir(d);
    return 0;
}

/* The Xapian database db opens (read-only) and carries nsearch's schema
 * metadata: 0; else why not. */
static int S_check_nsearch(const char *db, const char *shown, ns_err *err)
{
    ns_xdb *x = NULL;
    ns_err xerr;
    ns_err_clear(&xerr);
    char *val = NULL;
    size_t vlen = 0;
    int rc = ns_xdb_open(&x, db, &xerr);
    if (rc == 0)
        rc = ns_xdb_get_metadata(x, NS_META_SCHEMA, &val, &vlen, &xerr);
    ns_xdb_free(x);
    free(val);
    if (rc < 0)  /* whose it is cannot be told: a damaged database is not replaced */
        return ns_err_set(err, rc,
                          "cannot open database '%s' (if it is a damaged nsearch database, move "
                          "it away and build it again): %s", shown, xerr.msg);
    if (vlen == 0)
        return ns_err_set(err, NS_EINVAL,
                          "'%s' is not an nsearch database: it is a Xapian database without "
                          "nsearch's schema metadata", shown);
    return 0;
}

int ns_dbpath_classify(ns_dbpath_kind *out, char **foreign, const char *db, const char *shown,
                       ns_err *err)
{
    struct stat st;
    char msg[NS_ERRNO_MSG_MAX];
    char *other = NULL;
    int rc = 0;
    if (foreign)
        *foreign = NULL;
    if (lstat(db, &st) < 0) {
        if (errno == ENOENT) {
            *out = NS_DBPATH_MISSING;
            return 0;
        }
        ns_errno_msg(errno, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "database '%s': %s", shown, msg);
    }
    if (!S_ISDIR(st.st_mode)) {
        const char *what = S_ISREG(st.st_mode)    ? "a regular file"
                           : S_ISFIFO(st.st_mode) ? "a named pipe"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                        : "not a folder";
        return ns_err_set(err, NS_EINVAL, "'%s' is not an nsearch database: it is %s", shown,
                          what);
    }
    size_t n = 0, xap = 0;
    int version = 0;
    if ((rc = S_scan_folder(db, shown, &n, &xap, &version, &other, err)) < 0)
        return rc;
    if (n == 0) {
        *out = NS_DBPATH_EMPTY_DIR;
        goto done;
    }
    if (!version && xap == n) {
        /* As a build stopped while moving its files into an empty folder
         * leaves it: whose the files are cannot be told. */
        rc = ns_err_set(err, NS_EINVAL,
                        "'%s' is not an nsearch database: it is a folder holding %zu of "
                        "Xapian's files and no Xapian database (if a build of nindex was "
                        "stopped, empty the folder and run again)", shown, n);
        goto done;
    }
    if (!version) {
        rc = ns_err_set(err, NS_EINVAL,
                        "'%s' is not an nsearch database: it is a folder holding %zu entr%s "
                        "and no Xapian database", shown, n, n == 1 ? "y" : "ies");
        goto done;
    }
    if ((rc = S_check_nsearch(db, shown, err)) == 0)
        *out = NS_DBPATH_NSEARCH;
done:
    if (rc == 0 && *out == NS_DBPATH_NSEARCH && foreign) {
        *foreign = other;
        other = NULL;
    }
    free(other);
    return rc;
}

int ns_dbpath_within(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return p[0] == '/';
    return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

const char *ns_dbpath_overlap(const char *db, const char *tmp, const char *path)
{
    return !strcmp(db, path)                ? "is the PATH"
           : ns_dbpath_within(db, path)     ? "is inside the PATH"
           : ns_dbpath_within(path, db)     ? "holds the PATH"
           : ns_dbpath_within(path, tmp)    ? "has its temporary folder holding the PATH"
                                            : NULL;
}

int ns_dbpath_same_fs(const char *db, const char *shown, ns_err *err)
{
    struct stat a, b;
    char *parent = S_dirname(db);
    if (!parent)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    int same = stat(db, &a) < 0 || stat(parent, &b) < 0 || a.st_dev == b.st_dev;
    free(parent);
    if (same)
        return 0;
    return ns_err_set(err, NS_EINVAL,
                      "database '%s' is a mount point: nindex builds a new database beside "
                      "it and cannot move it into another file system; give --db a folder "
                      "inside it", shown);
}

/* ---- the temporary directory ---- */

/* "<dir>/<name>", malloc'd. */
static char *S_join(const char *dir, const char *name)
{
    ns_buf b = NS_BUF_INIT;
    if (ns_buf_printf(&b, "%s/%s", dir, name) < 0) {
        ns_buf_free(&b);
        return NULL;
    }
    return ns_buf_detach(&b);
}

int ns_dbpath_tmp_claim(const char *tmp, const char *shown, int *made, ns_err *err)
{
    char msg[NS_ERRNO_MSG_MAX];
    char *marker = S_join(tmp, NS_DBPATH_MARKER);
    int rc = 0;
    *made = 0;
    if (!marker)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if (mkdir(tmp, 0777) == 0) {
        *made = 1;
    } else if (errno == EEXIST) {
        struct stat st;
        if (lstat(tmp, &st) < 0 || !S_ISDIR(st.st_mode)) {
            rc = ns_err_set(err, NS_EINVAL,
                            "'%s' is in the way: nindex builds the new database there, and it "
                            "is not a folder nindex made; move it away", tmp);
            goto done;
        }
        if (lstat(marker, &st) == 0 && S_ISREG(st.st_mode))
            goto done;
        DIR *d = opendir(tmp);
        int empty = d != NULL;
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (!S_dots(e->d_name))
                empty = 0;
        if (d)
            closedir(d);
        if (!empty) {
            rc = ns_err_set(err, NS_EINVAL,
                            "'%s' exists and was not made by nindex (it has no '"
                            NS_DBPATH_MARKER "' file): nindex builds the new database there; "
                            "move it away", tmp);
            goto done;
        }
    } else {
        ns_errno_msg(errno, msg, sizeof msg);
        rc = ns_err_set(err, NS_EIO, "cannot create database '%s': '%s': %s", shown, tmp, msg);
        goto done;
    }
    /* Made, or empty (a run killed between its mkdir and this): marked. */
    int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
        ns_errno_msg(errno, msg, sizeof msg);
        rc = ns_err_set(err, NS_EIO, "cannot create '%s': %s", marker, msg);
        if (*made)
            rmdir(tmp);
        *made = 0;
        goto done;
    }
    if (fd >= 0) {
        static const char text[] =
            "nindex builds new databases in this folder and removes it when done.\n";
        ssize_t w = write(fd, text, sizeof text - 1);
        (void)w;
        close(fd);
    }
done:
    free(marker);
    return rc;
}

int ns_dbpath_tmp_marked(const char *tmp)
{
    char *marker = S_join(tmp, NS_DBPATH_MARKER);
    struct stat st;
    int yes = marker && lstat(tmp, &st) == 0 && S_ISDIR(st.st_mode) && lstat(marker, &st) == 0 &&
              S_ISREG(st.st_mode);
    free(marker);
    return yes;
}

/* Is name one of the entries nindex makes in its temporary directory?
 * *db: a database that may be one swapped out of place (removed by its
 * Xapian files only); *shard: K for "shard-K", else -1. */
static int S_tmp_entry(const char *name, int *db, long *shard)
{
    unsigned k;
    int n = 0;
    *shard = -1;
    *db = !strcmp(name, "new") || !strcmp(name, "old");
    if (sscanf(name, "shard-%u%n", &k, &n) == 1) {
        /* "shard-K", or "shard-K.S": the shard's later databases (bulk.c) */
        unsigned s;
        int m = 0;
        if (name[n] == '.' && name[n + 1] >= '0' && name[n + 1] <= '9' &&
            sscanf(name + n, ".%u%n", &s, &m) == 1)
            n += m;
        if (name[n] == '\0') {
            *shard = (long)k;
            return 1;
        }
    }
    return *db || !strcmp(name, "lock") || !strcmp(name, "resumable");
}

/* Remove name (under directory fd at) and everything below it, following no link.
 * Best effort: 0, or -1 when something stayed. */
static int S_rmtree_at(int at, const char *name)
{
    struct stat st;
    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(at, name, 0) < 0 && errno != ENOENT ? -1 : 0;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (!S_dots(e->d_name) && S_rmtree_at(dirfd(d), e->d_name) < 0)
            rc = -1;
    closedir(d);
    if (unlinkat(at, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

int ns_dbpath_rmtree(const char *dir)
{
    return S_rmtree_at(AT_FDCWD, dir);
}

/* Remove the database folder name (under at), one an earlier nindex run
 * built: Xapian's files only, then the folder if nothing else is left.
 * 0, or -1 with *kept (if not NULL and still NULL) naming, malloc'd, an
 * entry that stayed. */
static int S_rmdb_at(int at, const char *name, char **kept)
{
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        struct stat st;
        if (S_shard_dir(e->d_name) && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode) && S_rmdb_at(dirfd(d), e->d_name, kept) == 0)
            continue;  /* a shard of a sharded database: its own Xapian files */
        if (S_dots(e->d_name) ||
            (ns_dbpath_xapian_file(e->d_name) &&
             fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
             unlinkat(dirfd(d), e->d_name, 0) == 0))
            continue;
        if (kept && !*kept)
            *kept = S_join(name, e->d_name);
    }
    closedir(d);
    return unlinkat(at, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -1 : 0;
}

/* Go over nindex's entries in tmp: remove those that keep() does not keep.
 * 0 when only kept and nindex's entries stayed, else 1 with *kept naming
 * (malloc'd, if kept is not NULL) an entry that stayed. */
static int S_tmp_sweep(const char *tmp, unsigned keep_shards, int keep_lock, int keep_resumable,
                       int all, char **kept)
{
    int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    int left = 0;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        int db;
        long k;
        const char *name = e->d_name;
        if (S_dots(name) || !strcmp(name, NS_DBPATH_MARKER))
            continue;
        if (!S_tmp_entry(name, &db, &k)) {
            /* not nindex's: stays */
            if (all && !left++ && kept)
                *kept = strdup(name);
            continue;
        }
        if ((k >= 0 && (unsigned long)k < keep_shards) || (keep_lock && !strcmp(name, "lock")) ||
            (keep_resumable && !strcmp(name, "resumable")))
            continue;
        int rc = db ? S_rmdb_at(dirfd(d), name, all && !left && kept ? kept : NULL)
                    : S_rmtree_at(dirfd(d), name);
        if (rc < 0 && all && !left++ && kept && !*kept)
            *kept = strdup(name);
    }
    closedir(d);
    return left ? 1 : 0;
}

void ns_dbpath_tmp_clean(const char *tmp, unsigned keep_shards, int keep_lock)
{
    S_tmp_sweep(tmp, keep_shards, keep_lock, 1, 0, NULL);
}

int ns_dbpath_tmp_remove(const char *tmp, char **kept)
{
    char *k = NULL;
    if (kept)
        *kept = NULL;
    if (S_tmp_sweep(tmp, 0, 0, 0, 1, &k) == 0) {
        char *marker = S_join(tmp, NS_DBPATH_MARKER);
        if (marker)
            unlink(marker);
        free(marker);
        if (rmdir(tmp) == 0 || errno == ENOENT) {
            free(k);
            return 0;
        }
    }
    if (kept)
        *kept = k ? k : strdup("?");
    else
        free(k);
    return 1;
}

/* ---- putting a new database in place ---- */

/* Move the entries of the folder from into the empty folder to, Xapian's
 * version file last: a reader sees no database until the whole of it is
 * there. Nothing in `to` is replaced: a name taken in the meantime stops
 * the move, and what was moved goes back. */
static int S_move_into(const char *from, const char *to)
{
    char **names = NULL;
    size_t n = 0, moved = 0;
    int rc = -1, e = 0;
    DIR *d = opendir(from);
    if (!d)
        return -1;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (S_dots(de->d_name))
            continue;
        char **p = realloc(names, (n + 1) * sizeof *p);
        if (!p || !(p[n] = strdup(de->d_name))) {
            names = p ? p : names;
            closedir(d);
            errno = ENOMEM;
            goto done;
        }
        names = p;
        n++;
    }
    closedir(d);
    /* version files to the end */
    for (size_t i = 0, j = n; i < j;) {
        if (S_version_file(names[i])) {
            char *t = names[i];
            names[i] = names[--j];
            names[j] = t;
        } else {
            i++;
        }
    }
    for (; moved < n; moved++) {
        char *a = S_join(from, names[moved]), *b = S_join(to, names[moved]);
        int r = a && b ? S_rename_noreplace(a, b) : (errno = ENOMEM, -1);
        free(a);
        free(b);
        if (r < 0)
            break;
    }
    if (moved == n) {
        rc = 0;
        goto done;
    }
    e = errno;
    while (moved-- > 0) {
        char *a = S_join(from, names[moved]), *b = S_join(to, names[moved]);
        if (a && b)
            rename(b, a);
        free(a);
        free(b);
    }
    errno = e;
done:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int ns_dbpath_install(const char *fresh, const char *db, ns_dbpath_how how, const char *old,
                      ns_err *err)
{
    int rc;
    char msg[NS_ERRNO_MSG_MAX];
    if (how == NS_DBPATH_EXCHANGE) {
        rc = S_renameat2(fresh, db, RENAME_EXCHANGE);
        if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) {
            /* A file system without exchange: a moment with no database. */
            rc = rename(db, old);
            if (rc == 0 && (rc = rename(fresh, db)) < 0) {
                int e = errno;
                rename(old, db);
                errno = e;
            }
        }
    } else if (how == NS_DBPATH_MOVE_INTO) {
        if ((rc = S_move_into(fresh, db)) == 0)
            rmdir(fresh);
    } else {
        rc = S_rename_noreplace(fresh, db);
    }
    if (rc < 0) {
        ns_errno_msg(errno, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "cannot move the new database '%s' to '%s': %s", fresh, db,
                          msg);
    }
    return 0;
}
