/* analyze.c: the tokenizer, normaliser and stemmer behind every index and
 * query term (rules in analyze.h).
 *
 * Per call, text is scanned one token at a time: a token is split into parts
 * (byte ranges), each part is folded into the analyzer's arena (parts of
 * ASCII and basic Cyrillic by a byte loop, others by utf8proc), checked
 * against the stopword table and stemmed (through a small cache); then the
 * JOINED term and the parts' terms are appended to the term array. Term
 * strings are arena offsets until the end of the call, because the arena may
 * move while it grows. Nothing is allocated per token once the buffers have
 * reached their working size. */
#include "analyze.h"

#include "data.h"
#include "str.h"
#include "utf8.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- character classes ------------------------------------------------- */

enum {
    K_SEP = 0,  /* separates tokens */
    K_LETTER,   /* L* */
    K_DIGIT,    /* N* */
    K_MARK,     /* M*: belongs to the character before it */
    K_HYPHEN,   /* - _ U+2010 U+2011: joins and splits parts */
    K_APOS,     /* ' U+2019 U+02BC: kept inside a word, between letters */
    K_DOT,      /* . , : only between two digits (a decimal) */
    K_IGNORE,   /* soft hyphen, ZWJ/ZWNJ, word joiner: invisible inside a word */
};

/* Scripts of letters; a change of script splits a part ("Яndex"). Letters
 * of scripts we do not name get 64 + their 128-code-point block. */
enum { S_NONE = 0, S_LATIN, S_CYRILLIC, S_GREEK, S_CJK, S_HANGUL, S_MARK, S_OTHER = 64 };

/* Class of each ASCII byte; bytes >= 0x80 are decoded. */
static const unsigned char ascii_class[128] = {
    ['-'] = K_HYPHEN, ['_'] = K_HYPHEN, ['\''] = K_APOS, ['.'] = K_DOT, [','] = K_DOT,
    ['0'] = K_DIGIT, ['1'] = K_DIGIT, ['2'] = K_DIGIT, ['3'] = K_DIGIT, ['4'] = K_DIGIT,
    ['5'] = K_DIGIT, ['6'] = K_DIGIT, ['7'] = K_DIGIT, ['8'] = K_DIGIT, ['9'] = K_DIGIT,
    ['a'] = K_LETTER, ['b'] = K_LETTER, ['c'] = K_LETTER, ['d'] = K_LETTER, ['e'] = K_LETTER,
    ['f'] = K_LETTER, ['g'] = K_LETTER, ['h'] = K_LETTER, ['i'] = K_LETTER, ['j'] = K_LETTER,
    ['k'] = K_LETTER, ['l'] = K_LETTER, ['m'] = K_LETTER, ['n'] = K_LETTER, ['o'] = K_LETTER,
    ['p'] = K_LETTER, ['q'] = K_LETTER, ['r'] = K_LETTER, ['s'] = K_LETTER, ['t'] = K_LETTER,
    ['u'] = K_LETTER, ['v'] = K_LETTER, ['w'] = K_LETTER, ['x'] = K_LETTER, ['y'] = K_LETTER,
    ['z'] = K_LETTER,
    ['A'] = K_LETTER, ['B'] = K_LETTER, ['C'] = K_LETTER, ['D'] = K_LETTER, ['E'] = K_LETTER,
    ['F'] = K_LETTER, ['G'] = K_LETTER, ['H'] = K_LETTER, ['I'] = K_LETTER, ['J'] = K_LETTER,
    ['K'] = K_LETTER, ['L'] = K_LETTER, ['M'] = K_LETTER, ['N'] = K_LETTER, ['O'] = K_LETTER,
    ['P'] = K_LETTER, ['Q'] = K_LETTER, ['R'] = K_LETTER, ['S'] = K_LETTER, ['T'] = K_LETTER,
    ['U'] = K_LETTER, ['V'] = K_LETTER, ['W'] = K_LETTER, ['X'] = K_LETTER, ['Y'] = K_LETTER,
    ['Z'] = K_LETTER,
};

