/* xapian_shim.cc: the C face of libxapian (see xapian_shim.h): the
 * boundary's helpers (xapian_shim_impl.h) and read-only databases. With
 * xapian_shim_search.cc (searching), xapian_shim_write.cc (writable
 * databases, compaction) and xapian_shim_build.cc (documents and queries)
 * it is the only boundary between C and Xapian; the facet engine behind
 * ns_xsearch and the facet table is facets.cc. Every extern "C" entry point checks its arguments, then
 * does its Xapian work inside shim::guard (shim::guarded on a database handle),
 * so no exception crosses into C: shim::fail maps the one being handled to
 * an NS_E* code and a message. */
#include "err.h"
#include "facets.h"
#include "shard.h"
#include "utf8.h"
#include "xapian_shim.h"
#include "xapian_shim_impl.h"

#include <xapian.h>

#include <algorithm>
#include <exception>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

/* ---- the boundary (xapian_shim_impl.h) ---- */

int shim::fail(ns_err *err, const char *what, const char *arg)
{
    int code = NS_EXAPIAN;
    /* The exception object outlives the handler below that names it: the
     * caller's catch (...) still holds it. */
    const Xapian::Error *x = NULL;
    const char *type = "error";
    const char *msg = "unknown exception";
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        code = NS_EMODIFIED, x = &e;
    } catch (const Xapian::DatabaseLockError &e) {
        code = NS_ELOCKED, x = &e;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        code = NS_ENOTFOUND, x = &e;
    } catch (const Xapian::DatabaseVersionError &e) {
        code = NS_ECORRUPT, x = &e; /* before DatabaseOpeningError, its base */
    } catch (const Xapian::DatabaseCorruptError &e) {
        code = NS_ECORRUPT, x = &e;
    } catch (const Xapian::DatabaseOpeningError &e) {
        code = NS_ENOTFOUND, x = &e;
    } catch (const Xapian::DatabaseClosedError &e) {
        code = NS_ECLOSED, x = &e;
    } catch (const Xapian::Error &e) {
        code = NS_EXAPIAN, x = &e;
    } catch (const std::bad_alloc &) {
        code = NS_ENOMEM, type = "bad_alloc", msg = "out of memory";
    } catch (const std::exception &e) {
        code = NS_EXAPIAN, type = "exception", msg = e.what();
    } catch (...) {
    }
    const char *errstr = NULL;
    if (x)
        type = x->get_type(), msg = x->get_msg().c_str(), errstr = x->get_error_string();
    if (!err)
        return code;
    if (arg)
        return ns_err_set(err, code, "%s '%s': %s: %s%s%s", what, arg, type, msg,
                          errstr ? ": " : "", errstr ? errstr : "");
    return ns_err_set(err, code, "%s: %s: %s%s%s", what, type, msg, errstr ? ": " : "",
                      errstr ? errstr : "");
}

int shim::check_term(ns_err *err, const char *what, const char *term, size_t len)
{
    if (!term || len == 0)
        return ns_err_set(err, NS_ETERM, "%s: empty term", what);
    if (len > NS_XTERM_MAX)
        return ns_err_set(err, NS_ETERM, "%s: term of %zu bytes is longer than %d", what, len,
                          NS_XTERM_MAX);
    if (!ns_utf8_valid(term, len))
        return ns_err_set(err, NS_ETERM, "%s: term of %zu bytes is not valid UTF-8", what, len);
    return 0;
}

char *shim::dup(const std::string &s, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    if (len)
        *len = s.size();
    return p;
}

int shim::closed(ns_err *err, const char *what, const std::string &path)
{
    return ns_err_set(err, NS_ECLOSED, "%s: database '%s' is closed", what, path.c_str());
}

const Xapian::Database &shim::reader(const ns_xdb *h)
{
    return h->db;
}

static int S_connect(ns_xdb *h, ns_err *err);

int shim::reconnect(ns_xdb *h, ns_err *err)
{
    return S_connect(h, err);
}

/* ---- read-only database ---- */

/* Combine the shards that are up into h->db. NS_ESHARD when one is down
 * and partial answers are not allowed, or when none is up. */
