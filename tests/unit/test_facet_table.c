/* test_facet_table.c: the facet table (src/facets.h, the layout in
 * src/schema.h): which revision it serves, key ids of one, two and four
 * bytes, documents with more keys than it holds in place, and damage, which
 * leaves the counts to the values. Each test works in its own mkdtemp
 * directory. */
#define _XOPEN_SOURCE 700
#include "shimfix.h"
#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Facets of "word" in db, checked against want, and whether a facet table served them. */
static void check_word_facets(ns_xdb *db, const char *want, int from_table)
{
    ns_err err = { 0, "" };
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = SLOT_FACETS;
    ns_xquery *q = term_q("word");
    ns_xresults *r = NULL;
    ck_assert_msg(ns_xsearch(db, q, &o, &r, &err) == 0, "%s", err.msg);
    check_facets(r, want);
    ck_assert_int_eq(ns_xdb_has_facet_table(db, SLOT_FACETS), from_table);
    ns_xresults_free(r);
    ns_xquery_free(q);
}

static void reopen(ns_xdb *db, int want_changed)
{
    ns_err err = { 0, "" };
    int changed = -1;
    ck_assert_msg(ns_xdb_reopen(db, &changed, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(changed, want_changed);
}

START_TEST(facet_counts_follow_a_replaced_document_after_reopen)
{
    ns_err err = { 0, "" };
    static const struct tdoc docs[] = {
        { "a", "word", "20200101", "M2020-01\nVGoogle" },
        { "b", "word", "20200201", "M2020-02\nVGoogle" },
        { 0 },
    };
    ns_xwdb *w = NULL;
    ns_xdb *db = NULL;
    char *path = new_db(docs, &w, &db);
    check_word_facets(db, "VGoogle=2;M2020-01=1;M2020-02=1;", 0);

    /* a replaces its document in place (same docid), with other keys: the
     * reader's cached keys of that docid must not survive the reopen */
    add_doc(w, "a", "word", "20210301", "M2021-03\nVOpenAI");
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    reopen(db, 1);
    check_word_facets(db, "M2020-02=1;M2021-03=1;VGoogle=1;VOpenAI=1;", 0);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(facet_table_serves_only_the_revision_it_describes)
{
    ns_err err = { 0, "" };
    static const struct tdoc docs[] = {
        { "a", "word", "20200101", "M2020-01\nVGoogle\nVGoogle" },
        { "b", "word", "20200201", "M2020-02\nVGoogle\nVOpenAI\nVYandex\nVMeta\nVIBM" },
        { "c", "other", "20200301", NULL },
        { 0 },
    };
    ns_xwdb *w = NULL;
    ns_xdb *db = NULL;
    char *path = new_db(docs, &w, &db);
    const char *two = "VGoogle=2;M2020-01=1;M2020-02=1;VIBM=1;VMeta=1;VOpenAI=1;VYandex=1;";
    check_word_facets(db, two, 0);

    /* Pending changes go out with the table, which describes them. */
    add_doc(w, "d", "word", "20200401", "M2020-04\nVYandex");
    ck_assert_msg(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err) == 0, "%s", err.msg);
    reopen(db, 1);
    const char *three = "VGoogle=2;VYandex=2;M2020-01=1;M2020-02=1;M2020-04=1;VIBM=1;VMeta=1;"
                        "VOpenAI=1;";
    check_word_facets(db, three, 1);
    /* A table for another slot is not this one's. */
    ck_assert_int_eq(ns_xdb_has_facet_table(db, SLOT_DATE), 0);

    /* Nothing changed: no new revision, the table stays current. */
    ck_assert_int_eq(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err), 0);
    reopen(db, 0);
    check_word_facets(db, three, 1);

    /* a is replaced in place (same docid) and committed without a table:
     * the reader must not believe the old table. */
    add_doc(w, "a", "word", "20210301", "M2021-03\nVOpenAI");
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    reopen(db, 1);
    const char *replaced = "VOpenAI=2;VYandex=2;M2020-02=1;M2020-04=1;M2021-03=1;VGoogle=1;"
                           "VIBM=1;VMeta=1;";
    check_word_facets(db, replaced, 0);
    ck_assert_int_eq(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err), 0);
    reopen(db, 1);
    check_word_facets(db, replaced, 1);

    /* Inside a transaction the table cannot be written. */
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err), NS_EINVAL);
    ck_assert_int_eq(ns_xwdb_cancel(w, &err), 0);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