static unsigned script_of(int32_t c)
{
    if (c < 0x2B0 || (c >= 0x1D00 && c < 0x1DC0) || (c >= 0x1E00 && c < 0x1F00) ||
        (c >= 0x2C60 && c < 0x2C80) || (c >= 0xA720 && c < 0xA800) ||
        (c >= 0xAB30 && c < 0xAB70) || (c >= 0xFB00 && c < 0xFB07) ||
        (c >= 0xFF21 && c < 0xFF5B) || (c >= 0x2100 && c < 0x2150))
        return S_LATIN; /* incl. ligatures (ﬁ), fullwidth and letterlike forms */
    if ((c >= 0x400 && c < 0x530) || (c >= 0x1C80 && c < 0x1C90) ||
        (c >= 0x2DE0 && c < 0x2E00) || (c >= 0xA640 && c < 0xA6A0))
        return S_CYRILLIC;
    if ((c >= 0x370 && c < 0x400) || (c >= 0x1F00 && c < 0x2000))
        return S_GREEK;
    if ((c >= 0x1100 && c < 0x1200) || (c >= 0xAC00 && c < 0xD7B0))
        return S_HANGUL;
    if ((c >= 0x2E80 && c < 0xA000) || (c >= 0xF900 && c < 0xFB00) || c >= 0x20000)
        return S_CJK;
    return S_OTHER + ((unsigned)c >> 7);
}

/* Is s[i..i+2) one of А-Я а-я Ё ё? Russian text is almost all of these, and
 * they fold without utf8proc: already NFC, lower case is a fixed offset. */
static inline int basic_cyrillic(const unsigned char *s, size_t len, size_t i)
{
    if (i + 1 >= len)
        return 0;
    unsigned char b = s[i], c = s[i + 1];
    return (b == 0xD0 && ((c >= 0x90 && c <= 0xBF) || c == 0x81)) ||
           (b == 0xD1 && ((c >= 0x80 && c <= 0x8F) || c == 0x91));
}

/* The n bytes at s[i] fold without utf8proc (ASCII or basic Cyrillic). */
static inline int fast_char(const unsigned char *s, size_t len, size_t i, size_t n)
{
    return n == 1 || (n == 2 && basic_cyrillic(s, len, i));
}

static size_t read_char_other(const unsigned char *s, size_t len, size_t i, int *kind,
                              unsigned *script);

/* Class (and script, for letters) of the character at s[i]; returns its byte
 * length. Invalid UTF-8 and NUL are separators, one byte at a time. Small
 * enough to inline for ASCII and basic Cyrillic, which are almost all text. */
static inline size_t read_char(const unsigned char *s, size_t len, size_t i, int *kind,
                               unsigned *script)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *kind = ascii_class[b];
        *script = S_LATIN;
        return 1;
    }
    if (basic_cyrillic(s, len, i)) {
        *kind = K_LETTER;
        *script = S_CYRILLIC;
        return 2;
    }
    return read_char_other(s, len, i, kind, script);
}

/* read_char for everything but ASCII and basic Cyrillic. */
static size_t read_char_other(const unsigned char *s, size_t len, size_t i, int *kind,
                              unsigned *script)
{
    int32_t c;
    int n = ns_utf8_decode((const char *)s + i, len - i, &c);
    *script = S_NONE;
    if (c < 0) {
        *kind = K_SEP;
        return 1;
    }
    switch (c) {
    case 0x2010: case 0x2011:
        *kind = K_HYPHEN;
        return (size_t)n;
    case 0x2019: case 0x02BC: /* ’ and ʼ (a letter by category, an apostrophe in use) */
        *kind = K_APOS;
        return (size_t)n;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060:
        *kind = K_IGNORE;
        return (size_t)n;
    default:
        break;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        *kind = K_LETTER;
        *script = script_of(c);
        break;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        *kind = K_DIGIT;
        break;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        *kind = K_MARK;
        break;
    default:
        *kind = K_SEP;
        break;
    }
    return (size_t)n;
}

/* ---- stopwords: one read-only table per process --------------------------- */

