/* xapian_shim.cc: the C face of libxapian (see xapian_shim.h). The only C++
 * in the tree. Every extern "C" entry point runs its body inside try and ends
 * in `catch (...) { return S_fail(...); }`, so no exception crosses into C;
 * S_fail rethrows the current exception to map it to an NS_E* code. */
#include "err.h"
#include "utf8.h"
#include "xapian_shim.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

/* Reads one slot's values for documents visited in ascending docid order
 * (as the matcher visits a single database) by walking the slot's value
 * stream, instead of looking up and decoding a value chunk per document
 * with Document::get_value; out of order, it falls back to that. */
class ValueReader {
  public:
    ValueReader(const Xapian::Database &db, Xapian::valueno slot)
        : db_(db), slot_(slot), started_(false), last_(0)
    {
    }

    std::string get(const Xapian::Document &doc, Xapian::docid did)
    {
        if (started_ && did < last_)
            return doc.get_value(slot_);
        if (!started_) {
            it_ = db_.valuestream_begin(slot_);
            started_ = true;
        }
        last_ = did;
        if (it_ == db_.valuestream_end(slot_))
            return std::string();
        if (it_.get_docid() < did)
            it_.skip_to(did);
        if (it_ == db_.valuestream_end(slot_) || it_.get_docid() != did)
            return std::string();
        return *it_;
    }

  private:
    Xapian::Database db_;
    Xapian::valueno slot_;
    bool started_;
    Xapian::docid last_;
    Xapian::ValueIterator it_;
};

/* ---- facets ----
 * The facet value of a document lists its keys ("M2020-10\nVGoogle\n...");
 * each distinct key counts once per matching document. A document's keys
 * are held as up to FACET_INLINE key ids in a flat array by docid, so
 * counting the matches of a query, which come in ascending docid order,
 * reads memory in order: with a vector of keys per document the cache misses
 * of chasing those pointers were 40% of a search with 50,000 matches. A
 * document with more keys has the rest in an overflow map. */

/* Maps key text to dense ids 0, 1, 2, ... in order of first sight. */
class KeyInterner {
  public:
    uint32_t intern(const char *p, size_t n)
    {
        scratch_.assign(p, n);
        std::unordered_map<std::string, uint32_t>::iterator it = ids_.find(scratch_);
        if (it != ids_.end())
            return it->second;
        uint32_t id = static_cast<uint32_t>(keys_.size());
        keys_.push_back(scratch_);
        ids_.emplace(scratch_, id);
        return id;
    }
    size_t size() const { return keys_.size(); }
    const std::string &key(uint32_t id) const { return keys_[id]; }
    void clear()
    {
        ids_.clear();
        keys_.clear();
    }

  private:
    std::string scratch_;
    std::unordered_map<std::string, uint32_t> ids_;
    std::vector<std::string> keys_;
};

/* The distinct key ids of a facet value, in order of appearance. */
static void S_key_ids(const std::string &v, KeyInterner &keys, std::vector<uint32_t> &ids)
{
    ids.clear();
    const char *p = v.data();
    const char *end = p + v.size();
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', end - p));
        const char *stop = nl ? nl : end;
        if (stop > p) {
            uint32_t id = keys.intern(p, static_cast<size_t>(stop - p));
            if (std::find(ids.begin(), ids.end(), id) == ids.end())
                ids.push_back(id); /* a key twice in one document counts once */
        }
        p = stop + 1;
    }
}

enum : unsigned { FACET_INLINE = 4 }; /* key ids held in place per document */

/* ---- the facet table ----
 * One metadata entry holding every document's key ids, so that a process
 * that has just opened the database counts facets without reading a value
 * per match (in a one-shot search or a plain CGI request, that reading was
 * half the time of a query with many matches). Layout, numbers as varints:
 *   "NSFT" version(1) revision slot nkeys {len bytes}*nkeys
 *   noverflow {docid n id*n}*noverflow lastdocid width
 *   then FACET_INLINE ids of `width` bytes (1, 2 or 4, little-endian) for
 *   each docid 1..lastdocid, read in place: all-ones ends a shorter list,
 *   all-ones minus one means "the rest are in the overflow records".
 * The table names the revision it describes and is committed after the
 * documents, so a reader can tell when it is stale (documents changed
 * after it was written) and then ignores it. */
static const char FACET_TABLE_KEY[] = "nsearch:facet-table";
static const char FACET_TABLE_MAGIC[] = "NSFT";
static const uint64_t FACET_TABLE_VERSION = 1;

static void S_put_varint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