static int S_combine(ns_xdb *h, ns_err *err)
{
    Xapian::Database all;
    size_t down = 0, first = 0;
    h->missing.clear();
    for (size_t i = 0; i < h->shards.size(); i++) {
        const S_shard &sh = h->shards[i];
        if (sh.up) {
            all.add_database(sh.db);
            continue;
        }
        if (down++ == 0)
            first = i;
        if (!h->missing.empty())
            h->missing += ", ";
        h->missing += sh.name;
    }
    h->db = all;
    h->facets.clear();
    if (down == 0)
        return 0;
    const S_shard &f = h->shards[first];
    if (down == h->shards.size() || !h->allow_partial)
        return ns_err_set(err, NS_ESHARD, "%s: shard %s (%zu of %zu) did not answer%s%s: %s",
                          h->path.c_str(), f.name.c_str(), first + 1, h->shards.size(),
                          down > 1 ? ", nor did " : "",
                          down > 1 ? std::to_string(down - 1).append(" other(s)").c_str() : "",
                          f.why.c_str());
    return 0;
}

/* (Re)connect every remote shard, then combine. A local shard that fails
 * to open is an error of its own (named), not a missing shard. */
static int S_connect(ns_xdb *h, ns_err *err)
{
    for (S_shard &sh : h->shards) {
        if (!sh.remote)
            continue;
        try {
            sh.db = Xapian::Remote::open(sh.host, sh.port, h->timeout_ms, h->timeout_ms);
            sh.up = true;
            sh.why.clear();
        } catch (const Xapian::NetworkError &e) {
            sh.db = Xapian::Database();
            sh.up = false;
            sh.why = e.get_description();
        }
    }
    return S_combine(h, err);
}

extern "C" int ns_xdb_open(ns_xdb **out, const char *path, ns_err *err)
{
    return ns_xdb_open_opts(out, path, NULL, err);
}

extern "C" int ns_xdb_open_opts(ns_xdb **out, const char *path, const ns_xdb_opts *opts,
                                ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_open: NULL argument");
    *out = NULL;
    static const ns_xdb_opts defaults = NS_XDB_OPTS_INIT;
    const ns_xdb_opts *o = opts ? opts : &defaults;
    ns_stub *stub = NULL;
    if (ns_stub_is(path)) {
        int rc = ns_stub_read(&stub, path, err);
        if (rc < 0)
            return rc;
    }
    int rc = shim::guard(err, "opening database", path, [&]() -> int {
        std::unique_ptr<ns_xdb> h(new ns_xdb{Xapian::Database(), false, path, facet::Cache(), {}, 0, false, std::string(), 0});
        h->timeout_ms = o->timeout_ms;
        h->allow_partial = o->allow_partial != 0;
        if (!stub) {
            h->db = Xapian::Database(path);
            *out = h.release();
            return 0;
        }
        for (size_t i = 0; i < ns_stub_count(stub); i++) {
            const ns_stub_shard *st = ns_stub_shard_at(stub, i);
            S_shard sh;
            sh.name = st->name;
            sh.remote = st->remote != 0;
            sh.port = st->port;
            sh.up = !sh.remote;
            if (sh.remote) {
                sh.host = st->host;
            } else {
                sh.path = st->path;
                int lrc = shim::guard(err, "opening shard", st->path, [&] {
                    sh.db = Xapian::Database(sh.path);
                    return 0;
                });
                if (lrc < 0)
                    return lrc;
            }
            h->shards.push_back(sh);
            h->remotes += sh.remote;
        }
        int crc = S_connect(h.get(), err);
        if (crc < 0)
            return crc;
        *out = h.release();
        return 0;
    });
    ns_stub_free(stub);
    return rc;
}

extern "C" const char *ns_xdb_missing(const ns_xdb *db)
{
    return db ? db->missing.c_str() : "";
}

extern "C" size_t ns_xdb_shard_count(const ns_xdb *db)
{
    return db ? db->shards.size() : 0;
}

extern "C" int ns_xdb_reopen(ns_xdb *db, int *changed, ns_err *err)
{
    if (changed)
        *changed = 0;
    if (!db)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_reopen: NULL database");
    bool reconnected = false;
    if (!db->closed && !db->missing.empty()) {
        /* a shard was down: it may be back (and, without partial answers,
         * the search fails here again, naming it) */
        int rc = S_connect(db, err);
        if (rc < 0)
            return rc;
        reconnected = true;
    }
    return shim::guarded(db, err, "reopening", "reopening database", db->path, [&] {
        bool moved = db->db.reopen() || reconnected;
        if (moved)
            db->facets.clear();
        if (changed)
            *changed = moved ? 1 : 0;
        return 0;
    });
}

