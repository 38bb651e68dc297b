/* facets.cc: the facet engine behind the shim (see facets.h): reading facet
 * values, interning their keys, the facet table (its layout is in schema.h),
 * the cache of each document's keys and the match spy that counts them. */
#include "facets.h"
#include "schema.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace facet {

namespace {

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

/* ---- keys ----
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

} // namespace

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

/* Key ids held in place per document, in the facet table and in the cache
 * alike (the cache's layout mirrors the table's, so each_inline reads both). */
enum : unsigned { FACET_INLINE = NS_FACET_TABLE_INLINE };

/* ---- the facet table (layout: schema.h) ---- */
static const char FACET_TABLE_MAGIC[] = NS_FACET_TABLE_MAGIC;
static const size_t FACET_TABLE_MAGIC_LEN = sizeof FACET_TABLE_MAGIC - 1;
static const uint64_t FACET_TABLE_VERSION = NS_FACET_TABLE_VERSION;

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
    if (v.size() < FACET_TABLE_MAGIC_LEN ||
        std::memcmp(p, FACET_TABLE_MAGIC, FACET_TABLE_MAGIC_LEN) != 0)
        return false;
    p += FACET_TABLE_MAGIC_LEN;
    if (!S_get_varint(p, end, version) || version != FACET_TABLE_VERSION ||
        !S_get_varint(p, end, revision) || !S_get_varint(p, end, slot))
        return false;
    rest = p;
    return true;
}

bool table_describes(const std::string &v, Xapian::rev revision, Xapian::valueno slot)
{
    uint64_t trev, tslot;
    const char *rest;
    return S_facet_table_header(v, trev, tslot, rest) && trev == revision && tslot == slot;
}

std::string table_encode(const Xapian::Database &db, Xapian::valueno slot, Xapian::rev revision)
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
    std::string out(FACET_TABLE_MAGIC, FACET_TABLE_MAGIC_LEN);
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

/* ---- the cache ---- */