static bool S_get_varint(const char *&p, const char *end, uint64_t &v)
{
    v = 0;
    for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
        unsigned char c = static_cast<unsigned char>(*p++);
        v |= static_cast<uint64_t>(c & 0x7F) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

/* The key id width for nkeys keys, leaving room for the two markers. */
static unsigned S_id_width(uint64_t nkeys)
{
    return nkeys <= 0xFE ? 1 : nkeys <= 0xFFFE ? 2 : 4;
}

static uint32_t S_id_none(unsigned width)
{
    return width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;
}

static uint32_t S_get_id(const unsigned char *p, unsigned width)
{
    switch (width) {
    case 1: return p[0];
    case 2: return p[0] | static_cast<uint32_t>(p[1]) << 8;
    default:
        return p[0] | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
               static_cast<uint32_t>(p[3]) << 24;
    }
}

/* The revision and slot a table describes; false if v is not a table. */
static bool S_facet_table_header(const std::string &v, uint64_t &revision, uint64_t &slot,
                                 const char *&rest)
{
    const char *p = v.data(), *end = p + v.size();
    uint64_t version;
    if (v.size() < 4 || std::memcmp(p, FACET_TABLE_MAGIC, 4) != 0)
        return false;
    p += 4;
    if (!S_get_varint(p, end, version) || version != FACET_TABLE_VERSION ||
        !S_get_varint(p, end, revision) || !S_get_varint(p, end, slot))
        return false;
    rest = p;
    return true;
}

static std::string S_facet_table_encode(Xapian::Database &db, Xapian::valueno slot,
                                        Xapian::rev revision)
{
    KeyInterner keys;
    std::vector<std::vector<uint32_t> > per_doc(1); /* by docid; 0 is not a docid */
    for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
         ++it) {
        per_doc.resize(it.get_docid() + 1);
        S_key_ids(*it, keys, per_doc.back());
    }
    unsigned width = S_id_width(keys.size());
    uint32_t none = S_id_none(width), more = none - 1;
    std::string out(FACET_TABLE_MAGIC, 4);
    S_put_varint(out, FACET_TABLE_VERSION);
    S_put_varint(out, revision);
    S_put_varint(out, slot);
    S_put_varint(out, keys.size());
    for (uint32_t k = 0; k < keys.size(); k++) {
        S_put_varint(out, keys.key(k).size());
        out += keys.key(k);
    }
    size_t noverflow = 0;
    for (size_t did = 1; did < per_doc.size(); did++)
        noverflow += per_doc[did].size() > FACET_INLINE;
    S_put_varint(out, noverflow);
    for (size_t did = 1; did < per_doc.size(); did++) {
        if (per_doc[did].size() <= FACET_INLINE)
            continue;
        S_put_varint(out, did);
        S_put_varint(out, per_doc[did].size() - (FACET_INLINE - 1));
        for (size_t i = FACET_INLINE - 1; i < per_doc[did].size(); i++)
            S_put_varint(out, per_doc[did][i]);
    }
    S_put_varint(out, per_doc.size() - 1);
    S_put_varint(out, width);
    for (size_t did = 1; did < per_doc.size(); did++) {
        const std::vector<uint32_t> &d = per_doc[did];
        for (unsigned i = 0; i < FACET_INLINE; i++) {
            uint32_t id = i >= d.size()                                ? none
                          : d.size() > FACET_INLINE && i == FACET_INLINE - 1 ? more
                                                                             : d[i];
            for (unsigned b = 0; b < width; b++)
                out.push_back(static_cast<char>((id >> (8 * b)) & 0xFF));
        }
    }
    return out;
}

/* The facet keys of each document of one revision of a database: from its
 * facet table when it has a current one, else read from the values as
 * documents match and kept for later queries (a process that answers many
 * queries soon reads no values at all). Cleared when a reopen may have
 * changed the database, since a replaced article keeps its docid. */
class FacetCache {
  public:
    FacetCache() : slot_(Xapian::BAD_VALUENO), table_tried_(false) { clear(); }

    void clear()
    {
        entries_.clear();
        more_.clear();
        keys_.clear();
        table_tried_ = false;
        drop_table();
    }

    /* Count slot's keys from now on. The first time (after each clear) the
     * database's facet table is loaded if it describes this revision. */
    void use_slot(const Xapian::Database &db, Xapian::valueno slot)
    {
        if (slot != slot_)
            clear();
        slot_ = slot;
        if (!table_tried_) {
            if (!load_table(db))
                clear(); /* what a partly read table left */
            table_tried_ = true;
        }
    }

    bool from_table() const { return table_ids_ != NULL; }

    /* Call f(key id) once for each distinct key of doc's value. */
    template <class F> void each_key(const Xapian::Document &doc, ValueReader &values, F f)
    {
        Xapian::docid did = doc.get_docid();
        if (did <= table_last_ && did > 0) {
            const unsigned char *p =
                table_ids_ + static_cast<size_t>(did - 1) * FACET_INLINE * table_width_;
            unsigned width = table_width_;
            each_inline(did, [p, width](unsigned i) { return S_get_id(p + i * width, width); },
                        table_none_, table_none_ - 1, f);
            return;
        }
        if (static_cast<size_t>(did) * FACET_INLINE + FACET_INLINE > entries_.size())
            entries_.resize(std::max<size_t>((static_cast<size_t>(did) + 1) * FACET_INLINE,
                                             entries_.size() * 2),
                            NOT_READ);
        uint32_t *e = &entries_[static_cast<size_t>(did) * FACET_INLINE];
        if (e[0] == NOT_READ)
            fill(did, values.get(doc, did), e);
        each_inline(did, [e](unsigned i) { return e[i]; }, NONE, MORE, f);
    }

    size_t key_count() const { return keys_.size(); }
    const std::string &key(uint32_t k) const { return keys_.key(k); }

  private:
    /* enumerators, not static const members: resize() takes its value by
     * reference, which would need an out-of-class definition */
    enum : uint32_t {
        NOT_READ = 0xFFFFFFFFu, /* in e[0]: not read yet */
        NONE = 0xFFFFFFFEu,     /* ends a shorter list */
        MORE = 0xFFFFFFFDu      /* the rest are in more_ */
    };

    /* f(id) for did's FACET_INLINE ids, get(i) the i-th: up to `none`, and
     * on `more` the rest from the overflow map. */
    template <class G, class F>
    void each_inline(Xapian::docid did, G get, uint32_t none, uint32_t more, F f)
    {
        for (unsigned i = 0; i < FACET_INLINE; i++) {
            uint32_t id = get(i);
            if (id == none)
                return;
            if (id == more) {
                each_more(did, f);
                return;
            }
            f(id);
        }
    }

    template <class F> void each_more(Xapian::docid did, F f)
    {
        std::unordered_map<Xapian::docid, std::vector<uint32_t> >::const_iterator it =
            more_.find(did);
        if (it == more_.end())
            return; /* a table marks a document with no overflow record */
        for (size_t j = 0; j < it->second.size(); j++)
            f(it->second[j]);
    }

