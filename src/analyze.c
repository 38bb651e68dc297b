/* analyze.c: the tokenizer, normaliser and stemmer behind every index and
 * query term (rules in analyze.h).
 *
 * Per call, text is scanned one token at a time (character classes from
 * charclass.h): a token is split into parts (byte ranges), each part is
 * folded into the analyzer's arena (fold.h), checked against the stopword
 * table (stopwords.h) and stemmed (stemmer.h, with its cache); then the
 * JOINED term and the parts' terms are appended to the term array. Term
 * strings are arena offsets until the end of the call, because the arena may
 * move while it grows. Nothing is allocated per token once the buffers have
 * reached their working size. */
#include "analyze.h"

#include "charclass.h"
#include "fold.h"
#include "matchkey.h"
#include "stemmer.h"
#include "stopwords.h"
#include "str.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the analyzer ------------------------------------------------------------ */

typedef struct part {
    size_t start, end;   /* bytes in the input */
    unsigned kind;       /* NS_CH_LETTER or NS_CH_DIGIT */
    unsigned script;     /* S_* for letters */
    int fast;            /* only ASCII and basic Cyrillic: no utf8proc */
    size_t fold, flen;   /* folded text in the arena */
    size_t term, tlen;   /* term (stem) in the arena */
    int stop, skip;      /* stopword; term too long */
} part;

typedef struct tok {
    size_t start, end;
    size_t t0, tn; /* its terms: terms[t0 .. t0+tn) */
} tok;

struct ns_analyzer {
    ns_stemmer *stem;
    ns_term *terms;
    size_t nterms, cterms;
    char *arena; /* term strings, NUL-terminated; offsets until the call ends */
    size_t alen, acap;
    int32_t *u32; /* utf8proc scratch */
    size_t cu32;
    part *parts;
    size_t cparts;
    tok *toks;
    size_t ntoks, ctoks;
    ns_matchkeys keys; /* ns_analyze_match's filter */
    int over;                   /* OVER_*: the word that made ns_analyze fail */
    size_t over_start, over_len;
};

enum { OVER_BYTES = 1, OVER_PARTS = 2 };

/* A block of at least need elements of size el in *out (p reallocated);
 * *cap is updated. On failure p is untouched. */
static int S_grow_mem(void *p, size_t *cap, size_t need, size_t el, void **out)
{
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / el)
            return NS_ENOMEM;
        c *= 2;
    }
    void *q = realloc(p, c * el);
    if (!q)
        return NS_ENOMEM;
    *out = q;
    *cap = c;
    return 0;
}

/* Make ptr (with cap elements) hold need elements, or return NS_ENOMEM. */
#define GROW(ptr, cap, need)                                                        \
    do {                                                                            \
        if ((need) > (cap)) {                                                       \
            void *q_;                                                               \
            if (S_grow_mem((ptr), &(cap), (need), sizeof *(ptr), &q_) < 0)            \
                return NS_ENOMEM;                                                   \
            (ptr) = q_;                                                             \
        }                                                                           \
    } while (0)

static int S_arena_reserve(ns_analyzer *a, size_t extra)
{
    if (extra > SIZE_MAX - a->alen - 1)
        return NS_ENOMEM;
    GROW(a->arena, a->acap, a->alen + extra + 1);
    return 0;
}

int ns_analyzer_new(ns_analyzer **out, ns_err *err)
{
    *out = NULL;
    ns_stopwords_init();
    ns_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return ns_err_set(err, NS_ENOMEM, "analyzer: out of memory");
    if (ns_stemmer_new(&a->stem) < 0) {
        ns_analyzer_free(a);
        return ns_err_set(err, NS_ENOMEM, "analyzer: cannot create the Snowball stemmers");
    }
    a->cu32 = 256; /* utf8proc wants a real buffer even to measure */
    a->u32 = malloc(a->cu32 * sizeof *a->u32);
    if (!a->u32) {
        ns_analyzer_free(a);
        return ns_err_set(err, NS_ENOMEM, "analyzer: out of memory");
    }
    *out = a;
    return 0;
}

