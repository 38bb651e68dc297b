/* xapian_shim_build.cc: the shim's documents and queries (see
 * xapian_shim.h), values built from C and handed to a database by
 * xapian_shim.cc; they hold no database. The boundary they go through is
 * xapian_shim_impl.h. */
#include "err.h"
#include "xapian_shim.h"
#include "xapian_shim_impl.h"

#include <xapian.h>

#include <string>
#include <vector>

/* ---- documents ---- */

extern "C" int ns_xdoc_new(ns_xdoc **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_new: NULL argument");
    *out = NULL;
    return shim::guard(err, "creating a document", [&] {
        *out = new ns_xdoc();
        return 0;
    });
}

extern "C" int ns_xdoc_add_posting(ns_xdoc *d, const char *term, size_t len, unsigned pos,
                                   unsigned wdf_inc, ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_posting: NULL document");
    int rc = shim::check_term(err, "adding a posting", term, len);
    if (rc < 0)
        return rc;
    if (pos == 0)
        return ns_err_set(err, NS_EINVAL, "adding a posting: position 0 (positions start at 1)");
    return shim::guard(err, "adding a posting", [&] {
        d->doc.add_posting(std::string(term, len), pos, wdf_inc);
        return 0;
    });
}

extern "C" int ns_xdoc_add_term(ns_xdoc *d, const char *term, size_t len, unsigned wdf_inc,
                                ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_term: NULL document");
    int rc = shim::check_term(err, "adding a term", term, len);
    if (rc < 0)
        return rc;
    return shim::guard(err, "adding a term", [&] {
        d->doc.add_term(std::string(term, len), wdf_inc);
        return 0;
    });
}

extern "C" int ns_xdoc_add_boolean_term(ns_xdoc *d, const char *term, size_t len, ns_err *err)
{
    if (!d)
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_boolean_term: NULL document");
    int rc = shim::check_term(err, "adding a boolean term", term, len);
    if (rc < 0)
        return rc;
    return shim::guard(err, "adding a boolean term", [&] {
        d->doc.add_boolean_term(std::string(term, len));
        return 0;
    });
}

extern "C" int ns_xdoc_add_value(ns_xdoc *d, unsigned slot, const char *val, size_t len,
                                 ns_err *err)
{
    if (!d || (!val && len))
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_add_value: NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "adding a value: bad slot %u", slot);
    return shim::guard(err, "adding a value", [&] {
        d->doc.add_value(slot, len ? std::string(val, len) : std::string());
        return 0;
    });
}

extern "C" int ns_xdoc_set_data(ns_xdoc *d, const char *data, size_t len, ns_err *err)
{
    if (!d || (!data && len))
        return ns_err_set(err, NS_EINVAL, "ns_xdoc_set_data: NULL argument");
    return shim::guard(err, "setting document data", [&] {
        d->doc.set_data(len ? std::string(data, len) : std::string());
        return 0;
    });
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
    int rc = shim::check_term(err, "query term", term, len);
    if (rc < 0)
        return rc;
    return shim::guard(err, "building a term query", [&] {
        return S_new_query(out, Xapian::Query(std::string(term, len)));
    });
}

extern "C" int ns_xquery_wildcard(ns_xquery **out, const char *prefix, size_t len,
                                  unsigned max_expansion, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_wildcard: NULL argument");
    *out = NULL;
    int rc = shim::check_term(err, "wildcard prefix", prefix, len);
    if (rc < 0)
        return rc;
    return shim::guard(err, "building a wildcard query", [&] {
        /* MOST_FREQUENT rather than the default ERROR: a short prefix in a
         * big index should still search, just over its commonest terms.
         * But MOST_FREQUENT with a limit of 0 expands to nothing in 1.4,
         * whereas 0 means "no limit" with the other modes. */
        int limit_type = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                       : Xapian::Query::WILDCARD_LIMIT_ERROR;
        Xapian::Query q(Xapian::Query::OP_WILDCARD, std::string(prefix, len), max_expansion,
                        limit_type);
        return S_new_query(out, q);
    });
}

