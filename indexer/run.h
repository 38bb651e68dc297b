/* run.h: the state of one nindex run, shared by the modules of the indexing
 * engine (internal to indexer/; the public interface is indexer.h).
 *
 * A run (indexer.c) owns its roots, every file record and the walk's
 * findings; its writers (writer.c) each own one database being written and
 * its open transaction. Who fills what:
 *   setup.c    the roots, the database path, the lock and the mode;
 *   walk.c     the files found (R->todo, in processing order, with records);
 *   filerec.c  the records: by key, loaded from the database's metadata;
 *   writer.c   one file indexed, removed or re-keyed in a writer's database;
 *   indexer.c  incremental mode and the run as a whole (ns_index_run);
 *   bulk.c     bulk mode: shards in threads, merged and swapped in.
 * Functions that can fail return 0 or a negative NS_E* code and fill err
 * (those without an err return NS_ENOMEM alone). */
#ifndef NS_RUN_H
#define NS_RUN_H

#include "buf.h"
#include "hmap.h"
#include "indexer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

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
    char *path;          /* bulk: the shard's first database (bulk.c: "shard-K") */
    ns_xwdb *w;          /* bulk: the shard's current database */
    ns_xwdb **segs;      /* bulk: the shard's earlier databases, full and
                            committed, in order ("shard-K.1", ...; see bulk.c) */
    size_t nsegs, capsegs;
    size_t seg_files;    /* bulk: files given to the current database */
    ns_analyzer *a;
    ns_hmap by_id;          /* id -> frec owning it in this database */
    ns_index_stats st;   /* this writer's counts */
    unsigned batch, pending;  /* changes per transaction, in the open one */
    int in_txn;
    ns_buf tmp, tmp2;
    /* Spelling words of the open transaction -> how many documents have
     * them (keys owned). Adding each word once per batch rather than once
     * per document halves the indexing time: Xapian looks every added word
     * up in the spelling table. */
    ns_hmap spell;
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
    ns_hmap by_key;
    ns_hmap by_path;        /* found files by path */
    ns_buf tmp;
    int meta_rc;         /* ns_frec_load's failure (the shim only stops) */
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
    unsigned nshards;    /* shards of the database written: 1 one database, N >= 2 sharded */
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

/* ---- the run (indexer.c) ---- */

/* An empty run of opts, its counts going to stats (left as they are). */
void ns_run_init(run *R, const ns_index_opts *opts, ns_index_stats *stats);
/* Free everything R holds: writers, lock, records, walk, paths. A
 * temporary directory this run made (R->tmp_made) is removed. */
void ns_run_free(run *R);

/* ---- messages (indexer.c): one at a time, whichever thread reports ---- */

/* Pass a bad file (warning 0) or a remark (1) about path to the caller. */
void ns_run_report(run *R, int warning, const char *path, const char *msg);
/* One more file done: the caller's progress callback. */
void ns_run_progress(run *R);
/* The facet table only saves searchers time: not writing it is a warning
 * about the database, and the run's work stands. */
void ns_run_facet_table_failed(run *R, const ns_err *terr);
/* Link each translation to the story of the article it names
 * (ns_xwdb_link_stories) and commit, outside a transaction: the last change
 * to the documents of every run, incremental or bulk, so that the order in
 * which the two tellings came, went or changed does not matter. */
int ns_run_link_stories(ns_xwdb *w, ns_err *err);
/* The suggestion dictionary (src/sdict.h) of w, outside a transaction and
 * before the facet table (its commit would make that table stale): when
 * documents changed, or the database has none yet. A failure costs only
 * speed (searches fall back to Xapian's spelling lookup): a warning. */
void ns_run_write_sdict(run *R, ns_xwdb *w, int changed);
/* Add from's counts (not total, interrupted, bulk, tmpdir) to to's. */
void ns_run_add_stats(ns_index_stats *to, const ns_index_stats *from);

/* ---- records (filerec.c) ---- */

void ns_frec_free(frec *r);
/* The record for key ("<root>\t<rel>", the root rootlen bytes long, or up
 * to the first tab when rootlen is SIZE_MAX), created (not in the database)
 * if absent, and owned by R. NS_EINVAL for a key without its tab. */