    void fill(Xapian::docid did, const std::string &v, uint32_t *e)
    {
        S_key_ids(v, keys_, ids_);
        for (unsigned i = 0; i < FACET_INLINE; i++)
            e[i] = NONE;
        if (ids_.size() <= FACET_INLINE) {
            std::copy(ids_.begin(), ids_.end(), e);
        } else {
            std::copy(ids_.begin(), ids_.begin() + (FACET_INLINE - 1), e);
            e[FACET_INLINE - 1] = MORE;
            more_[did].assign(ids_.begin() + (FACET_INLINE - 1), ids_.end());
        }
    }

    void drop_table()
    {
        table_.clear();
        table_ids_ = NULL;
        table_last_ = 0;
        table_width_ = 1;
        table_none_ = 0;
    }

    /* Anything unexpected in the table leaves it unused: it only saves time. */
    bool load_table(const Xapian::Database &db)
    {
        Xapian::rev revision;
        try {
            revision = db.get_revision(); /* throws unless one local database */
            table_ = db.get_metadata(FACET_TABLE_KEY);
        } catch (const Xapian::Error &) {
            return false;
        }
        uint64_t trev, tslot, nkeys, noverflow, lastdocid, width, len, did, n, id;
        const char *p, *end = table_.data() + table_.size();
        if (!S_facet_table_header(table_, trev, tslot, p) || trev != revision || tslot != slot_)
            return false;
        if (!S_get_varint(p, end, nkeys) || nkeys > table_.size())
            return false;
        for (uint64_t k = 0; k < nkeys; k++) {
            if (!S_get_varint(p, end, len) || len > static_cast<uint64_t>(end - p))
                return false;
            if (keys_.intern(p, len) != k) /* a key listed twice */
                return false;
            p += len;
        }
        if (!S_get_varint(p, end, noverflow) || noverflow > table_.size())
            return false;
        for (uint64_t i = 0; i < noverflow; i++) {
            if (!S_get_varint(p, end, did) || !S_get_varint(p, end, n) || n > nkeys ||
                did == 0 || did > Xapian::docid(-1) || more_.count(did))
                return false;
            std::vector<uint32_t> &rest = more_[static_cast<Xapian::docid>(did)];
            for (uint64_t j = 0; j < n; j++) {
                if (!S_get_varint(p, end, id) || id >= nkeys)
                    return false;
                rest.push_back(static_cast<uint32_t>(id));
            }
        }
        if (!S_get_varint(p, end, lastdocid) || !S_get_varint(p, end, width) ||
            width != S_id_width(nkeys) || lastdocid > Xapian::docid(-1) ||
            static_cast<uint64_t>(end - p) / (FACET_INLINE * width) != lastdocid ||
            static_cast<uint64_t>(end - p) % (FACET_INLINE * width) != 0)
            return false;
        /* Every id must be a key or a marker: counting indexes by id. This
         * pass over the whole table is most of the cost of loading it, so the
         * usual one-byte ids are checked through a table, without branches. */
        const unsigned char *ids = reinterpret_cast<const unsigned char *>(p);
        size_t nids = static_cast<size_t>(lastdocid) * FACET_INLINE;
        uint32_t none = S_id_none(static_cast<unsigned>(width));
        if (width == 1) {
            unsigned char ok[256];
            for (unsigned b = 0; b < 256; b++)
                ok[b] = b < nkeys || b >= none - 1;
            unsigned char all = 1;
            for (size_t i = 0; i < nids; i++)
                all &= ok[ids[i]];
            if (!all)
                return false;
        } else {
            for (size_t i = 0; i < nids; i++) {
                uint32_t k = S_get_id(ids + i * width, static_cast<unsigned>(width));
                if (k >= nkeys && k < none - 1)
                    return false;
            }
        }
        table_ids_ = ids;
        table_last_ = static_cast<Xapian::docid>(lastdocid);
        table_width_ = static_cast<unsigned>(width);
        table_none_ = none;
        return true;
    }

    Xapian::valueno slot_;
    bool table_tried_;
    std::vector<uint32_t> entries_;  /* docid * FACET_INLINE -> key ids, read from values */
    std::unordered_map<Xapian::docid, std::vector<uint32_t> > more_;
    KeyInterner keys_;
    std::vector<uint32_t> ids_;      /* scratch */
    std::string table_;              /* the facet table, when loaded */
    const unsigned char *table_ids_; /* its key ids, docid 1.. */
    Xapian::docid table_last_;
    unsigned table_width_;
    uint32_t table_none_;
};

struct ns_xdb {
    Xapian::Database db;
    bool closed;
    std::string path;
    FacetCache facets;
};

struct ns_xwdb {
    Xapian::WritableDatabase db;
    bool closed;
    bool in_tx;
    std::string path;
};

struct ns_xdoc {
    Xapian::Document doc;
};

struct ns_xquery {
    Xapian::Query q;
};

struct ns_xresults {
    unsigned total;
    ns_xhit *hits;
    size_t nhits;
    ns_xfacet *facets;
    size_t nfacets;
};

/* ---- helpers ---- */

/* Map the exception being handled to a code and a message "what 'arg': type:
 * text". Must be called from inside a catch block. Formats with the
 * exception's own strings (get_type/get_msg), so reporting allocates nothing
 * and cannot itself throw, which matters for std::bad_alloc. */
static int S_fail(ns_err *err, const char *what, const char *arg)
{
    int code = NS_EXAPIAN;
    const char *type = "error";
    const char *msg = "unknown exception";
    const char *errstr = NULL;
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        code = NS_EMODIFIED, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseLockError &e) {
        code = NS_ELOCKED, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseNotFoundError &e) {
        code = NS_ENOTFOUND, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseVersionError &e) {
        /* Before DatabaseOpeningError: it is a subclass of it. */
        code = NS_ECORRUPT, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseCorruptError &e) {
        code = NS_ECORRUPT, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseOpeningError &e) {
        code = NS_ENOTFOUND, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::DatabaseClosedError &e) {
        code = NS_ECLOSED, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const Xapian::Error &e) {
        code = NS_EXAPIAN, type = e.get_type(), msg = e.get_msg().c_str();
        errstr = e.get_error_string();
    } catch (const std::bad_alloc &) {
        code = NS_ENOMEM, type = "bad_alloc", msg = "out of memory";
    } catch (const std::exception &e) {
        code = NS_EXAPIAN, type = "exception", msg = e.what();
    } catch (...) {
    }
    if (!err)
        return code;
    if (arg)
        return ns_err_set(err, code, "%s '%s': %s: %s%s%s", what, arg, type, msg,
                          errstr ? ": " : "", errstr ? errstr : "");
    return ns_err_set(err, code, "%s: %s: %s%s%s", what, type, msg, errstr ? ": " : "",
                      errstr ? errstr : "");
}

