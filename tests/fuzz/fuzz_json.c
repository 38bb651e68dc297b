/* fuzz_json.c: libFuzzer harness for the JSON writer (searcher/json.h).
 * The input is split at 0x01 bytes into strings that fill an ns_results (query,
 * ids, titles, vendors, urls, snippets with highlight marks, facets, the
 * suggestion) and a --batch error line. A url comes back only when it is
 * http(s) (ns_html_url_linkable); any other is null. The JSON written must parse with a
 * strict parser, and each string must come back as written (invalid UTF-8
 * replaced by U+FFFD), and '<' must never appear raw (the JSON may be embedded
 * in a <script> element). */
#include "html.h"
#include "fuzz_common.h"
#include "json.h"
#include "search.h"

#include <math.h>

#define NFIELDS 16

typedef struct seen {
    ns_buf want[NFIELDS];
    int found[NFIELDS];
    size_t n;
} seen;

static void on_string(void *ctx, const char *s, size_t len, int is_key)
{
    seen *x = ctx;
    (void)is_key;
    for (size_t i = 0; i < x->n; i++)
        if (!x->found[i] && x->want[i].len == len && memcmp(x->want[i].data, s, len) == 0)
            x->found[i] = 1;
}

static void check(const ns_buf *out, seen *x)
{
    FUZZ_ASSERT(fz_json_parse(out->data, out->len, on_string, x) == 0);
    FUZZ_ASSERT(memchr(out->data, '<', out->len) == NULL);
    FUZZ_ASSERT(memchr(out->data, '\n', out->len) == NULL);
    for (size_t i = 0; i < x->n; i++) {
        if (!x->found[i])
            fprintf(stderr, "string %zu did not round-trip\n", i);
        FUZZ_ASSERT(x->found[i]);
    }
}

/* Split data at 0x01 bytes into NFIELDS NUL-terminated fields (missing ones
 * empty); a field's own NULs would end it early where the writer takes C
 * strings, so they become spaces there. */
static void split_fields(const uint8_t *data, size_t size, char **f, size_t *flen)
{
    size_t nf = 0, st = 0;
    for (size_t i = 0; i <= size && nf < NFIELDS; i++) {
        if (i == size || data[i] == 1) {
            flen[nf] = i - st;
            f[nf] = malloc(flen[nf] + 1);
            FUZZ_ASSERT(f[nf]);
            memcpy(f[nf], data + st, flen[nf]);
            f[nf][flen[nf]] = '\0';
            for (size_t k = 0; k < flen[nf]; k++)
                if (f[nf][k] == '\0')
                    f[nf][k] = ' ';
            nf++;
            st = i + 1;
        }
    }
    while (nf < NFIELDS) {
        f[nf] = calloc(1, 1);
        FUZZ_ASSERT(f[nf]);
        flen[nf++] = 0;
    }
}

/* 1. one string on its own, with its NULs: exact round trip */
static void one_string(const uint8_t *data, size_t size)
{
    ns_buf out = NS_BUF_INIT;
    seen x;
    memset(&x, 0, sizeof x);
    FUZZ_ASSERT(ns_json_string(&out, (const char *)data, size) == 0);
    fz_expected_text(&x.want[0], (const char *)data, size);
    x.n = 1;
    check(&out, &x);
    ns_buf_free(&out);
    ns_buf_free(&x.want[0]);
}

/* Up to 4 ordered, disjoint highlight marks inside a snippet of sl bytes,
 * their ends taken from the input's first bytes. */
static size_t make_marks(const uint8_t *data, size_t size, size_t sl, ns_span *marks)
{
    size_t nmarks = 0;
    for (size_t k = 0; k + 1 < 8 && nmarks < 4 && size > 0; k += 2) {
        size_t a = data[k % size] % (sl + 1), b = data[(k + 1) % size] % (sl + 1);
        if (a > b) {
            size_t t = a; a = b; b = t;
        }
        if (nmarks && a < marks[nmarks - 1].end)
            continue;
        if (a == b)
            continue;
        marks[nmarks].start = a;
        marks[nmarks].end = b;
        nmarks++;
    }
    return nmarks;
}

/* 2. a whole result object: two hits (one with every field, one with nulls),
 * facets and the suggestion, every string coming back as written */
static void results_object(const uint8_t *data, size_t size, char **f, const size_t *flen)
{
    ns_span marks[4];
    size_t nmarks = make_marks(data, size, flen[6], marks);
    char *vend[2] = { f[4], f[5] };
    ns_hit hits[2];
    memset(hits, 0, sizeof hits);
    for (int h = 0; h < 2; h++) {
        hits[h].rank = (unsigned)h + 1;
        hits[h].score = h ? -0.0 : (double)INFINITY; /* inf must not reach the JSON */
        hits[h].rec.id = f[1];
        hits[h].rec.title = f[2];
        hits[h].rec.date = "2020-01-02";
        hits[h].rec.lang = h ? "ru" : "en";
        hits[h].rec.vendors = vend;
        hits[h].rec.nvendors = 2;
        hits[h].rec.url = h ? NULL : f[3];
        hits[h].rec.path = f[7];
        memcpy(hits[h].month, "2020-01", 8);
        hits[h].snippet = f[6];
        hits[h].marks = h ? NULL : marks;
        hits[h].nmarks = h ? 0 : nmarks;
    }
    ns_facet_count vf[2] = { { f[4], 3 }, { f[5], 1 } };
    ns_facet_count mf[1] = { { f[8], 2 } };
    ns_results r;
    memset(&r, 0, sizeof r);
    r.query = f[0];
    r.total = 2;
    r.limit = 10;
    r.hits = hits;
    r.nhits = 2;
    r.vendor_facets = vf;
    r.nvendor_facets = 2;
    r.month_facets = mf;
    r.nmonth_facets = 1;
    r.suggestion = flen[9] ? f[9] : NULL;

    ns_buf out = NS_BUF_INIT;
    seen x;
    memset(&x, 0, sizeof x);
    FUZZ_ASSERT(ns_json_results(&out, &r) == 0);
    for (int k = 0; k < 10; k++) {
        if (k == 3 && !ns_html_url_linkable(f[3]))
            continue; /* only an http(s) url is given out: else "url" is null */
        if (k == 9 && !flen[9])
            continue; /* no suggestion: null */
        fz_expected_text(&x.want[x.n++], f[k], strlen(f[k]));
    }
    check(&out, &x);
    for (size_t k = 0; k < NFIELDS; k++)
        ns_buf_free(&x.want[k]);
    ns_buf_free(&out);
}

/* 3. a --batch error line */
static void error_line(char **f, const size_t *flen)
{
    ns_buf out = NS_BUF_INIT;
    seen x;
    memset(&x, 0, sizeof x);
    FUZZ_ASSERT(ns_json_error(&out, f[0], flen[0], f[10]) == 0);
    fz_expected_text(&x.want[0], f[0], flen[0]);
    fz_expected_text(&x.want[1], f[10], flen[10]);
    x.n = 2;
    check(&out, &x);
    ns_buf_free(&x.want[0]);
    ns_buf_free(&x.want[1]);
    ns_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *f[NFIELDS];
    size_t flen[NFIELDS];
    split_fields(data, size, f, flen);
    one_string(data, size);
    results_object(data, size, f, flen);
    error_line(f, flen);
    for (size_t k = 0; k < NFIELDS; k++)
        free(f[k]);
    return 0;
}