extern "C" int ns_xdb_doccount(ns_xdb *db, unsigned *out, ns_err *err)
{
    return shim::doccount("ns_xdb_doccount", db, out, err);
}

extern "C" int ns_xdb_termfreq(ns_xdb *db, const char *term, size_t len, unsigned *out,
                               ns_err *err)
{
    return shim::termfreq("ns_xdb_termfreq", db, term, len, out, err);
}

extern "C" int ns_xdb_docs_have_terms(ns_xdb *db, const char *const *terms, size_t nterms,
                                      const unsigned *docids, size_t ndocs, unsigned char *out,
                                      ns_err *err)
{
    if (!db || (nterms && !terms) || (ndocs && (!docids || !out)))
        return ns_err_set(err, NS_EINVAL, "ns_xdb_docs_have_terms: NULL argument");
    if (nterms && ndocs)
        std::memset(out, 0, nterms * ndocs);
    return shim::guarded(db, err, "looking up terms", "looking up terms in", db->path, [&] {
        /* One pass along each term's posting list, visiting the documents in
         * ascending docid order. */
        std::vector<size_t> order(ndocs);
        for (size_t i = 0; i < ndocs; i++)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [docids](size_t a, size_t b) { return docids[a] < docids[b]; });
        for (size_t t = 0; t < nterms; t++) {
            if (!terms[t] || !terms[t][0])
                continue;
            Xapian::PostingIterator p = db->db.postlist_begin(terms[t]);
            Xapian::PostingIterator end = db->db.postlist_end(terms[t]);
            for (size_t k = 0; k < ndocs && p != end; k++) {
                size_t i = order[k];
                p.skip_to(docids[i]);
                if (p != end && *p == docids[i])
                    out[i * nterms + t] = 1;
            }
        }
        return 0;
    });
}

/* A term of a prefix's expansion, or a pair of them joined, with its
 * document frequency as Xapian 1.4 estimates it (OrPostList). */
struct S_node {
    Xapian::doccount freq;
    Xapian::Query q;
};

/* Xapian's own order for OR trees: the least frequent on top of the heap. */
static bool S_rarer(const S_node &a, const S_node &b)
{
    return a.freq > b.freq;
}

/* The terms of v joined two by two into nested OP_SYNONYMs, in the tree
 * that Xapian 1.4 builds for one OP_SYNONYM of them in one database of n
 * documents (OrContext::postlist: a heap by frequency, the two rarest
 * joined first). Why: Xapian weighs a synonym by a frequency it estimates
 * over its OR tree, rounding at each node, and builds that tree by each
 * shard's own frequencies; a tree of pairs is the same in every shard, and
 * the estimate of a pair does not depend on the order of its two. Only the
 * outermost synonym weighs: the inner ones are plain ORs under it. */
static Xapian::Query S_pair_tree(std::vector<S_node> &v, Xapian::doccount n)
{
    if (v.empty())
        return Xapian::Query(); /* matches nothing */
    std::make_heap(v.begin(), v.end(), S_rarer);
    while (v.size() > 1) {
        S_node r = std::move(v.front());
        std::pop_heap(v.begin(), v.end(), S_rarer);
        v.pop_back();
        S_node &l = v.front();
        double a = l.freq, b = r.freq;
        /* Xapian's own rounding (estimate_or_assuming_indep), not lround:
         * the tree must be the one Xapian builds. */
        /* NOLINTNEXTLINE(bugprone-incorrect-roundings) */
        S_node pair{ static_cast<Xapian::doccount>(a + b - (a * b / n) + 0.5),
                     Xapian::Query(Xapian::Query::OP_SYNONYM, l.q, r.q) };
        std::pop_heap(v.begin(), v.end(), S_rarer);
        v.back() = std::move(pair);
        std::push_heap(v.begin(), v.end(), S_rarer);
    }
    return v.front().q;
}