/* A term that Xapian would reject, or that could not round-trip through our
 * UTF-8 code, is refused before it reaches the index: 1..NS_XTERM_MAX bytes of
 * valid UTF-8 (prefix included, since the stored term is prefix+value). */
static int S_check_term(ns_err *err, const char *what, const char *term, size_t len)
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

static int S_closed(ns_err *err, const char *what, const std::string &path)
{
    return ns_err_set(err, NS_ECLOSED, "%s: database '%s' is closed", what, path.c_str());
}

/* Copy a Xapian string into malloc memory, NUL-terminated, so C code can free
 * it without knowing about std::string. */
static char *S_dup(const std::string &s, size_t *len)
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

static int S_get_metadata(const Xapian::Database &db, const char *key, char **val, size_t *len)
{
    std::string v = db.get_metadata(key);
    *val = S_dup(v, len);
    return 0;
}

static int S_metadata_each(const Xapian::Database &db, const char *prefix, ns_xmeta_fn fn,
                           void *ctx)
{
    std::string pfx(prefix ? prefix : "");
    for (Xapian::TermIterator it = db.metadata_keys_begin(pfx); it != db.metadata_keys_end(pfx);
         ++it) {
        const std::string key = *it;
        const std::string v = db.get_metadata(key);
        if (fn(ctx, key.data(), key.size(), v.data(), v.size()))
            break;
    }
    return 0;
}

/* ---- read-only database ---- */

extern "C" int ns_xdb_open(ns_xdb **out, const char *path, ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_open: NULL argument");
    *out = NULL;
    try {
        Xapian::Database db(path);
        *out = new ns_xdb{db, false, path, FacetCache()};
        return 0;
    } catch (...) {
        return S_fail(err, "opening database", path);
    }
}

extern "C" int ns_xdb_reopen(ns_xdb *db, int *changed, ns_err *err)
{
    if (changed)
        *changed = 0;
    if (!db)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_reopen: NULL database");
    if (db->closed)
        return S_closed(err, "reopening", db->path);
    try {
        bool moved = db->db.reopen();
        if (moved)
            db->facets.clear();
        if (changed)
            *changed = moved ? 1 : 0;
        return 0;
    } catch (...) {
        return S_fail(err, "reopening database", db->path.c_str());
    }
}