void ns_analyzer_free(ns_analyzer *a)
{
    if (!a)
        return;
    ns_stemmer_free(a->stem);
    free(a->terms);
    free(a->arena);
    free(a->u32);
    free(a->parts);
    free(a->toks);
    ns_matchkeys_free(&a->keys);
    free(a);
}

/* ---- folding and stemming -------------------------------------------------- */

/* Fold s[0..n) (valid UTF-8) onto the end of the arena, NUL-terminated:
 * NFKC, case folding, ’ -> ', ё -> е. *off and *flen locate the result. */
static int S_fold_append(ns_analyzer *a, const char *s, size_t n, int fast, size_t *off,
                       size_t *flen)
{
    if (S_arena_reserve(a, n) < 0)
        return NS_ENOMEM;
    *off = a->alen;
    if (fast) {
        unsigned char *d = (unsigned char *)a->arena + a->alen;
        ns_fold_fast((const unsigned char *)s, n, d);
        d[n] = '\0';
        a->alen += n + 1;
        *flen = n;
        return 0;
    }
    size_t r;
    int rc = ns_fold_decompose(&a->u32, &a->cu32, s, n, &r);
    if (rc < 0)
        return rc;
    if (r > (SIZE_MAX - 1) / 4 || S_arena_reserve(a, r * 4) < 0)
        return NS_ENOMEM;
    unsigned char *d = (unsigned char *)a->arena + a->alen;
    size_t m = ns_fold_encode(a->u32, r, d);
    d[m] = '\0';
    a->alen += m + 1;
    *flen = m;
    return 0;
}

/* Stem arena[off..off+n) (hash h) with the stemmer for script onto the arena;
 * a word of a script without a stemmer is its own term (no copy). */
static int S_stem_append(ns_analyzer *a, unsigned script, size_t off, size_t n, uint32_t h,
                       size_t *soff, size_t *slen)
{
    const char *r;
    size_t m;
    if (ns_stemmer_stem(a->stem, script, a->arena + off, n, h, &r, &m) < 0)
        return NS_ENOMEM;
    if (!r) {
        *soff = off;
        *slen = n;
        return 0;
    }
    /* r points into the stemmer, never into the arena, which may move here */
    if (S_arena_reserve(a, m) < 0)
        return NS_ENOMEM;
    *soff = a->alen;
    memcpy(a->arena + a->alen, r, m);
    a->arena[a->alen + m] = '\0';
    a->alen += m + 1;
    *slen = m;
    return 0;
}

/* ---- analysis ------------------------------------------------------------------ */

/* Offset 0 of the arena is always "": stop terms point there. */
static void S_arena_reset(ns_analyzer *a)
{
    a->alen = 1;
    a->arena[0] = '\0';
}

static int S_add_term(ns_analyzer *a, size_t off, size_t len, uint32_t pos, uint32_t token,
                    size_t start, size_t end, unsigned flags)
{
    GROW(a->terms, a->cterms, a->nterms + 1);
    ns_term *t = &a->terms[a->nterms++];
    t->term = (const char *)(uintptr_t)off; /* made a pointer when the call ends */
    t->len = len;
    t->pos = pos;
    t->token = token;
    t->start = start;
    t->end = end;
    t->flags = flags;
    return 0;
}

