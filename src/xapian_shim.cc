/* xapian_shim.cc: the C face of libxapian (see xapian_shim.h): the
 * boundary's helpers (xapian_shim_impl.h), databases and searching. With
 * xapian_shim_build.cc (documents and queries) it is the only boundary
 * between C and Xapian; the facet engine behind ns_xsearch and the facet
 * table is facets.cc. Every extern "C" entry point checks its arguments, then
 * does its Xapian work inside shim::guard (S_guarded on a database handle),
 * so no exception crosses into C: shim::fail maps the one being handled to
 * an NS_E* code and a message. */
#include "err.h"
#include "facets.h"
#include "schema.h"
#include "utf8.h"
#include "xapian_shim.h"
#include "xapian_shim_impl.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct ns_xdb {
    Xapian::Database db;
    bool closed;
    std::string path;
    facet::Cache facets;
};

struct ns_xwdb {
    Xapian::WritableDatabase db;
    bool closed;
    bool in_tx;
    std::string path;
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

static int S_closed(ns_err *err, const char *what, const std::string &path)
{
    return ns_err_set(err, NS_ECLOSED, "%s: database '%s' is closed", what, path.c_str());
}

/* shim::guard for a call on a database handle h (ns_xdb or ns_xwdb), once the
 * call's arguments are checked: NS_ECLOSED ("doing: database 'path' is
 * closed") when h is closed, else body() guarded, its failures reported as
 * "failing 'arg': ...". */
template <class H, class A, class F>
static int S_guarded(H *h, ns_err *err, const char *doing, const char *failing, const A &arg,
                     F body)
{
    if (h->closed)
        return S_closed(err, doing, h->path);
    return shim::guard(err, failing, arg, body);
}

/* ---- either database: one implementation per operation ----
 * H is ns_xdb or ns_xwdb (whose WritableDatabase is a Database); fn is the
 * entry point's name, for the message about a NULL argument. */

template <class H> static int S_doccount(const char *fn, H *h, unsigned *out, ns_err *err)
{
    if (!h || !out)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *out = 0;
    return S_guarded(h, err, "counting documents", "counting documents in", h->path, [&] {
        *out = h->db.get_doccount();
        return 0;
    });
}

template <class H>
static int S_termfreq(const char *fn, H *h, const char *term, size_t len, unsigned *out,
                      ns_err *err)
{
    if (!h || !out)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *out = 0;
    int rc = shim::check_term(err, "term frequency", term, len);
    if (rc < 0)
        return rc;
    return S_guarded(h, err, "term frequency", "term frequency in", h->path, [&] {
        *out = h->db.get_termfreq(std::string(term, len));
        return 0;
    });
}

template <class H>
static int S_get_metadata(const char *fn, H *h, const char *key, char **val, size_t *len,
                          ns_err *err)
{
    if (!h || !key || !val)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    *val = NULL;
    if (len)
        *len = 0;
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "reading metadata: empty key");
    return S_guarded(h, err, "reading metadata", "reading metadata key", key, [&] {
        *val = shim::dup(h->db.get_metadata(key), len);
        return 0;
    });
}

