/* xapian_shim_write.cc: the shim's writable databases (see xapian_shim.h):
 * ns_xwdb_* (one database, or one writer per shard of a sharded one, with
 * shard 0 committed last), the story links and facet table written at the
 * end of a run, and ns_xcompact. Split from xapian_shim.cc, which keeps the
 * read-only databases and searching; the boundary and the operations both
 * kinds of database share are xapian_shim_impl.h. */
#include "err.h"
#include "facets.h"
#include "schema.h"
#include "shard.h"
#include "xapian_shim.h"
#include "xapian_shim_impl.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <sys/stat.h>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

/* A sharded database is written through one writer per shard: Xapian 1.4
 * cannot route a document of a multi-database to a shard of our choosing.
 * db is shard 0, which holds all the metadata and the spelling table (a
 * multi-database reads metadata from its first shard only). */
struct ns_xwdb {
    Xapian::WritableDatabase db;
    bool closed;
    bool in_tx;
    std::string path;
    std::vector<Xapian::WritableDatabase> shards; /* every shard; empty: not sharded */
    Xapian::Database all;                         /* sharded: every shard, for counts */
};

const Xapian::Database &shim::reader(const ns_xwdb *h)
{
    return h->shards.empty() ? h->db : h->all;
}

/* ---- writable database ---- */

extern "C" int ns_xwdb_open(ns_xwdb **out, const char *path, int flags, ns_err *err)
{
    return ns_xwdb_open_shards(out, path, 0, flags, err);
}

/* Every shard of w in the order their changes are committed: shard 0,
 * which holds the file records and the rest of the metadata, last, so that
 * a record is never committed before its document (a crash in between
 * leaves documents without records, which the next run indexes again). */
template <class F> static void S_each_shard(ns_xwdb *w, F f)
{
    if (w->shards.empty()) {
        f(w->db);
        return;
    }
    for (size_t k = 1; k < w->shards.size(); k++)
        f(w->shards[k]);
    f(w->shards[0]);
}

/* The shard holding the document of idterm ("Q<id>"). */
static Xapian::WritableDatabase &S_route(ns_xwdb *w, const std::string &idterm)
{
    if (w->shards.empty())
        return w->db;
    size_t skip = idterm.compare(0, std::strlen(NS_PREFIX_ID), NS_PREFIX_ID) == 0
                      ? std::strlen(NS_PREFIX_ID) : 0;
    unsigned n = static_cast<unsigned>(w->shards.size());
    return w->shards[ns_shard_of(idterm.data() + skip, idterm.size() - skip, n)];
}

