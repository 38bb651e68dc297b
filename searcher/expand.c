/* expand.c: the bilingual glossary and cross-lingual expansion (expand.h). */
#include "expand.h"
#include "glossary_impl.h"
#include "str.h"
#include "list.h"

#include "query.h"
#include "xapian_shim.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Forms longer than this many stems are not read (the format allows six
 * words a form; a compound word may give two or three parts). */
#define MAX_FORM_STEMS 12

typedef ns_glossary_form form;
typedef ns_glossary_entry entry;

/* t is what is searched. A glossary analysed here owns the arrays below,
 * which back t; the compiled-in one owns nothing (they stay NULL). */
struct ns_glossary {
    ns_glossary_table t;
    form *forms;
    size_t cforms;
    entry *entries;
    size_t centries;
    size_t *by_stem;
};

static int S_oom(ns_err *err)
{
    return ns_err_set(err, NS_ENOMEM, "out of memory loading the glossary");
}

/* The strings of a form analysed here are its own (the const is the
 * compiled-in tables'). */
static void S_form_clear(form *f)
{
    for (size_t i = 0; f->stems && i < f->nstems; i++)
        free((char *)f->stems[i]);
    free((char **)f->stems);
    free((char *)f->text);
    memset(f, 0, sizeof *f);
}

void ns_glossary_free(ns_glossary *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->forms && i < g->t.nforms; i++)
        S_form_clear(&g->forms[i]);
    free(g->forms);
    free(g->entries);
    free(g->by_stem);
    free(g);
}

size_t ns_glossary_entries(const ns_glossary *g)
{
    return g ? g->t.nentries : 0;
}

int ns_glossary_wrap(ns_glossary **out, const ns_glossary_table *t, ns_err *err)
{
    if (!(*out = calloc(1, sizeof **out)))
        return S_oom(err);
    (*out)->t = *t;
    return 0;
}

const ns_glossary_table *ns_glossary_table_of(const ns_glossary *g)
{
    return &g->t;
}

static void S_trim(const char **s, size_t *len)
{
    while (*len > 0 && ns_is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ns_is_space((*s)[*len - 1]))
        (*len)--;
}

/* Add the form text[0..len) of lang to entry e. A form that gives no stem
 * (only stopwords) or too many is left out: it could match nothing. */
static int S_add_form(ns_glossary *g, ns_analyzer *a, const char *text, size_t len, char lang,
                      size_t e, ns_err *err)
{
    const ns_term *t;
    size_t n, live = 0;
    uint32_t first = 0, last = 0;
    char **stems;
    int rc;

    S_trim(&text, &len);
    if (len == 0)
        return 0;
    if ((rc = ns_analyze(a, text, len, 1, &t, &n, NULL, err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        live += !(t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP));
    if (live == 0 || live > MAX_FORM_STEMS)
        return 0;
    if (ns_array_room(&g->forms, g->t.nforms, &g->cforms, sizeof *g->forms, 256) < 0)
        return S_oom(err);
    form *f = &g->forms[g->t.nforms];
    memset(f, 0, sizeof *f);
    f->lang = lang;
    f->entry = e;
    if (!(stems = calloc(live, sizeof *stems)) || !(f->text = ns_strndup(text, len))) {
        free(stems);
        S_form_clear(f);
        return S_oom(err);
    }
    f->stems = (const char *const *)stems;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        if (f->nstems == 0)
            first = t[i].pos;
        last = t[i].pos;
        if (!(stems[f->nstems] = ns_strndup(t[i].term, t[i].len))) {
            S_form_clear(f);
            return S_oom(err);
        }
        f->nstems++;
    }
    f->span = last - first + 1;
    g->t.nforms++;
    g->entries[e].n++;
    return 0;
}

/* One line: "en | en = ru | ru". */
static int S_parse_line(ns_glossary *g, ns_analyzer *a, const char *line, size_t len,
                        size_t lineno, ns_err *err)
{
    const char *eq = memchr(line, '=', len);
    int rc;
    if (!eq)
        return ns_err_set(err, NS_ESYNTAX, "glossary line %zu has no '='", lineno);
    if (ns_array_room(&g->entries, g->t.nentries, &g->centries, sizeof *g->entries, 256) < 0)
        return S_oom(err);
    size_t e = g->t.nentries++;
    g->entries[e].first = g->t.nforms;
    g->entries[e].n = 0;
    for (int side = 0; side < 2; side++) {
        const char *p = side ? eq + 1 : line, *end = side ? line + len : eq;
        while (p <= end) {
            const char *bar = memchr(p, '|', (size_t)(end - p));
            const char *stop = bar ? bar : end;
            if ((rc = S_add_form(g, a, p, (size_t)(stop - p), side ? 'r' : 'e', e, err)) < 0)
                return rc;
            p = stop + 1;
        }
    }
    return 0;
}

/* qsort's comparison has no context: the forms ride along. */
typedef struct by_stem {
    const char *stem; /* the form's first stem */
    size_t form;
} by_stem;

static int S_by_stem_cmp(const void *x, const void *y)
{
    const by_stem *a = x, *b = y;
    int c = strcmp(a->stem, b->stem);
    if (c)
        return c;
    return a->form < b->form ? -1 : a->form > b->form;
}

static int S_order(ns_glossary *g, ns_err *err)
{
    size_t n = g->t.nforms;
    by_stem *v;
    if (n == 0)
        return 0;
    if (!(v = malloc(n * sizeof *v)) || !(g->by_stem = malloc(n * sizeof *g->by_stem))) {
        free(v);
        return S_oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        v[i].stem = g->forms[i].stems[0];
        v[i].form = i;
    }
    qsort(v, n, sizeof *v, S_by_stem_cmp);
    for (size_t i = 0; i < n; i++)
        g->by_stem[i] = v[i].form;
    free(v);
    return 0;
}

int ns_glossary_new_from_text(ns_glossary **out, ns_analyzer *a, const char *text, size_t len,
                              ns_err *err)
{
    ns_glossary *g = calloc(1, sizeof *g);
    int rc = 0;
    size_t lineno = 0;

    *out = NULL;
    if (!g)
        return S_oom(err);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        const char *line = text + i;
        size_t llen = e - i;
        lineno++;
        i = e + 1;
        S_trim(&line, &llen);
        if (llen == 0 || line[0] == '#')
            continue;
        if ((rc = S_parse_line(g, a, line, llen, lineno, err)) < 0)
            goto fail;
    }
    if ((rc = S_order(g, err)) < 0)
        goto fail;
    g->t.forms = g->forms;
    g->t.entries = g->entries;
    g->t.by_stem = g->by_stem;
    *out = g;
    return 0;
fail:
    ns_glossary_free(g);
    return rc;
}