struct Cache::Impl {
  public:
    Impl() : slot_(Xapian::BAD_VALUENO), table_tried_(false) { clear(); }

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
                        table_none_, table_none_ - 1, true, f);
            return;
        }
        if (static_cast<size_t>(did) * FACET_INLINE + FACET_INLINE > entries_.size())
            entries_.resize(std::max<size_t>((static_cast<size_t>(did) + 1) * FACET_INLINE,
                                             entries_.size() * 2),
                            NOT_READ);
        uint32_t *e = &entries_[static_cast<size_t>(did) * FACET_INLINE];
        if (e[0] == NOT_READ)
            fill(did, values.get(doc, did), e);
        each_inline(did, [e](unsigned i) { return e[i]; }, NONE, MORE, false, f);
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
     * on `more` the rest from the table's overflow lists or the map. */
    template <class G, class F>
    void each_inline(Xapian::docid did, G get, uint32_t none, uint32_t more, bool table, F f)
    {
        for (unsigned i = 0; i < FACET_INLINE; i++) {
            uint32_t id = get(i);
            if (id == none)
                return;
            if (id == more) {
                table ? each_table_more(did, f) : each_more(did, f);
                return;
            }
            f(id);
        }
    }

    template <class F> void each_table_more(Xapian::docid did, F f)
    {
        /* a table marks a document with no overflow record: an empty list */
        for (uint32_t j = table_more_at_[did]; j < table_more_at_[did + 1]; j++)
            f(table_more_[j]);
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
        table_more_.clear();
        table_more_at_.clear();
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
            table_ = db.get_metadata(NS_META_FACET_TABLE);
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
        /* The overflow lists, in increasing docid order (as table_encode
         * writes them), go flat into table_more_; where each starts is
         * filled in by docid below. */
        std::vector<std::pair<uint32_t, uint32_t> > starts; /* docid, start */
        starts.reserve(static_cast<size_t>(noverflow));
        table_more_.clear();
        for (uint64_t i = 0; i < noverflow; i++) {
            if (!S_get_varint(p, end, did) || !S_get_varint(p, end, n) || n > nkeys ||
                did == 0 || did >= Xapian::docid(-1) || (i > 0 && did <= starts.back().first))
                return false;
            starts.emplace_back(static_cast<uint32_t>(did), static_cast<uint32_t>(table_more_.size()));
            for (uint64_t j = 0; j < n; j++) {
                if (!S_get_varint(p, end, id) || id >= nkeys)
                    return false;
                table_more_.push_back(static_cast<uint32_t>(id));
            }
        }
        if (!S_get_varint(p, end, lastdocid) || !S_get_varint(p, end, width) ||
            width != S_id_width(nkeys) || lastdocid > Xapian::docid(-1) ||
            static_cast<uint64_t>(end - p) / (FACET_INLINE * width) != lastdocid ||
            static_cast<uint64_t>(end - p) % (FACET_INLINE * width) != 0 ||
            (!starts.empty() && starts.back().first > lastdocid))
            return false;
        /* Document did's overflow ids are table_more_[at[did] .. at[did + 1]):
         * one flat array, not a map of vectors, which cost a hash node and a
         * vector per listed document, most of a search's start at 1M. */
        table_more_at_.resize(static_cast<size_t>(lastdocid) + 2);
        size_t next = 0; /* the first list not started before d */
        for (size_t d = 0; d <= static_cast<size_t>(lastdocid) + 1; d++) {
            /* a document without a list starts (and ends) where the next list starts */
            table_more_at_[d] = next < starts.size() ? starts[next].second
                                                     : static_cast<uint32_t>(table_more_.size());
            if (next < starts.size() && starts[next].first == d)
                next++;
        }
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
    std::unordered_map<Xapian::docid, std::vector<uint32_t> > more_; /* read from values */
    KeyInterner keys_;
    std::vector<uint32_t> ids_;      /* scratch */
    std::string table_;              /* the facet table, when loaded */
    const unsigned char *table_ids_; /* its key ids, docid 1.. */
    std::vector<uint32_t> table_more_;    /* its overflow lists, one after another */
    std::vector<uint32_t> table_more_at_; /* where each docid's list starts, and the end */
    Xapian::docid table_last_;
    unsigned table_width_;
    uint32_t table_none_;
};

Cache::Cache() : impl_(new Impl()) {}
Cache::~Cache() = default;
Cache::Cache(Cache &&other) noexcept = default;
Cache &Cache::operator=(Cache &&other) noexcept = default;

void Cache::clear()
{
    impl_->clear();
}

bool Cache::has_table(const Xapian::Database &db, Xapian::valueno slot)
{
    impl_->use_slot(db, slot);
    return impl_->from_table();
}

/* ---- counting ---- */

namespace {

class CountingSpy final : public Spy {
  public:
    CountingSpy(const Xapian::Database &db, Cache::Impl &cache, Xapian::valueno slot)
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

    std::vector<Count> counts() const override
    {
        std::vector<Count> v;
        for (size_t k = 0; k < counts_.size(); k++)
            if (counts_[k] > 0)
                v.push_back(std::make_pair(&cache_.key(static_cast<uint32_t>(k)), counts_[k]));
        std::sort(v.begin(), v.end(), S_count_order);
        return v;
    }

  private:
    static bool S_count_order(const Count &a, const Count &b)
    {
        if (a.second != b.second)
            return a.second > b.second;
        return *a.first < *b.first;
    }

    Cache::Impl &cache_;
    ValueReader values_;
    std::vector<unsigned> counts_; /* by key id */
};

} // namespace

std::unique_ptr<Spy> Spy::create(const Xapian::Database &db, Cache &cache, Xapian::valueno slot)
{
    return std::unique_ptr<Spy>(new CountingSpy(db, *cache.impl_, slot));
}

} // namespace facet