/* Filled once under pthread_once and never written again, so analyzers in
 * any number of threads read it without locks. Entries point into the
 * compiled-in ns_data_* text, so building it cannot fail. */
#define STOP_SLOTS 2048 /* power of two, > 2 x the words of both lists */

static struct stop_slot {
    const char *word;
    size_t len;
} stop_table[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* h is hash_bytes(w, n) */
static int stop_find_h(uint32_t h, const char *w, size_t n)
{
    h &= STOP_SLOTS - 1;
    while (stop_table[h].word) {
        if (stop_table[h].len == n && memcmp(stop_table[h].word, w, n) == 0)
            return 1;
        h = (h + 1) & (STOP_SLOTS - 1);
    }
    return 0;
}

static int stop_find(const char *w, size_t n)
{
    return stop_find_h(hash_bytes(w, n), w, n);
}

static void stop_load_list(const char *text, size_t *used)
{
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *hash = memchr(p, '#', (size_t)(end - p));
        const char *e = hash ? hash : end;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        size_t n = (size_t)(e - p);
        if (n > 0 && n <= NS_TERM_MAX && *used < STOP_SLOTS / 2 && !stop_find(p, n)) {
            uint32_t h = hash_bytes(p, n) & (STOP_SLOTS - 1);
            while (stop_table[h].word)
                h = (h + 1) & (STOP_SLOTS - 1);
            stop_table[h].word = p;
            stop_table[h].len = n;
            (*used)++;
        }
        p = eol ? eol + 1 : end;
    }
}

static void stop_load(void)
{
    size_t used = 0;
    stop_load_list(ns_data_stopwords_en, &used);
    stop_load_list(ns_data_stopwords_ru, &used);
}

/* ---- the analyzer ------------------------------------------------------------ */

typedef struct part {
    size_t start, end;   /* bytes in the input */
    unsigned kind;       /* K_LETTER or K_DIGIT */
    unsigned script;     /* S_* for letters */
    int fast;            /* only ASCII and basic Cyrillic: no utf8proc */
    size_t fold, flen;   /* folded text in the arena */
    size_t term, tlen;   /* term (stem) in the arena */
    int stop, skip;      /* stopword; term too long */
} part;

/* Stemming is most of the work on prose, and prose repeats its words: a
 * direct-mapped cache of recent (script, word) -> stem pairs, per analyzer,
 * more than halves the time. Words longer than CACHE_WORD bytes skip it. */
#define CACHE_SLOTS 4096 /* power of two */
/* A new analyzer starts with a small cache and takes the full one after
 * CACHE_GROW_AFTER misses: a one-shot search stems a few hundred words, and
 * touching a zeroed 256 KB table costs it more page faults than it saves. */
#define CACHE_SLOTS_START 256 /* power of two */
#define CACHE_GROW_AFTER 2048
#define CACHE_WORD 30

typedef struct cache_slot {
    unsigned char script, wlen, slen; /* wlen 0: empty */
    char word[CACHE_WORD], stem[CACHE_WORD];
} cache_slot;

typedef struct tok {
    size_t start, end;
    size_t t0, tn; /* its terms: terms[t0 .. t0+tn) */
} tok;

/* ns_analyze_match's filter: the folded first one or two characters that a
 * word must start with to be worth folding and stemming (see there). */
#define KEY_CHARS 2

typedef struct match_key {
    size_t len;                  /* bytes, 1..8 */
    unsigned char b[4 * KEY_CHARS];
} match_key;

struct ns_analyzer {
    struct sb_stemmer *en, *ru;
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
    cache_slot *cache;
    size_t cache_mask;   /* slots - 1 */
    size_t cache_misses; /* counted until the cache is full-size */
    match_key *keys; /* ns_analyze_match's filter */
    size_t nkeys, ckeys;
    int over;                   /* OVER_*: the word that made ns_analyze fail */
    size_t over_start, over_len;
};

enum { OVER_BYTES = 1, OVER_PARTS = 2 };

/* A block of at least need elements of size el in *out (p reallocated);
 * *cap is updated. On failure p is untouched. */