extern "C" int ns_xdb_doccount(ns_xdb *db, unsigned *out, ns_err *err)
{
    if (!db || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_doccount: NULL argument");
    *out = 0;
    if (db->closed)
        return S_closed(err, "counting documents", db->path);
    try {
        *out = db->db.get_doccount();
        return 0;
    } catch (...) {
        return S_fail(err, "counting documents in", db->path.c_str());
    }
}

extern "C" int ns_xdb_termfreq(ns_xdb *db, const char *term, size_t len, unsigned *out,
                               ns_err *err)
{
    if (!db || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_termfreq: NULL argument");
    *out = 0;
    int rc = S_check_term(err, "term frequency", term, len);
    if (rc < 0)
        return rc;
    if (db->closed)
        return S_closed(err, "term frequency", db->path);
    try {
        *out = db->db.get_termfreq(std::string(term, len));
        return 0;
    } catch (...) {
        return S_fail(err, "term frequency in", db->path.c_str());
    }
}

extern "C" int ns_xdb_docs_have_terms(ns_xdb *db, const char *const *terms, size_t nterms,
                                      const unsigned *docids, size_t ndocs, unsigned char *out,
                                      ns_err *err)
{
    if (!db || (nterms && !terms) || (ndocs && (!docids || !out)))
        return ns_err_set(err, NS_EINVAL, "ns_xdb_docs_have_terms: NULL argument");
    if (nterms && ndocs)
        std::memset(out, 0, nterms * ndocs);
    if (db->closed)
        return S_closed(err, "looking up terms", db->path);
    try {
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
    } catch (...) {
        return S_fail(err, "looking up terms in", db->path.c_str());
    }
}

extern "C" int ns_xdb_get_metadata(ns_xdb *db, const char *key, char **val, size_t *len,
                                   ns_err *err)
{
    if (!db || !key || !val)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_get_metadata: NULL argument");
    *val = NULL;
    if (len)
        *len = 0;
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "reading metadata: empty key");
    if (db->closed)
        return S_closed(err, "reading metadata", db->path);
    try {
        return S_get_metadata(db->db, key, val, len);
    } catch (...) {
        return S_fail(err, "reading metadata key", key);
    }
}

extern "C" int ns_xdb_metadata_each(ns_xdb *db, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                    ns_err *err)
{
    if (!db || !fn)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_metadata_each: NULL argument");
    if (db->closed)
        return S_closed(err, "listing metadata", db->path);
    try {
        return S_metadata_each(db->db, prefix, fn, ctx);
    } catch (...) {
        return S_fail(err, "listing metadata in", db->path.c_str());
    }
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
    int rc = S_check_term(err, "spelling", word, len);
    if (rc < 0)
        return rc;
    if (db->closed)
        return S_closed(err, "spelling", db->path);
    try {
        std::string s = db->db.get_spelling_suggestion(std::string(word, len), max_edits);
        if (!s.empty())
            *out = S_dup(s, NULL);
        return 0;
    } catch (...) {
        return S_fail(err, "spelling suggestion in", db->path.c_str());
    }
}

extern "C" int ns_xdb_close(ns_xdb *db, ns_err *err)
{
    if (!db)
        return ns_err_set(err, NS_EINVAL, "ns_xdb_close: NULL database");
    if (db->closed)
        return 0;
    /* Closed even if close() throws: the handle must not be used again. */
    db->closed = true;
    try {
        db->db.close();
        return 0;
    } catch (...) {
        return S_fail(err, "closing database", db->path.c_str());
    }
}

extern "C" void ns_xdb_free(ns_xdb *db)
{
    if (!db)
        return;
    try {
        if (!db->closed)
            db->db.close();
    } catch (...) {
        /* Nothing to report to: a reader has no pending state to lose. */
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
    try {
        Xapian::WritableDatabase db(path, action);
        *out = new ns_xwdb{db, false, false, path};
        return 0;
    } catch (const Xapian::DatabaseLockError &) {
        return ns_err_set(err, NS_ELOCKED, "database '%s' is locked by another writer", path);
    } catch (...) {
        return S_fail(err, "opening database for writing", path);
    }
}

extern "C" int ns_xwdb_begin(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_begin: NULL database");
    if (w->closed)
        return S_closed(err, "beginning a transaction", w->path);
    if (w->in_tx)
        return ns_err_set(err, NS_EINVAL, "database '%s': a transaction is already open",
                          w->path.c_str());
    try {
        /* Flushed: commit_transaction() makes the changes durable and visible. */
        w->db.begin_transaction(true);
        w->in_tx = true;
        return 0;
    } catch (...) {
        return S_fail(err, "beginning a transaction on", w->path.c_str());
    }
}

extern "C" int ns_xwdb_commit(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_commit: NULL database");
    if (w->closed)
        return S_closed(err, "committing", w->path);
    try {
        if (w->in_tx) {
            /* Xapian ends the transaction whether or not the commit succeeds. */
            w->in_tx = false;
            w->db.commit_transaction();
        } else {
            w->db.commit();
        }
        return 0;
    } catch (...) {
        return S_fail(err, "committing to", w->path.c_str());
    }
}

extern "C" int ns_xwdb_cancel(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_cancel: NULL database");
    if (w->closed)
        return S_closed(err, "cancelling", w->path);
    /* No open transaction: nothing to drop. Being lenient here lets error
     * paths cancel unconditionally. */
    if (!w->in_tx)
        return 0;
    try {
        w->in_tx = false; /* cancelled even if cancel_transaction() throws */
        w->db.cancel_transaction();
        return 0;
    } catch (...) {
        return S_fail(err, "cancelling a transaction on", w->path.c_str());
    }
}

extern "C" int ns_xwdb_replace(ns_xwdb *w, const char *idterm, size_t len, const ns_xdoc *doc,
                               ns_err *err)
{
    if (!w || !doc)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_replace: NULL argument");
    int rc = S_check_term(err, "replacing a document", idterm, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "replacing a document", w->path);
    std::string id;
    try {
        id.assign(idterm, len);
        /* A document replaced by idterm must carry idterm, or the next
         * replace would add a duplicate. Xapian::Document is a shared
         * handle, so this touches the caller's document too, but adding a
         * boolean term that is already there changes nothing. */
        Xapian::Document d = doc->doc;
        d.add_boolean_term(id);
        w->db.replace_document(id, d);
        return 0;
    } catch (...) {
        return S_fail(err, "replacing document", id.c_str());
    }
}

extern "C" int ns_xwdb_delete(ns_xwdb *w, const char *idterm, size_t len, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_delete: NULL database");
    int rc = S_check_term(err, "deleting a document", idterm, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "deleting a document", w->path);
    std::string id;
    try {
        id.assign(idterm, len);
        w->db.delete_document(id);
        return 0;
    } catch (...) {
        return S_fail(err, "deleting document", id.c_str());
    }
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
    int rc = S_check_term(err, "reading a document", idterm, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "reading a document", w->path);
    std::string id;
    try {
        id.assign(idterm, len);
        Xapian::docid did = S_docid(w->db, id);
        if (!did)
            return ns_err_set(err, NS_ENOTFOUND, "no document '%s'", id.c_str());
        *data = S_dup(w->db.get_document(did).get_data(), dlen);
        return 0;
    } catch (...) {
        return S_fail(err, "reading document", id.c_str());
    }
}

extern "C" int ns_xwdb_set_data(ns_xwdb *w, const char *idterm, size_t len, const char *data,
                                size_t dlen, ns_err *err)
{
    if (!w || (!data && dlen))
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_set_data: NULL argument");
    int rc = S_check_term(err, "updating a document", idterm, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "updating a document", w->path);
    std::string id;
    try {
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
    } catch (...) {
        return S_fail(err, "updating document", id.c_str());
    }
}

extern "C" int ns_xwdb_termfreq(ns_xwdb *w, const char *term, size_t len, unsigned *out,
                                ns_err *err)
{
    if (!w || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_termfreq: NULL argument");
    *out = 0;
    int rc = S_check_term(err, "term frequency", term, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "term frequency", w->path);
    try {
        *out = w->db.get_termfreq(std::string(term, len));
        return 0;
    } catch (...) {
        return S_fail(err, "term frequency in", w->path.c_str());
    }
}

extern "C" int ns_xwdb_doccount(ns_xwdb *w, unsigned *out, ns_err *err)
{
    if (!w || !out)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_doccount: NULL argument");
    *out = 0;
    if (w->closed)
        return S_closed(err, "counting documents", w->path);
    try {
        *out = w->db.get_doccount();
        return 0;
    } catch (...) {
        return S_fail(err, "counting documents in", w->path.c_str());
    }
}

extern "C" int ns_xwdb_set_metadata(ns_xwdb *w, const char *key, const char *val, size_t len,
                                    ns_err *err)
{
    if (!w || !key || (!val && len))
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_set_metadata: NULL argument");
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "writing metadata: empty key");
    if (w->closed)
        return S_closed(err, "writing metadata", w->path);
    try {
        w->db.set_metadata(key, len ? std::string(val, len) : std::string());
        return 0;
    } catch (...) {
        return S_fail(err, "writing metadata key", key);
    }
}

extern "C" int ns_xwdb_get_metadata(ns_xwdb *w, const char *key, char **val, size_t *len,
                                    ns_err *err)
{
    if (!w || !key || !val)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_get_metadata: NULL argument");
    *val = NULL;
    if (len)
        *len = 0;
    if (!*key)
        return ns_err_set(err, NS_EINVAL, "reading metadata: empty key");
    if (w->closed)
        return S_closed(err, "reading metadata", w->path);
    try {
        return S_get_metadata(w->db, key, val, len);
    } catch (...) {
        return S_fail(err, "reading metadata key", key);
    }
}

extern "C" int ns_xwdb_metadata_each(ns_xwdb *w, const char *prefix, ns_xmeta_fn fn, void *ctx,
                                     ns_err *err)
{
    if (!w || !fn)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_metadata_each: NULL argument");
    if (w->closed)
        return S_closed(err, "listing metadata", w->path);
    try {
        return S_metadata_each(w->db, prefix, fn, ctx);
    } catch (...) {
        return S_fail(err, "listing metadata in", w->path.c_str());
    }
}

extern "C" int ns_xwdb_write_facet_table(ns_xwdb *w, unsigned slot, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_write_facet_table: NULL database");
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "writing the facet table: bad slot %u", slot);
    if (w->closed)
        return S_closed(err, "writing the facet table", w->path);
    if (w->in_tx)
        return ns_err_set(err, NS_EINVAL, "database '%s': the facet table is written outside a "
                          "transaction", w->path.c_str());
    try {
        /* Pending changes first (a commit without any does not make a
         * revision), so that an unchanged database keeps its table. */
        w->db.commit();
        Xapian::rev now = w->db.get_revision();
        uint64_t trev, tslot;
        const char *rest;
        std::string old = w->db.get_metadata(FACET_TABLE_KEY);
        if (S_facet_table_header(old, trev, tslot, rest) && trev == now && tslot == slot)
            return 0;
        w->db.set_metadata(FACET_TABLE_KEY, S_facet_table_encode(w->db, slot, now + 1));
        w->db.commit();
        return 0;
    } catch (...) {
        return S_fail(err, "writing the facet table of", w->path.c_str());
    }
}

extern "C" int ns_xdb_has_facet_table(ns_xdb *db, unsigned slot)
{
    if (!db || db->closed)
        return 0;
    try {
        db->facets.use_slot(db->db, slot);
        return db->facets.from_table() ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" int ns_xwdb_add_spelling(ns_xwdb *w, const char *word, size_t len, unsigned freq,
                                    ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_add_spelling: NULL database");
    int rc = S_check_term(err, "adding a spelling", word, len);
    if (rc < 0)
        return rc;
    if (w->closed)
        return S_closed(err, "adding a spelling", w->path);
    if (freq == 0)
        return 0;
    try {
        w->db.add_spelling(std::string(word, len), freq);
        return 0;
    } catch (...) {
        return S_fail(err, "adding a spelling to", w->path.c_str());
    }
}

extern "C" int ns_xwdb_close(ns_xwdb *w, ns_err *err)
{
    if (!w)
        return ns_err_set(err, NS_EINVAL, "ns_xwdb_close: NULL database");
    if (w->closed)
        return 0;
    int rc = 0;
    try {
        if (w->in_tx) {
            w->in_tx = false;
            w->db.cancel_transaction();
        }
        /* Commit explicitly so a failure is reported; close() alone would
         * commit too, but then the error would look like a close failure. */
        w->db.commit();
    } catch (...) {
        rc = S_fail(err, "committing on close of", w->path.c_str());
    }
    /* Close even after a failed commit: the lock must be released. */
    w->closed = true;
    try {
        w->db.close();
    } catch (...) {
        if (rc == 0)
            rc = S_fail(err, "closing database", w->path.c_str());
    }
    return rc;
}

extern "C" void ns_xwdb_free(ns_xwdb *w)
{
    if (!w)
        return;
    if (!w->closed) {
        try {
            if (w->in_tx) {
                w->in_tx = false;
                w->db.cancel_transaction();
            }
        } catch (...) {
        }
        try {
            /* Commits changes made outside a transaction, releases the lock. */
            w->db.close();
        } catch (...) {
        }
    }
    delete w;
}

extern "C" int ns_xcompact(const char *dest, const char *const *sources, size_t n, ns_err *err)
{
    if (!dest || !sources || n == 0)
        return ns_err_set(err, NS_EINVAL, "compacting: no destination or no sources");
    size_t i = 0;
    try {
        Xapian::Database all;
        for (i = 0; i < n; i++) {
            if (!sources[i])
                return ns_err_set(err, NS_EINVAL, "compacting: source %zu is NULL", i);
            all.add_database(Xapian::Database(sources[i]));
        }
        i = n;
        /* Default flags renumber the documents; each keeps its Q<id> term,
         * which is all the index relies on. */
        all.compact(dest);
        return 0;
    } catch (...) {
        if (i < n)
            return S_fail(err, "compacting: opening source database", sources[i]);
        return S_fail(err, "compacting into", dest);
    }
}

/* ---- documents ---- */

extern "C" int ns_xdoc_new(ns_xdoc **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_new: NULL argument");
    *out = NULL;
    try {
        *out = new ns_xdoc();
        return 0;
    } catch (...) {
        return S_fail(err, "creating a document", NULL);
    }
}

extern "C" int ns_xdoc_add_posting(ns_xdoc *d, const char *term, size_t len, unsigned pos,
                                   unsigned wdf_inc, ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_posting: NULL document");
    int rc = S_check_term(err, "adding a posting", term, len);
    if (rc < 0)
        return rc;
    if (pos == 0)
        return ns_err_set(err, NS_EINVAL, "adding a posting: position 0 (positions start at 1)");
    try {
        d->doc.add_posting(std::string(term, len), pos, wdf_inc);
        return 0;
    } catch (...) {
        return S_fail(err, "adding a posting", NULL);
    }
}

extern "C" int ns_xdoc_add_term(ns_xdoc *d, const char *term, size_t len, unsigned wdf_inc,
                                ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_term: NULL document");
    int rc = S_check_term(err, "adding a term", term, len);
    if (rc < 0)
        return rc;
    try {
        d->doc.add_term(std::string(term, len), wdf_inc);
        return 0;
    } catch (...) {
        return S_fail(err, "adding a term", NULL);
    }
}

extern "C" int ns_xdoc_add_boolean_term(ns_xdoc *d, const char *term, size_t len, ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_boolean_term: NULL document");
    int rc = S_check_term(err, "adding a boolean term", term, len);
    if (rc < 0)
        return rc;
    try {
        d->doc.add_boolean_term(std::string(term, len));
        return 0;
    } catch (...) {
        return S_fail(err, "adding a boolean term", NULL);
    }
}

extern "C" int ns_xdoc_add_value(ns_xdoc *d, unsigned slot, const char *val, size_t len,
                                 ns_err *err)
{
    if (!d || (!val && len))
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_value: NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "adding a value: bad slot %u", slot);
    try {
        d->doc.add_value(slot, len ? std::string(val, len) : std::string());
        return 0;
    } catch (...) {
        return S_fail(err, "adding a value", NULL);
    }
}

extern "C" int ns_xdoc_set_data(ns_xdoc *d, const char *data, size_t len, ns_err *err)
{
    if (!d || (!data && len))
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_set_data: NULL argument");
    try {
        d->doc.set_data(len ? std::string(data, len) : std::string());
        return 0;
    } catch (...) {
        return S_fail(err, "setting document data", NULL);
    }
}

extern "C" void ns_xdoc_free(ns_xdoc *d)
{
    delete d;
}

/* ---- queries ---- */

static int S_new_query(ns_xquery **out, const Xapian::Query &q)
{
    *out = new ns_xquery{q};
    return 0;
}

extern "C" int ns_xquery_term(ns_xquery **out, const char *term, size_t len, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_term: NULL argument");
    *out = NULL;
    int rc = S_check_term(err, "query term", term, len);
    if (rc < 0)
        return rc;
    try {
        return S_new_query(out, Xapian::Query(std::string(term, len)));
    } catch (...) {
        return S_fail(err, "building a term query", NULL);
    }
}

extern "C" int ns_xquery_wildcard(ns_xquery **out, const char *prefix, size_t len,
                                  unsigned max_expansion, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_wildcard: NULL argument");
    *out = NULL;
    int rc = S_check_term(err, "wildcard prefix", prefix, len);
    if (rc < 0)
        return rc;
    try {
        /* MOST_FREQUENT rather than the default ERROR: a short prefix in a
         * big index should still search, just over its commonest terms.
         * But MOST_FREQUENT with a limit of 0 expands to nothing in 1.4,
         * whereas 0 means "no limit" with the other modes. */
        int limit_type = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                       : Xapian::Query::WILDCARD_LIMIT_ERROR;
        Xapian::Query q(Xapian::Query::OP_WILDCARD, std::string(prefix, len), max_expansion,
                        limit_type);
        return S_new_query(out, q);
    } catch (...) {
        return S_fail(err, "building a wildcard query", NULL);
    }
}

extern "C" int ns_xquery_value_range(ns_xquery **out, unsigned slot, const char *lo,
                                     const char *hi, ns_err *err)
{
    if (!out || !lo || !hi)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_value_range: NULL argument");
    *out = NULL;
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "value range: bad slot %u", slot);
    try {
        Xapian::Query q(Xapian::Query::OP_VALUE_RANGE, slot, std::string(lo), std::string(hi));
        return S_new_query(out, q);
    } catch (...) {
        return S_fail(err, "building a value range query", NULL);
    }
}

