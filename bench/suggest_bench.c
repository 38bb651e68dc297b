/* suggest_bench.c: the cost of one spelling lookup, the suggestion
 * dictionary (src/sdict.h) against Xapian's spelling table, on one database.
 * `make bench-suggest` (bench/bench-suggest.sh) feeds it misspelt words.
 *
 * usage: suggest_bench DB < lines of "lang TAB misspelt TAB intended"
 * Each word is looked up REPS times by each method (the first, cold, is
 * dropped); prints per language and method the median, p90 and max of the
 * per-word median in milliseconds, and how often the intended word came
 * back. Edits allowed as the searcher allows them (searcher/suggest.h). */
#include "err.h"
#include "sdict.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPS 5
#define MAXW 4096

static double S_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int S_cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static size_t S_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

typedef struct stat_ {
    double ms[MAXW];
    size_t n, hits;
} stat_;

static void S_print(const char *lang, const char *method, stat_ *s)
{
    if (s->n == 0)
        return;
    qsort(s->ms, s->n, sizeof *s->ms, S_cmpd);
    printf("| %s | %s | %zu | %.3f | %.3f | %.3f | %.0f%% |\n", lang, method, s->n,
           s->ms[s->n / 2], s->ms[s->n * 9 / 10], s->ms[s->n - 1], 100.0 * s->hits / s->n);
}

int main(int argc, char **argv)
{
    ns_xdb *db = NULL;
    ns_err err = { 0, "" };
    char line[1024];
    static stat_ st[2][2]; /* [ru][xapian] */

    if (argc != 2) {
        fprintf(stderr, "usage: suggest_bench DB < words\n");
        return 2;
    }
    if (ns_xdb_open(&db, argv[1], &err) < 0) {
        fprintf(stderr, "suggest_bench: %s\n", err.msg);
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        char *lang = strtok(line, "\t\n"), *word = strtok(NULL, "\t\n"), *want = strtok(NULL, "\t\n");
        if (!lang || !word || !want)
            continue;
        int ru = strcmp(lang, "ru") == 0;
        unsigned edits = S_chars(word) < 6 ? 1 : 2;
        for (int m = 0; m < 2; m++) {
            stat_ *s = &st[ru][m];
            double t[REPS];
            char *fix = NULL;
            if (s->n >= MAXW)
                continue;
            for (int r = 0; r < REPS; r++) {
                free(fix);
                fix = NULL;
                double t0 = S_now();
                int rc = m == 0 ? ns_sdict_lookup(db, word, strlen(word), edits, &fix, &err)
                                : ns_xdb_spelling_within(db, word, strlen(word), edits, &fix, &err);
                t[r] = S_now() - t0;
                if (rc < 0 || (m == 0 && rc == 0)) {
                    fprintf(stderr, "suggest_bench: %s\n", rc < 0 ? err.msg : "no suggestion dictionary");
                    return 2;
                }
            }
            qsort(t + 1, REPS - 1, sizeof *t, S_cmpd);
            s->ms[s->n++] = t[1 + (REPS - 1) / 2];
            s->hits += fix && strcmp(fix, want) == 0;
            free(fix);
        }
    }
    printf("| lang | method | words | median ms | p90 ms | max ms | intended word |\n");
    printf("|---|---|---:|---:|---:|---:|---:|\n");
    for (int ru = 0; ru < 2; ru++)
        for (int m = 0; m < 2; m++)
            S_print(ru ? "ru" : "en", m ? "Xapian spelling" : "sdict", &st[ru][m]);
    ns_xdb_free(db);
    return 0;
}