/* n documents with one vendor of their own each and one of 12 months, in a
 * table: more than 254 keys take key ids of two bytes, more than 65,534
 * four. */
static void check_table_with_keys(unsigned n)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    for (unsigned i = 0; i < n; i++) {
        ns_xdoc *d = NULL;
        char key[32];
        int kn = snprintf(key, sizeof key, "M2020-%02u\nV%05u", i % 12 + 1, i);
        ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
        ck_assert_int_eq(ns_xdoc_add_term(d, i % 2 ? "odd" : "even", i % 2 ? 3 : 4, 1, &err), 0);
        ck_assert_int_eq(ns_xdoc_add_value(d, SLOT_FACETS, key, (size_t)kn, &err), 0);
        char id[32];
        int m = snprintf(id, sizeof id, "Q%u", i);
        ck_assert_int_eq(ns_xwdb_replace(w, id, (size_t)m, d, &err), 0);
        ns_xdoc_free(d);
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_msg(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err) == 0, "%s", err.msg);
    ns_xdb *db = open_reader(path);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = SLOT_FACETS;
    ns_xquery *q = term_q("odd");
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    ck_assert_int_eq(ns_xdb_has_facet_table(db, SLOT_FACETS), 1);
    ck_assert_uint_eq(ns_xresults_total(r), n / 2);
    /* odd i: months 2, 4, ..., 12, month 2 (i % 12 == 1) the most often;
     * then each odd vendor once, by name */
    ck_assert_uint_eq(ns_xresults_facet_count(r), 6 + n / 2);
    ck_assert_str_eq(ns_xresults_facet(r, 0)->key, "M2020-02");
    ck_assert_uint_eq(ns_xresults_facet(r, 0)->count, (n / 2 + 5) / 6);
    ck_assert_str_eq(ns_xresults_facet(r, 6)->key, "V00001");
    char last[16];
    snprintf(last, sizeof last, "V%05u", n - 1);
    ck_assert_str_eq(ns_xresults_facet(r, 6 + n / 2 - 1)->key, last);
    ck_assert_uint_eq(ns_xresults_facet(r, 6 + n / 2 - 1)->count, 1);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}

START_TEST(facet_table_with_two_byte_key_ids)
{
    check_table_with_keys(600);
}
END_TEST

START_TEST(facet_table_with_four_byte_key_ids)
{
    check_table_with_keys(70000);
}
END_TEST

/* Key ids held in place per document in a facet table (NS_FACET_TABLE_INLINE
 * in src/schema.h, where the layout is); the damage below needs it. */
#define FACET_SLOTS 4

/* A damaged table naming the revision it is committed in is ignored, and
 * the counts come from the values. */
START_TEST(damaged_facet_table_is_ignored)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    add_doc(w, "a", "word", "20200101", "M2020-01\nVGoogle");
    add_doc(w, "b", "word", "20200201", "M2020-02\nVGoogle");
    ck_assert_int_eq(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err), 0);
    char *good = NULL;
    size_t len = 0;
    ck_assert_int_eq(ns_xwdb_get_metadata(w, "nsearch:facet-table", &good, &len, &err), 0);
    /* "NSFT", version 1, then the revision in one byte while it is small;
     * the damaged copy is committed at the next revision and claims it. */
    ck_assert_uint_gt(len, 8);
    ck_assert_int_eq(memcmp(good, "NSFT\1", 5), 0);
    ck_assert_int_lt((unsigned char)good[5], 0x7F);
    good[5]++;
    const char *want = "VGoogle=2;M2020-01=1;M2020-02=1;";
    ns_xdb *db = open_reader(path);
    size_t cuts[] = { len - 1, len - 2, 8, 6 };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        ck_assert_int_eq(ns_xwdb_set_metadata(w, "nsearch:facet-table", good, cuts[i], &err), 0);
        ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
        good[5]++;
        reopen(db, 1);
        check_word_facets(db, want, 0);
    }
    /* One byte too many, and a key id past the keys. */
    char *longer = malloc(len + 1);
    ck_assert_ptr_nonnull(longer);
    memcpy(longer, good, len);
    longer[len] = 0;
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "nsearch:facet-table", longer, len + 1, &err), 0);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    good[5]++;
    reopen(db, 1);
    check_word_facets(db, want, 0);
    good[len - FACET_SLOTS] = 0x7E; /* the last document's first key */
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "nsearch:facet-table", good, len, &err), 0);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    reopen(db, 1);
    check_word_facets(db, want, 0);
    free(longer);
    free(good);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

