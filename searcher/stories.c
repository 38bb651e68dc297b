/* stories.c: one result per story (stories.h). */
#include "stories.h"

#include "buf.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n places, no others yet. */
static int S_alloc(ns_story_page *p, const ns_xresults *xr, ns_err *err)
{
    memset(p, 0, sizeof *p);
    p->n = ns_xresults_count(xr);
    if (p->n == 0)
        return 0;
    if (!(p->shown = calloc(p->n, sizeof *p->shown)) ||
        !(p->others = calloc(p->n, sizeof *p->others)) ||
        !(p->nothers = calloc(p->n, sizeof *p->nothers)) ||
        !(p->subs = calloc(p->n, sizeof *p->subs))) {
        ns_story_page_clear(p);
        return ns_err_set(err, NS_ENOMEM, "out of memory reading results");
    }
    for (size_t i = 0; i < p->n; i++)
        p->shown[i] = ns_xresults_hit(xr, i);
    return 0;
}

int ns_stories_plain(ns_story_page *out, const ns_xresults *xr, ns_err *err)
{
    return S_alloc(out, xr, err);
}

/* The tellings of h's story that match xq, h among them, into *sub (NULL
 * when the story has only h's article). */
static int S_lookup(ns_xdb *db, const ns_xquery *xq, const ns_xsearch_opts *xo, const ns_xhit *h,
                    ns_xresults **sub, ns_err *err)
{
    ns_buf term = NS_BUF_INIT;
    ns_xquery *story = NULL, *both = NULL;
    unsigned freq = 0;
    int rc;

    *sub = NULL;
    if (!h->collapse_key || !*h->collapse_key)
        return 0; /* a database without story keys (schema 2 and older) */
    if (ns_buf_puts(&term, NS_PREFIX_STORY) < 0 || ns_buf_puts(&term, h->collapse_key) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory reading results");
        goto done;
    }
    if ((rc = ns_xdb_termfreq(db, term.data, term.len, &freq, err)) < 0 || freq < 2)
        goto done;
    ns_xsearch_opts o = *xo;
    o.offset = 0;
    o.limit = freq;
    o.facet_slot = -1;
    o.collapse_slot = -1;
    const ns_xquery *parts[2] = { xq, NULL };
    if ((rc = ns_xquery_term(&story, term.data, term.len, err)) < 0)
        goto done;
    parts[1] = story;
    if ((rc = ns_xquery_combine(&both, NS_XQ_FILTER, (ns_xquery *const *)parts, 2, 0, err)) < 0)
        goto done;
    rc = ns_xsearch(db, both, &o, sub, err);
done:
    ns_xquery_free(story);
    ns_xquery_free(both);
    ns_buf_free(&term);
    return rc;
}

/* Place i: the other tellings in sub, and the one shown. */
static int S_place(ns_story_page *p, size_t i, ns_xdb *db, const ns_xresults *sub,
                   const char *prefer_lang, ns_err *err)
{
    size_t n = ns_xresults_count(sub), k = 0;
    const ns_xhit *best = p->shown[i];
    if (n < 2)
        return 0;
    if (!(p->others[i] = calloc(n, sizeof **p->others)))
        return ns_err_set(err, NS_ENOMEM, "out of memory reading results");
    /* The reader's language first: which of the tellings are in it. */
    const ns_xhit *pick = NULL;
    if (prefer_lang) {
        char lterm[8];
        unsigned *ids = calloc(n + 1, sizeof *ids);
        unsigned char *has = calloc(n + 1, 1);
        const char *terms[1] = { lterm };
        int rc = 0;
        snprintf(lterm, sizeof lterm, "%s%.2s", NS_PREFIX_LANG, prefer_lang);
        if (!ids || !has) {
            free(ids);
            free(has);
            return ns_err_set(err, NS_ENOMEM, "out of memory reading results");
        }
        ids[0] = best->docid;
        for (size_t j = 0; rc == 0 && j < n; j++)
            ids[j + 1] = ns_xresults_hit(sub, j)->docid;
        if (rc == 0)
            rc = ns_xdb_docs_have_terms(db, terms, 1, ids, n + 1, has, err);
        /* sub is in rank order: its first telling in the language is the best */
        for (size_t j = 0; rc == 0 && !has[0] && j < n && !pick; j++)
            if (has[j + 1])
                pick = ns_xresults_hit(sub, j);
        free(ids);
        free(has);
        if (rc < 0)
            return rc;
    }
    if (pick)
        p->shown[i] = pick;
    for (size_t j = 0; j < n; j++) {
        const ns_xhit *x = ns_xresults_hit(sub, j);
        if (x->docid != p->shown[i]->docid)
            p->others[i][k++] = x;
    }
    p->nothers[i] = k;
    return 0;
}

int ns_stories_page(ns_story_page *out, ns_xdb *db, const ns_xquery *xq,
                    const ns_xsearch_opts *xo, const ns_xresults *xr, const char *prefer_lang,
                    ns_err *err)
{
    int rc = S_alloc(out, xr, err);
    for (size_t i = 0; rc == 0 && i < out->n; i++) {
        ns_xresults *sub = NULL;
        if ((rc = S_lookup(db, xq, xo, out->shown[i], &sub, err)) < 0 || !sub)
            continue;
        out->subs[out->nsubs++] = sub;
        rc = S_place(out, i, db, sub, prefer_lang, err);
    }
    if (rc < 0)
        ns_story_page_clear(out);
    return rc;
}

/* Xapian's own totals after collapsing are estimates (a match too weak for
 * the page is never checked against the others), so stories are counted
 * from the facet counts: every article has one language key, and each
 * article of a story of two or more has that story's "S" key (src/schema.h). */
void ns_stories_totals(const ns_xresults *xr, int stories, unsigned *total, unsigned *articles)
{
    unsigned all = 0, dup = 0;
    if (!stories) {
        *total = *articles = ns_xresults_total(xr);
        return;
    }
    for (size_t i = 0, n = ns_xresults_facet_count(xr); i < n; i++) {
        const ns_xfacet *f = ns_xresults_facet(xr, i);
        if (f->key[0] == NS_FACET_LANG)
            all += f->count;
        else if (f->key[0] == NS_FACET_STORY && f->count > 1)
            dup += f->count - 1;
    }
    *articles = all;
    *total = all - dup;
}

int ns_stories_present(ns_xdb *db, int *out, ns_err *err)
{
    char *v = NULL;
    size_t n = 0;
    int rc = ns_xdb_get_metadata(db, NS_META_SHARED_STORIES, &v, &n, err);
    *out = rc == 0 && n > 0 && strtoul(v, NULL, 10) > 0;
    free(v);
    return rc;
}

void ns_story_page_clear(ns_story_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->subs && i < p->nsubs; i++)
        ns_xresults_free(p->subs[i]);
    for (size_t i = 0; p->others && i < p->n; i++)
        free(p->others[i]);
    free(p->subs);
    free(p->others);
    free(p->nothers);
    free(p->shown);
    memset(p, 0, sizeof *p);
}
