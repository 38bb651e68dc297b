/* dbpath.h: what nindex may do with the path of a database and with the
 * temporary directory beside it. nindex writes into, renames and removes
 * only what it made (issue #13: `nindex --db corpus corpus` took the
 * archive for an empty database and replaced it, deleting every article).
 *
 * A database path is looked at before anything is written: it is missing
 * (nindex creates it), an empty folder (the new database is moved into it),
 * or an nsearch database (a Xapian database with "nsearch:schema"
 * metadata); anything else is refused with a message naming it. The
 * temporary directory "<db>.nindex-tmp" carries a marker file; one without
 * the marker is the user's, never used nor removed.
 *
 * Every path here is an absolute real path (ns_dbpath_resolve) unless said
 * otherwise; `shown` is the path as the user gave it, for messages. Every
 * function that can fail returns 0 or a negative NS_E* code and fills err.
 * Strings returned through out parameters are malloc'd; the caller frees. */
#ifndef NS_DBPATH_H
#define NS_DBPATH_H

#include "err.h"

/* The file that marks a temporary directory as nindex's. */
#define NS_DBPATH_MARKER "made-by-nindex"

typedef enum ns_dbpath_kind {
    NS_DBPATH_MISSING,    /* nothing there: a new database goes there */
    NS_DBPATH_EMPTY_DIR,  /* an empty folder: a new database goes into it */
    NS_DBPATH_NSEARCH,    /* an nsearch database */
} ns_dbpath_kind;

/* The real path of the database named path (a trailing slash is ignored):
 * every symbolic link resolved, the last component's too, whose target need
 * not exist yet (a link to a database not built yet); its folder must.
 * NS_ENOTFOUND (no such folder), NS_EINVAL (a link loop), NS_EIO. */
int ns_dbpath_resolve(char **out, const char *path, const char *shown, ns_err *err);

/* What the real path db holds. Anything but the three kinds is refused with
 * NS_EINVAL: a file ("'x' is not an nsearch database: it is a regular
 * file"), a folder of other things, a Xapian database without nsearch's
 * schema metadata. Looks without writing anything (a Xapian database is
 * opened read-only: a writable open leaves Xapian's lock file behind). For
 * NS_DBPATH_NSEARCH, *foreign (may be NULL) is the name of an entry of the
 * folder that is not Xapian's, or NULL when there is none. */
int ns_dbpath_classify(ns_dbpath_kind *out, char **foreign, const char *db, const char *shown,
                       ns_err *err);

/* Is the absolute path p the folder dir or inside it? */
int ns_dbpath_within(const char *p, const char *dir);

/* Why the database db (with its temporary directory tmp) may not be used
 * with the PATH to index whose real path is path: "is the PATH", "is inside
 * the PATH", "holds the PATH", or NULL when they do not overlap. */
const char *ns_dbpath_overlap(const char *db, const char *tmp, const char *path);

/* NS_EINVAL when db exists on another file system than its folder (a mount
 * point): a new database built beside it could not be renamed into it. */
int ns_dbpath_same_fs(const char *db, const char *shown, ns_err *err);

/* Make the temporary directory tmp nindex's: create it with its marker
 * (*made = 1), or find it ours (marked, or empty: then marked). Anything
 * else of that name is refused with NS_EINVAL and left as it is. */
int ns_dbpath_tmp_claim(const char *tmp, const char *shown, int *made, ns_err *err);

/* 1 when tmp is a folder with nindex's marker, else 0. */
int ns_dbpath_tmp_marked(const char *tmp);

/* Remove nindex's entries in tmp, keeping the shards shard-K (and their
 * later databases shard-K.S) with K < keep_shards and, with keep_lock, the lock database: what an earlier run
 * left that this one does not use. Entries of other names are left. */
void ns_dbpath_tmp_clean(const char *tmp, unsigned keep_shards, int keep_lock);

/* Remove the marked temporary directory tmp: nindex's entries (a database
 * swapped out of place by its Xapian files only), the marker, the folder.
 * 0 when it is gone; 1 when something else in it was kept, and tmp with
 * it: *kept (may be NULL) then names that entry, relative to tmp. */
int ns_dbpath_tmp_remove(const char *tmp, char **kept);

/* Remove dir and everything below it, following no link. Only for what
 * nindex made: a shard in its marked temporary directory. Best effort: 0,
 * or -1 when something stayed. */
int ns_dbpath_rmtree(const char *dir);

/* How ns_dbpath_install puts a new database in place. */
typedef enum ns_dbpath_how {
    NS_DBPATH_EXCHANGE,   /* an atomic exchange with the old database */
    NS_DBPATH_RENAME,     /* a rename where nothing is */
    NS_DBPATH_MOVE_INTO,  /* its files moved into an empty folder, the version file last */
} ns_dbpath_how;

/* Put the database built at fresh in place at db, how says. Never replaces
 * anything but an old database (EXCHANGE): a name taken in the meantime is
 * an error, and what was moved goes back. After EXCHANGE the old database
 * is at fresh (or, on a file system without exchange, at old, the
 * temporary path it is renamed to for a moment). NS_EIO. */
int ns_dbpath_install(const char *fresh, const char *db, ns_dbpath_how how, const char *old,
                      ns_err *err);

/* Is name one of the files Xapian keeps in a database folder? */
int ns_dbpath_xapian_file(const char *name);

#endif