int ns_frec_get(run *R, const char *key, size_t klen, size_t rootlen, frec **out);
/* r's path relative to its root (the part of its key after the tab). */
const char *ns_frec_rel(const frec *r);
/* The path of a record for messages: as found in this run, else absolute. */
const char *ns_frec_display(const frec *r);
/* Has r's file gone from where it was recorded (as after a move)? An error
 * other than "no such file" counts as there: nindex cannot tell. Looked at
 * once, then remembered. */
int ns_frec_gone(frec *r);
/* ns_xwdb_metadata_each callbacks over "file:" entries (ctx: the writer);
 * both leave a failure in R->meta_rc as well as returning it.
 * ns_frec_load, incremental: every well-formed entry becomes a record with
 * its id, size and mtime (malformed values are ignored: the file then looks
 * new and is indexed again). ns_frec_load_shard, bulk resuming a shard: a
 * record of a file this run gives to the shard is taken over; every other
 * entry is stale, kept in W->stale as "<key>\0<id>" to be deleted. */
int ns_frec_load(void *ctx, const char *key, size_t klen, const char *val, size_t vlen);
int ns_frec_load_shard(void *ctx, const char *key, size_t klen, const char *val, size_t vlen);

/* ---- set-up (setup.c) ---- */

/* Check each PATH exists and resolve it into R->roots: NS_ENOTFOUND. */
int ns_setup_roots(run *R, const char *const *paths, size_t n, ns_err *err);
/* Refuse (NS_EINVAL) a database that is, holds or lies inside a PATH. */
int ns_setup_check_overlap(run *R, ns_err *err);
/* Make the temporary directory ours (or find it is), or refuse. */
int ns_setup_claim_tmpdir(run *R, ns_err *err);
/* Remove our temporary directory; what is not nindex's stays, with it,
 * and a warning says so. */
void ns_setup_remove_tmpdir(run *R);
/* Take the writer lock and choose the mode (R->bulk), after classifying the
 * database path; R->lockw then holds the lock. */
int ns_setup_lock(run *R, ns_err *err);

/* ---- the walk (walk.c) ---- */

/* Find every article file under R's roots (each directory and file once)
 * and queue it, with its record, in R->todo in processing order. A
 * directory that cannot be read is reported and counted as failed. */
int ns_walk(run *R, ns_err *err);

/* ---- writers (writer.c) ---- */

/* Open W's transaction unless open. */
int ns_writer_begin(writer *W, ns_err *err);
/* Commit when the batch is full (or always with force). */
int ns_writer_commit(writer *W, int force, ns_err *err);
/* Set the metadata "file:<key>" to val ("" deletes it), in the transaction. */
int ns_writer_set_file_meta(writer *W, const char *key, size_t klen, const char *val,
                            size_t vlen, ns_err *err);
/* b = the id term of id. */
int ns_writer_idterm(ns_buf *b, const char *id, ns_err *err);
/* Delete the document of id. */
int ns_writer_delete_id(writer *W, const char *id, ns_err *err);
/* Delete r's document and record: a file gone. */
int ns_writer_remove(writer *W, frec *r, ns_err *err);
/* Report r as failed: "id 'X' is already used by OWNER". */
int ns_writer_fail_dup(writer *W, const frec *r, const char *id, const frec *owner, ns_err *err);
/* Remember that the files of r's root turned up elsewhere (NS_ENOMEM), and
 * ask whether r's root is one of those. */
int ns_writer_mark_moved(run *R, const frec *r);
int ns_writer_is_moved(const run *R, const frec *r);
/* Index one found file. Returns < 0 only for errors that end the run (the
 * database failed); a bad file is reported and counted. */
int ns_writer_process(writer *W, frec *r, ns_err *err);
/* Does the "nsearch:schema" value val[0..vlen) name this nindex's version? */
int ns_writer_schema_ok(const char *val, size_t vlen);
/* Write this nindex's schema version (in the transaction). */
int ns_writer_set_schema(writer *W, ns_err *err);
/* Free what W holds (an open transaction is cancelled) and zero it. */
void ns_writer_free(writer *W);

/* ---- bulk mode (bulk.c) ---- */

/* Build a new database from R->todo in opts->jobs shards and swap it in;
 * see indexer.h. Frees the writers and the lock before returning. */
int ns_bulk_run(run *R, ns_err *err);

#endif
