/* runfix.h: a run of the indexing engine (indexer/run.h) for the unit tests
 * of its modules: options, counts and the messages it reported. Included by
 * one test program each, after tempdir.h (it defines static functions). */
#ifndef NS_TEST_RUNFIX_H
#define NS_TEST_RUNFIX_H

#include "run.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Every message reported, "E path: msg\n" (error) or "W path: msg\n". */
static char reported[8192];

__attribute__((unused)) static void runfix_on(void *ctx, const char *path, const char *msg)
{
    size_t used = strlen(reported);
    snprintf(reported + used, sizeof reported - used, "%s %s: %s\n", (const char *)ctx, path, msg);
}

__attribute__((unused)) static void runfix_on_error(void *ctx, const char *path, const char *msg)
{
    (void)ctx;
    runfix_on("E", path, msg);
}

__attribute__((unused)) static void runfix_on_warning(void *ctx, const char *path, const char *msg)
{
    (void)ctx;
    runfix_on("W", path, msg);
}

/* Options that report into `reported`, for db_path (may be NULL). */
__attribute__((unused)) static void runfix_opts(ns_index_opts *o, const char *db_path)
{
    ns_index_opts init = NS_INDEX_OPTS_INIT;
    *o = init;
    o->db_path = db_path;
    o->on_error = runfix_on_error;
    o->on_warning = runfix_on_warning;
    reported[0] = '\0';
}

/* A fresh run over a fresh temporary directory, with options that report
 * into `reported`, and a writer W of that run with no database yet (the
 * set-up of the tests of the run's modules). */
__attribute__((unused)) static void runfix_run(run *R, ns_index_opts *O, ns_index_stats *st,
                                               writer *W)
{
    tempdir_setup();
    runfix_opts(O, NULL);
    memset(st, 0, sizeof *st);
    ns_run_init(R, O, st);
    memset(W, 0, sizeof *W);
    W->R = R;
}

/* Write text to tmpdir/name. */
__attribute__((unused)) static void runfix_write(const char *name, const char *text)
{
    char path[256];
    tempdir_path(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* An article with the given id (NULL: none) and body. */
__attribute__((unused)) static void runfix_article(const char *name, const char *id, const char *body)
{
    char text[1024];
    snprintf(text, sizeof text, "---\ntitle: \"Article %s\"\ndate: 2020-03-15\nlang: en\n%s%s%s---\n\n%s\n",
             name, id ? "id: " : "", id ? id : "", id ? "\n" : "", body);
    runfix_write(name, text);
}

#endif
