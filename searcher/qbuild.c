/* qbuild.c: the parsed query to a Xapian query (ns_query_build*), and what
 * the search changes in a parsed query before building it: preferred
 * queries, highlight terms, groups merged with an intent or a translation;
 * the getters (query.h). */
#include "query_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- building ---- */

/* *x = op(*x, subs...), replacing and freeing the old *x. */
static int S_wrap(ns_xquery **x, enum ns_xop op, ns_xquery *const *subs, size_t n, ns_err *err)
{
    ns_xquery **all = calloc(n + 1, sizeof *all);
    ns_xquery *o = NULL;
    if (!all)
        return ns_query_oom(err);
    all[0] = *x;
    for (size_t i = 0; i < n; i++)
        all[i + 1] = subs[i];
    int rc = ns_xquery_combine(&o, op, all, n + 1, 0, err);
    free(all);
    if (rc < 0)
        return rc;
    ns_xquery_free(*x);
    *x = o;
    return 0;
}

/* The positive part: AND of the groups, each the OR of its operands; or,
 * relaxed, the OR of the groups, each weighing NS_QUERY_COORD_WEIGHT more,
 * so that articles rank by the number of groups they match (coordination),
 * then by BM25 (count_only: without the boosts, which a pass that only
 * counts does not need). Each operator takes its whole list at once: a
 * chain of nested pairs made Xapian recurse once per operand (10,000 ORs took 22 s). */
static int S_positive(const ns_query *q, int relaxed, int count_only, ns_xquery **out,
                      ns_err *err)
{
    size_t n = q->ngroups;
    int rc = 0;
    ns_xquery **v = calloc(n, sizeof *v), **own = calloc(2 * n, sizeof *own);
    size_t k = 0, nown = 0;
    if (!v || !own) {
        rc = ns_query_oom(err);
        goto done;
    }
    for (size_t g = 0; g < q->ngroups; g++) {
        const qlist *l = &q->groups[g];
        ns_xquery *x = l->v[0];
        if (l->n > 1) {
            if ((rc = ns_xquery_combine(&own[nown], NS_XQ_OR, l->v, l->n, 0, err)) < 0)
                goto done;
            x = own[nown++];
        }
        if (relaxed && !count_only) {
            if ((rc = ns_xquery_boost(&own[nown], x, NS_QUERY_COORD_WEIGHT, err)) < 0)
                goto done;
            x = own[nown++];
        }
        v[k++] = x;
    }
    rc = ns_xquery_combine(out, relaxed ? NS_XQ_OR : NS_XQ_AND, v, k, 0, err);
done:
    for (size_t i = 0; i < nown; i++)
        ns_xquery_free(own[i]);
    free(own);
    free(v);
    return rc;
}

int ns_query_build(const ns_query *q, int relaxed, ns_xquery **out, ns_err *err)
{
    return ns_query_build_except(q, relaxed, 0, out, err);
}

int ns_query_has_filter(const ns_query *q, int kind)
{
    const qlist *l = kind == NS_QUERY_VENDOR ? &q->fvendor : kind == NS_QUERY_MONTH ? &q->fmonth
                   : kind == NS_QUERY_LANG   ? &q->flang : NULL;
    return l && l->n > 0;
}

int ns_query_only_filters(const ns_query *q, int kinds)
{
    return q->ngroups == 0 && q->neg.n == 0 && (q->fvendor.n == 0 || (kinds & NS_QUERY_VENDOR)) &&
           (q->fmonth.n == 0 || (kinds & NS_QUERY_MONTH)) &&
           (q->flang.n == 0 || (kinds & NS_QUERY_LANG));
}