static int grow_mem(void *p, size_t *cap, size_t need, size_t el, void **out)
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
            if (grow_mem((ptr), &(cap), (need), sizeof *(ptr), &q_) < 0)            \
                return NS_ENOMEM;                                                   \
            (ptr) = q_;                                                             \
        }                                                                           \
    } while (0)

static int arena_reserve(ns_analyzer *a, size_t extra)
{
    if (extra > SIZE_MAX - a->alen - 1)
        return NS_ENOMEM;
    GROW(a->arena, a->acap, a->alen + extra + 1);
    return 0;
}

int ns_analyzer_new(ns_analyzer **out, ns_err *err)
{
    *out = NULL;
    pthread_once(&stop_once, stop_load);
    ns_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return ns_err_set(err, NS_ENOMEM, "analyzer: out of memory");
    a->en = sb_stemmer_new("english", "UTF_8");
    a->ru = sb_stemmer_new("russian", "UTF_8");
    if (!a->en || !a->ru) {
        ns_analyzer_free(a);
        return ns_err_set(err, NS_ENOMEM, "analyzer: cannot create the Snowball stemmers");
    }
    a->cu32 = 256; /* utf8proc wants a real buffer even to measure */
    a->u32 = malloc(a->cu32 * sizeof *a->u32);
    a->cache = calloc(CACHE_SLOTS_START, sizeof *a->cache);
    a->cache_mask = CACHE_SLOTS_START - 1;
    if (!a->u32 || !a->cache) {
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
    sb_stemmer_delete(a->en);
    sb_stemmer_delete(a->ru);
    free(a->terms);
    free(a->arena);
    free(a->u32);
    free(a->parts);
    free(a->toks);
    free(a->cache);
    free(a->keys);
    free(a);
}

/* ---- folding and stemming -------------------------------------------------- */

#define FOLD_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | \
                   UTF8PROC_IGNORE)

static utf8proc_int32_t map_apostrophe(utf8proc_int32_t c, void *data)
{
    (void)data;
    return (c == 0x2019 || c == 0x02BC) ? '\'' : c;
}

/* Fold u[0..n) (ASCII and basic Cyrillic only, whole characters) into d[0..n):
 * the same bytes utf8proc would give (NFKC, case folding, ё -> е). */
static void fold_fast(const unsigned char *u, size_t n, unsigned char *d)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        if (c < 0x80) {
            d[i] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (c == 0xD0) {
            unsigned char c2 = u[++i];
            if (c2 == 0x81) {                 /* Ё -> е */
                d[i - 1] = 0xD0, d[i] = 0xB5;
            } else if (c2 >= 0x90 && c2 <= 0x9F) { /* А-П -> а-п */
                d[i - 1] = 0xD0, d[i] = (unsigned char)(c2 + 0x20);
            } else if (c2 >= 0xA0 && c2 <= 0xAF) { /* Р-Я -> р-я */
                d[i - 1] = 0xD1, d[i] = (unsigned char)(c2 - 0x20);
            } else {
                d[i - 1] = 0xD0, d[i] = c2;
            }
        } else {                              /* 0xD1: р-я, ё */
            unsigned char c2 = u[++i];
            if (c2 == 0x91)
                d[i - 1] = 0xD0, d[i] = 0xB5;
            else
                d[i - 1] = 0xD1, d[i] = c2;
        }
    }
}

/* Fold s[0..n) (valid UTF-8) onto the end of the arena, NUL-terminated:
 * NFKC, case folding, ’ -> ', ё -> е. *off and *flen locate the result. */
