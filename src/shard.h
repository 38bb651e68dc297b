/* shard.h: a database split into shards, and the stub file that lists them.
 *
 * A sharded database is a folder DIR holding the shards DIR/shard0 ..
 * DIR/shard<N-1> (each an ordinary Xapian database) and the stub file
 * DIR/XAPIANDB that lists them, one "auto shardK" line each, in order.
 * Xapian itself opens such a folder as one database (a "stub directory"),
 * so xapian-delve and xapian-tcpsrv read it too. A stub may also be any
 * file of Xapian's stub format naming local paths ("auto PATH", "glass
 * PATH"; relative to the stub's folder) and remote shards ("remote
 * HOST:PORT", "remote [IPV6]:PORT", served by xapian-tcpsrv); '#' starts a
 * comment line, blank lines are skipped. "remote :PROG ARGS" (a program
 * over a pipe) is refused: nsearch talks to remote shards over TCP only.
 *
 * An article goes to shard ns_shard_of(id) = FNV-1a 64 (ns_hmap_hash) of
 * its id's bytes, modulo N: stable across runs, machines and versions, so
 * an update or a deletion reaches the shard that holds the article.
 *
 * Every function that can fail returns 0 or a negative NS_E* code and fills
 * err. A stub returned through **out is the caller's, freed with
 * ns_stub_free; the strings it returns are borrowed from it. */
#ifndef NS_SHARD_H
#define NS_SHARD_H

#include "err.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NS_STUB_NAME "XAPIANDB"  /* the stub file inside a sharded folder */
#define NS_SHARD_MAX 256         /* shards in one database, at most */

/* The shard (0..nshards-1) of the article with id[0..len); 0 when nshards
 * is 0 or 1. */
unsigned ns_shard_of(const char *id, size_t len, unsigned nshards);

typedef struct ns_stub ns_stub;

typedef struct ns_stub_shard {
    int remote;          /* 1: served by xapian-tcpsrv at host:port */
    const char *path;    /* local: the shard's absolute-or-stub-relative path resolved */
    const char *host;    /* remote: the host (IPv6 without its brackets) */
    unsigned port;       /* remote: 1..65535 */
    const char *name;    /* for messages: "shard2" (local) or "127.0.0.1:4012" */
} ns_stub_shard;

/* Is path a stub: a folder holding NS_STUB_NAME, or a regular file that is
 * not a Xapian database itself? 1 yes, 0 no (missing, a plain database). */
int ns_stub_is(const char *path);
/* Read the stub at path (a stub file, or a folder holding NS_STUB_NAME).
 * NS_ENOTFOUND: none there; NS_ESYNTAX: a bad line ("STUB:3: ..."), a
 * remote ":PROG" shard, a bad port, or no shard at all; NS_ETOOBIG: more
 * than NS_SHARD_MAX shards; NS_EIO. */
int ns_stub_read(ns_stub **out, const char *path, ns_err *err);
/* The number of shards (>= 1), and shard i (NULL past the last). */
size_t ns_stub_count(const ns_stub *s);
const ns_stub_shard *ns_stub_shard_at(const ns_stub *s, size_t i);
/* Number of remote shards. */
size_t ns_stub_remotes(const ns_stub *s);
void ns_stub_free(ns_stub *s); /* NULL is a no-op */

/* Write dir/NS_STUB_NAME listing the n local shards shard0..shard<n-1>,
 * atomically (a temporary file renamed over it, synced). NS_EINVAL: n is 0
 * or above NS_SHARD_MAX; NS_EIO. */
int ns_stub_write_local(const char *dir, unsigned n, ns_err *err);

#ifdef __cplusplus
}
#endif
#endif