/* Why not Xapian's OP_WILDCARD: Xapian 1.4 expands a wildcard in each
 * shard of a multi-database on its own, at match time
 * (QueryWildcard::postlist), so each shard picks its own most frequent
 * terms; it gathers their statistics lazily (LocalSubMatch::open_post_list):
 * the first shard to open a term records its own frequencies for all, never
 * the sum, and a remote server uses its own; and each shard weighs its
 * synonym by a frequency estimated over its own terms (S_pair_tree).
 * Explicit terms are counted over every shard before the match, as over one
 * database. The terms chosen are Xapian's own choice in one database (the
 * order of the term list, nth_element on descending frequency:
 * OrContext::select_most_frequent), so that one database answers exactly
 * as it did with OP_WILDCARD. */
extern "C" int ns_xdb_expand_prefix(ns_xdb *db, const char *prefix, size_t len,
                                    unsigned max_expansion, ns_xquery **out, ns_err *err)
{
    if (!db || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_expand_prefix: NULL argument");
    *out = NULL;
    int rc = shim::check_term(err, "prefix", prefix, len);
    if (rc < 0)
        return rc;
    const std::string pfx(prefix, len);
    return shim::guarded(db, err, "expanding a prefix", "expanding the prefix", pfx, [&] {
        std::vector<S_node> v;
        const Xapian::Database &x = db->db;
        for (Xapian::TermIterator it = x.allterms_begin(pfx); it != x.allterms_end(pfx); ++it)
            v.push_back(S_node{ it.get_termfreq(), Xapian::Query(*it) });
        if (max_expansion && v.size() > max_expansion) {
            std::nth_element(v.begin(), v.begin() + (max_expansion - 1), v.end(), S_rarer);
            v.resize(max_expansion);
        }
        Xapian::Query q = S_pair_tree(v, x.get_doccount());
        *out = new ns_xquery{ q };
        return 0;
    });
}

extern "C" int ns_xdb_get_metadata(ns_xdb *db, const char *key, char **val, size_t *len,
                                   ns_err *err)
{
    return shim::get_metadata("ns_xdb_get_metadata", db, key, val, len, err);
}

extern "C" int ns_xdb_metadata_each(ns_xdb *db, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                    ns_err *err)
{
    return shim::metadata_each("ns_xdb_metadata_each", db, prefix, fn, ctx, err);
}

extern "C" int ns_xdb_spelling(ns_xdb *db, const char *word, size_t len, char **out,
                               ns_err *err)
{
    return ns_xdb_spelling_within(db, word, len, 2, out, err);
}

extern "C" int ns_xdb_spelling_within(ns_xdb *db, const char *word, size_t len,
                                      unsigned max_edits, char **out, ns_err *err)
{
    if (!db || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_spelling: NULL argument");
    *out = NULL;
    int rc = shim::check_term(err, "spelling", word, len);
    if (rc < 0)
        return rc;
    return shim::guarded(db, err, "spelling", "spelling suggestion in", db->path, [&] {
        std::string s = db->db.get_spelling_suggestion(std::string(word, len), max_edits);
        if (!s.empty())
            *out = shim::dup(s, NULL);
        return 0;
    });
}

extern "C" int ns_xdb_has_facet_table(ns_xdb *db, unsigned slot)
{
    if (!db || db->closed || !db->shards.empty())
        return 0; /* a sharded database counts with Xapian's own match spy */
    /* A failure means no table, which only costs time: nothing to report. */
    int rc = shim::guard(NULL, "loading the facet table", [&] {
        return db->facets.has_table(db->db, slot) ? 1 : 0;
    });
    return rc > 0 ? 1 : 0;
}

extern "C" int ns_xdb_close(ns_xdb *db, ns_err *err)
{
    if (!db)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_close: NULL database");
    if (db->closed)
        return 0;
    /* Closed even if close() throws: the handle must not be used again. */
    db->closed = true;
    return shim::guard(err, "closing database", db->path, [&] {
        db->db.close();
        return 0;
    });
}

extern "C" void ns_xdb_free(ns_xdb *db)
{
    if (!db)
        return;
    if (!db->closed) {
        /* Nothing to report to: a reader has no pending state to lose. */
        shim::guard(NULL, "closing database", [&] {
            db->db.close();
            return 0;
        });
    }
    delete db;
}