/* The facets of "word" in db as one string (the order check_facets wants). */
static void word_facets(ns_xdb *db, char *out, size_t cap)
{
    ns_err err = { 0, "" };
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = SLOT_FACETS;
    ns_xquery *q = term_q("word");
    ns_xresults *r = NULL;
    ck_assert_msg(ns_xsearch(db, q, &o, &r, &err) == 0, "%s", err.msg);
    out[0] = 0;
    for (size_t i = 0; i < ns_xresults_facet_count(r); i++) {
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s=%u;", ns_xresults_facet(r, i)->key,
                 ns_xresults_facet(r, i)->count);
    }
    ck_assert_uint_lt(strlen(out), cap - 1);
    ns_xresults_free(r);
    ns_xquery_free(q);
}

/* Documents with more keys than the table holds in place (a month, up to
 * seven vendors), some matching and some not, among documents with few:
 * counted from the table, their keys are those counted from the values.
 * (The table's lists of the rest became one flat array indexed by docid.) */
START_TEST(facet_table_overflow_lists_count_as_the_values)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    static const char *const vendors[] = { "VGoogle", "VOpenAI", "VYandex", "VMeta",
                                           "VIBM", "VSber", "VApple" };
    for (unsigned i = 0; i < 60; i++) {
        char id[16], keys[128];
        int n = snprintf(keys, sizeof keys, "M2020-%02u", i % 12 + 1);
        for (unsigned v = 0; v < (i * 5) % 8 && v < 7; v++)
            n += snprintf(keys + n, sizeof keys - (size_t)n, "\n%s", vendors[(i + v) % 7]);
        snprintf(id, sizeof id, "d%u", i);
        add_doc(w, id, i % 3 ? "word" : "other", "20200101", keys);
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ns_xdb *db = open_reader(path);
    char from_values[2048], from_table[2048];
    word_facets(db, from_values, sizeof from_values);
    ck_assert_int_eq(ns_xdb_has_facet_table(db, SLOT_FACETS), 0);
    ck_assert_msg(ns_xwdb_write_facet_table(w, SLOT_FACETS, &err) == 0, "%s", err.msg);
    reopen(db, 1);
    word_facets(db, from_table, sizeof from_table);
    ck_assert_int_eq(ns_xdb_has_facet_table(db, SLOT_FACETS), 1);
    ck_assert_str_eq(from_table, from_values);
    /* and every vendor is there: the lists were read, not skipped */
    for (size_t v = 0; v < sizeof vendors / sizeof *vendors; v++)
        ck_assert_ptr_nonnull(strstr(from_table, vendors[v]));
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

static Suite *facet_table_suite(void)
{
    return FIXTURE_SUITE("facet_table", "core", tempdir_setup, tempdir_teardown, 60,
                         facet_counts_follow_a_replaced_document_after_reopen,
                         facet_table_serves_only_the_revision_it_describes,
                         damaged_facet_table_is_ignored,
                         facet_table_with_two_byte_key_ids,
                         facet_table_with_four_byte_key_ids,
                         facet_table_overflow_lists_count_as_the_values);
}

FIXTURE_MAIN(facet_table_suite)