static int fold_append(ns_analyzer *a, const char *s, size_t n, int fast, size_t *off,
                       size_t *flen)
{
    if (arena_reserve(a, n) < 0)
        return NS_ENOMEM;
    *off = a->alen;
    if (fast) {
        unsigned char *d = (unsigned char *)a->arena + a->alen;
        fold_fast((const unsigned char *)s, n, d);
        d[n] = '\0';
        a->alen += n + 1;
        *flen = n;
        return 0;
    }
    if (n > (size_t)INT32_MAX)
        return NS_ENOMEM;
    utf8proc_ssize_t r;
    for (;;) {
        r = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, a->u32,
                                      (utf8proc_ssize_t)a->cu32, FOLD_OPTS, map_apostrophe, NULL);
        if (r < 0)
            return NS_EUTF8;
        if ((size_t)r <= a->cu32)
            break;
        GROW(a->u32, a->cu32, (size_t)r);
    }
    if (r > 0)
        r = utf8proc_normalize_utf32(a->u32, r, FOLD_OPTS);
    if (r < 0)
        return NS_EUTF8;
    if ((size_t)r > (SIZE_MAX - 1) / 4 || arena_reserve(a, (size_t)r * 4) < 0)
        return NS_ENOMEM;
    unsigned char *d = (unsigned char *)a->arena + a->alen;
    size_t m = 0;
    for (utf8proc_ssize_t i = 0; i < r; i++) {
        int32_t c = a->u32[i];
        if (c == 0x451) /* ё: written е as often as not, so both must match */
            c = 0x435;
        m += (size_t)utf8proc_encode_char(c, d + m);
    }
    d[m] = '\0';
    a->alen += m + 1;
    *flen = m;
    return 0;
}

