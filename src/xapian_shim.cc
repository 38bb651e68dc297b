/* xapian_shim.cc: the C face of libxapian (see xapian_shim.h): the
 * boundary's helpers (xapian_shim_impl.h), read-only databases and
 * searching. With xapian_shim_write.cc (writable databases, compaction) and
 * xapian_shim_build.cc (documents and queries) it is the only boundary
 * between C and Xapian; the facet engine behind ns_xsearch and the facet
 * table is facets.cc. Every extern "C" entry point checks its arguments, then
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
#include <climits>
#include <exception>
#include <map>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
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

/* shim::guarded for a reader: a remote shard that fails (Xapian's
 * NetworkError: refused, reset, timed out) makes every remote shard be
 * connected again, since the others may have replies of the failed
 * operation still pending; then the operation runs once more, over every
 * shard or, when partial answers are allowed, over those that answered. */
template <class A, class F>
int shim::guarded(ns_xdb *h, ns_err *err, const char *doing, const char *failing, const A &arg,
                  F body)
{
    if (h->closed)
        return shim::closed(err, doing, h->path);
    if (h->shards.empty())
        return shim::guard(err, failing, arg, body);
    for (int attempt = 0;; attempt++) {
        std::string why;
        int rc = shim::guard(err, failing, arg, [&]() -> int {
            try {
                return body();
            } catch (const Xapian::NetworkError &e) {
                why = e.get_description();
                return NS_ESHARD;
            }
        });
        if (why.empty())
            return rc;
        if ((rc = S_connect(h, err)) < 0)
            return rc;
        if (attempt >= 1)
            return ns_err_set(err, NS_ESHARD, "%s '%s': %s", failing, h->path.c_str(),
                              why.c_str());
    }
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

/* ---- searching ---- */

static void S_fill_facets(ns_xresults *r, const facet::Spy &spy)
{
    std::vector<facet::Count> v = spy.counts();
    if (v.empty())
        return;
    r->facets = static_cast<ns_xfacet *>(std::calloc(v.size(), sizeof *r->facets));
    if (!r->facets)
        throw std::bad_alloc();
    for (size_t i = 0; i < v.size(); i++) {
        r->facets[i].key = shim::dup(*v[i].first, NULL);
        r->facets[i].count = v[i].second;
        r->nfacets = i + 1;
    }
}

/* Facets from Xapian's ValueCountMatchSpy, which xapian-tcpsrv runs on its
 * side of a remote shard: it counts each distinct facet value (a
 * document's keys joined by '\n'), so each key's count is the sum over the
 * values that hold it, once per value however often it is listed there.
 * As exact as facet::Spy; sorted the same way. */
static void S_fill_stock_facets(ns_xresults *r, const Xapian::ValueCountMatchSpy &spy)
{
    std::map<std::string, unsigned> sum;
    std::vector<std::string> keys;
    for (Xapian::TermIterator it = spy.values_begin(); it != spy.values_end(); ++it) {
        const std::string v = *it;
        unsigned n = it.get_termfreq();
        keys.clear();
        for (size_t at = 0; at <= v.size();) {
            size_t nl = v.find('\n', at);
            if (nl == std::string::npos)
                nl = v.size();
            if (nl > at)
                keys.emplace_back(v, at, nl - at);
            at = nl + 1;
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (const std::string &k : keys)
            sum[k] += n;
    }
    if (sum.empty())
        return;
    std::vector<std::pair<const std::string *, unsigned>> v;
    v.reserve(sum.size());
    for (const auto &kv : sum)
        v.emplace_back(&kv.first, kv.second);
    std::stable_sort(v.begin(), v.end(), [](const std::pair<const std::string *, unsigned> &a,
                                            const std::pair<const std::string *, unsigned> &b) {
        return a.second > b.second; /* keys already ascending: ties keep that order */
    });
    r->facets = static_cast<ns_xfacet *>(std::calloc(v.size(), sizeof *r->facets));
    if (!r->facets)
        throw std::bad_alloc();
    for (size_t i = 0; i < v.size(); i++) {
        r->facets[i].key = shim::dup(*v[i].first, NULL);
        r->facets[i].count = v[i].second;
        r->nfacets = i + 1;
    }
}

/* How S_search counts facets: facet::Spy (one database), Xapian's
 * ValueCountMatchSpy in the pass (local shards), or in a pass of its own. */
enum S_spy_mode { S_SPY_OURS, S_SPY_STOCK, S_SPY_STOCK_APART };

static int S_search(Xapian::Database &db, facet::Cache &cache, const Xapian::Query &q,
                    const ns_xsearch_opts *o, ns_xresults *r, S_spy_mode mode);

/* Xapian 1.4.22 over remote shards counts some matches twice in a match spy
 * when the match is sorted by value and asks for a page (seen: 20 counts for
 * 17 matches, 4 remote shards; exact with local shards, or with no page): the
 * facets then get a pass of their own, unweighted, unsorted, without a page. */
static bool S_facets_apart(const ns_xsearch_opts *o, S_spy_mode mode)
{
    return mode == S_SPY_STOCK_APART && o->facet_slot >= 0 && o->check_at_least == 0 &&
           o->limit > 0 && o->value_slot >= 0 && !o->unweighted;
}

/* The facets' pass, then the page's without facets (S_facets_apart). */
static int S_search_apart(Xapian::Database &db, facet::Cache &cache, const Xapian::Query &q,
                          const ns_xsearch_opts *o, ns_xresults *r)
{
    ns_xsearch_opts fo = *o;
    fo.limit = 0;
    fo.offset = 0;
    fo.unweighted = 1;
    fo.value_slot = -1;
    fo.sort_by_value = 0;
    S_search(db, cache, q, &fo, r, S_SPY_STOCK);
    ns_xsearch_opts po = *o;
    po.facet_slot = -1;
    return S_search(db, cache, q, &po, r, S_SPY_STOCK);
}

/* The weighting and the order of the matches. */
static void S_enquire_setup(Xapian::Enquire &enquire, const ns_xsearch_opts *o)
{
    /* k2 = 0 and k3 = 1 are Xapian's defaults; only k1 and b are tunable. */
    if (o->unweighted)
        enquire.set_weighting_scheme(Xapian::BoolWeight());
    else
        enquire.set_weighting_scheme(Xapian::BM25Weight(o->k1, 0, 1, o->b, 0.5));
    if (o->value_slot >= 0 && !o->unweighted) {
        Xapian::valueno slot = static_cast<Xapian::valueno>(o->value_slot);
        /* reverse = true: descending values, i.e. newest "YYYYMMDD" first. */
        if (o->sort_by_value)
            enquire.set_sort_by_value_then_relevance(slot, true);
        else
            enquire.set_sort_by_relevance_then_value(slot, true);
    }
}

/* The page's hits from mset into r. */
static void S_fill_hits(ns_xresults *r, Xapian::MSet &mset, const ns_xsearch_opts *o,
                        S_spy_mode mode)
{
    if (mset.size() == 0)
        return;
    /* remote shards: ask for every document of the page at once, not
     * one round trip each */
    if (mode == S_SPY_STOCK_APART)
        mset.fetch();
    r->hits = static_cast<ns_xhit *>(std::calloc(mset.size(), sizeof *r->hits));
    if (!r->hits)
        throw std::bad_alloc();
    size_t i = 0;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it, ++i) {
        ns_xhit *h = &r->hits[i];
        h->docid = *it;
        h->score = it.get_weight();
        h->data = shim::dup(it.get_document().get_data(), &h->data_len);
        r->nhits = i + 1;
        if (o->collapse_slot >= 0)
            h->collapse_key = shim::dup(it.get_collapse_key(), NULL);
    }
}

/* o->few_ties (xapian_shim.h): may the page be ranked by weight alone and
 * its ties settled here? Not over shards, not with a collapse key (which
 * keeps each story's best by the whole order), not sorted by value. */
static bool S_few_ties(const ns_xsearch_opts *o, S_spy_mode mode)
{
    return o->few_ties && mode == S_SPY_OURS && !o->unweighted && !o->sort_by_value &&
           o->value_slot >= 0 && o->collapse_slot < 0 && o->limit > 0 &&
           o->offset < UINT_MAX - o->limit;
}

/* Each run of equal weights in order (ranked by weight, then docid) that
 * reaches past its first skip hits, sorted again stably by slot's value,
 * the greater first: the order set_sort_by_relevance_then_value(slot, true)
 * gives (weight, then value descending, then docid). */
static void S_settle_ties(std::vector<Xapian::MSetIterator> &order, size_t skip,
                          Xapian::valueno slot)
{
    std::vector<std::pair<std::string, Xapian::MSetIterator>> run;
    for (size_t i = 0, j; i < order.size(); i = j) {
        for (j = i + 1; j < order.size() && order[j].get_weight() == order[i].get_weight(); j++)
            ;
        if (j - i < 2 || j <= skip)
            continue;
        run.clear();
        for (size_t k = i; k < j; k++)
            run.emplace_back(order[k].get_document().get_value(slot), order[k]);
        std::stable_sort(run.begin(), run.end(),
                         [](const std::pair<std::string, Xapian::MSetIterator> &a,
                            const std::pair<std::string, Xapian::MSetIterator> &b) {
                             return a.first > b.first;
                         });
        for (size_t k = i; k < j; k++)
            order[k] = run[k - i].second;
    }
}

/* The same key for every document: ties stay in Xapian's docid order. */
class S_no_key final : public Xapian::KeyMaker {
  public:
    std::string operator()(const Xapian::Document &) const override { return std::string(); }
};

/* The page by relevance alone (S_few_ties), from the first match to one past
 * the page: Xapian then reads no values, where ranking ties by value read
 * value_slot for every match (a stream as long as the archive). False, with
 * r untouched, when the hit after the page weighs as much as the page's
 * last: that run goes on beyond what was fetched, so S_search ranks as
 * before. */
static bool S_search_few_ties(Xapian::Database &db, facet::Cache &cache, const Xapian::Query &q,
                              const ns_xsearch_opts *o, ns_xresults *r)
{
    S_no_key no_key; /* before enquire, which points to it until its end */
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    S_enquire_setup(enquire, o);
    /* Not set_sort_by_relevance(): with a sort key Xapian passes over a match
     * that ranks below the page at once; by relevance alone every match went
     * through its heap, which cost more than the values did. */
    enquire.set_sort_by_relevance_then_key(&no_key, true);
    std::unique_ptr<facet::Spy> spy;
    if (o->facet_slot >= 0 && o->check_at_least == 0) {
        spy = facet::Spy::create(db, cache, static_cast<Xapian::valueno>(o->facet_slot));
        enquire.add_matchspy(spy.get());
    }
    Xapian::doccount n = o->offset + o->limit;
    Xapian::doccount all = db.get_doccount();
    if (o->check_at_least > 0 && o->check_at_least < all)
        all = o->check_at_least;
    Xapian::MSet mset = enquire.get_mset(0, n + 1, all);
    if (mset.size() > n && mset[n].get_weight() == mset[n - 1].get_weight())
        return false;
    std::vector<Xapian::MSetIterator> order;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end() && order.size() < n; ++it)
        order.push_back(it);
    S_settle_ties(order, o->offset, static_cast<Xapian::valueno>(o->value_slot));
    r->total = mset.get_matches_estimated();
    if (order.size() > o->offset) {
        size_t m = order.size() - o->offset;
        r->hits = static_cast<ns_xhit *>(std::calloc(m, sizeof *r->hits));
        if (!r->hits)
            throw std::bad_alloc();
        for (size_t i = 0; i < m; i++) {
            const Xapian::MSetIterator &it = order[o->offset + i];
            ns_xhit *h = &r->hits[i];
            h->docid = *it;
            h->score = it.get_weight();
            h->data = shim::dup(it.get_document().get_data(), &h->data_len);
            r->nhits = i + 1;
        }
    }
    if (spy)
        S_fill_facets(r, *spy);
    return true;
}