extern "C" int ns_xquery_match_all(ns_xquery **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_match_all: NULL argument");
    *out = NULL;
    try {
        /* A fresh query, not a copy of Xapian::Query::MatchAll: copies of that
         * one static object share its non-atomic reference count, so
         * searchers on two threads (nsearch --batch --jobs) corrupted it and
         * crashed in Enquire::set_query. The empty term matches every
         * document, exactly as MatchAll does. */
        return S_new_query(out, Xapian::Query(std::string()));
    } catch (...) {
        return S_fail(err, "building a match-all query", NULL);
    }
}

extern "C" int ns_xquery_combine(ns_xquery **out, enum ns_xop op, ns_xquery *const *subs, size_t n,
                                 unsigned window, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_combine: NULL argument");
    *out = NULL;
    if (!subs || n == 0)
        return ns_err_set(err, NS_EINVAL, "combining queries: no subqueries");
    for (size_t i = 0; i < n; i++)
        if (!subs[i])
            return ns_err_set(err, NS_EINVAL, "combining queries: subquery %zu is NULL", i);
    try {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        Xapian::Query q;
        switch (op) {
        case NS_XQ_AND:
            q = Xapian::Query(Xapian::Query::OP_AND, v.begin(), v.end());
            break;
        case NS_XQ_OR:
            q = Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end());
            break;
        case NS_XQ_PHRASE:
            /* Xapian's window 0 already means "number of subqueries", i.e.
             * exactly adjacent, and it widens a window smaller than that. */
            q = Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(), v.end(), window);
            break;
        case NS_XQ_AND_NOT:
        case NS_XQ_FILTER:
        case NS_XQ_AND_MAYBE: {
            if (n == 1) {
                q = v[0];
                break;
            }
            Xapian::Query::op inner =
                op == NS_XQ_FILTER ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
            Xapian::Query rest(inner, v.begin() + 1, v.end());
            Xapian::Query::op outer = op == NS_XQ_AND_NOT  ? Xapian::Query::OP_AND_NOT
                                      : op == NS_XQ_FILTER ? Xapian::Query::OP_FILTER
                                                           : Xapian::Query::OP_AND_MAYBE;
            q = Xapian::Query(outer, v[0], rest);
            break;
        }
        default:
            return ns_err_set(err, NS_EINVAL, "combining queries: unknown operator %d", (int)op);
        }
        return S_new_query(out, q);
    } catch (...) {
        return S_fail(err, "combining queries", NULL);
    }
}