/* Fold, stop and stem the parts p[0..np) of one token and add its terms. */
static int S_emit_token(ns_analyzer *a, part *p, size_t np, const char *text, uint32_t token,
                      uint32_t *pos)
{
    int rc;
    int letters = 1;
    unsigned script = p[0].script;
    for (size_t i = 0; i < np; i++) {
        part *q = &p[i];
        size_t n = q->end - q->start;
        q->stop = q->skip = 0;
        if (q->fast && n > NS_TERM_MAX && np == 1) {
            q->skip = 1; /* too long whatever it folds to; no need to copy it */
            continue;
        }
        if ((rc = S_fold_append(a, text + q->start, n, q->fast, &q->fold, &q->flen)) < 0)
            return rc;
        if (q->kind != NS_CH_LETTER || q->script != script)
            letters = 0;
        if (q->flen == 0 || q->flen > NS_TERM_MAX) {
            q->skip = 1;
            continue;
        }
        uint32_t h = q->kind == NS_CH_LETTER ? ns_stopwords_hash(a->arena + q->fold, q->flen) : 0;
        if (q->kind == NS_CH_LETTER && ns_stopwords_find_h(h, a->arena + q->fold, q->flen)) {
            q->stop = 1;
        } else if (q->kind == NS_CH_LETTER) {
            if ((rc = S_stem_append(a, q->script, q->fold, q->flen, h, &q->term, &q->tlen)) < 0)
                return rc;
            if (q->tlen == 0 || q->tlen > NS_TERM_MAX)
                q->skip = 1;
        } else {
            q->term = q->fold;
            q->tlen = q->flen;
        }
    }
    if (np > 1) {
        size_t jl = 0;
        for (size_t i = 0; i < np && jl <= NS_TERM_MAX; i++)
            jl += p[i].flen;
        if (jl <= NS_TERM_MAX) {
            if (S_arena_reserve(a, jl) < 0)
                return NS_ENOMEM;
            size_t off = a->alen;
            for (size_t i = 0; i < np; i++) {
                memcpy(a->arena + a->alen, a->arena + p[i].fold, p[i].flen);
                a->alen += p[i].flen;
            }
            a->arena[a->alen++] = '\0';
            size_t toff = off, tl = jl;
            /* "pre-trained" -> "pretrain": a hyphenated word is still a word */
            if (letters && (rc = S_stem_append(a, script, off, jl, ns_stopwords_hash(a->arena + off, jl),
                                             &toff, &tl)) < 0)
                return rc;
            if (tl > 0 && tl <= NS_TERM_MAX &&
                (rc = S_add_term(a, toff, tl, 0, token, p[0].start, p[np - 1].end,
                               NS_TERM_JOINED)) < 0)
                return rc;
        }
    }
    for (size_t i = 0; i < np; i++) {
        part *q = &p[i];
        if (*pos == UINT32_MAX)
            return NS_ETOOBIG;
        uint32_t ps = (*pos)++;
        if (q->skip)
            continue;
        rc = q->stop ? S_add_term(a, 0, 0, ps, token, q->start, q->end, NS_TERM_STOP)
                     : S_add_term(a, q->term, q->tlen, ps, token, q->start, q->end, 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Is the character at s[i] a letter or digit (a connector may precede it)? */
static int S_word_char_at(const unsigned char *s, size_t len, size_t i, int *kind,
                        unsigned *script, size_t *n)
{
    if (i >= len)
        return 0;
    *n = ns_charclass_read(s, len, i, kind, script);
    return *kind == NS_CH_LETTER || *kind == NS_CH_DIGIT;
}

/* Record the word at start (len bytes scanned so far) that passed a cap. */
static int S_over(ns_analyzer *a, size_t start, size_t len, int why)
{
    a->over = why;
    a->over_start = start;
    a->over_len = len;
    return NS_ETOOBIG;
}

/* How S_run() treats a word past the caps (NS_WORD_MAX, NS_WORD_PARTS_MAX). */
enum {
    R_FILTER = 1 << 0, /* ns_analyze_match: skip tokens ns_matchkeys_test rejects */
    R_STRICT = 1 << 1, /* ns_analyze: such a word is an error (NS_ETOOBIG), found at once */
};

/* The whole analysis of text: fills a->terms (offsets) and a->toks. With
 * R_FILTER, one-part tokens of ASCII or basic Cyrillic that ns_matchkeys_test rejects
 * only take their position. A token that starts at or after stop_at ends the
 * call (unless it is the first), and *used (may be NULL) receives where it
 * stopped: the start of that token, or len.
 *
 * A word past the caps costs no memory: its parts past NS_WORD_PARTS_MAX
 * reuse the last slot (the scan still needs the current part's kind and
 * script to find where the word ends, exactly as without the cap). Then it
 * is either an error (R_STRICT; a->over_* say which word and why) or a word
 * without terms that keeps one position per part, like a word whose every
 * term is too long. */
/* Scan the word that starts at i with its first character (n bytes, kind k,
 * script sc) into a->parts[0..*np) (*nparts parts in all, more than stored
 * past NS_WORD_PARTS_MAX) and its end *wend: runs of one kind and script,
 * split at connectors, with "98.5" and "don't" kept whole. Longer than 80
 * lines for a reason: it is one loop over the word's characters whose cases
 * (runs, letters and digits, marks, connectors) all move the same five
 * locals (j, wend, cur, np, nparts); helpers would pass all of them by
 * address through the analyzer's hottest loop. */
static inline int S_scan_word(ns_analyzer *a, const unsigned char *s, size_t len, size_t i,
                              size_t n, int k, unsigned sc, unsigned flags, size_t *np_out,
                              size_t *nparts_out, size_t *wend_out)
{
    size_t np = 0, nparts = 1; /* parts stored; parts in the word */
    GROW(a->parts, a->cparts, 1);
    part *cur = &a->parts[0];
    np = 1;
    cur->start = i;
    cur->kind = k == NS_CH_DIGIT ? NS_CH_DIGIT : NS_CH_LETTER;
    cur->script = k == NS_CH_LETTER ? sc : k == NS_CH_MARK ? NS_SCRIPT_MARK : NS_SCRIPT_NONE;
    cur->fast = ns_charclass_fast(s, len, i, n);
    size_t j = i + n, wend = j;
/* The token's next part: a new slot, or past the cap the last one again. */
#define NEXT_PART()                                                                 \
do {                                                                            \
    cur->end = wend;                                                            \
    if (++nparts > NS_WORD_PARTS_MAX) {                                         \
        if (flags & R_STRICT)                                                   \
            return S_over(a, i, j - i, OVER_PARTS);                             \
    } else {                                                                    \
        GROW(a->parts, a->cparts, np + 1);                                      \
        cur = &a->parts[np++];                                                  \
    }                                                                           \
} while (0)
    for (;;) {
        /* Runs of plain letters or digits go on the current part as
         * they are: the loop below would do the same, one at a time. */
        size_t j0 = j;
        if (cur->kind == NS_CH_LETTER && cur->script == NS_SCRIPT_LATIN) {
            while (j < len && s[j] < 0x80 && ns_charclass_ascii[s[j]] == NS_CH_LETTER)
                j++;
        } else if (cur->kind == NS_CH_LETTER && cur->script == NS_SCRIPT_CYRILLIC) {
            while (ns_charclass_basic_cyrillic(s, len, j))
                j += 2;
        } else if (cur->kind == NS_CH_DIGIT) {
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
        }
        if (j != j0)
            wend = j;
        if ((flags & R_STRICT) && j - i > NS_WORD_MAX)
            return S_over(a, i, j - i, OVER_BYTES);
        if (j >= len)
            break;
        size_t n2 = ns_charclass_read(s, len, j, &k, &sc);
        int newpart = 0;
        if (k == NS_CH_LETTER || k == NS_CH_DIGIT) {
            unsigned kk = (unsigned)k, ss = k == NS_CH_LETTER ? sc : NS_SCRIPT_NONE;
            newpart = kk != cur->kind || (kk == NS_CH_LETTER && ss != cur->script);
            if (newpart) {
                NEXT_PART();
                cur->start = j;
                cur->kind = kk;
                cur->script = ss;
                cur->fast = 1;
            }
            if (!ns_charclass_fast(s, len, j, n2))
                cur->fast = 0;
            j += n2;
            wend = j;
            continue;
        }
        if (k == NS_CH_MARK || k == NS_CH_IGNORE) {
            /* a mark belongs to the letter before it ("и" U+0306 is й);
             * invisible format characters vanish in folding */
            cur->fast = 0;
            j += n2;
            if (k == NS_CH_MARK)
                wend = j;
            continue;
        }
        if (k != NS_CH_HYPHEN && k != NS_CH_APOS && k != NS_CH_DOT)
            break;
        /* a connector counts only between two letters/digits */
        int k3;
        unsigned sc3;
        size_t n3;
        if (j != wend || !S_word_char_at(s, len, j + n2, &k3, &sc3, &n3))
            break;
        if (k == NS_CH_DOT) {
            if (cur->kind != NS_CH_DIGIT || k3 != NS_CH_DIGIT)
                break;
            if (!ns_charclass_fast(s, len, j, n2) || !ns_charclass_fast(s, len, j + n2, n3))
                cur->fast = 0;
            j += n2 + n3; /* "98.5" stays one part */
            wend = j;
            continue;
        }
        if (k == NS_CH_APOS && cur->kind == NS_CH_LETTER && k3 == NS_CH_LETTER && sc3 == cur->script) {
            if (n2 > 1 || !ns_charclass_fast(s, len, j + n2, n3))
                cur->fast = 0; /* ’ is mapped to ' by utf8proc */
            j += n2 + n3; /* "don't", "OpenAI's": the stemmer handles the rest */
            wend = j;
            continue;
        }
        /* a splitting connector: the next part starts after it */
        NEXT_PART();
        cur->start = j + n2;
        cur->kind = k3 == NS_CH_DIGIT ? NS_CH_DIGIT : NS_CH_LETTER;
        cur->script = k3 == NS_CH_LETTER ? sc3 : NS_SCRIPT_NONE;
        cur->fast = ns_charclass_fast(s, len, j + n2, n3);
        j += n2 + n3;
        wend = j;
    }
#undef NEXT_PART
    cur->end = wend;
    if ((flags & R_STRICT) && wend - i > NS_WORD_MAX)
        return S_over(a, i, wend - i, OVER_BYTES);
    *np_out = np;
    *nparts_out = nparts;
    *wend_out = wend;
    return 0;
}

/* Record the token text[i..wend) of np stored parts (nparts in all) and its
 * terms at *pos on: none past the caps (a position per part), none for a
 * one-part token that R_FILTER's ns_matchkeys_test rejects (one position). */
static inline int S_take_token(ns_analyzer *a, const char *text, size_t i, size_t wend,
                               size_t np, size_t nparts, unsigned flags, uint32_t *pos_io)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t pos = *pos_io;
    int rc;
    if (a->ntoks >= UINT32_MAX)
        return NS_ETOOBIG;
    GROW(a->toks, a->ctoks, a->ntoks + 1);
    tok *t = &a->toks[a->ntoks];
    t->start = i;
    t->end = wend;
    t->t0 = a->nterms;
    if (nparts > NS_WORD_PARTS_MAX || wend - i > NS_WORD_MAX) {
        /* past the caps (not R_STRICT): no terms, its parts' positions */
        if (nparts > UINT32_MAX - pos)
            return NS_ETOOBIG;
        pos += (uint32_t)nparts;
    } else if ((flags & R_FILTER) && np == 1 && a->parts[0].fast &&
               !ns_matchkeys_test(&a->keys, s, a->parts[0].start, a->parts[0].end)) {
        /* cannot give a wanted term: only its position counts */
        if (pos == UINT32_MAX)
            return NS_ETOOBIG;
        pos++;
    } else if ((rc = S_emit_token(a, a->parts, np, text, (uint32_t)a->ntoks, &pos)) < 0) {
        return rc;
    }
    t->tn = a->nterms - t->t0;
    a->ntoks++;
    *pos_io = pos;
    return 0;
}

static int S_run(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               uint32_t *next_pos, unsigned flags, size_t stop_at, size_t *used)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t pos = first_pos;
    int rc;
    a->nterms = 0;
    a->ntoks = 0;
    a->over = 0;
    if (S_arena_reserve(a, 64) < 0)
        return NS_ENOMEM;
    S_arena_reset(a);
    size_t i = 0;
    while (i < len) {
        int k;
        unsigned sc;
        size_t n = ns_charclass_read(s, len, i, &k, &sc);
        if (k != NS_CH_LETTER && k != NS_CH_DIGIT && k != NS_CH_MARK) {
            i += n;
            continue;
        }
        /* a token starts at i */
        if (i >= stop_at && a->ntoks > 0)
            break;
        size_t np, nparts, wend;
        if ((rc = S_scan_word(a, s, len, i, n, k, sc, flags, &np, &nparts, &wend)) < 0 ||
            (rc = S_take_token(a, text, i, wend, np, nparts, flags, &pos)) < 0)
            return rc;
        i = wend;
    }
    for (size_t t = 0; t < a->nterms; t++)
        a->terms[t].term = a->arena + (uintptr_t)a->terms[t].term;
    if (next_pos)
        *next_pos = pos;
    if (used)
        *used = i < len ? i : len;
    return 0;
}

/* How much of an over-cap word an error message quotes. */
#define OVER_QUOTE 40

static int S_fail(ns_analyzer *a, const char *text, int rc, ns_err *err)
{
    if (rc == NS_ETOOBIG && a->over) {
        char q[4 * OVER_QUOTE + 8];
        ns_str_quote(q, sizeof q, text + a->over_start, a->over_len, OVER_QUOTE);
        if (a->over == OVER_BYTES)
            return ns_err_set(err, rc, "a word longer than %d bytes: '%s'", NS_WORD_MAX, q);
        return ns_err_set(err, rc, "a word of more than %d parts: '%s'", NS_WORD_PARTS_MAX, q);
    }
    if (rc == NS_ETOOBIG)
        return ns_err_set(err, rc, "analyze: too many words in one text");
    if (rc == NS_EUTF8)
        return ns_err_set(err, rc, "analyze: invalid UTF-8");
    return ns_err_set(err, NS_ENOMEM, "analyze: out of memory");
}

/* ---- public functions ---------------------------------------------------------- */

int ns_analyze(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               const ns_term **out, size_t *count, uint32_t *next_pos, ns_err *err)
{
    size_t used;
    return ns_analyze_next(a, text, len, SIZE_MAX, first_pos, out, count, next_pos, &used, err);
}

int ns_analyze_next(ns_analyzer *a, const char *text, size_t len, size_t max, uint32_t first_pos,
                    const ns_term **out, size_t *count, uint32_t *next_pos, size_t *used,
                    ns_err *err)
{
    *out = NULL;
    *count = 0;
    *used = 0;
    if (first_pos == 0)
        first_pos = 1;
    int rc = S_run(a, text, len, first_pos, next_pos, R_STRICT, max, used);
    if (rc < 0) {
        a->nterms = 0;
        return S_fail(a, text, rc, err);
    }
    *out = a->terms;
    *count = a->nterms;
    return 0;
}

int ns_analyze_match(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                     const char *const *terms, size_t nterms, const char *const *prefixes,
                     size_t nprefixes, const ns_term **out, size_t *count, ns_err *err)
{
    *out = NULL;
    *count = 0;
    if (first_pos == 0)
        first_pos = 1;
    int rc = ns_matchkeys_build(&a->keys, terms, nterms, prefixes, nprefixes);
    if (rc >= 0)
        rc = S_run(a, text, len, first_pos, NULL, rc == 0 ? R_FILTER : 0, SIZE_MAX, NULL);
    if (rc < 0) {
        a->nterms = 0;
        return S_fail(a, text, rc, err);
    }
    *out = a->terms;
    *count = a->nterms;
    return 0;
}

int ns_analyze_word(ns_analyzer *a, const char *word, size_t len, const char **term,
                    size_t *term_len, int *stop, ns_err *err)
{
    *term = "";
    *term_len = 0;
    *stop = 0;
    int rc = S_run(a, word, len, 1, NULL, 0, SIZE_MAX, NULL);
    if (rc < 0)
        return S_fail(a, word, rc, err);
    if (a->ntoks != 1)
        return ns_err_set(err, NS_ETERM, "analyze: %s", a->ntoks ? "more than one word"
                                                                 : "no word");
    tok *t = &a->toks[0];
    for (size_t i = t->t0; i < t->t0 + t->tn; i++) {
        const ns_term *x = &a->terms[i];
        /* the one part, or the joined term of a compound */
        if (t->tn == 1 || (x->flags & NS_TERM_JOINED)) {
            *term = x->term;
            *term_len = x->len;
            *stop = (x->flags & NS_TERM_STOP) != 0;
            return 0;
        }
    }
    return ns_err_set(err, NS_ETERM, "analyze: word longer than %d bytes", NS_TERM_MAX);
}

int ns_analyze_fold(ns_analyzer *a, const char *text, size_t len, const char **out,
                    size_t *out_len, ns_err *err)
{
    *out = "";
    *out_len = 0;
    if (!ns_utf8_valid(text, len))
        return ns_err_set(err, NS_EUTF8, "analyze: invalid UTF-8");
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)text[i] < 0x80;
    if (S_arena_reserve(a, 64) < 0)
        return S_fail(a, text, NS_ENOMEM, err);
    a->nterms = a->ntoks = 0; /* the last ns_analyze result dies here */
    S_arena_reset(a);
    size_t off, n;
    int rc = S_fold_append(a, text, len, ascii, &off, &n);
    if (rc < 0)
        return S_fail(a, text, rc, err);
    *out = a->arena + off;
    *out_len = n;
    return 0;
}

