/* xapian_shim_impl.h: what the files of the shim share; C++ only, for
 * xapian_shim.cc (read-only databases), xapian_shim_search.cc (searching),
 * xapian_shim_write.cc
 * (writable databases, compaction) and xapian_shim_build.cc (documents,
 * queries). C code uses xapian_shim.h. Here are the handles made in one file
 * and opened in another (a document is written by ns_xwdb_replace, a query
 * run by ns_xsearch), the operations both kinds of database share, and the
 * boundary every extern "C" entry point goes through: after checking its
 * arguments, an entry point does its Xapian work inside shim::guard, so
 * that no exception crosses into C. */
#ifndef NS_XAPIAN_SHIM_IMPL_H
#define NS_XAPIAN_SHIM_IMPL_H

#ifndef __cplusplus
#error "xapian_shim_impl.h is C++, for the shim; C code uses xapian_shim.h"
#endif

#include "err.h"
#include "facets.h"
#include "xapian_shim.h"

#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

/* One shard of a sharded database being read (src/shard.h). */
struct S_shard {
    std::string name;     /* for messages: as the stub names it */
    bool remote;
    std::string path;     /* local */
    std::string host;     /* remote */
    unsigned port;
    Xapian::Database db;  /* open when up */
    bool up;
    std::string why;      /* down: what the last attempt said */
};

struct ns_xdb {
    Xapian::Database db;  /* the database, or the shards that answered combined */
    bool closed;
    std::string path;
    facet::Cache facets;
    std::vector<S_shard> shards; /* empty: one database, not a stub */
    unsigned timeout_ms;         /* remote shards: connecting and each reply */
    bool allow_partial;          /* search the shards that answer */
    std::string missing;         /* the shards left out, ", "-separated */
    size_t remotes;              /* how many shards are remote */
};

struct ns_xresults {
    unsigned total;
    ns_xhit *hits;
    size_t nhits;
    ns_xfacet *facets;
    size_t nfacets;
};

struct ns_xdoc {
    Xapian::Document doc;
};

struct ns_xquery {
    Xapian::Query q;
};