/* ---- expansion ---- */

/* First index in by_stem whose form's first stem is >= stem. */
static size_t S_lower_bound(const ns_glossary *g, const char *stem)
{
    size_t lo = 0, hi = g->t.nforms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->t.forms[g->t.by_stem[mid]].stems[0], stem) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How many whole clauses from g0 the form f's stems are, or 0. */
static size_t S_match(const form *f, const ns_query_clause *c, const int *have, size_t ng,
                      size_t g0)
{
    size_t h = g0, i = 0;
    for (size_t s = 0; s < f->nstems; s++) {
        if (h >= ng || !have[h] || strcmp(c[h].stems[i], f->stems[s]) != 0)
            return 0;
        if (++i == c[h].nstems) {
            h++;
            i = 0;
        }
    }
    return i == 0 ? h - g0 : 0;
}

/* The query of form f: its stem, or the phrase of its stems. */
static int S_form_query(const form *f, ns_xquery **out, ns_err *err)
{
    ns_xquery *v[MAX_FORM_STEMS];
    size_t k = 0;
    int rc = 0;
    if (f->nstems == 1)
        return ns_xquery_term(out, f->stems[0], strlen(f->stems[0]), err);
    for (; k < f->nstems && rc == 0; k++)
        rc = ns_xquery_term(&v[k], f->stems[k], strlen(f->stems[k]), err);
    if (rc < 0)
        k--; /* the failed one holds nothing */
    else
        rc = ns_xquery_combine(out, NS_XQ_PHRASE, v, k, f->span, err);
    for (size_t i = 0; i < k; i++)
        ns_xquery_free(v[i]);
    return rc;
}

/* The other language's forms of f's entry, one synonym, scaled; their
 * stems are highlighted in q's snippets. */
static int S_alt(const ns_glossary *g, ns_query *q, const form *f, double scale, ns_xquery **out,
                 ns_expansion *x, ns_err *err)
{
    const entry *e = &g->t.entries[f->entry];
    ns_xquery **v = calloc(e->n, sizeof *v), *syn = NULL;
    size_t k = 0;
    int rc = 0;
    if (!v || !(x->with = calloc(e->n, sizeof *x->with))) {
        rc = S_oom(err);
        goto done;
    }
    for (size_t i = e->first; i < e->first + e->n; i++) {
        const form *o = &g->t.forms[i];
        if (o->lang == f->lang)
            continue;
        if ((rc = S_form_query(o, &v[k], err)) < 0)
            goto done;
        k++;
        for (size_t j = 0; j < o->nstems; j++)
            if ((rc = ns_query_add_highlight(q, o->stems[j])) < 0) {
                rc = S_oom(err);
                goto done;
            }
        if (!(x->with[x->nwith] = ns_strndup(o->text, strlen(o->text)))) {
            rc = S_oom(err);
            goto done;
        }
        x->nwith++;
    }
    if (k == 0)
        goto done; /* no form on the other side: nothing to add */
    if ((rc = ns_xquery_combine(&syn, NS_XQ_SYNONYM, v, k, 0, err)) < 0)
        goto done;
    rc = ns_xquery_scale(out, syn, scale, err);
done:
    for (size_t i = 0; i < k; i++)
        ns_xquery_free(v[i]);
    free(v);
    ns_xquery_free(syn);
    return rc;
}