static int S_search(Xapian::Database &db, facet::Cache &cache, const Xapian::Query &q,
                    const ns_xsearch_opts *o, ns_xresults *r, S_spy_mode mode)
{
    if (S_facets_apart(o, mode))
        return S_search_apart(db, cache, q, o, r);
    if (S_few_ties(o, mode) && S_search_few_ties(db, cache, q, o, r))
        return 0;
    bool stock_spy = mode != S_SPY_OURS;
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    S_enquire_setup(enquire, o);
    std::unique_ptr<facet::Spy> spy;
    std::unique_ptr<Xapian::ValueCountMatchSpy> vspy;
    if (o->facet_slot >= 0 && o->check_at_least == 0 && stock_spy) {
        vspy.reset(new Xapian::ValueCountMatchSpy(static_cast<Xapian::valueno>(o->facet_slot)));
        enquire.add_matchspy(vspy.get());
    } else if (o->facet_slot >= 0 && o->check_at_least == 0) {
        spy = facet::Spy::create(db, cache, static_cast<Xapian::valueno>(o->facet_slot));
        enquire.add_matchspy(spy.get());
    }

    /* check_at_least = doccount makes Xapian visit every match, so the total
     * and the facet counts are exact. This is the main cost of a query: every
     * match is weighed, not just the top ones. o->check_at_least asks for the
     * page only (search.c's relaxed query: its counts come from an unweighted
     * pass of their own). */
    if (o->collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
    Xapian::doccount all = db.get_doccount();
    /* The page only: Xapian may skip what cannot reach it. Not over shards:
     * there Xapian 1.4 skipped matches that belonged on the page (at 100,000
     * articles, 4 local shards, "severe module pread vendor:Samsung" relaxed:
     * its best 6 hits missing), so a sharded search visits every match. */
    if (o->check_at_least > 0 && o->check_at_least < all && mode == S_SPY_OURS)
        all = o->check_at_least;
    Xapian::MSet mset = enquire.get_mset(o->offset, o->limit, all);
    r->total = mset.get_matches_estimated();
    S_fill_hits(r, mset, o, mode);
    if (spy)
        S_fill_facets(r, *spy);
    if (vspy)
        S_fill_stock_facets(r, *vspy);
    return 0;
}

namespace {
struct S_results_free {
    void operator()(ns_xresults *r) const { ns_xresults_free(r); }
};
} // namespace

extern "C" int ns_xsearch(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *opts,
                          ns_xresults **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xsearch: NULL argument");
    *out = NULL;
    if (!db || !q)
        return ns_err_set(err, NS_EINVAL, "ns_xsearch: NULL argument");
    static const ns_xsearch_opts defaults = NS_XSEARCH_OPTS_INIT;
    const ns_xsearch_opts *o = opts ? opts : &defaults;
    return shim::guarded(db, err, "searching", "searching", db->path, [&] {
        /* freed here on any failure, S_search's partial results with it */
        std::unique_ptr<ns_xresults, S_results_free> r(
            static_cast<ns_xresults *>(std::calloc(1, sizeof(ns_xresults))));
        if (!r)
            return ns_err_set(err, NS_ENOMEM, "searching '%s': out of memory", db->path.c_str());
        S_spy_mode mode = db->shards.empty() ? S_SPY_OURS
                          : db->remotes ? S_SPY_STOCK_APART
                                        : S_SPY_STOCK;
        S_search(db->db, db->facets, q->q, o, r.get(), mode);
        *out = r.release();
        return 0;
    });
}

extern "C" unsigned ns_xresults_total(const ns_xresults *r)
{
    return r ? r->total : 0;
}

extern "C" size_t ns_xresults_count(const ns_xresults *r)
{
    return r ? r->nhits : 0;
}

extern "C" const ns_xhit *ns_xresults_hit(const ns_xresults *r, size_t i)
{
    return r && i < r->nhits ? &r->hits[i] : NULL;
}

extern "C" size_t ns_xresults_facet_count(const ns_xresults *r)
{
    return r ? r->nfacets : 0;
}

extern "C" const ns_xfacet *ns_xresults_facet(const ns_xresults *r, size_t i)
{
    return r && i < r->nfacets ? &r->facets[i] : NULL;
}

extern "C" void ns_xresults_free(ns_xresults *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        std::free(r->hits[i].data);
        std::free(r->hits[i].collapse_key);
    }
    std::free(r->hits);
    for (size_t i = 0; i < r->nfacets; i++)
        std::free(r->facets[i].key);
    std::free(r->facets);
    std::free(r);
}
