/* glossary_impl.h: how a loaded glossary is laid out, shared by expand.c,
 * the build-time compiler searcher/glossary_gen.c and the table it writes
 * ($(BUILD)/gen/glossary.c), and by the test that holds the two equal.
 * Nothing else reads it.
 *
 * Analysing every form of glossary/en-ru.txt (about 2,000 of them: Unicode
 * normalisation, folding, stemming) took 2 ms, half the time a plain CGI
 * request had; the glossary's forms are therefore analysed once, at build time,
 * by the same analyzer the programs link, and compiled in as constant tables
 * that load in no time. */
#ifndef NS_GLOSSARY_IMPL_H
#define NS_GLOSSARY_IMPL_H

#include "expand.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ns_glossary_form {
    const char *text;         /* as written in the glossary */
    const char *const *stems; /* nstems stems, stopwords left out */
    size_t nstems;
    uint32_t span;            /* positions from the first stem to the last, for the phrase */
    char lang;                /* 'e' (left of '=') or 'r' */
    size_t entry;
} ns_glossary_form;

typedef struct ns_glossary_entry {
    size_t first, n; /* its forms */
} ns_glossary_entry;

typedef struct ns_glossary_table {
    const ns_glossary_form *forms;
    size_t nforms;
    const ns_glossary_entry *entries;
    size_t nentries;
    const size_t *by_stem; /* the forms' indices ordered by first stem (strcmp), then index */
} ns_glossary_table;

/* The compiled-in glossary: glossary/en-ru.txt as ns_glossary_new_from_text
 * reads it ($(BUILD)/gen/glossary.c). */
extern const ns_glossary_table ns_glossary_compiled;

/* A glossary over t, which must outlive it (ns_glossary_free leaves t alone). NS_ENOMEM. */
int ns_glossary_wrap(ns_glossary **out, const ns_glossary_table *t, ns_err *err);
/* What g holds. */
const ns_glossary_table *ns_glossary_table_of(const ns_glossary *g);

#endif