extern "C" int ns_xquery_value_range(ns_xquery **out, unsigned slot, const char *lo,
                                     const char *hi, ns_err *err)
{
    if (!out || !lo || !hi)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_value_range: NULL argument");
    *out = NULL;
    if (slot == Xapian::BAD_VALUENO)
        return ns_err_set(err, NS_EINVAL, "value range: bad slot %u", slot);
    return shim::guard(err, "building a value range query", [&] {
        Xapian::Query q(Xapian::Query::OP_VALUE_RANGE, slot, std::string(lo), std::string(hi));
        return S_new_query(out, q);
    });
}

extern "C" int ns_xquery_match_all(ns_xquery **out, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_match_all: NULL argument");
    *out = NULL;
    return shim::guard(err, "building a match-all query", [&] {
        /* A fresh query, not a copy of Xapian::Query::MatchAll: copies of that
         * one static object share its non-atomic reference count, so
         * searchers on two threads (nsearch --batch --jobs) corrupted it and
         * crashed in Enquire::set_query. The empty term matches every
         * document, exactly as MatchAll does. */
        return S_new_query(out, Xapian::Query(std::string()));
    });
}

extern "C" int ns_xquery_boost(ns_xquery **out, const ns_xquery *q, double weight, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_boost: NULL argument");
    *out = NULL;
    if (!q)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_boost: NULL argument");
    if (!(weight >= 0))
        return ns_err_set(err, NS_EINVAL, "a boost needs a weight >= 0, not %g", weight);
    return shim::guard(err, "building a boost", [&] {
        /* The query takes ownership of the source (release()), and a copy
         * of the query shares it. */
        Xapian::Query fixed((new Xapian::FixedWeightPostingSource(weight))->release());
        return S_new_query(out, Xapian::Query(Xapian::Query::OP_AND, q->q, fixed));
    });
}

extern "C" int ns_xquery_scale(ns_xquery **out, const ns_xquery *q, double factor, ns_err *err)
{
    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_scale: NULL argument");
    *out = NULL;
    if (!q)
        return ns_err_set(err, NS_EINVAL, "ns_xquery_scale: NULL argument");
    if (!(factor >= 0))
        return ns_err_set(err, NS_EINVAL, "a weight scale needs a factor >= 0, not %g", factor);
    return shim::guard(err, "scaling a query's weight", [&] {
        return S_new_query(out, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor));
    });
}

/* Combine v (n >= 1 subqueries) with op, an ns_xop as an int, for
 * ns_xquery_combine. */
static int S_combine(ns_xquery **out, int op, const std::vector<Xapian::Query> &v,
                     unsigned window, ns_err *err)
{
    Xapian::Query q;
    switch (op) {
    case NS_XQ_AND:
        q = Xapian::Query(Xapian::Query::OP_AND, v.begin(), v.end());
        break;
    case NS_XQ_OR:
        q = Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end());
        break;
    case NS_XQ_SYNONYM:
        q = Xapian::Query(Xapian::Query::OP_SYNONYM, v.begin(), v.end());
        break;
    case NS_XQ_PHRASE:
        /* Xapian's window 0 already means "number of subqueries", i.e.
         * exactly adjacent, and it widens a window smaller than that. */
        q = Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(), v.end(), window);
        break;
    case NS_XQ_AND_NOT:
    case NS_XQ_FILTER:
    case NS_XQ_AND_MAYBE: {
        if (v.size() == 1) {
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
        return ns_err_set(err, NS_EINVAL, "combining queries: unknown operator %d", op);
    }
    return S_new_query(out, q);
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
    /* C may pass any int as op, which C++ may not hold in an ns_xop: it is
     * read here, once, as an int, and never from memory as an ns_xop (the
     * lambda's capture by reference was such a read, which UBSan flags). */
    int opcode = op;
    return shim::guard(err, "combining queries", [&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        return S_combine(out, opcode, v, window, err);
    });
}

extern "C" char *ns_xquery_describe(const ns_xquery *q)
{
    if (!q)
        return NULL;
    char *s = NULL;
    shim::guard(NULL, "describing a query", [&] {
        s = shim::dup(q->q.get_description(), NULL);
        return 0;
    });
    return s;
}

extern "C" void ns_xquery_free(ns_xquery *q)
{
    delete q;
}