void ns_expansions_free(ns_expansion *e, size_t n)
{
    if (!e)
        return;
    for (size_t i = 0; i < n; i++) {
        free(e[i].words);
        for (size_t k = 0; k < e[i].nwith; k++)
            free(e[i].with[k]);
        free(e[i].with);
    }
    free(e);
}

typedef struct plan {
    size_t first, n;
    ns_xquery *alt;
} plan;

/* The glossary form that meets the most clauses from clause i on (c[i] a
 * plain word): most clauses, then most stems. NULL when none; *nclauses
 * receives how many it meets. */
static const form *S_best_form(const ns_glossary *g, const ns_query_clause *c, const int *have,
                               size_t ng, size_t i, size_t *nclauses)
{
    const form *best = NULL;
    size_t bestk = 0;
    for (size_t j = S_lower_bound(g, c[i].stems[0]);
         j < g->t.nforms && strcmp(g->t.forms[g->t.by_stem[j]].stems[0], c[i].stems[0]) == 0;
         j++) {
        const form *f = &g->t.forms[g->t.by_stem[j]];
        size_t k = S_match(f, c, have, ng, i);
        if (k > bestk || (k == bestk && k && f->nstems > best->nstems)) {
            best = f;
            bestk = k;
        }
    }
    *nclauses = bestk;
    return best;
}

int ns_glossary_expand(const ns_glossary *g, ns_query *q, const char *text, double scale,
                       ns_expansion **out, size_t *nout, ns_err *err)
{
    size_t ng = ns_query_groups(q), nplans = 0;
    ns_query_clause *c = NULL;
    int *have = NULL, rc = 0;
    plan *plans = NULL;
    ns_expansion *xs = NULL;

    if (out)
        *out = NULL;
    if (nout)
        *nout = 0;
    if (ng == 0 || g->t.nforms == 0)
        return 0;
    if (!(c = calloc(ng, sizeof *c)) || !(have = calloc(ng, sizeof *have)) ||
        !(plans = calloc(ng, sizeof *plans)) || !(xs = calloc(ng, sizeof *xs))) {
        rc = S_oom(err);
        goto done;
    }
    for (size_t i = 0; i < ng; i++)
        have[i] = ns_query_clause_at(q, i, &c[i]);
    for (size_t i = 0; i < ng;) {
        size_t bestk = 0;
        const form *best = have[i] ? S_best_form(g, c, have, ng, i, &bestk) : NULL;
        if (!best) {
            i++;
            continue;
        }
        ns_expansion *x = &xs[nplans];
        if ((rc = S_alt(g, q, best, scale, &plans[nplans].alt, x, err)) < 0) {
            nplans++; /* so that what it holds is freed */
            goto done;
        }
        if (plans[nplans].alt) {
            size_t b = c[i].start, e = c[i + bestk - 1].end;
            if (!(x->words = ns_strndup(text + b, e - b))) {
                nplans++;
                rc = S_oom(err);
                goto done;
            }
            x->lang = best->lang;
            plans[nplans].first = i;
            plans[nplans].n = bestk;
            nplans++;
        } else {
            for (size_t k = 0; k < x->nwith; k++)
                free(x->with[k]);
            free(x->with);
            memset(x, 0, sizeof *x);
        }
        i += bestk;
    }
    /* Merge from the last clause back, so the first indices stay right. */
    for (size_t i = nplans; i-- > 0;)
        if ((rc = ns_query_merge(q, plans[i].first, plans[i].n, plans[i].alt, 1, err)) < 0)
            goto done;
    if (out && nplans > 0) {
        *out = xs;
        xs = NULL;
    }
    if (nout)
        *nout = nplans;
done:
    for (size_t i = 0; i < nplans; i++)
        ns_xquery_free(plans[i].alt);
    ns_expansions_free(xs, xs ? ng : 0);
    free(plans);
    free(c);
    free(have);
    return rc;
}