/* Stem arena[off..off+n) (hash h) with the stemmer for script onto the arena. */
static int stem_append(ns_analyzer *a, unsigned script, size_t off, size_t n, uint32_t h,
                       size_t *soff, size_t *slen)
{
    struct sb_stemmer *st = script == S_LATIN ? a->en : script == S_CYRILLIC ? a->ru : NULL;
    if (!st) {
        *soff = off;
        *slen = n;
        return 0;
    }
    cache_slot *c = NULL;
    const char *r;
    size_t m;
    if (n <= CACHE_WORD) {
        c = &a->cache[(h ^ script) & a->cache_mask];
        if (c->wlen == n && c->script == script && memcmp(c->word, a->arena + off, n) == 0) {
            r = c->stem;
            m = c->slen;
            goto copy;
        }
    }
    if (c && a->cache_mask < CACHE_SLOTS - 1 && ++a->cache_misses >= CACHE_GROW_AFTER) {
        /* Busy enough for the full cache; without memory keep the small one. */
        cache_slot *big = calloc(CACHE_SLOTS, sizeof *big);
        if (big) {
            free(a->cache);
            a->cache = big;
            a->cache_mask = CACHE_SLOTS - 1;
            c = &a->cache[(h ^ script) & a->cache_mask];
        }
    }
    r = (const char *)sb_stemmer_stem(st, (const sb_symbol *)a->arena + off, (int)n);
    if (!r)
        return NS_ENOMEM;
    m = (size_t)sb_stemmer_length(st);
    if (c && m <= CACHE_WORD) {
        c->script = (unsigned char)script;
        c->wlen = (unsigned char)n;
        c->slen = (unsigned char)m;
        memcpy(c->word, a->arena + off, n);
        memcpy(c->stem, r, m);
    }
copy:
    /* r points into the stemmer or the cache, never into the arena */
    if (arena_reserve(a, m) < 0)
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
static void arena_reset(ns_analyzer *a)
{
    a->alen = 1;
    a->arena[0] = '\0';
}

static int add_term(ns_analyzer *a, size_t off, size_t len, uint32_t pos, uint32_t token,
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
static int emit_token(ns_analyzer *a, part *p, size_t np, const char *text, uint32_t token,
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
        if ((rc = fold_append(a, text + q->start, n, q->fast, &q->fold, &q->flen)) < 0)
            return rc;
        if (q->kind != K_LETTER || q->script != script)
            letters = 0;
        if (q->flen == 0 || q->flen > NS_TERM_MAX) {
            q->skip = 1;
            continue;
        }
        uint32_t h = q->kind == K_LETTER ? hash_bytes(a->arena + q->fold, q->flen) : 0;
        if (q->kind == K_LETTER && stop_find_h(h, a->arena + q->fold, q->flen)) {
            q->stop = 1;
        } else if (q->kind == K_LETTER) {
            if ((rc = stem_append(a, q->script, q->fold, q->flen, h, &q->term, &q->tlen)) < 0)
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
            if (arena_reserve(a, jl) < 0)
                return NS_ENOMEM;
            size_t off = a->alen;
            for (size_t i = 0; i < np; i++) {
                memcpy(a->arena + a->alen, a->arena + p[i].fold, p[i].flen);
                a->alen += p[i].flen;
            }
            a->arena[a->alen++] = '\0';
            size_t toff = off, tl = jl;
            /* "pre-trained" -> "pretrain": a hyphenated word is still a word */
            if (letters && (rc = stem_append(a, script, off, jl, hash_bytes(a->arena + off, jl),
                                             &toff, &tl)) < 0)
                return rc;
            if (tl > 0 && tl <= NS_TERM_MAX &&
                (rc = add_term(a, toff, tl, 0, token, p[0].start, p[np - 1].end,
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
        rc = q->stop ? add_term(a, 0, 0, ps, token, q->start, q->end, NS_TERM_STOP)
                     : add_term(a, q->term, q->tlen, ps, token, q->start, q->end, 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Is the character at s[i] a letter or digit (a connector may precede it)? */
static int word_char_at(const unsigned char *s, size_t len, size_t i, int *kind,
                        unsigned *script, size_t *n)
{
    if (i >= len)
        return 0;
    *n = read_char(s, len, i, kind, script);
    return *kind == K_LETTER || *kind == K_DIGIT;
}

/* Could the one-part token p (fast: ASCII or basic Cyrillic) give a term that
 * ns_analyze_match wants? Compares its first KEY_CHARS characters, folded,
 * with the keys. */
static int key_match(const ns_analyzer *a, const unsigned char *s, const part *p)
{
    unsigned char head[4 * KEY_CHARS];
    size_t n = 0;
    for (int c = 0; c < KEY_CHARS && p->start + n < p->end; c++)
        n += s[p->start + n] < 0x80 ? 1 : 2;
    if (n == 0)
        return 0;  /* a part is never empty; said for the static analyzer */
    fold_fast(s + p->start, n, head);
    for (size_t k = 0; k < a->nkeys; k++) {
        const match_key *key = &a->keys[k];
        if (key->len > n || key->b[0] != head[0])
            continue;
        size_t b = 1;
        while (b < key->len && key->b[b] == head[b])
            b++;
        if (b == key->len)
            return 1;
    }
    return 0;
}

/* Record the word at start (len bytes scanned so far) that passed a cap. */
static int S_over(ns_analyzer *a, size_t start, size_t len, int why)
{
    a->over = why;
    a->over_start = start;
    a->over_len = len;
    return NS_ETOOBIG;
}

/* How run() treats a word past the caps (NS_WORD_MAX, NS_WORD_PARTS_MAX). */
enum {
    R_FILTER = 1 << 0, /* ns_analyze_match: skip tokens key_match rejects */
    R_STRICT = 1 << 1, /* ns_analyze: such a word is an error (NS_ETOOBIG), found at once */
};

/* The whole analysis of text: fills a->terms (offsets) and a->toks. With
 * R_FILTER, one-part tokens of ASCII or basic Cyrillic that key_match rejects
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
    cur->kind = k == K_DIGIT ? K_DIGIT : K_LETTER;
    cur->script = k == K_LETTER ? sc : k == K_MARK ? S_MARK : S_NONE;
    cur->fast = fast_char(s, len, i, n);
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
        if (cur->kind == K_LETTER && cur->script == S_LATIN) {
            while (j < len && s[j] < 0x80 && ascii_class[s[j]] == K_LETTER)
                j++;
        } else if (cur->kind == K_LETTER && cur->script == S_CYRILLIC) {
            while (basic_cyrillic(s, len, j))
                j += 2;
        } else if (cur->kind == K_DIGIT) {
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
        }
        if (j != j0)
            wend = j;
        if ((flags & R_STRICT) && j - i > NS_WORD_MAX)
            return S_over(a, i, j - i, OVER_BYTES);
        if (j >= len)
            break;
        size_t n2 = read_char(s, len, j, &k, &sc);
        int newpart = 0;
        if (k == K_LETTER || k == K_DIGIT) {
            unsigned kk = (unsigned)k, ss = k == K_LETTER ? sc : S_NONE;
            newpart = kk != cur->kind || (kk == K_LETTER && ss != cur->script);
            if (newpart) {
                NEXT_PART();
                cur->start = j;
                cur->kind = kk;
                cur->script = ss;
                cur->fast = 1;
            }
            if (!fast_char(s, len, j, n2))
                cur->fast = 0;
            j += n2;
            wend = j;
            continue;
        }
        if (k == K_MARK || k == K_IGNORE) {
            /* a mark belongs to the letter before it ("и" U+0306 is й);
             * invisible format characters vanish in folding */
            cur->fast = 0;
            j += n2;
            if (k == K_MARK)
                wend = j;
            continue;
        }
        if (k != K_HYPHEN && k != K_APOS && k != K_DOT)
            break;
        /* a connector counts only between two letters/digits */
        int k3;
        unsigned sc3;
        size_t n3;
        if (j != wend || !word_char_at(s, len, j + n2, &k3, &sc3, &n3))
            break;
        if (k == K_DOT) {
            if (cur->kind != K_DIGIT || k3 != K_DIGIT)
                break;
            if (!fast_char(s, len, j, n2) || !fast_char(s, len, j + n2, n3))
                cur->fast = 0;
            j += n2 + n3; /* "98.5" stays one part */
            wend = j;
            continue;
        }
        if (k == K_APOS && cur->kind == K_LETTER && k3 == K_LETTER && sc3 == cur->script) {
            if (n2 > 1 || !fast_char(s, len, j + n2, n3))
                cur->fast = 0; /* ’ is mapped to ' by utf8proc */
            j += n2 + n3; /* "don't", "OpenAI's": the stemmer handles the rest */
            wend = j;
            continue;
        }
        /* a splitting connector: the next part starts after it */
        NEXT_PART();
        cur->start = j + n2;
        cur->kind = k3 == K_DIGIT ? K_DIGIT : K_LETTER;
        cur->script = k3 == K_LETTER ? sc3 : S_NONE;
        cur->fast = fast_char(s, len, j + n2, n3);
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
 * one-part token R_FILTER's key_match rejects (one position). */
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
               !key_match(a, s, &a->parts[0])) {
        /* cannot give a wanted term: only its position counts */
        if (pos == UINT32_MAX)
            return NS_ETOOBIG;
        pos++;
    } else if ((rc = emit_token(a, a->parts, np, text, (uint32_t)a->ntoks, &pos)) < 0) {
        return rc;
    }
    t->tn = a->nterms - t->t0;
    a->ntoks++;
    *pos_io = pos;
    return 0;
}

static int run(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               uint32_t *next_pos, unsigned flags, size_t stop_at, size_t *used)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t pos = first_pos;
    int rc;
    a->nterms = 0;
    a->ntoks = 0;
    a->over = 0;
    if (arena_reserve(a, 64) < 0)
        return NS_ENOMEM;
    arena_reset(a);
    size_t i = 0;
    while (i < len) {
        int k;
        unsigned sc;
        size_t n = read_char(s, len, i, &k, &sc);
        if (k != K_LETTER && k != K_DIGIT && k != K_MARK) {
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

static int fail(ns_analyzer *a, const char *text, int rc, ns_err *err)
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
    *out = NULL;
    *count = 0;
    if (first_pos == 0)
        first_pos = 1;
    int rc = run(a, text, len, first_pos, next_pos, R_STRICT, SIZE_MAX, NULL);
    if (rc < 0) {
        a->nterms = 0;
        return fail(a, text, rc, err);
    }
    *out = a->terms;
    *count = a->nterms;
    return 0;
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
    int rc = run(a, text, len, first_pos, next_pos, R_STRICT, max, used);
    if (rc < 0) {
        a->nterms = 0;
        return fail(a, text, rc, err);
    }
    *out = a->terms;
    *count = a->nterms;
    return 0;
}

/* Add the first KEY_CHARS characters of t[0..n) (at most) as a key. */
static int add_key(ns_analyzer *a, const char *t, size_t n)
{
    size_t b = 0;
    for (int c = 0; c < KEY_CHARS && b < n; c++) {
        unsigned char x = (unsigned char)t[b];
        b += x < 0x80 ? 1 : x < 0xE0 ? 2 : x < 0xF0 ? 3 : 4;
    }
    if (b > n)
        b = n;
    if (b == 0)
        return 0; /* an empty term matches no word */
    GROW(a->keys, a->ckeys, a->nkeys + 1);
    match_key *k = &a->keys[a->nkeys++];
    k->len = b;
    memcpy(k->b, t, b);
    return 0;
}

/* Snowball words whose stem does not begin with their own first KEY_CHARS
 * characters (found by testing every word of Snowball's English and Russian
 * vocabularies; test_analyze_match checks it again): English special cases.
 * Russian stems are always prefixes of the folded word (ё is folded to е
 * before stemming). */
static const char *const key_exceptions[][2] = {
    { "dying", "die" }, { "lying", "lie" }, { "tying", "tie" },
};

static int build_keys(ns_analyzer *a, const char *const *terms, size_t nterms,
                      const char *const *prefixes, size_t nprefixes)
{
    a->nkeys = 0;
    for (size_t i = 0; i < nterms + nprefixes; i++) {
        int pre = i >= nterms;
        const char *t = pre ? prefixes[i - nterms] : terms[i];
        size_t n = strlen(t);
        if (n == 0 && pre) {
            /* an empty prefix: every word */
            return add_key(a, "", 0) < 0 ? NS_ENOMEM : 1;
        }
        if (add_key(a, t, n) < 0)
            return NS_ENOMEM;
        for (size_t e = 0; e < sizeof key_exceptions / sizeof *key_exceptions; e++) {
            const char *stem = key_exceptions[e][1];
            if (pre ? strncmp(stem, t, n) == 0 : strcmp(stem, t) == 0) {
                if (add_key(a, key_exceptions[e][0], strlen(key_exceptions[e][0])) < 0)
                    return NS_ENOMEM;
            }
        }
    }
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
    int rc = build_keys(a, terms, nterms, prefixes, nprefixes);
    if (rc >= 0)
        rc = run(a, text, len, first_pos, NULL, rc == 0 ? R_FILTER : 0, SIZE_MAX, NULL);
    if (rc < 0) {
        a->nterms = 0;
        return fail(a, text, rc, err);
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
    int rc = run(a, word, len, 1, NULL, 0, SIZE_MAX, NULL);
    if (rc < 0)
        return fail(a, word, rc, err);
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
    if (arena_reserve(a, 64) < 0)
        return fail(a, text, NS_ENOMEM, err);
    a->nterms = a->ntoks = 0; /* the last ns_analyze result dies here */
    arena_reset(a);
    size_t off, n;
    int rc = fold_append(a, text, len, ascii, &off, &n);
    if (rc < 0)
        return fail(a, text, rc, err);
    *out = a->arena + off;
    *out_len = n;
    return 0;
}

int ns_is_stopword(const char *folded, size_t len)
{
    pthread_once(&stop_once, stop_load);
    return stop_find(folded, len);
}

char ns_detect_lang(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t cyr = 0, other = 0;
    for (size_t i = 0; i < len;) {
        int k;
        unsigned sc;
        i += read_char(s, len, i, &k, &sc);
        if (k == K_LETTER) {
            if (sc == S_CYRILLIC)
                cyr++;
            else
                other++;
        }
    }
    return cyr > other ? 'r' : 'e';
}

int ns_analyze_dump(ns_analyzer *a, const char *text, size_t len, ns_buf *out, ns_err *err)
{
    int rc = run(a, text, len, 1, NULL, 0, SIZE_MAX, NULL);
    if (rc < 0) {
        a->nterms = 0;
        return fail(a, text, rc, err);
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
    return fail(a, text, NS_ENOMEM, err);
}
