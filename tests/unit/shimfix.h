/* shimfix.h: what the shim's two test programs (test_shim.c: opening,
 * errors, terms, writing, metadata; test_shim_search.c: queries, ranking,
 * facets, spelling, compaction) share: a small corpus, database set-up, and
 * a query run written out as "id id id". Included once by each; its statics
 * are unused in one or the other. */
#ifndef NS_TEST_SHIMFIX_H
#define NS_TEST_SHIMFIX_H

#include "xapian_shim.h"
#include "tempdir.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_DATE 0
#define SLOT_FACETS 1

/* A path inside the test's directory; the caller frees it. */
__attribute__((unused)) static char *tpath(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", tmpdir, name);
    return p;
}

/* Add a document: words of text at positions 1.., boolean Q<id>, the date
 * and facet values, and the id as data. */
__attribute__((unused)) static void add_doc(ns_xwdb *w, const char *id, const char *text, const char *date,
                    const char *facets)
{
    ns_err err = { 0, "" };
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    unsigned pos = 1;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n > 0)
            ck_assert_msg(ns_xdoc_add_posting(d, p, n, pos++, 1, &err) == 0, "%s", err.msg);
        p += n;
        while (*p == ' ')
            p++;
    }
    char idterm[64];
    snprintf(idterm, sizeof idterm, "Q%s", id);
    ck_assert_int_eq(ns_xdoc_add_boolean_term(d, idterm, strlen(idterm), &err), 0);
    if (date)
        ck_assert_int_eq(ns_xdoc_add_value(d, SLOT_DATE, date, strlen(date), &err), 0);
    if (facets)
        ck_assert_int_eq(ns_xdoc_add_value(d, SLOT_FACETS, facets, strlen(facets), &err), 0);
    ck_assert_int_eq(ns_xdoc_set_data(d, id, strlen(id), &err), 0);
    ck_assert_msg(ns_xwdb_replace(w, idterm, strlen(idterm), d, &err) == 0, "%s", err.msg);
    ns_xdoc_free(d);
}

__attribute__((unused)) static ns_xwdb *open_writer(const char *path)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    ck_assert_msg(ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &err) == 0, "%s", err.msg);
    return w;
}

__attribute__((unused)) static ns_xdb *open_reader(const char *path)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    ck_assert_msg(ns_xdb_open(&db, path, &err) == 0, "%s", err.msg);
    return db;
}

/* One document of a test database: the arguments of add_doc. */
struct tdoc {
    const char *id, *text, *date, *facets;
};

/* The standard corpus most query tests run against. */
__attribute__((unused)) static const struct tdoc corpus[] = {
    { "a", "the quick brown fox jumps", "20230105", "M2023-01\nVOpenAI" },
    { "b", "quick fox", "20230210", "M2023-02\nVOpenAI\nVGoogle" },
    { "c", "brown quick dog", "20230315", "M2023-03\nVGoogle" },
    { "d", "lazy dog sleeps", "20230120", "M2023-01\nVYandex\nVYandex" },
    { "e", "foxes and foxtrot", "20221201", "M2022-12" },
    { 0 },
};

/* The database set-up of the tests: "db" in the test's directory, opened for
 * writing, with docs added (up to the entry { 0 }; docs may be NULL). With w, the writer stays open in *w, the documents committed;
 * without, it is closed, which commits them, and freed. With db, *db is a
 * reader of the database. Returns the path; the caller frees it and the
 * handles. */
__attribute__((unused)) static char *new_db(const struct tdoc *docs, ns_xwdb **w, ns_xdb **db)
{
    char *path = tpath("db");
    ns_xwdb *writer = open_writer(path);
    int added = 0;
    for (; docs && docs->id; docs++, added = 1)
        add_doc(writer, docs->id, docs->text, docs->date, docs->facets);
    if (w) {
        if (added) {
            ns_err err = { 0, "" };
            ck_assert_msg(ns_xwdb_commit(writer, &err) == 0, "%s", err.msg);
        }
        *w = writer;
    } else {
        ck_assert_int_eq(ns_xwdb_close(writer, NULL), 0);
        ns_xwdb_free(writer);
    }
    if (db)
        *db = open_reader(path);
    return path;
}

/* Search options that sort by date, newest first, so the order is predictable. */
__attribute__((unused)) static ns_xsearch_opts by_date(void)
{
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.value_slot = SLOT_DATE;
    o.sort_by_value = 1;
    return o;
}

/* The number of documents of a writer, of a reader. */
__attribute__((unused)) static unsigned wcount(ns_xwdb *w)
{
    ns_err err = { 0, "" };
    unsigned n = 99;
    ck_assert_msg(ns_xwdb_doccount(w, &n, &err) == 0, "%s", err.msg);
    return n;
}

__attribute__((unused)) static unsigned rcount(ns_xdb *db)
{
    ns_err err = { 0, "" };
    unsigned n = 99;
    ck_assert_msg(ns_xdb_doccount(db, &n, &err) == 0, "%s", err.msg);
    return n;
}

__attribute__((unused)) static ns_xquery *term_q(const char *t)
{
    ns_err err = { 0, "" };
    ns_xquery *q = NULL;
    ck_assert_msg(ns_xquery_term(&q, t, strlen(t), &err) == 0, "%s", err.msg);
    return q;
}

/* Search and render the hits' data as "a,b,c" (caller frees). */
__attribute__((unused)) static char *run(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *o, unsigned *total)
{
    ns_err err = { 0, "" };
    ns_xresults *r = NULL;
    ck_assert_msg(ns_xsearch(db, q, o, &r, &err) == 0, "%s", err.msg);
    size_t n = ns_xresults_count(r);
    char *s = calloc(1, n * 64 + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++) {
        const ns_xhit *h = ns_xresults_hit(r, i);
        if (i)
            strcat(s, ",");
        strncat(s, h->data, h->data_len);
    }
    if (total)
        *total = ns_xresults_total(r);
    ns_xresults_free(r);
    return s;
}

__attribute__((unused)) static void check_run(ns_xdb *db, const ns_xquery *q, const ns_xsearch_opts *o,
                      const char *want, unsigned want_total)
{
    unsigned total = 0;
    char *got = run(db, q, o, &total);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(total, want_total);
    free(got);
}

/* The facets of r, "KEY=COUNT;" each in order, are want. */
__attribute__((unused)) static void check_facets(const ns_xresults *r, const char *want)
{
    char got[512] = "";
    for (size_t i = 0; i < ns_xresults_facet_count(r); i++) {
        const ns_xfacet *f = ns_xresults_facet(r, i);
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s=%u;", f->key, f->count);
    }
    ck_assert_str_eq(got, want);
}

#endif
