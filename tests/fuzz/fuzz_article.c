/* fuzz_article.c: libFuzzer harness for article files (indexer/article.h):
 * YAML front matter (libyaml) and the CommonMark body (cmark), then the whole
 * per-article pipeline that builds the Xapian document (ns_index_build).
 * Invariants: a parse either fails with one of the documented codes and a
 * message, or gives an article whose fields keep the contract (id and title
 * present, a real YYYY-MM-DD date, lang en/ru, valid UTF-8 text, no control
 * character in any front-matter value), and the terms handed to on_terms are
 * valid with offsets inside their text. An error's message is one line with
 * no control character, whatever value it quotes (issue #13, finding 5). */
#include "article.h"
#include "fuzz_common.h"
#include "indexer.h"
#include "vendors.h"

static ns_analyzer *A;
static ns_vendors *V;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_analysis(&A, &V);
    return 0;
}

static int on_terms(void *ctx, const ns_term *t, size_t n, const char *text, size_t len,
                    int in_title, ns_err *err)
{
    (void)ctx;
    (void)err;
    (void)in_title;
    FUZZ_ASSERT(text != NULL || len == 0);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(t[i].end <= len && t[i].start < t[i].end);
        if (!(t[i].flags & NS_TERM_STOP)) {
            FUZZ_ASSERT(t[i].len >= 1 && t[i].len <= NS_TERM_MAX);
            FUZZ_ASSERT(ns_utf8_valid(t[i].term, t[i].len));
        }
    }
    return 0;
}

/* No C0, DEL or C1 (UTF-8 c2 80..c2 9f) byte pair in s. */
static int no_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0))
            return 0;
    return 1;
}

static int known_code(int rc)
{
    return rc == NS_ESYNTAX || rc == NS_EUTF8 || rc == NS_ETOOBIG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ns_article art;
    ns_err err;
    ns_article_opts o = NS_ARTICLE_OPTS_INIT;
    o.analyzer = A;
    o.vendors = V;
    o.default_id = "fuzz/default";
    o.on_terms = on_terms;

    ns_err_clear(&err);
    int rc = ns_article_parse(&art, (const char *)data, size, &o, &err);
    if (rc < 0) {
        if (!known_code(rc))
            fprintf(stderr, "unexpected code %d: %s\n", rc, err.msg);
        FUZZ_ASSERT(known_code(rc));
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(no_control(err.msg));
    } else {
        FUZZ_ASSERT(art.id && art.id[0]);
        FUZZ_ASSERT(art.title && art.title[0]);
        FUZZ_ASSERT(strlen(art.date) == 10 && art.date[4] == '-' && art.date[7] == '-');
        FUZZ_ASSERT(memcmp(art.month, art.date, 7) == 0 && art.month[7] == '\0');
        FUZZ_ASSERT(!strcmp(art.lang, "en") || !strcmp(art.lang, "ru"));
        FUZZ_ASSERT(ns_utf8_valid(art.title, strlen(art.title)));
        FUZZ_ASSERT(art.text_len == 0 || fz_utf8_ok(art.text, art.text_len));
        FUZZ_ASSERT(no_control(art.title) && no_control(art.id));
        FUZZ_ASSERT(!art.url || no_control(art.url));
        FUZZ_ASSERT(art.nvendors <= NS_ARTICLE_NAMES_MAX + ns_vendors_count(V) && art.ntags <= NS_ARTICLE_NAMES_MAX);
        for (size_t i = 0; i < art.nvendors; i++)
            FUZZ_ASSERT(art.vendors[i] && art.vendors[i][0] && no_control(art.vendors[i]));
        for (size_t i = 0; i < art.ntags; i++)
            FUZZ_ASSERT(no_control(art.tags[i]));
        for (size_t i = 0; i < art.nwarnings; i++)
            FUZZ_ASSERT(no_control(art.warnings[i]));
        ns_article_clear(&art);
    }

    /* the indexer's whole per-article pipeline: must agree with the parser */
    ns_index_built b;
    memset(&b, 0, sizeof b);
    int rc2 = ns_index_build(&b, A, NULL, V, "fuzz.md", "fuzz/default", (const char *)data, size, &err);
    if (rc < 0)
        FUZZ_ASSERT(rc2 < 0);
    if (rc2 < 0)
        FUZZ_ASSERT(err.msg[0] != '\0'); /* e.g. an id too long for a Xapian term */
    if (rc2 == 0) {
        for (size_t i = 0; i < b.nspell; i++)
            FUZZ_ASSERT(ns_utf8_valid(b.spell[i], strlen(b.spell[i])));
        ns_index_built_clear(&b);
    }
    return 0;
}