extern "C" char *ns_xquery_describe(const ns_xquery *q)
{
    if (!q)
        return NULL;
    try {
        return S_dup(q->q.get_description(), NULL);
    } catch (...) {
        return NULL;
    }
}

extern "C" void ns_xquery_free(ns_xquery *q)
{
    delete q;
}

/* ---- searching ---- */

namespace {

/* Counts facet keys over every match: each distinct key of a document's
 * facet value counts once. The work per match is a few array lookups in
 * the database's FacetCache. */
class FacetSpy : public Xapian::MatchSpy {
  public:
    FacetSpy(const Xapian::Database &db, FacetCache &cache, Xapian::valueno slot)
        : cache_(cache), values_(db, slot)
    {
        cache_.use_slot(db, slot);
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        cache_.each_key(doc, values_, [this](uint32_t k) {
            if (k >= counts_.size())
                counts_.resize(cache_.key_count(), 0);
            counts_[k]++;
        });
    }

    size_t size() const { return counts_.size(); }
    unsigned count(size_t k) const { return counts_[k]; }
    const std::string &key(size_t k) const { return cache_.key(static_cast<uint32_t>(k)); }

  private:
    FacetCache &cache_;
    ValueReader values_;
    std::vector<unsigned> counts_; /* by key id */
};

bool S_facet_order(const std::pair<const std::string *, unsigned> &a,
                   const std::pair<const std::string *, unsigned> &b)
{
    if (a.second != b.second)
        return a.second > b.second;
    return *a.first < *b.first;
}

} // namespace