template <class H>
static int S_metadata_each(const char *fn, H *h, const char *prefix, ns_xmeta_fn f, void *ctx,
                           ns_err *err)
{
    if (!h || !f)
        return ns_err_set(err, NS_EINVAL, "%s: NULL argument", fn);
    return S_guarded(h, err, "listing metadata", "listing metadata in", h->path, [&] {
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

/* ---- read-only database ---- */

extern "C" int ns_xdb_open(ns_xdb **out, const char *path, ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_open: NULL argument");
    *out = NULL;
    return shim::guard(err, "opening database", path, [&] {
        Xapian::Database db(path);
        *out = new ns_xdb{db, false, path, facet::Cache()};
        return 0;
    });
}

extern "C" int ns_xdb_reopen(ns_xdb *db, int *changed, ns_err *err)
{
    if (changed)
        *changed = 0;
    if (!db)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_reopen: NULL database");
    return S_guarded(db, err, "reopening", "reopening database", db->path, [&] {
        bool moved = db->db.reopen();
        if (moved)
            db->facets.clear();
        if (changed)
            *changed = moved ? 1 : 0;
        return 0;
    });
}

extern "C" int ns_xdb_doccount(ns_xdb *db, unsigned *out, ns_err *err)
{
    return S_doccount("ns_xdb_doccount", db, out, err);
}

extern "C" int ns_xdb_termfreq(ns_xdb *db, const char *term, size_t len, unsigned *out,
                               ns_err *err)
{
    return S_termfreq("ns_xdb_termfreq", db, term, len, out, err);
}

extern "C" int ns_xdb_docs_have_terms(ns_xdb *db, const char *const *terms, size_t nterms,
                                      const unsigned *docids, size_t ndocs, unsigned char *out,
                                      ns_err *err)
{
    if (!db || (nterms && !terms) || (ndocs && (!docids || !out)))
        return ns_err_set(err, NS_EINVAL, "ns_xdb_docs_have_terms: NULL argument");
    if (nterms && ndocs)
        std::memset(out, 0, nterms * ndocs);
    return S_guarded(db, err, "looking up terms", "looking up terms in", db->path, [&] {
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

extern "C" int ns_xdb_get_metadata(ns_xdb *db, const char *key, char **val, size_t *len,
                                   ns_err *err)
{
    return S_get_metadata("ns_xdb_get_metadata", db, key, val, len, err);
}

extern "C" int ns_xdb_metadata_each(ns_xdb *db, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                    ns_err *err)
{
    return S_metadata_each("ns_xdb_metadata_each", db, prefix, fn, ctx, err);
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
    return S_guarded(db, err, "spelling", "spelling suggestion in", db->path, [&] {
        std::string s = db->db.get_spelling_suggestion(std::string(word, len), max_edits);
        if (!s.empty())
            *out = shim::dup(s, NULL);
        return 0;
    });
}

extern "C" int ns_xdb_has_facet_table(ns_xdb *db, unsigned slot)
{
    if (!db || db->closed)
        return 0;
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

/* ---- writable database ---- */

extern "C" int ns_xwdb_open(ns_xwdb **out, const char *path, int flags, ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_open: NULL argument");
    *out = NULL;
    int action = flags == NS_XWDB_OVERWRITE ? Xapian::DB_CREATE_OR_OVERWRITE
                 : flags == NS_XWDB_OPEN    ? Xapian::DB_OPEN
                                            : Xapian::DB_CREATE_OR_OPEN;
    return shim::guard(err, "opening database for writing", path, [&]() -> int {
        try {
            Xapian::WritableDatabase db(path, action);
            *out = new ns_xwdb{db, false, false, path};
            return 0;
        } catch (const Xapian::DatabaseLockError &) {
            /* The usual case of a second nindex: said plainly. */
            return ns_err_set(err, NS_ELOCKED, "database '%s' is locked by another writer",
                              path);
        }
    });
}

extern "C" int ns_xwdb_begin(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_begin: NULL database");
    auto begin = [&] {
        if (w->in_tx)
            return ns_err_set(err, NS_EINVAL, "database '%s': a transaction is already open",
                              w->path.c_str());
        /* Flushed: commit_transaction() makes the changes durable and visible. */
        w->db.begin_transaction(true);
        w->in_tx = true;
        return 0;
    };
    return S_guarded(w, err, "beginning a transaction", "beginning a transaction on", w->path,
                     begin);
}

extern "C" int ns_xwdb_commit(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_commit: NULL database");
    return S_guarded(w, err, "committing", "committing to", w->path, [&] {
        if (w->in_tx) {
            /* Xapian ends the transaction whether or not the commit succeeds. */
            w->in_tx = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return 0;
    });
}

extern "C" int ns_xwdb_cancel(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_cancel: NULL database");
    return S_guarded(w, err, "cancelling", "cancelling a transaction on", w->path, [&] {
        /* No open transaction: nothing to drop. Being lenient here lets
         * error paths cancel unconditionally. */
        if (!w->in_tx)
            return 0;
        w->in_tx = false; /* cancelled even if cancel_transaction() throws */
        w->db.cancel_transaction();
        return 0;
    });
}

extern "C" int ns_xwdb_replace(ns_xwdb *w, const char *idterm, size_t len, const ns_xdoc *doc,
                               ns_err *err)
{
    if (!w || !doc)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_replace: NULL argument");
    int rc = shim::check_term(err, "replacing a document", idterm, len);
    if (rc < 0)
        return rc;
    std::string id; /* filled inside the guard, where copying may throw */
    return S_guarded(w, err, "replacing a document", "replacing document", id, [&] {
        id.assign(idterm, len);
        /* A document replaced by idterm must carry idterm, or the next
         * replace would add a duplicate. Xapian::Document is a shared
         * handle, so this touches the caller's document too, but adding a
         * boolean term that is already there changes nothing. */
        Xapian::Document d = doc->doc;
        d.add_boolean_term(id);
        w->db.replace_document(id, d);
        return 0;
    });
}

extern "C" int ns_xwdb_delete(ns_xwdb *w, const char *idterm, size_t len, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_delete: NULL database");
    int rc = shim::check_term(err, "deleting a document", idterm, len);
    if (rc < 0)
        return rc;
    std::string id; /* filled inside the guard, where copying may throw */
    return S_guarded(w, err, "deleting a document", "deleting document", id, [&] {
        id.assign(idterm, len);
        w->db.delete_document(id);
        return 0;
    });
}

/* The document indexed by the unique term id, or 0 when there is none. */
static Xapian::docid S_docid(const Xapian::Database &db, const std::string &id)
{
    Xapian::PostingIterator p = db.postlist_begin(id);
    return p == db.postlist_end(id) ? 0 : *p;
}

extern "C" int ns_xwdb_get_data(ns_xwdb *w, const char *idterm, size_t len, char **data,
                                size_t *dlen, ns_err *err)
{
    if (!w || !data)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_get_data: NULL argument");
    *data = NULL;
    if (dlen)
        *dlen = 0;
    int rc = shim::check_term(err, "reading a document", idterm, len);
    if (rc < 0)
        return rc;
    std::string id; /* filled inside the guard, where copying may throw */
    return S_guarded(w, err, "reading a document", "reading document", id, [&] {
        id.assign(idterm, len);
        Xapian::docid did = S_docid(w->db, id);
        if (!did)
            return ns_err_set(err, NS_ENOTFOUND, "no document '%s'", id.c_str());
        *data = shim::dup(w->db.get_document(did).get_data(), dlen);
        return 0;
    });
}

extern "C" int ns_xwdb_set_data(ns_xwdb *w, const char *idterm, size_t len, const char *data,
                                size_t dlen, ns_err *err)
{
    if (!w || (!data && dlen))
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_set_data: NULL argument");
    int rc = shim::check_term(err, "updating a document", idterm, len);
    if (rc < 0)
        return rc;
    std::string id; /* filled inside the guard, where copying may throw */
    return S_guarded(w, err, "updating a document", "updating document", id, [&] {
        id.assign(idterm, len);
        Xapian::docid did = S_docid(w->db, id);
        if (!did)
            return ns_err_set(err, NS_ENOTFOUND, "no document '%s'", id.c_str());
        /* A document read from this database with only its data changed:
         * Xapian rewrites the data alone, not the terms or values. */
        Xapian::Document d = w->db.get_document(did);
        d.set_data(std::string(data ? data : "", dlen));
        w->db.replace_document(did, d);
        return 0;
    });
}

extern "C" int ns_xwdb_termfreq(ns_xwdb *w, const char *term, size_t len, unsigned *out,
                                ns_err *err)
{
    return S_termfreq("ns_xwdb_termfreq", w, term, len, out, err);
}

extern "C" int ns_xwdb_doccount(ns_xwdb *w, unsigned *out, ns_err *err)
{
    return S_doccount("ns_xwdb_doccount", w, out, err);
}

extern "C" int ns_xwdb_set_metadata(ns_xwdb *w, const char *key, const char *val, size_t len,
                                    ns_err *err)
{
    if (!w || !key || (!val && len))
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_set_metadata: NULL argument");
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "writing metadata: empty key");
    return S_guarded(w, err, "writing metadata", "writing metadata key", key, [&] {
        w->db.set_metadata(key, len ? std::string(val, len) : std::string());
        return 0;
    });
}

extern "C" int ns_xwdb_get_metadata(ns_xwdb *w, const char *key, char **val, size_t *len,
                                    ns_err *err)
{
    return S_get_metadata("ns_xwdb_get_metadata", w, key, val, len, err);
}

extern "C" int ns_xwdb_metadata_each(ns_xwdb *w, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                     ns_err *err)
{
    return S_metadata_each("ns_xwdb_metadata_each", w, prefix, fn, ctx, err);
}

/* The facet value fv with its story line ("S<key>") replaced by one for key,
 * or removed when key is empty. */
static std::string S_story_facet(const std::string &fv, const std::string &key)
{
    std::string out;
    size_t i = 0;
    while (i <= fv.size()) {
        size_t nl = fv.find('\n', i);
        if (nl == std::string::npos)
            nl = fv.size();
        if (nl > i && fv[i] != NS_FACET_STORY) {
            if (!out.empty())
                out += '\n';
            out.append(fv, i, nl - i);
        }
        i = nl + 1;
    }
    if (!key.empty())
        out += std::string(out.empty() ? "" : "\n") + NS_FACET_STORY + key;
    return out;
}

/* Step 1: the story key each translation should have (its original's own
 * key, else its own), as (docid, key) pairs for the keys that differ. */
static void S_translations(Xapian::WritableDatabase &db,
                           std::vector<std::pair<Xapian::docid, std::string>> &todo)
{
    const std::string xt(NS_PREFIX_TRANSLATION);
    for (Xapian::TermIterator t = db.allterms_begin(xt); t != db.allterms_end(xt); ++t) {
        std::string target;
        const std::string q = NS_PREFIX_ID + (*t).substr(xt.size());
        Xapian::PostingIterator p = db.postlist_begin(q);
        if (p != db.postlist_end(q))
            target = db.get_document(*p).get_value(NS_SLOT_OWN_STORY);
        for (Xapian::PostingIterator d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d) {
            Xapian::Document doc = db.get_document(*d);
            std::string want = target.empty() ? doc.get_value(NS_SLOT_OWN_STORY) : target;
            if (doc.get_value(NS_SLOT_STORY) != want)
                todo.emplace_back(*d, want);
        }
    }
}

/* Step 2: every article of a story of two or more carries XD and the facet
 * key "S<story key>"; no other does. Returns the documents changed. */
static unsigned S_mark_shared(Xapian::WritableDatabase &db)
{
    const std::string xs(NS_PREFIX_STORY), xd(NS_PREFIX_SHARED);
    std::vector<Xapian::docid> shared;
    for (Xapian::TermIterator t = db.allterms_begin(xs); t != db.allterms_end(xs); ++t)
        if (t.get_termfreq() >= 2)
            for (Xapian::PostingIterator d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d)
                shared.push_back(*d);
    std::sort(shared.begin(), shared.end());
    std::vector<Xapian::docid> marked;
    for (Xapian::PostingIterator d = db.postlist_begin(xd); d != db.postlist_end(xd); ++d)
        marked.push_back(*d);
    unsigned changed = 0;
    /* Shared ones: marked, with the facet key of their current story. */
    for (Xapian::docid id : shared) {
        Xapian::Document doc = db.get_document(id);
        const std::string key = doc.get_value(NS_SLOT_STORY);
        const std::string fv = doc.get_value(NS_SLOT_FACETS);
        const std::string want = S_story_facet(fv, key);
        bool has = std::binary_search(marked.begin(), marked.end(), id);
        if (has && want == fv)
            continue;
        if (!has)
            doc.add_boolean_term(xd);
        doc.add_value(NS_SLOT_FACETS, want);
        db.replace_document(id, doc);
        changed++;
    }
    /* Marked ones no longer shared: a telling deleted, or a story changed. */
    for (Xapian::docid id : marked) {
        if (std::binary_search(shared.begin(), shared.end(), id))
            continue;
        Xapian::Document doc = db.get_document(id);
        doc.remove_term(xd);
        doc.add_value(NS_SLOT_FACETS, S_story_facet(doc.get_value(NS_SLOT_FACETS), ""));
        db.replace_document(id, doc);
        changed++;
    }
    /* only when it differs: a write would make a revision, and that a new
     * facet table, on every run */
    const std::string n = std::to_string(shared.size());
    if (db.get_metadata(NS_META_SHARED_STORIES) != n)
        db.set_metadata(NS_META_SHARED_STORIES, n);
    return changed;
}

/* The changes are gathered first and made after, so that no iterator walks
 * a table being written. */
extern "C" int ns_xwdb_link_stories(ns_xwdb *w, unsigned *changed, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_link_stories: NULL database");
    if (changed)
        *changed = 0;
    auto link = [&] {
        std::vector<std::pair<Xapian::docid, std::string>> todo;
        S_translations(w->db, todo);
        for (const auto &c : todo) {
            Xapian::Document doc = w->db.get_document(c.first);
            const std::string old = NS_PREFIX_STORY + doc.get_value(NS_SLOT_STORY);
            try {
                doc.remove_term(old);
            } catch (const Xapian::InvalidArgumentError &) {
                /* not there: a document written without it */
            }
            doc.add_boolean_term(NS_PREFIX_STORY + c.second);
            doc.add_value(NS_SLOT_STORY, c.second);
            w->db.replace_document(c.first, doc);
        }
        unsigned n = static_cast<unsigned>(todo.size()) + S_mark_shared(w->db);
        if (changed)
            *changed = n;
        return 0;
    };
    return S_guarded(w, err, "linking translations", "linking the translations of", w->path, link);
}

extern "C" int ns_xwdb_write_facet_table(ns_xwdb *w, unsigned slot, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_write_facet_table: NULL database");
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "writing the facet table: bad slot %u", slot);
    auto write = [&] {
        if (w->in_tx)
            return ns_err_set(err, NS_EINVAL, "database '%s': the facet table is written outside "
                              "a transaction", w->path.c_str());
        /* Pending changes first (a commit without any does not make a
         * revision), so that an unchanged database keeps its table. */
        w->db.commit();
        Xapian::rev now = w->db.get_revision();
        if (facet::table_describes(w->db.get_metadata(NS_META_FACET_TABLE), now, slot))
            return 0;
        w->db.set_metadata(NS_META_FACET_TABLE, facet::table_encode(w->db, slot, now + 1));
        w->db.commit();
        return 0;
    };
    return S_guarded(w, err, "writing the facet table", "writing the facet table of", w->path,
                     write);
}

extern "C" int ns_xwdb_spellings_each(ns_xwdb *w, ns_xspelling_fn fn, void *ctx, ns_err *err)
{
    if (!w || !fn)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_spellings_each: NULL argument");
    return S_guarded(w, err, "reading the spelling table", "reading the spelling table of",
                     w->path, [&] {
        for (Xapian::TermIterator t = w->db.spellings_begin(); t != w->db.spellings_end(); ++t) {
            const std::string &word = *t;
            if (fn(ctx, word.data(), word.size(), t.get_termfreq()))
                break;
        }
        return 0;
    });
}

extern "C" int ns_xwdb_add_spelling(ns_xwdb *w, const char *word, size_t len, unsigned freq,
                                    ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_add_spelling: NULL database");
    int rc = shim::check_term(err, "adding a spelling", word, len);
    if (rc < 0)
        return rc;
    return S_guarded(w, err, "adding a spelling", "adding a spelling to", w->path, [&] {
        if (freq == 0)
            return 0;
        w->db.add_spelling(std::string(word, len), freq);
        return 0;
    });
}

extern "C" int ns_xwdb_close(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_close: NULL database");
    if (w->closed)
        return 0;
    int rc = shim::guard(err, "committing on close of", w->path, [&] {
        if (w->in_tx) {
            w->in_tx = false;
            w->db.cancel_transaction();
        }
        /* Commit explicitly so a failure is reported; close() alone would
         * commit too, but then the error would look like a close failure. */
        w->db.commit();
        return 0;
    });
    /* Close even after a failed commit: the lock must be released. The
     * commit's failure, if any, is the one reported. */
    w->closed = true;
    int rc_close = shim::guard(rc < 0 ? NULL : err, "closing database", w->path, [&] {
        w->db.close();
        return 0;
    });
    return rc < 0 ? rc : rc_close;
}

extern "C" void ns_xwdb_free(ns_xwdb *w)
{
    if (!w)
        return;
    if (!w->closed) {
        /* Nothing to report to; the two steps are apart so that the lock is
         * released even if the cancel fails. */
        shim::guard(NULL, "cancelling a transaction", [&] {
            if (w->in_tx) {
                w->in_tx = false;
                w->db.cancel_transaction();
            }
            return 0;
        });
        shim::guard(NULL, "closing database", [&] {
            /* Commits changes made outside a transaction, releases the lock. */
            w->db.close();
            return 0;
        });
    }
    delete w;
}

extern "C" int ns_xcompact(const char *dest, const char *const *sources, size_t n, ns_err *err)
{
    if (!dest || !sources || n == 0)
        return ns_err_set(err, NS_EINVAL, "compacting: no destination or no sources");
    /* Each source is opened under a guard of its own, so that a failure
     * names it; the compaction's failures name dest. */
    return shim::guard(err, "compacting: opening source database", sources[0], [&]() -> int {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            if (!sources[i])
                return ns_err_set(err, NS_EINVAL, "compacting: source %zu is NULL", i);
            int rc = shim::guard(err, "compacting: opening source database", sources[i], [&] {
                all.add_database(Xapian::Database(sources[i]));
                return 0;
            });
            if (rc < 0)
                return rc;
        }
        return shim::guard(err, "compacting into", dest, [&] {
            /* Default flags renumber the documents; each keeps its Q<id>
             * term, which is all the index relies on. */
            all.compact(dest);
            return 0;
        });
    });
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

static int S_search(Xapian::Database &db, facet::Cache &cache, const Xapian::Query &q,
                    const ns_xsearch_opts *o, ns_xresults *r)
{
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
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
    std::unique_ptr<facet::Spy> spy;
    if (o->facet_slot >= 0 && o->check_at_least == 0) {
        spy = facet::Spy::create(db, cache, static_cast<Xapian::valueno>(o->facet_slot));
        enquire.add_matchspy(spy.get());
    }

    /* check_at_least = doccount makes Xapian visit every match, so the total
     * and the facet counts are exact. This is the main cost of a query: every
     * match is weighed, not just the top ones. A faster two-pass strategy
     * would go here: a plain top-k pass with a small check_at_least for the
     * page, then a boolean (unweighted) pass of the same query for the total
     * and the facets. Not done yet: measure first. */
    if (o->collapse_slot >= 0)
        enquire.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot));
    Xapian::doccount all = db.get_doccount();
    if (o->check_at_least > 0 && o->check_at_least < all)
        all = o->check_at_least; /* the page only: Xapian may skip what cannot reach it */
    Xapian::MSet mset = enquire.get_mset(o->offset, o->limit, all);
    r->total = mset.get_matches_estimated();

    if (mset.size() > 0) {
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
    if (spy)
        S_fill_facets(r, *spy);
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
    return S_guarded(db, err, "searching", "searching", db->path, [&] {
        /* freed here on any failure, S_search's partial results with it */
        std::unique_ptr<ns_xresults, S_results_free> r(
            static_cast<ns_xresults *>(std::calloc(1, sizeof(ns_xresults))));
        if (!r)
            return ns_err_set(err, NS_ENOMEM, "searching '%s': out of memory", db->path.c_str());
        S_search(db->db, db->facets, q->q, o, r.get());
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