int ns_is_stopword(const char *folded, size_t len)
{
    ns_stopwords_init();
    return ns_stopwords_find_h(ns_stopwords_hash(folded, len), folded, len);
}

char ns_detect_lang(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t cyr = 0, other = 0;
    for (size_t i = 0; i < len;) {
        int k;
        unsigned sc;
        i += ns_charclass_read(s, len, i, &k, &sc);
        if (k == NS_CH_LETTER) {
            if (sc == NS_SCRIPT_CYRILLIC)
                cyr++;
            else
                other++;
        }
    }
    return cyr > other ? 'r' : 'e';
}

int ns_analyze_dump(ns_analyzer *a, const char *text, size_t len, ns_buf *out, ns_err *err)
{
    int rc = S_run(a, text, len, 1, NULL, 0, SIZE_MAX, NULL);
    if (rc < 0) {
        a->nterms = 0;
        return S_fail(a, text, rc, err);
    }
    for (size_t k = 0; k < a->ntoks; k++) {
        const tok *t = &a->toks[k];
        for (size_t i = t->start; i < t->end;) {
            int32_t c;
            int n = ns_utf8_decode(text + i, t->end - i, &c);
            if (c <= 0)
                rc = ns_buf_append(out, "\xEF\xBF\xBD", 3); /* U+FFFD */
            else
                rc = ns_buf_append(out, text + i, (size_t)n);
            if (rc < 0)
                goto nomem;
            i += (size_t)n;
        }
        if (ns_buf_putc(out, '\t') < 0)
            goto nomem;
        int first = 1;
        for (size_t i = t->t0; i < t->t0 + t->tn; i++) {
            const ns_term *x = &a->terms[i];
            if (x->len == 0)
                continue;
            if ((!first && ns_buf_putc(out, ' ') < 0) || ns_buf_append(out, x->term, x->len) < 0)
                goto nomem;
            first = 0;
        }
        if (ns_buf_putc(out, '\n') < 0)
            goto nomem;
    }
    return 0;
nomem:
    return S_fail(a, text, NS_ENOMEM, err);
}
