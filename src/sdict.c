/* sdict.c: the suggestion dictionary (sdict.h). */
#include "sdict.h"
#include "str.h"

#include "buf.h"
#include "schema.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared: code points, hashing, varints ---- */

/* Decode s[0..len) into cp[] with the byte offset of each code point in
 * off[] (off[n] = len). Returns n, or -1 for invalid UTF-8 or more than max
 * code points. */
static int S_points(const char *s, size_t len, int *cp, size_t *off, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        int32_t c;
        if (n >= max)
            return -1;
        int k = ns_utf8_decode(s + i, len - i, &c);
        if (c < 0)
            return -1;
        cp[n] = (int)c;
        off[n++] = i;
        i += (size_t)k;
    }
    off[n] = len;
    return (int)n;
}

static uint32_t S_fnv(uint32_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

#define FNV_BASIS 2166136261u

/* Hash of s without the code points i and j (each may be SIZE_MAX: none;
 * i < j when both are given), off[] as S_points gives it. */
static uint32_t S_hash_without(const char *s, const size_t *off, size_t n, size_t i, size_t j)
{
    uint32_t h = FNV_BASIS;
    size_t at = 0;
    if (i != SIZE_MAX && i < n) {
        h = S_fnv(h, s + at, off[i] - at);
        at = off[i + 1];
    }
    if (j != SIZE_MAX && j < n) {
        h = S_fnv(h, s + at, off[j] - at);
        at = off[j + 1];
    }
    return S_fnv(h, s + at, off[n] - at);
}

static int S_put_varint(ns_buf *b, unsigned long v)
{
    while (v >= 0x80) {
        if (ns_buf_putc(b, (char)(0x80 | (v & 0x7F))) < 0)
            return NS_ENOMEM;
        v >>= 7;
    }
    return ns_buf_putc(b, (char)v);
}

/* Read a varint at *p (below end); 0, or -1 when it runs off the end or
 * past 32 bits. */
static int S_get_varint(const unsigned char **p, const unsigned char *end, uint32_t *out)
{
    uint32_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*p >= end)
            return -1;
        unsigned char c = *(*p)++;
        if (shift == 28 && (c & 0x70))
            return -1;
        v |= (uint32_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

static void S_bucket_key(char *key, size_t size, uint32_t bucket)
{
    snprintf(key, size, "%s%08x", NS_META_SDICT_BUCKET, (unsigned)bucket);
}

/* Header: "NSSD" version nbuckets nwords. 0, or -1 when absent or bad. */
static int S_parse_header(const char *v, size_t len, uint32_t *nbuckets)
{
    const unsigned char *p = (const unsigned char *)v, *end = p + len;
    uint32_t version, nwords;
    if (len < 4 || memcmp(v, "NSSD", 4) != 0)
        return -1;
    p += 4;
    if (S_get_varint(&p, end, &version) < 0 || version != NS_SDICT_VERSION ||
        S_get_varint(&p, end, nbuckets) < 0 || *nbuckets == 0 ||
        S_get_varint(&p, end, &nwords) < 0)
        return -1;
    return 0;
}

unsigned ns_sdict_distance(const int *a, size_t na, const int *b, size_t nb, unsigned max)
{
    /* Three rows of the optimal-string-alignment table; words are short
     * (NS_SDICT_MAX_CHARS), so the rows live on the stack. */
    unsigned rows[3][NS_SDICT_MAX_CHARS + 1];
    unsigned *pp = rows[0], *prev = rows[1], *cur = rows[2];
    if (na > NS_SDICT_MAX_CHARS || nb > NS_SDICT_MAX_CHARS)
        return max + 1;
    if ((na > nb ? na - nb : nb - na) > max)
        return max + 1;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned best = cur[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
            if (d < best)
                best = d;
        }
        if (best > max)
            return max + 1;
        unsigned *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > max ? max + 1 : prev[nb];
}

/* ---- building ---- */

typedef struct sword {
    size_t at, len;   /* bytes in the pool */
    unsigned freq;
} sword;

typedef struct build {
    ns_buf pool;
    sword *w;
    size_t n, cap;
    int oom;
} build;

static int S_collect(void *ctx, const char *word, size_t len, unsigned freq)
{
    build *B = ctx;
    if (len == 0 || len > NS_SDICT_MAX_CHARS * 4 || !ns_utf8_valid(word, len))
        return 0;
    if (B->n == B->cap) {
        size_t cap = B->cap ? B->cap * 2 : 4096;
        sword *w = realloc(B->w, cap * sizeof *w);
        if (!w) {
            B->oom = 1;
            return 1;
        }
        B->w = w;
        B->cap = cap;
    }
    B->w[B->n].at = B->pool.len;
    B->w[B->n].len = len;
    B->w[B->n].freq = freq;
    if (ns_buf_append(&B->pool, word, len) < 0) {
        B->oom = 1;
        return 1;
    }
    B->n++;
    return 0;
}

static int S_by_freq(const void *x, const void *y)
{
    const sword *a = x, *b = y;
    if (a->freq != b->freq)
        return a->freq > b->freq ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

typedef struct entry {
    uint32_t bucket, word;
} entry;

static int S_by_bucket(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->bucket != b->bucket)
        return a->bucket < b->bucket ? -1 : 1;
    return a->word < b->word ? -1 : a->word > b->word;
}

/* The table's entries: each kept word of B under the bucket of each of its
 * deletion keys (itself, and itself less one character), sorted by bucket
 * into *out (malloc'd, *n of them) over *nbuckets buckets. Words too long
 * to file get length 0. 0 or NS_ENOMEM. */
static int S_entries(build *B, entry **out, size_t *n_out, uint32_t *nbuckets)
{
    int cp[NS_SDICT_MAX_CHARS + 1];
    size_t off[NS_SDICT_MAX_CHARS + 1];
    size_t nentries = 0, ne = 0;
    for (size_t i = 0; i < B->n; i++) {
        int n = S_points(B->pool.data + B->w[i].at, B->w[i].len, cp, off, NS_SDICT_MAX_CHARS);
        if (n < 0) {
            B->w[i].len = 0; /* too long: not filed */
            continue;
        }
        nentries += (size_t)n + 1;
    }
    uint32_t nb = (uint32_t)(nentries / NS_SDICT_PER_BUCKET);
    if (nb == 0)
        nb = 1;
    entry *e = malloc((nentries ? nentries : 1) * sizeof *e);
    if (!e)
        return NS_ENOMEM;
    for (size_t i = 0; i < B->n; i++) {
        const char *s = B->pool.data + B->w[i].at;
        if (B->w[i].len == 0)
            continue;
        int n = S_points(s, B->w[i].len, cp, off, NS_SDICT_MAX_CHARS);
        if (n < 0)
            continue;
        for (size_t d = 0; d <= (size_t)n; d++) {
            size_t k = d == 0 ? SIZE_MAX : d - 1;
            e[ne].bucket = S_hash_without(s, off, (size_t)n, k, SIZE_MAX) % nb;
            e[ne].word = (uint32_t)i;
            ne++;
        }
    }
    qsort(e, ne, sizeof *e, S_by_bucket);
    *out = e;
    *n_out = ne;
    *nbuckets = nb;
    return 0;
}

int ns_sdict_write(ns_xwdb *w, ns_err *err)
{
    build B = { NS_BUF_INIT, NULL, 0, 0, 0 };
    entry *e = NULL;
    ns_buf v = NS_BUF_INIT;
    char *old = NULL;
    size_t oldlen = 0, ne = 0;
    uint32_t oldn = 0, nb = 1;
    int rc;

    if ((rc = ns_xwdb_spellings_each(w, S_collect, &B, err)) < 0)
        goto done;
    if (B.oom)
        goto oom;
    /* The most frequent words: the rare ones are mostly the archive's own
     * typos, which a suggestion should not offer. */
    qsort(B.w, B.n, sizeof *B.w, S_by_freq);
    if (B.n > NS_SDICT_MAX_WORDS)
        B.n = NS_SDICT_MAX_WORDS;
    if (S_entries(&B, &e, &ne, &nb) < 0)
        goto oom;

    if ((rc = ns_xwdb_get_metadata(w, NS_META_SDICT, &old, &oldlen, err)) < 0)
        goto done;
    if (S_parse_header(old, oldlen, &oldn) < 0)
        oldn = 0;
    /* Every bucket of the new table, and an empty value (a deletion) for
     * each bucket of the old one that the new one leaves empty. */
    for (uint32_t b = 0, i = 0; b < (nb > oldn ? nb : oldn); b++) {
        char key[sizeof NS_META_SDICT_BUCKET + 8];
        ns_buf_reset(&v);
        for (; i < ne && e[i].bucket == b; i++) {
            if (i > 0 && e[i - 1].bucket == b && e[i - 1].word == e[i].word)
                continue;
            const sword *x = &B.w[e[i].word];
            if (S_put_varint(&v, x->freq) < 0 || S_put_varint(&v, x->len) < 0 ||
                ns_buf_append(&v, B.pool.data + x->at, x->len) < 0)
                goto oom;
        }
        if (v.len == 0 && b >= oldn)
            continue;
        S_bucket_key(key, sizeof key, b);
        if ((rc = ns_xwdb_set_metadata(w, key, v.data ? v.data : "", v.len, err)) < 0)
            goto done;
    }
    ns_buf_reset(&v);
    if (ns_buf_puts(&v, "NSSD") < 0 || S_put_varint(&v, NS_SDICT_VERSION) < 0 ||
        S_put_varint(&v, nb) < 0 || S_put_varint(&v, B.n) < 0)
        goto oom;
    if ((rc = ns_xwdb_set_metadata(w, NS_META_SDICT, v.data, v.len, err)) < 0)
        goto done;
    rc = ns_xwdb_commit(w, err);
    goto done;
oom:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory building the suggestion dictionary");
done:
    free(old);
    free(e);
    free(B.w);
    ns_buf_free(&B.pool);
    ns_buf_free(&v);
    return rc;
}

/* ---- looking up ---- */

typedef struct best {
    char *word;
    unsigned dist, freq;
    int exact;   /* the word itself is in the table */
} best;

static int S_by_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Byte order of a[0..n) against the NUL-terminated b. */
static int S_bytecmp(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    int c = memcmp(a, b, n < m ? n : m);
    return c ? c : n < m ? -1 : n > m;
}

/* Weigh each word of one bucket's value against the looked-up word. */
static int S_scan(const char *v, size_t len, const char *word, size_t wlen, const int *wcp,
                  size_t wn, unsigned max, best *b)
{
    const unsigned char *p = (const unsigned char *)v, *end = p + len;
    int cp[NS_SDICT_MAX_CHARS + 1];
    size_t off[NS_SDICT_MAX_CHARS + 1];
    while (p < end) {
        uint32_t freq, n;
        if (S_get_varint(&p, end, &freq) < 0 || S_get_varint(&p, end, &n) < 0 ||
            n > (size_t)(end - p))
            return 0; /* damaged: what was read stands, the rest is ignored */
        const char *cand = (const char *)p;
        p += n;
        if (n == wlen && memcmp(cand, word, n) == 0) {
            b->exact = 1;
            continue;
        }
        int cn = S_points(cand, n, cp, off, NS_SDICT_MAX_CHARS);
        if (cn < 0)
            continue;
        unsigned d = ns_sdict_distance(wcp, wn, cp, (size_t)cn, max);
        if (d > max)
            continue;
        if (b->word && (d > b->dist || (d == b->dist && (freq < b->freq ||
                        (freq == b->freq && S_bytecmp(cand, n, b->word) >= 0)))))
            continue;
        char *copy = ns_strndup(cand, n);
        if (!copy)
            return NS_ENOMEM;
        /* a word with a NUL inside cannot be a query word: skip it */
        if (strlen(copy) != n) {
            free(copy);
            continue;
        }
        free(b->word);
        b->word = copy;
        b->dist = d;
        b->freq = freq;
    }
    return 0;
}

int ns_sdict_lookup(ns_xdb *db, const char *word, size_t len, unsigned max_edits, char **out,
                    ns_err *err)
{
    char *hdr = NULL, *v = NULL;
    size_t hlen = 0, vlen = 0, nbk = 0;
    uint32_t nb = 0;
    uint32_t buckets[1 + NS_SDICT_MAX_CHARS + NS_SDICT_MAX_CHARS * (NS_SDICT_MAX_CHARS - 1) / 2];
    int cp[NS_SDICT_MAX_CHARS + 1];
    size_t off[NS_SDICT_MAX_CHARS + 1];
    best b = { NULL, 0, 0, 0 };
    int rc, n;

    if (!out)
        return ns_err_set(err, NS_EINVAL, "ns_sdict_lookup: NULL argument");
    *out = NULL;
    if (!db || !word)
        return ns_err_set(err, NS_EINVAL, "ns_sdict_lookup: NULL argument");
    if ((rc = ns_xdb_get_metadata(db, NS_META_SDICT, &hdr, &hlen, err)) < 0)
        goto done;
    if (hlen == 0) {
        rc = 0; /* no table: a database of an older nindex */
        goto done;
    }
    rc = 1;
    if (S_parse_header(hdr, hlen, &nb) < 0)
        goto done;
    if (max_edits < 1)
        max_edits = 1;
    if (max_edits > 2)
        max_edits = 2;
    if ((n = S_points(word, len, cp, off, NS_SDICT_MAX_CHARS)) <= 0)
        goto done;
    /* The word itself and its deletions of up to max_edits code points. */
    buckets[nbk++] = S_hash_without(word, off, (size_t)n, SIZE_MAX, SIZE_MAX) % nb;
    for (size_t i = 0; i < (size_t)n; i++) {
        buckets[nbk++] = S_hash_without(word, off, (size_t)n, i, SIZE_MAX) % nb;
        for (size_t j = i + 1; max_edits >= 2 && j < (size_t)n; j++)
            buckets[nbk++] = S_hash_without(word, off, (size_t)n, i, j) % nb;
    }
    qsort(buckets, nbk, sizeof *buckets, S_by_u32);
    for (size_t i = 0; i < nbk; i++) {
        char key[sizeof NS_META_SDICT_BUCKET + 8];
        if (i > 0 && buckets[i] == buckets[i - 1])
            continue;
        S_bucket_key(key, sizeof key, buckets[i]);
        free(v);
        v = NULL;
        if ((rc = ns_xdb_get_metadata(db, key, &v, &vlen, err)) < 0)
            goto done;
        if ((rc = S_scan(v, vlen, word, len, cp, (size_t)n, max_edits, &b)) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory looking up a suggestion");
            goto done;
        }
        rc = 1;
    }
    if (!b.exact) {
        *out = b.word;
        b.word = NULL;
    }
done:
    free(b.word);
    free(hdr);
    free(v);
    return rc;
}