namespace shim {

/* Map the exception being handled to a code and a message "what 'arg': type:
 * text" ("what: type: text" when arg is NULL) in err (may be NULL), and
 * return the code. Must be called from inside a catch block. Formats with
 * the exception's own strings (get_type/get_msg), so reporting allocates
 * nothing and cannot itself throw, which matters for std::bad_alloc. */
int fail(ns_err *err, const char *what, const char *arg);

inline const char *text(const char *s)
{
    return s;
}

inline const char *text(const std::string &s)
{
    return s.c_str();
}

/* The one protected boundary, like Lua's pcall: body() runs inside try and
 * returns 0 or a negative NS_E* code of its own; any exception becomes a
 * code and the message "what 'arg': type: text" (fail). arg, a C string or a
 * std::string, is read when the exception is caught, so it may be a string
 * the body fills (a document's id). */
template <class A, class F> int guard(ns_err *err, const char *what, const A &arg, F body)
{
    try {
        return body();
    } catch (...) {
        return fail(err, what, text(arg));
    }
}

/* The same where the message names nothing: "what: type: text". */
template <class F> int guard(ns_err *err, const char *what, F body)
{
    return guard(err, what, static_cast<const char *>(NULL), body);
}

/* A term that Xapian would reject, or that could not round-trip through our
 * UTF-8 code, is refused before it reaches the index: 1..NS_XTERM_MAX bytes
 * of valid UTF-8 (prefix included, since the stored term is prefix+value).
 * 0, or NS_ETERM with "what: ..." in err. */
int check_term(ns_err *err, const char *what, const char *term, size_t len);

/* Copy a Xapian string into malloc memory, NUL-terminated, so C code can
 * free it without knowing about std::string; *len (if len is not NULL) gets
 * its length. Throws std::bad_alloc: call it inside guard. */
char *dup(const std::string &s, size_t *len);

/* "what: database 'path' is closed", NS_ECLOSED. */
int closed(ns_err *err, const char *what, const std::string &path);

/* guard for a call on a database handle h (ns_xdb or ns_xwdb), once the
 * call's arguments are checked: NS_ECLOSED ("doing: database 'path' is
 * closed") when h is closed, else body() guarded, its failures reported as
 * "failing 'arg': ...". */
template <class H, class A, class F>
int guarded(H *h, ns_err *err, const char *doing, const char *failing, const A &arg, F body)
{
    if (h->closed)
        return closed(err, doing, h->path);
    return guard(err, failing, arg, body);
}

/* Connect every remote shard of h again (xapian_shim.cc): 0, or NS_ESHARD
 * naming a shard that does not answer (unless partial answers are allowed). */
int reconnect(ns_xdb *h, ns_err *err);

/* shim::guarded for a reader: a remote shard that fails (Xapian's
 * NetworkError: refused, reset, timed out) makes every remote shard be
 * connected again, since the others may have replies of the failed
 * operation still pending; then the operation runs once more, over every
 * shard or, when partial answers are allowed, over those that answered. */
template <class A, class F>
int guarded(ns_xdb *h, ns_err *err, const char *doing, const char *failing, const A &arg,
            F body)
{
    if (h->closed)
        return closed(err, doing, h->path);
    if (h->shards.empty())
        return guard(err, failing, arg, body);
    for (int attempt = 0;; attempt++) {
        std::string why;
        int rc = guard(err, failing, arg, [&]() -> int {
            try {
                return body();
            } catch (const Xapian::NetworkError &e) {
                why = e.get_description();
                return NS_ESHARD;
            }
        });
        if (why.empty())
            return rc;
        if ((rc = reconnect(h, err)) < 0)
            return rc;
        if (attempt >= 1)
            return ns_err_set(err, NS_ESHARD, "%s '%s': %s", failing, h->path.c_str(),
                              why.c_str());
    }
}

/* What counts documents and terms: a sharded writer counts over every shard
 * (the reader's is in xapian_shim.cc, the writer's in xapian_shim_write.cc). */
const Xapian::Database &reader(const ns_xdb *h);
const Xapian::Database &reader(const ns_xwdb *h);

/* ---- either database: one implementation per operation ----
 * H is ns_xdb (xapian_shim.cc) or ns_xwdb (xapian_shim_write.cc; its
 * WritableDatabase is a Database); fn is the entry point's name, for the
 * message about a NULL argument. */

template <class H> int doccount(const char *fn, H *h, unsigned *out, ns_err *err)
{
    if (!h || !out)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *out = 0;
    return guarded(h, err, "counting documents", "counting documents in", h->path, [&] {
        *out = reader(h).get_doccount();
        return 0;
    });
}

template <class H>
int termfreq(const char *fn, H *h, const char *term, size_t len, unsigned *out, ns_err *err)
{
    if (!h || !out)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *out = 0;
    int rc = shim::check_term(err, "term frequency", term, len);
    if (rc < 0)
        return rc;
    return guarded(h, err, "term frequency", "term frequency in", h->path, [&] {
        *out = reader(h).get_termfreq(std::string(term, len));
        return 0;
    });
}

template <class H>
int get_metadata(const char *fn, H *h, const char *key, char **val, size_t *len,
                 ns_err *err)
{
    if (!h || !key || !val)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *val = NULL;
    if (len)
        *len = 0;
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "reading metadata: empty key");
    return guarded(h, err, "reading metadata", "reading metadata key", key, [&] {
        *val = shim::dup(h->db.get_metadata(key), len);
        return 0;
    });
}

template <class H>
int metadata_each(const char *fn, H *h, const char *prefix, ns_xmeta_fn f, void *ctx,
                  ns_err *err)
{
    if (!h || !f)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    return guarded(h, err, "listing metadata", "listing metadata in", h->path, [&] {
        const Xapian::Database &db = h->db;
        std::string pfx(prefix ? prefix : "");
        for (Xapian::TermIterator it = db.metadata_keys_begin(pfx);
             it != db.metadata_keys_end(pfx); ++it) {
            const std::string key = *it;
            const std::string v = db.get_metadata(key);
            if (f(ctx, key.data(), key.size(), v.data(), v.size()))
                break;
        }
        return 0;
    });
}

} // namespace shim

#endif