extern "C" int ns_xwdb_open_shards(ns_xwdb **out, const char *path, unsigned nshards, int flags,
                                   ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_open: NULL argument");
    *out = NULL;
    if (nshards > NS_SHARD_MAX)
        return ns_err_set(err, NS_EINVAL, "%u shards: at most %d", nshards, NS_SHARD_MAX);
    int action = flags == NS_XWDB_OVERWRITE ? Xapian::DB_CREATE_OR_OVERWRITE
                 : flags == NS_XWDB_OPEN    ? Xapian::DB_OPEN
                                            : Xapian::DB_CREATE_OR_OPEN;
    ns_stub *stub = NULL;
    unsigned have = 0;
    if (ns_stub_is(path)) {
        int rc = ns_stub_read(&stub, path, err);
        if (rc < 0)
            return rc;
        have = static_cast<unsigned>(ns_stub_count(stub));
        for (size_t i = 0; i < have; i++)
            if (ns_stub_shard_at(stub, i)->remote) {
                ns_stub_free(stub);
                return ns_err_set(err, NS_EINVAL, "database '%s' lists remote shards: nindex "
                                  "writes the shards on their own machine", path);
            }
        if (nshards >= 1 && nshards != have) {
            ns_stub_free(stub);
            return ns_err_set(err, NS_EINVAL, "database '%s' has %u shards, not %u", path, have,
                              nshards);
        }
    }
    int rc = shim::guard(err, "opening database for writing", path, [&]() -> int {
        try {
            if (!stub && nshards < 2) {
                Xapian::WritableDatabase db(path, action);
                *out = new ns_xwdb{db, false, false, path, {}, Xapian::Database()};
                return 0;
            }
            std::unique_ptr<ns_xwdb> w(new ns_xwdb{Xapian::WritableDatabase(), false, false, path, {}, Xapian::Database()});
            unsigned n = stub ? have : nshards;
            if (!stub) {
                if (flags == NS_XWDB_OPEN)
                    return ns_err_set(err, NS_ENOTFOUND, "no sharded database at '%s'", path);
                struct stat st;
                if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
                    return ns_err_set(err, NS_EINVAL, "'%s' is not a folder", path);
                if (mkdir(path, 0777) < 0 && errno != EEXIST)
                    return ns_err_set(err, NS_EXAPIAN, "cannot create '%s': %s", path,
                                      std::strerror(errno));
                std::string v(path);
                if (stat((v + "/iamglass").c_str(), &st) == 0)
                    return ns_err_set(err, NS_EINVAL, "database '%s' has one shard, not %u", path,
                                      nshards);
            }
            for (unsigned k = 0; k < n; k++) {
                std::string sp = stub ? std::string(ns_stub_shard_at(stub, k)->path)
                                      : std::string(path) + "/shard" + std::to_string(k);
                w->shards.push_back(Xapian::WritableDatabase(sp, action));
                w->all.add_database(w->shards.back());
            }
            if (!stub) {
                /* the stub last: until it is there, no one takes the folder
                 * for a database */
                int src = ns_stub_write_local(path, n, err);
                if (src < 0)
                    return src;
            }
            w->db = w->shards[0];
            *out = w.release();
            return 0;
        } catch (const Xapian::DatabaseLockError &) {
            /* The usual case of a second nindex: said plainly. */
            return ns_err_set(err, NS_ELOCKED, "database '%s' is locked by another writer",
                              path);
        }
    });
    ns_stub_free(stub);
    return rc;
}

extern "C" unsigned ns_xwdb_shard_count(const ns_xwdb *w)
{
    return w ? static_cast<unsigned>(w->shards.size()) : 0;
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
        size_t begun = 0;
        try {
            S_each_shard(w, [&](Xapian::WritableDatabase &d) {
                d.begin_transaction(true);
                begun++;
            });
        } catch (...) {
            /* none stays open: the ones begun are dropped */
            S_each_shard(w, [&](Xapian::WritableDatabase &d) {
                if (begun > 0) {
                    begun--;
                    try {
                        d.cancel_transaction();
                    } catch (...) {
                    }
                }
            });
            throw;
        }
        w->in_tx = true;
        return 0;
    };
    return shim::guarded(w, err, "beginning a transaction", "beginning a transaction on", w->path,
                         begin);
}

extern "C" int ns_xwdb_commit(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_commit: NULL database");
    return shim::guarded(w, err, "committing", "committing to", w->path, [&] {
        if (w->in_tx) {
            /* Xapian ends the transaction whether or not the commit succeeds.
             * A shard that fails: the shards after it (shard 0 with the
             * records last) are cancelled, so no record outlives its
             * document. */
            w->in_tx = false;
            std::exception_ptr failed;
            S_each_shard(w, [&](Xapian::WritableDatabase &d) {
                try {
                    if (failed)
                        d.cancel_transaction();
                    else
                        d.commit_transaction();
                } catch (...) {
                    if (!failed)
                        failed = std::current_exception();
                }
            });
            if (failed)
                std::rethrow_exception(failed);
        } else {
            S_each_shard(w, [&](Xapian::WritableDatabase &d) { d.commit(); });
        }
        return 0;
    });
}

