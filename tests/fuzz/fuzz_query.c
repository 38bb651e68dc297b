/* fuzz_query.c: libFuzzer harness for the query language (searcher/query.h)
 * and the search behind it (searcher/search.h), against a tiny database
 * indexed once at start. The first input byte picks options (sort, facets,
 * offset, a month/lang/vendor filter); the rest is the query text.
 * Invariants: parsing gives 0, NS_ESYNTAX or NS_ETOOBIG (over the term
 * cap, or a word past the analyser's caps) with a message, building never
 * fails otherwise, a search agrees with the parser, results keep their
 * contract (ranks consecutive from offset+1, at most limit hits, highlight
 * marks inside the snippet and in order, valid UTF-8), and the --json object
 * is strict JSON. */
#include "fuzz_tempdb.h"
#include "json.h"
#include "query.h"
#include "search.h"

static ns_analyzer *A;
static ns_vendors *V;
static ns_searcher *S;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ns_err err;
    fz_analysis(&A, &V);
    const char *db = fz_tempdb();
    FUZZ_ASSERT(ns_searcher_open(&S, db, &err) == 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    unsigned sel = data[0];
    const char *q = (const char *)data + 1;
    size_t len = size - 1;
    static const char *const vendors[] = { "openai", "сбер", "<x>" };
    static const char *const months[] = { NULL, "2020-05", "2020-01..2021-12", "2021-13" };

    ns_search_opts o = NS_SEARCH_OPTS_INIT;
    o.sort_by_date = sel & 1;
    o.facets = (sel >> 1) & 1;
    o.offset = (sel >> 2) & 1 ? 1 : 0;
    o.limit = (sel >> 3) & 1 ? 2 : 10;
    o.month = months[(sel >> 4) & 3];
    o.lang = (sel >> 6) & 1 ? "ru" : NULL;
    if ((sel >> 7) & 1) {
        o.vendors = vendors;
        o.nvendors = 3;
    }

    ns_err err;
    ns_query *pq = NULL;
    int rc = ns_query_parse(&pq, A, V, q, len, &o, &err);
    /* NS_ETOOBIG: over a query cap, or a word past the analyser's caps */
    FUZZ_ASSERT(rc == 0 || rc == NS_ESYNTAX || rc == NS_ETOOBIG);
    if (rc == 0) {
        size_t nw;
        const ns_query_word *w = ns_query_words(pq, &nw);
        for (size_t i = 0; i < nw; i++) {
            FUZZ_ASSERT(w[i].start <= w[i].end && w[i].end <= len);
            FUZZ_ASSERT(w[i].stem && ns_utf8_valid(w[i].stem, strlen(w[i].stem)));
        }
        size_t ns;
        const char *const *stems = ns_query_stems(pq, &ns);
        for (size_t i = 0; i < ns; i++)
            FUZZ_ASSERT(stems[i] != NULL);
        for (int relaxed = 0; relaxed < 2; relaxed++) {
            ns_xquery *xq = NULL;
            int brc = ns_query_build(pq, relaxed, &xq, &err);
            if (brc != 0)
                fprintf(stderr, "build: %d %s\n", brc, err.msg);
            FUZZ_ASSERT(brc == 0);
            ns_xquery_free(xq);
        }
        ns_query_free(pq);
    } else {
        FUZZ_ASSERT(err.msg[0] != '\0');
    }

    ns_results *r = NULL;
    int src = ns_search(S, q, len, &o, &r, &err);
    if (src != 0 && src != NS_ESYNTAX && src != NS_ETOOBIG)
        fprintf(stderr, "search: %d %s\n", src, err.msg);
    FUZZ_ASSERT(src == 0 || src == NS_ESYNTAX || src == NS_ETOOBIG);
    FUZZ_ASSERT(src == rc);
    if (src == 0) {
        FUZZ_ASSERT(r->nhits <= o.limit);
        FUZZ_ASSERT(r->total >= r->nhits);
        for (size_t i = 0; i < r->nhits; i++) {
            const ns_hit *h = &r->hits[i];
            FUZZ_ASSERT(h->rank == o.offset + i + 1);
            FUZZ_ASSERT(h->snippet != NULL);
            size_t sl = strlen(h->snippet);
            FUZZ_ASSERT(ns_utf8_valid(h->snippet, sl) || sl == 0);
            size_t prev = 0;
            for (size_t m = 0; m < h->nmarks; m++) {
                FUZZ_ASSERT(h->marks[m].start >= prev);
                FUZZ_ASSERT(h->marks[m].start < h->marks[m].end && h->marks[m].end <= sl);
                prev = h->marks[m].end;
            }
        }
        ns_buf out = NS_BUF_INIT;
        FUZZ_ASSERT(ns_json_results(&out, r) == 0);
        FUZZ_ASSERT(fz_json_parse(out.data, out.len, NULL, NULL) == 0);
        ns_buf_free(&out);
        ns_results_free(r);
    }
    return 0;
}
