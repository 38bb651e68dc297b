/* err.h: error codes and the caller-owned error record every library call can fill.
 * Library code (src/, indexer/ and searcher/ modules) never prints and never exits:
 * it returns 0 or a negative NS_E* code and, when err is not NULL, writes a
 * one-line diagnostic into err->msg. Programs decide wording and exit status. */
#ifndef NS_ERR_H
#define NS_ERR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    NS_OK = 0,
    NS_ENOMEM = -1,     /* allocation failed or a size would overflow */
    NS_EIO = -2,        /* reading or writing a file failed */
    NS_ENOTFOUND = -3,  /* database, file or document does not exist */
    NS_ECORRUPT = -4,   /* database is corrupt or not a Xapian database */
    NS_ELOCKED = -5,    /* another writer holds the database lock */
    NS_EMODIFIED = -6,  /* database changed under a reader: reopen and retry */
    NS_EINVAL = -7,     /* bad argument or value (caller error, bad option) */
    NS_ESYNTAX = -8,    /* bad query, bad front matter, bad format in input */
    NS_EUTF8 = -9,      /* input is not valid UTF-8 */
    NS_ETERM = -10,     /* a term is empty, too long or not valid UTF-8 */
    NS_ECLOSED = -11,   /* handle used after close */
    NS_EXAPIAN = -12,   /* any other Xapian error */
    NS_ETOOBIG = -13,   /* input exceeds a documented limit */
    NS_ESHARD = -14,    /* a shard of a sharded database did not answer (src/shard.h) */
};

typedef struct ns_err {
    int code;
    char msg[256];
} ns_err;

/* Fill err (if not NULL) and return code, so callers can write
 * `return ns_err_set(err, NS_EINVAL, "bad month '%s'", s);`. */
int ns_err_set(ns_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reset err to NS_OK with an empty message (err may be NULL). */
void ns_err_clear(ns_err *err);

/* A short constant English name for a code ("out of memory", ...). */
const char *ns_strerror(int code);

/* The system's message for errno value e ("No such file or directory"),
 * written into buf[0..size) and returned, for quoting in an ns_err message.
 * Thread-safe (strerror_r); "" when the system has none. */
#define NS_ERRNO_MSG_MAX 128
const char *ns_errno_msg(int e, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