extern "C" int ns_xwdb_cancel(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_cancel: NULL database");
    return shim::guarded(w, err, "cancelling", "cancelling a transaction on", w->path, [&] {
        /* No open transaction: nothing to drop. Being lenient here lets
         * error paths cancel unconditionally. */
        if (!w->in_tx)
            return 0;
        w->in_tx = false; /* cancelled even if cancel_transaction() throws */
        std::exception_ptr failed;
        S_each_shard(w, [&](Xapian::WritableDatabase &d) {
            try {
                d.cancel_transaction();
            } catch (...) {
                if (!failed)
                    failed = std::current_exception();
            }
        });
        if (failed)
            std::rethrow_exception(failed);
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
    return shim::guarded(w, err, "replacing a document", "replacing document", id, [&] {
        id.assign(idterm, len);
        /* A document replaced by idterm must carry idterm, or the next
         * replace would add a duplicate. Xapian::Document is a shared
         * handle, so this touches the caller's document too, but adding a
         * boolean term that is already there changes nothing. */
        Xapian::Document d = doc->doc;
        d.add_boolean_term(id);
        S_route(w, id).replace_document(id, d);
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
    return shim::guarded(w, err, "deleting a document", "deleting document", id, [&] {
        id.assign(idterm, len);
        S_route(w, id).delete_document(id);
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
    return shim::guarded(w, err, "reading a document", "reading document", id, [&] {
        id.assign(idterm, len);
        Xapian::WritableDatabase &db = S_route(w, id);
        Xapian::docid did = S_docid(db, id);
        if (!did)
            return ns_err_set(err, NS_ENOTFOUND, "no document '%s'", id.c_str());
        *data = shim::dup(db.get_document(did).get_data(), dlen);
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
    return shim::guarded(w, err, "updating a document", "updating document", id, [&] {
        id.assign(idterm, len);
        Xapian::WritableDatabase &db = S_route(w, id);
        Xapian::docid did = S_docid(db, id);
        if (!did)
            return ns_err_set(err, NS_ENOTFOUND, "no document '%s'", id.c_str());
        /* A document read from this database with only its data changed:
         * Xapian rewrites the data alone, not the terms or values. */
        Xapian::Document d = db.get_document(did);
        d.set_data(std::string(data ? data : "", dlen));
        db.replace_document(did, d);
        return 0;
    });
}

extern "C" int ns_xwdb_termfreq(ns_xwdb *w, const char *term, size_t len, unsigned *out,
                                ns_err *err)
{
    return shim::termfreq("ns_xwdb_termfreq", w, term, len, out, err);
}

extern "C" int ns_xwdb_doccount(ns_xwdb *w, unsigned *out, ns_err *err)
{
    return shim::doccount("ns_xwdb_doccount", w, out, err);
}

extern "C" int ns_xwdb_set_metadata(ns_xwdb *w, const char *key, const char *val, size_t len,
                                    ns_err *err)
{
    if (!w || !key || (!val && len))
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_set_metadata: NULL argument");
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "writing metadata: empty key");
    return shim::guarded(w, err, "writing metadata", "writing metadata key", key, [&] {
        w->db.set_metadata(key, len ? std::string(val, len) : std::string());
        return 0;
    });
}

extern "C" int ns_xwdb_get_metadata(ns_xwdb *w, const char *key, char **val, size_t *len,
                                    ns_err *err)
{
    return shim::get_metadata("ns_xwdb_get_metadata", w, key, val, len, err);
}

extern "C" int ns_xwdb_metadata_each(ns_xwdb *w, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                     ns_err *err)
{
    return shim::metadata_each("ns_xwdb_metadata_each", w, prefix, fn, ctx, err);
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
    return shim::guarded(w, err, "linking translations", "linking the translations of", w->path,
                         link);
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
        S_each_shard(w, [&](Xapian::WritableDatabase &d) { d.commit(); });
        if (!w->shards.empty())
            return 0; /* a sharded database is counted by Xapian's own spy */
        Xapian::rev now = w->db.get_revision();
        if (facet::table_describes(w->db.get_metadata(NS_META_FACET_TABLE), now, slot))
            return 0;
        w->db.set_metadata(NS_META_FACET_TABLE, facet::table_encode(w->db, slot, now + 1));
        w->db.commit();
        return 0;
    };
    return shim::guarded(w, err, "writing the facet table", "writing the facet table of", w->path,
                         write);
}

extern "C" int ns_xwdb_spellings_each(ns_xwdb *w, ns_xspelling_fn fn, void *ctx, ns_err *err)
{
    if (!w || !fn)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_spellings_each: NULL argument");
    return shim::guarded(w, err, "reading the spelling table", "reading the spelling table of",
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
    return shim::guarded(w, err, "adding a spelling", "adding a spelling to", w->path, [&] {
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
            S_each_shard(w, [&](Xapian::WritableDatabase &d) { d.cancel_transaction(); });
        }
        /* Commit explicitly so a failure is reported; close() alone would
         * commit too, but then the error would look like a close failure. */
        S_each_shard(w, [&](Xapian::WritableDatabase &d) { d.commit(); });
        return 0;
    });
    /* Close even after a failed commit: the lock must be released. The
     * commit's failure, if any, is the one reported. */
    w->closed = true;
    int rc_close = 0;
    S_each_shard(w, [&](Xapian::WritableDatabase &d) {
        int c = shim::guard(rc < 0 || rc_close < 0 ? NULL : err, "closing database", w->path, [&] {
            d.close();
            return 0;
        });
        if (c < 0 && rc_close == 0)
            rc_close = c;
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
        bool in_tx = w->in_tx;
        w->in_tx = false;
        S_each_shard(w, [&](Xapian::WritableDatabase &d) {
            shim::guard(NULL, "cancelling a transaction", [&] {
                if (in_tx)
                    d.cancel_transaction();
                return 0;
            });
        });
        S_each_shard(w, [&](Xapian::WritableDatabase &d) {
            shim::guard(NULL, "closing database", [&] {
                /* Commits changes made outside a transaction, releases the lock. */
                d.close();
                return 0;
            });
        });
    }
    delete w;
}

static int S_compact_one(const char *dest, const char *const *sources, size_t n, ns_err *err);

/* Sharded sources (all with the same number of shards): shard K of dest is
 * shard K of every source compacted; the stub is written last. */
static int S_compact_sharded(const char *dest, const char *const *sources, size_t n,
                             unsigned nshards, ns_err *err)
{
    for (size_t i = 0; i < n; i++) {
        ns_stub *st = NULL;
        int rc = ns_stub_read(&st, sources[i], err);
        size_t c = ns_stub_count(st);
        ns_stub_free(st);
        if (rc < 0)
            return rc;
        if (c != nshards)
            return ns_err_set(err, NS_EINVAL, "compacting: '%s' has %zu shards, '%s' %u",
                              sources[i], c, sources[0], nshards);
    }
    if (mkdir(dest, 0777) < 0 && errno != EEXIST)
        return ns_err_set(err, NS_EIO, "compacting: cannot create '%s': %s", dest,
                          std::strerror(errno));
    for (unsigned k = 0; k < nshards; k++) {
        std::vector<std::string> srcs;
        std::vector<const char *> ptrs;
        srcs.reserve(n);
        ptrs.reserve(n);
        for (size_t i = 0; i < n; i++)
            srcs.push_back(std::string(sources[i]) + "/shard" + std::to_string(k));
        for (const std::string &x : srcs)
            ptrs.push_back(x.c_str());
        std::string d = std::string(dest) + "/shard" + std::to_string(k);
        int rc = S_compact_one(d.c_str(), ptrs.data(), n, err);
        if (rc < 0)
            return rc;
    }
    return ns_stub_write_local(dest, nshards, err);
}

extern "C" int ns_xcompact(const char *dest, const char *const *sources, size_t n, ns_err *err)
{
    if (!dest || !sources || n == 0)
        return ns_err_set(err, NS_EINVAL, "compacting: no destination or no sources");
    if (sources[0] && ns_stub_is(sources[0])) {
        ns_stub *st = NULL;
        int rc = ns_stub_read(&st, sources[0], err);
        unsigned c = static_cast<unsigned>(ns_stub_count(st));
        ns_stub_free(st);
        if (rc < 0)
            return rc;
        int r2 = shim::guard(err, "compacting into", dest, [&] {
            return S_compact_sharded(dest, sources, n, c, err);
        });
        return r2;
    }
    return S_compact_one(dest, sources, n, err);
}

static int S_compact_one(const char *dest, const char *const *sources, size_t n, ns_err *err)
{
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