int ns_query_build_except(const ns_query *q, int relaxed, int omit, ns_xquery **out, ns_err *err)
{
    ns_xquery *main = NULL, *kinds[3] = { NULL, NULL, NULL };
    size_t nkinds = 0;
    int rc = 0;
    const qlist *fl[3] = { &q->fvendor, &q->fmonth, &q->flang };
    const int bit[3] = { NS_QUERY_VENDOR, NS_QUERY_MONTH, NS_QUERY_LANG };

    int count_only = (relaxed & NS_QUERY_COUNT_ONLY) != 0;
    relaxed &= ~NS_QUERY_COUNT_ONLY;
    *out = NULL;
    int nfilters = q->fvendor.n + q->fmonth.n + q->flang.n > 0;
    if (q->ngroups == 0 && q->neg.n == 0 && !nfilters)
        return 0; /* only stopwords or punctuation: nothing can match */
    if (q->ngroups == 0)
        rc = ns_xquery_match_all(&main, err);
    else
        rc = S_positive(q, relaxed, count_only, &main, err);
    if (rc < 0)
        goto done;
    /* what a preference adds is weight only: a count does without it */
    if (q->prefer.n && q->ngroups > 0 && !count_only &&
        (rc = S_wrap(&main, NS_XQ_AND_MAYBE, q->prefer.v, q->prefer.n, err)) < 0)
        goto done;
    if (q->neg.n) {
        ns_xquery *negs = NULL;
        if ((rc = ns_xquery_combine(&negs, NS_XQ_OR, q->neg.v, q->neg.n, 0, err)) < 0)
            goto done;
        rc = S_wrap(&main, NS_XQ_AND_NOT, &negs, 1, err);
        ns_xquery_free(negs);
        if (rc < 0)
            goto done;
    }
    for (int k = 0; k < 3; k++) {
        if (fl[k]->n == 0 || (omit & bit[k]))
            continue;
        if ((rc = ns_xquery_combine(&kinds[nkinds], NS_XQ_OR, fl[k]->v, fl[k]->n, 0, err)) < 0)
            goto done;
        nkinds++;
    }
    if (nkinds && (rc = S_wrap(&main, NS_XQ_FILTER, kinds, nkinds, err)) < 0)
        goto done;
    *out = main;
    main = NULL;
done:
    for (size_t k = 0; k < nkinds; k++)
        ns_xquery_free(kinds[k]);
    ns_xquery_free(main);
    return rc;
}

int ns_query_relaxable(const ns_query *q)
{
    return q->ngroups >= 2;
}

int ns_query_add_highlight(ns_query *q, const char *stem)
{
    return ns_query_add_str(&q->stems, &q->nstems, stem, strlen(stem)) < 0 ? NS_ENOMEM : 0;
}

int ns_query_prefer(ns_query *q, const ns_xquery *x, ns_err *err)
{
    ns_xquery *copy = NULL;
    int rc = ns_xquery_scale(&copy, x, 1.0, err);
    if (rc < 0)
        return rc;
    if (ns_qlist_push(&q->prefer, copy) < 0) {
        ns_xquery_free(copy);
        return ns_query_oom(err);
    }
    return 0;
}

size_t ns_query_groups(const ns_query *q)
{
    return q->ngroups;
}

int ns_query_clause_at(const ns_query *q, size_t g, ns_query_clause *out)
{
    memset(out, 0, sizeof *out);
    if (g >= q->ngroups || !q->clauses[g].simple)
        return 0;
    out->start = q->clauses[g].start;
    out->end = q->clauses[g].end;
    out->stems = (const char *const *)q->clauses[g].stems;
    out->nstems = q->clauses[g].nstems;
    return 1;
}

int ns_query_merge(ns_query *q, size_t first, size_t n, const ns_xquery *alt, int exclusive,
                   ns_err *err)
{
    ns_xquery *part = NULL;
    int rc;
    if (n == 0 || first >= q->ngroups || n > q->ngroups - first || !alt)
        return ns_err_set(err, NS_EINVAL, "ns_query_merge: no such groups");
    for (size_t g = first; g < first + n; g++)
        if (!q->clauses[g].simple || q->groups[g].n != 1)
            return ns_err_set(err, NS_EINVAL, "ns_query_merge: group %zu is not one word", g);
    /* Each group takes its share of alt, so an article that meets them all
     * through alt weighs alt once, and each still counts as a clause met. */
    if ((rc = ns_xquery_scale(&part, alt, 1.0 / (double)n, err)) < 0)
        return rc;
    for (size_t g = first; g < first + n && rc == 0; g++) {
        ns_xquery *own = q->groups[g].v[0], *other = part, *only = NULL, *either = NULL;
        if (exclusive) {
            ns_xquery *but[2] = { part, own };
            if ((rc = ns_xquery_combine(&only, NS_XQ_AND_NOT, but, 2, 0, err)) < 0)
                break;
            other = only;
        }
        ns_xquery *two[2] = { own, other };
        rc = ns_xquery_combine(&either, NS_XQ_OR, two, 2, 0, err);
        ns_xquery_free(only);
        if (rc < 0)
            break;
        ns_xquery_free(own);
        q->groups[g].v[0] = either;
        q->clauses[g].simple = 0;
    }
    ns_xquery_free(part);
    return rc;
}

const char *const *ns_query_stems(const ns_query *q, size_t *count)
{
    *count = q->nstems;
    return (const char *const *)q->stems;
}

const char *const *ns_query_prefixes(const ns_query *q, size_t *count)
{
    *count = q->nprefixes;
    return (const char *const *)q->prefixes;
}

const ns_query_word *ns_query_words(const ns_query *q, size_t *count)
{
    *count = q->nwords;
    return q->words;
}
