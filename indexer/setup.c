/* setup.c: what a run settles before it walks (see run.h): the PATHs
 * exist and resolve, the database path is one nindex may write and does not
 * overlap them, the writer lock is ours, and the mode (incremental or bulk)
 * is chosen. Nothing is written before all of it holds. */
#include "run.h"

#include "dbpath.h"
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the PATHs to index ---- */

int ns_setup_roots(run *R, const char *const *paths, size_t n, ns_err *err)
{
    if (!(R->roots = calloc(n, sizeof *R->roots)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    R->nroots = n;
    for (size_t i = 0; i < n; i++) {
        root *rt = &R->roots[i];
        rt->arg = paths[i];
        struct stat st;
        if (stat(paths[i], &st) < 0) {
            char msg[NS_ERRNO_MSG_MAX];
            ns_errno_msg(errno, msg, sizeof msg);
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
            char msg[NS_ERRNO_MSG_MAX];
            ns_errno_msg(e, msg, sizeof msg);
            return ns_err_set(err, NS_ENOTFOUND, "'%s': %s", paths[i], msg);
        }
    }
    return 0;
}

/* ---- the database path (dbpath.h), the lock and the mode ---- */

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
int ns_setup_check_overlap(run *R, ns_err *err)
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
int ns_setup_claim_tmpdir(run *R, ns_err *err)
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
void ns_setup_remove_tmpdir(run *R)
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
        ns_run_report(R, 1, R->tmpdir, msg.data);
    ns_buf_free(&msg);
    free(kept);
}

/* An nsearch database: open it (never creating) as a writer, which is the
 * lock; incremental unless it holds no article or a rebuild is asked (a
 * bulk run first makes sure the temporary directory is ours). */
static int S_lock_existing(run *R, ns_err *err)
{
    const char *shown = R->o->db_path;
    ns_err e;
    ns_err_clear(&e);
    int rc = ns_xwdb_open(&R->lockw, R->db, NS_XWDB_OPEN, &e);
    if (rc == NS_ELOCKED)
        return ns_err_set(err, rc, "database '%s' is locked by another writer", shown);
    if (rc < 0)
        return ns_err_set(err, rc, "cannot open database '%s': %s", shown, e.msg);
    char *val = NULL;
    size_t vlen = 0;
    unsigned docs = 0;
    if ((rc = ns_xwdb_get_metadata(R->lockw, NS_META_SCHEMA, &val, &vlen, err)) < 0 ||
        (rc = ns_xwdb_doccount(R->lockw, &docs, err)) < 0) {
        free(val);
        return rc;
    }
    if (!R->o->rebuild && !ns_writer_schema_ok(val, vlen))
        rc = ns_err_set(err, NS_EINVAL,
                        "database '%s' has schema version %.*s, this nindex writes %d: "
                        "run with --rebuild", shown, (int)(vlen > 20 ? 20 : vlen),
                        val, NS_SCHEMA_VERSION);
    free(val);
    if (rc < 0)
        return rc;
    unsigned have = ns_xwdb_shard_count(R->lockw);
    have = have ? have : 1;
    R->nshards = R->o->shards ? R->o->shards : have;
    R->db_existed = 1;
    R->bulk = R->o->rebuild || docs == 0 || R->nshards != have;
    if (R->nshards != have) {
        ns_buf m = NS_BUF_INIT;
        if (ns_buf_printf(&m, "re-sharding from %u to %u shard%s: the database is built anew "
                          "and swapped in when complete", have, R->nshards,
                          R->nshards == 1 ? "" : "s") == 0)
            ns_run_report(R, 1, shown, m.data);
        ns_buf_free(&m);
    }
    if (R->bulk && R->foreign_name)
        return ns_err_set(err, NS_EINVAL,
                          "database '%s' holds '%s', which is not part of a Xapian "
                          "database: move it out before building the database anew",
                          shown, R->foreign_name);
    if (R->bulk && ((rc = S_check_same_fs(R, err)) < 0 || (rc = ns_setup_claim_tmpdir(R, err)) < 0))
        return rc;
    return 0;
}

/* No database yet (or an empty folder of kind for it): nobody can hold its
 * lock, so the temporary directory's lock database at lockpath serialises
 * the runs that create it. 1 when the run that held the lock has just made
 * the database (look again), else 0 or an error. */
static int S_lock_new(run *R, ns_dbpath_kind kind, const char *lockpath, ns_err *err)
{
    const char *shown = R->o->db_path;
    ns_err e;
    ns_err_clear(&e);
    int rc;
    if ((kind == NS_DBPATH_EMPTY_DIR && (rc = S_check_same_fs(R, err)) < 0) ||
        (rc = ns_setup_claim_tmpdir(R, err)) < 0)
        return rc;
    rc = ns_xwdb_open(&R->lockw, lockpath, NS_XWDB_CREATE_OR_OPEN, &e);
    if (rc == NS_ELOCKED)
        return ns_err_set(err, rc, "database '%s' is locked by another writer", shown);
    if (rc < 0)
        return ns_err_set(err, rc, "cannot create database '%s': %s", shown, e.msg);
    ns_dbpath_kind now;
    if ((rc = S_classify(R, &now, err)) < 0)
        return rc;
    if (now != kind)
        return 1;
    R->db_existed = 0;
    R->db_empty_dir = kind == NS_DBPATH_EMPTY_DIR;
    R->bulk = 1;
    R->nshards = R->o->shards ? R->o->shards : 1;
    return 0;
}

int ns_setup_lock(run *R, ns_err *err)
{
    const char *shown = R->o->db_path;
    int rc;
    ns_dbpath_kind kind;
    ns_buf lockpath = NS_BUF_INIT;
    if (ns_buf_printf(&lockpath, "%s/lock", R->tmpdir) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (int tries = 0;; tries++) {
        if ((rc = S_classify(R, &kind, err)) < 0)
            break;
        /* A rebuild is refused before the database is touched. */
        if (kind == NS_DBPATH_NSEARCH && R->o->rebuild && R->foreign_name) {
            /* The swap would carry it off with the old database. */
            rc = ns_err_set(err, NS_EINVAL,
                            "database '%s' holds '%s', which is not part of a Xapian database: "
                            "move it out before rebuilding", shown, R->foreign_name);
            break;
        }
        if (kind == NS_DBPATH_NSEARCH && R->o->rebuild &&
            ((rc = S_check_same_fs(R, err)) < 0 || (rc = ns_setup_claim_tmpdir(R, err)) < 0))
            break;
        if (kind == NS_DBPATH_NSEARCH) {
            rc = S_lock_existing(R, err);
            break;
        }
        rc = S_lock_new(R, kind, lockpath.data, err);
        if (rc != 1)
            break;
        if (tries >= 3) {
            /* Changed under us at every look: build it as last seen. */
            R->db_existed = 0;
            R->db_empty_dir = kind == NS_DBPATH_EMPTY_DIR;
            R->bulk = 1;
            R->nshards = R->o->shards ? R->o->shards : 1;
            rc = 0;
            break;
        }
        ns_xwdb_free(R->lockw);
        R->lockw = NULL;
    }
    ns_buf_free(&lockpath);
    return rc;
}
