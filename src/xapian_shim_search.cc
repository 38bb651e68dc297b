/* xapian_shim_search.cc: ns_xsearch and its results (xapian_shim.h): one
 * Enquire per pass, the page's hits with their data, the exact total, and
 * the facet counts through the facet engine (facets.cc) on one database or
 * Xapian's stock ValueCountMatchSpy over shards (a remote shard's server
 * knows only the stock spies). Every entry point goes through shim::guarded
 * (xapian_shim_impl.h), so no exception crosses into C. */
#include "err.h"
#include "facets.h"
#include "xapian_shim.h"
#include "xapian_shim_impl.h"

#include <xapian.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

/* ---- searching ---- */

/* The counts v, in their order, as r's facets (C copies of the keys). */
static void S_set_facets(ns_xresults *r, const std::vector<facet::Count> &v)
{
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

static void S_fill_facets(ns_xresults *r, const facet::Spy &spy)
{
    S_set_facets(r, spy.counts());
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
    std::vector<facet::Count> v;
    v.reserve(sum.size());
    for (const auto &kv : sum)
        v.emplace_back(&kv.first, kv.second);
    std::stable_sort(v.begin(), v.end(), [](const facet::Count &a, const facet::Count &b) {
        return a.second > b.second; /* keys already ascending: ties keep that order */
    });
    S_set_facets(r, v);
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
/* Room for n hits in r (none for 0). */
static void S_alloc_hits(ns_xresults *r, size_t n)
{
    if (n == 0)
        return;
    r->hits = static_cast<ns_xhit *>(std::calloc(n, sizeof *r->hits));
    if (!r->hits)
        throw std::bad_alloc();
}

/* The next hit of r from the match it points at. */
static void S_add_hit(ns_xresults *r, const Xapian::MSetIterator &it, const ns_xsearch_opts *o)
{
    ns_xhit *h = &r->hits[r->nhits++];
    h->docid = *it;
    h->score = it.get_weight();
    h->data = shim::dup(it.get_document().get_data(), &h->data_len);
    if (o->collapse_slot >= 0)
        h->collapse_key = shim::dup(it.get_collapse_key(), NULL);
}

static void S_fill_hits(ns_xresults *r, Xapian::MSet &mset, const ns_xsearch_opts *o,
                        S_spy_mode mode)
{
    if (mset.size() == 0)
        return;
    /* remote shards: ask for every document of the page at once, not
     * one round trip each */
    if (mode == S_SPY_STOCK_APART)
        mset.fetch();
    S_alloc_hits(r, mset.size());
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
        S_add_hit(r, it, o);
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
        S_alloc_hits(r, order.size() - o->offset);
        for (size_t i = o->offset; i < order.size(); i++)
            S_add_hit(r, order[i], o);
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