static void S_fill_facets(ns_xresults *r, const FacetSpy &spy)
{
    std::vector<std::pair<const std::string *, unsigned> > v;
    for (size_t k = 0; k < spy.size(); k++)
        if (spy.count(k) > 0)
            v.push_back(std::make_pair(&spy.key(k), spy.count(k)));
    std::sort(v.begin(), v.end(), S_facet_order);
    if (v.empty())
        return;
    r->facets = static_cast<ns_xfacet *>(std::calloc(v.size(), sizeof *r->facets));
    if (!r->facets)
        throw std::bad_alloc();
    for (size_t i = 0; i < v.size(); i++) {
        r->facets[i].key = S_dup(*v[i].first, NULL);
        r->facets[i].count = v[i].second;
        r->nfacets = i + 1;
    }
}

static int S_search(Xapian::Database &db, FacetCache &cache, const Xapian::Query &q,
                    const ns_xsearch_opts *o, ns_xresults *r)
{
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    /* k2 = 0 and k3 = 1 are Xapian's defaults; only k1 and b are tunable. */
    enquire.set_weighting_scheme(Xapian::BM25Weight(o->k1, 0, 1, o->b, 0.5));
    if (o->value_slot >= 0) {
        Xapian::valueno slot = static_cast<Xapian::valueno>(o->value_slot);
        /* reverse = true: descending values, i.e. newest "YYYYMMDD" first. */
        if (o->sort_by_value)
            enquire.set_sort_by_value_then_relevance(slot, true);
        else
            enquire.set_sort_by_relevance_then_value(slot, true);
    }
    std::unique_ptr<FacetSpy> spy;
    if (o->facet_slot >= 0) {
        spy.reset(new FacetSpy(db, cache, static_cast<Xapian::valueno>(o->facet_slot)));
        enquire.add_matchspy(spy.get());
    }

    /* check_at_least = doccount makes Xapian visit every match, so the total
     * and the facet counts are exact. This is the main cost of a query: every
     * match is weighed, not just the top ones. A faster two-pass strategy
     * would go here: a plain top-k pass with a small check_at_least for the
     * page, then a boolean (unweighted) pass of the same query for the total
     * and the facets. Not done yet: measure first. */
    Xapian::doccount all = db.get_doccount();
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
            h->data = S_dup(it.get_document().get_data(), &h->data_len);
            r->nhits = i + 1;
        }
    }
    if (spy)
        S_fill_facets(r, *spy);
    return 0;
}

extern "C" int ns_xsearch(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *opts,
                          ns_xresults **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xsearch: NULL argument");
    *out = NULL;
    if (!db || !q)
        return ns_err_set(err, NS_EINVAL, "ns_xsearch: NULL argument");
    if (db->closed)
        return S_closed(err, "searching", db->path);
    static const ns_xsearch_opts defaults = NS_XSEARCH_OPTS_INIT;
    const ns_xsearch_opts *o = opts ? opts : &defaults;
    ns_xresults *r = static_cast<ns_xresults *>(std::calloc(1, sizeof *r));
    if (!r)
        return ns_err_set(err, NS_ENOMEM, "searching '%s': out of memory", db->path.c_str());
    try {
        S_search(db->db, db->facets, q->q, o, r);
        *out = r;
        return 0;
    } catch (...) {
        ns_xresults_free(r);
        return S_fail(err, "searching", db->path.c_str());
    }
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
    for (size_t i = 0; i < r->nhits; i++)
        std::free(r->hits[i].data);
    std::free(r->hits);
    for (size_t i = 0; i < r->nfacets; i++)
        std::free(r->facets[i].key);
    std::free(r->facets);
    std::free(r);
}
