/* facets.h: the facet engine behind the shim (xapian_shim_search.cc, and the
 * facet cache of the read-only handle); C++ only, for the shim
 * alone (C code reaches facets through xapian_shim.h). It counts, over every
 * match of a query, the distinct keys of each matching document's facet
 * value, and writes and reads the facet table. Both formats are described
 * in schema.h.
 *
 * A facet::Cache belongs to one read-only database handle and keeps the
 * keys of the documents of one revision; clear() it whenever the database
 * may have moved to another. A facet::Spy borrows a cache and a database:
 * both must outlive it. Nothing here is thread-safe, like the handle that
 * owns the cache. Failures are Xapian's exceptions and std::bad_alloc, left
 * to the shim's boundary; a facet table that is stale or damaged is not a
 * failure: it is ignored, since it only saves time. */
#ifndef NS_FACETS_H
#define NS_FACETS_H

#ifndef __cplusplus
#error "facets.h is C++, for the shim; C code uses xapian_shim.h"
#endif

#include <xapian.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace facet {

/* Whether v, the value of the facet table's metadata entry ("" when there
 * is none), is a table of slot's keys that describes revision. */
bool table_describes(const std::string &v, Xapian::rev revision, Xapian::valueno slot);

/* The facet table of slot's keys in db as it is now, naming revision: the
 * revision of the commit that will store it. */
std::string table_encode(const Xapian::Database &db, Xapian::valueno slot, Xapian::rev revision);

/* The facet keys of each document of one revision of a database: from its
 * facet table when it has a current one, else read from the values as
 * documents match and kept for later queries (a process that answers many
 * queries soon reads no values at all). */
class Cache {
  public:
    Cache();
    ~Cache();
    Cache(Cache &&other) noexcept;
    Cache &operator=(Cache &&other) noexcept;
    Cache(const Cache &) = delete;
    Cache &operator=(const Cache &) = delete;

    /* Forget every key: a reopen may have changed the database, and a
     * replaced article keeps its docid. */
    void clear();
    /* Whether slot's keys in db now come from a facet table describing db's
     * revision. Switches the cache to slot; the first time after each clear()
     * this loads the table. */
    bool has_table(const Xapian::Database &db, Xapian::valueno slot);

    struct Impl; /* defined in facets.cc */

  private:
    friend class Spy;
    std::unique_ptr<Impl> impl_;
};

/* A key and the number of matching documents that carry it. */
typedef std::pair<const std::string *, unsigned> Count;

/* Counts facet keys over every match of an Enquire it is added to: each
 * distinct key of a document's facet value counts once. The work per match
 * is a few array lookups in the cache. (An interface, so that the counting
 * class, which the matcher calls once per match, is final in facets.cc and
 * the cache's lookups inline into it.) */
class Spy : public Xapian::MatchSpy {
  public:
    /* A spy counting slot's keys of db's documents, through cache. */
    static std::unique_ptr<Spy> create(const Xapian::Database &db, Cache &cache,
                                       Xapian::valueno slot);
    /* The keys counted so far, each with its count (never 0), by count
     * descending, then key ascending (bytewise). The keys belong to the
     * cache and live until its next clear(). */
    virtual std::vector<Count> counts() const = 0;
};

} // namespace facet

#endif
