/* fuzz_analyze.c: libFuzzer harness for the text analyser (src/analyze.h).
 * Any bytes go through ns_analyze, ns_analyze_dump, ns_analyze_word and
 * ns_analyze_fold. Invariants from analyze.h: every term is valid UTF-8 of
 * 1..NS_TERM_MAX bytes (or "" for a stopword), its byte range lies inside the
 * input, positions never decrease and start at first_pos, a JOINED term has
 * position 0, and the --analyze dump is valid UTF-8 of whole lines. A word
 * past the caps (NS_WORD_MAX, NS_WORD_PARTS_MAX) fails ns_analyze with
 * NS_ETOOBIG and a message naming the cap, while the dump still works.
 * ns_analyze_next, in pieces of a size taken from the input, gives what one
 * ns_analyze call gives. */
#include "analyze.h"
#include "fuzz_common.h"

static ns_analyzer *A;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_analysis(&A, NULL);
    return 0;
}

/* ns_analyze_next over text in pieces of about max bytes must give the terms
 * t[0..n) and next position of one ns_analyze call (which it overwrites). */
static void check_pieces(const char *text, size_t size, uint32_t first, const ns_term *t, size_t n,
                         uint32_t next)
{
    ns_term *whole = malloc((n ? n : 1) * sizeof *whole);
    char *terms = malloc(n * (NS_TERM_MAX + 1) + 1);
    FUZZ_ASSERT(whole && terms);
    for (size_t i = 0; i < n; i++) {
        whole[i] = t[i];
        memcpy(terms + i * (NS_TERM_MAX + 1), t[i].term, t[i].len + 1);
    }
    size_t max = size ? (unsigned char)text[0] % 64 : 0, off = 0, k = 0;
    uint32_t pos = first;
    ns_err err;
    while (off < size) {
        size_t m, used;
        uint32_t np;
        FUZZ_ASSERT(ns_analyze_next(A, text + off, size - off, max, pos, &t, &m, &np, &used, &err) == 0);
        FUZZ_ASSERT(used > 0 && used <= size - off);
        for (size_t i = 0; i < m; i++, k++) {
            FUZZ_ASSERT(k < n);
            FUZZ_ASSERT(t[i].pos == whole[k].pos && t[i].flags == whole[k].flags);
            FUZZ_ASSERT(off + t[i].start == whole[k].start && off + t[i].end == whole[k].end);
            FUZZ_ASSERT(strcmp(t[i].term, terms + k * (NS_TERM_MAX + 1)) == 0);
        }
        off += used;
        pos = np;
    }
    FUZZ_ASSERT(k == n && pos == next);
    free(whole);
    free(terms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const ns_term *t;
    size_t n;
    uint32_t next = 0, first = 7;
    ns_err err;

    int rc0 = ns_analyze(A, text, size, first, &t, &n, &next, &err);
    FUZZ_ASSERT(rc0 == 0 || rc0 == NS_ETOOBIG);
    if (rc0 == NS_ETOOBIG)
        FUZZ_ASSERT(n == 0 && (strstr(err.msg, "a word of more than ") == err.msg ||
                               strstr(err.msg, "a word longer than ") == err.msg));
    uint32_t last = first;
    uint32_t last_token = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(t[i].term != NULL);
        FUZZ_ASSERT(strlen(t[i].term) == t[i].len);
        if (t[i].flags & NS_TERM_STOP) {
            FUZZ_ASSERT(t[i].len == 0);
        } else {
            FUZZ_ASSERT(t[i].len >= 1 && t[i].len <= NS_TERM_MAX);
            FUZZ_ASSERT(ns_utf8_valid(t[i].term, t[i].len));
        }
        FUZZ_ASSERT(t[i].start < t[i].end && t[i].end <= size);
        FUZZ_ASSERT(t[i].token >= last_token);
        last_token = t[i].token;
        if (t[i].flags & NS_TERM_JOINED) {
            FUZZ_ASSERT(t[i].pos == 0);
        } else {
            FUZZ_ASSERT(t[i].pos >= last);
            last = t[i].pos;
        }
    }
    /* a skipped over-long term still uses its position, so next may pass
     * the last term's position by more than one */
    if (rc0 == 0) {
        FUZZ_ASSERT(next >= first && next >= last);
        if (n)
            FUZZ_ASSERT(next > last);
        check_pieces(text, size, first, t, n, next);
    }

    ns_buf dump = NS_BUF_INIT;
    FUZZ_ASSERT(ns_analyze_dump(A, text, size, &dump, &err) == 0);
    FUZZ_ASSERT(ns_utf8_valid(ns_buf_cstr(&dump), dump.len));
    FUZZ_ASSERT(dump.len == 0 || dump.data[dump.len - 1] == '\n');
    ns_buf_free(&dump);

    const char *w;
    size_t wl;
    int stop = 0;
    int rc = ns_analyze_word(A, text, size, &w, &wl, &stop, &err);
    FUZZ_ASSERT(rc == 0 || rc == NS_ETERM);
    if (rc == 0) {
        FUZZ_ASSERT(wl <= NS_TERM_MAX && strlen(w) == wl);
        FUZZ_ASSERT(stop ? wl == 0 : wl >= 1);
        FUZZ_ASSERT(ns_utf8_valid(w, wl));
    }
    rc = ns_analyze_fold(A, text, size, &w, &wl, &err);
    FUZZ_ASSERT(rc == 0 || rc == NS_EUTF8);
    FUZZ_ASSERT(rc == 0 || !ns_utf8_valid(text, size));
    if (rc == 0)
        FUZZ_ASSERT(ns_utf8_valid(w, wl) || wl == 0);
    (void)ns_detect_lang(text, size);
    return 0;
}
