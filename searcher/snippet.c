/* snippet.c: choose, cut and mark the passage shown under a result (snippet.h). */
#include "snippet.h"
#include "str.h"

#include "buf.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CHARS 200
#define SNIPPET_CHUNK 1024 /* bytes analysed at a time; see step 1 */
#define ELLIPSIS "\xE2\x80\xA6" /* … */

typedef struct match {
    size_t start, end;   /* bytes in text */
    size_t cstart, cend; /* characters in text */
    size_t id;           /* which stem or prefix */
} match;

/* A byte offset <-> character count cursor that can move both ways, so
 * converting the (almost sorted) offsets of matches costs little. */
typedef struct cursor {
    const char *s;
    size_t b, c;
} cursor;

static size_t S_chars_at(cursor *k, size_t target)
{
    /* Forward eight bytes at a time: a byte starts a character unless it is
     * 10xxxxxx (this loop, a byte at a time, was 4% of a search). */
    while (k->b + 8 <= target) {
        uint64_t x;
        memcpy(&x, k->s + k->b, 8);
        uint64_t cont = x & ~(x << 1) & UINT64_C(0x8080808080808080);
        /* one bit per continuation byte, summed by the multiply into the top byte */
        k->c += 8 - (size_t)(((cont >> 7) * UINT64_C(0x0101010101010101)) >> 56);
        k->b += 8;
    }
    while (k->b < target) {
        k->b++;
        if (((unsigned char)k->s[k->b - 1] & 0xC0) != 0x80)
            k->c++;
    }
    while (k->b > target) {
        k->b--;
        if (((unsigned char)k->s[k->b] & 0xC0) != 0x80)
            k->c--;
    }
    return k->c;
}


/* Move back n characters from byte b (not below 0). */
static size_t S_back(const char *s, size_t b, size_t n)
{
    while (b > 0 && n > 0) {
        b--;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        n--;
    }
    return b;
}

/* Move forward n characters from byte b (not beyond len). */
static size_t S_fwd(const char *s, size_t len, size_t b, size_t n)
{
    while (b < len && n > 0) {
        b++;
        while (b < len && ((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
        n--;
    }
    return b;
}

static long S_match_id(const ns_term *t, const char *const *stems, size_t nstems,
                       const char *const *prefixes, size_t nprefixes)
{
    for (size_t i = 0; i < nstems; i++)
        if (strlen(stems[i]) == t->len && memcmp(stems[i], t->term, t->len) == 0)
            return (long)i;
    for (size_t i = 0; i < nprefixes; i++) {
        size_t pl = strlen(prefixes[i]);
        if (pl <= t->len && memcmp(prefixes[i], t->term, pl) == 0)
            return (long)(nstems + i);
    }
    return -1;
}

/* Where the chunk of about SNIPPET_CHUNK bytes from off ends: at ASCII
 * whitespace, which no word spans, or at len. */
static size_t S_chunk_end(const char *text, size_t len, size_t off)
{
    size_t e = off + SNIPPET_CHUNK;
    if (e >= len)
        return len;
    while (e < len && !ns_is_space((unsigned char)text[e]))
        e++;
    return e;
}

/* One snippet being made: the matches found, the chosen range, the marks. */
typedef struct snip {
    const char *text;
    size_t len;
    const ns_snippet_query *q;
    size_t chars;     /* the window, in characters */
    match *m;
    size_t nm;
    unsigned *seen;   /* per stem and prefix */
    size_t start, end; /* the passage: text[start..end) */
    ns_span *spans;
    size_t nspans;
} snip;

/* Add the match t (of stem or prefix id) at text offset off; NS_ENOMEM. */
static int S_add_match(snip *sn, cursor *cur, const ns_term *t, size_t off, long id)
{
    if (sn->nm % 64 == 0) {
        match *p = realloc(sn->m, (sn->nm + 64) * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        sn->m = p;
    }
    match *x = &sn->m[sn->nm++];
    x->start = off + t->start;
    x->end = off + t->end;
    x->cstart = S_chars_at(cur, x->start);
    x->cend = S_chars_at(cur, x->end);
    x->id = (size_t)id;
    return 0;
}

/* 1. Find the matching words, a chunk at a time: scanning stops after the
 * chunk in which every stem the article has has been seen (with presence
 * unknown, every stem and prefix), so a long article whose opening matches
 * costs the opening only (folding and matching the text was a third of a
 * search's time when it read all of it). */
static int S_find_matches(snip *sn, ns_analyzer *a, ns_err *err)
{
    const ns_snippet_query *q = sn->q;
    const char *text = sn->text;
    size_t scan = ns_utf8_clip(text, sn->len, NS_SNIPPET_SCAN);
    cursor cur = { text, 0, 0 };
    size_t nneed = 0, nseen_needed = 0, nseen_prefix = 0;
    int rc;
    for (size_t i = 0; i < q->nstems; i++)
        nneed += !q->present || q->present[i];
    for (size_t off = 0; sn->seen && (nneed > 0 || q->nprefixes > 0) && off < scan;) {
        const ns_term *t;
        size_t n, chunk_end = S_chunk_end(text, scan, off);
        /* Only the words that can match are folded and stemmed. */
        if ((rc = ns_analyze_match(a, text + off, chunk_end - off, 1, q->stems, q->nstems,
                                   q->prefixes, q->nprefixes, &t, &n, err)) < 0)
            return rc;
        for (size_t i = 0; i < n; i++) {
            if (t[i].flags & NS_TERM_STOP)
                continue;
            long id = S_match_id(&t[i], q->stems, q->nstems, q->prefixes, q->nprefixes);
            if (id < 0)
                continue;
            if (S_add_match(sn, &cur, &t[i], off, id) < 0)
                return ns_err_set(err, NS_ENOMEM, "out of memory making a snippet");
            if (!sn->seen[id]) {
                sn->seen[id] = 1;
                if ((size_t)id >= q->nstems)
                    nseen_prefix++;
                else if (!q->present || q->present[id])
                    nseen_needed++;
            }
        }
        off = chunk_end;
        /* Unknown presence: every stem and prefix, as before. Known: the
         * stems it has; prefixes (whose words are not known) once anything
         * matched. */
        if (nseen_needed == nneed && (q->present ? sn->nm > 0 : nseen_prefix == q->nprefixes))
            break;
    }
    return 0;
}

/* 2. The window with the most distinct stems, then the most matches, widened
 * to whole words with some context before it; or, without matches, the
 * opening. Sets sn->start and sn->end. */
static void S_choose_window(snip *sn)
{
    const char *text = sn->text;
    size_t len = sn->len, chars = sn->chars, nm = sn->nm;
    const match *m = sn->m;
    size_t start = 0, end;
    if (nm > 0) {
        size_t best_i = 0, best_j = 1, best_d = 0, best_c = 0;
        memset(sn->seen, 0, (sn->q->nstems + sn->q->nprefixes) * sizeof *sn->seen);
        for (size_t i = 0; i < nm; i++) {
            size_t d = 0, c = 0, j = i;
            while (j < nm && m[j].cend - m[i].cstart <= chars && m[j].cend >= m[i].cstart) {
                if (sn->seen[m[j].id] != i + 1) {
                    sn->seen[m[j].id] = (unsigned)(i + 1);
                    d++;
                }
                c++;
                j++;
            }
            if (j == i) /* one word longer than the window */
                j = i + 1, d = 1, c = 1;
            if (d > best_d || (d == best_d && c > best_c)) {
                best_d = d;
                best_c = c;
                best_i = i;
                best_j = j;
            }
        }
        size_t ms = m[best_i].start, me = 0, cs = m[best_i].cstart, ce = 0;
        for (size_t j = best_i; j < best_j; j++) {
            if (m[j].end > me)
                me = m[j].end, ce = m[j].cend;
        }
        /* Some context before the first match, a third of what is left. */
        size_t left = ce - cs < chars ? (chars - (ce - cs)) / 3 : 0;
        start = S_back(text, ms, left);
        if (start > 0 && !ns_is_space((unsigned char)text[start - 1])) {
            size_t p = start;
            while (p < ms && !ns_is_space((unsigned char)text[p]))
                p++;
            start = p < ms ? p + 1 : ms;
        }
        end = S_fwd(text, len, start, chars);
        if (end < me)
            end = me;
        if (end < len && !ns_is_space((unsigned char)text[end])) {
            size_t p = end;
            while (p > me && !ns_is_space((unsigned char)text[p]))
                p--;
            end = p;
        }
    } else {
        end = S_fwd(text, len, 0, chars);
        if (end < len && !ns_is_space((unsigned char)text[end])) {
            size_t p = end;
            while (p > 0 && !ns_is_space((unsigned char)text[p]))
                p--;
            if (p > 0)
                end = p;
        }
    }
    while (start < end && ns_is_space((unsigned char)text[start]))
        start++;
    while (end > start && ns_is_space((unsigned char)text[end - 1]))
        end--;
    sn->start = start;
    sn->end = end;
}

/* 3. The marks: matches inside the passage, overlapping ones merged (a
 * joined "gpt3" and its part "gpt"). */
static int S_merge_marks(snip *sn)
{
    for (size_t i = 0; i < sn->nm; i++) {
        const match *x = &sn->m[i];
        if (x->start < sn->start || x->end > sn->end)
            continue;
        if (sn->nspans && x->start < sn->spans[sn->nspans - 1].end) {
            if (x->end > sn->spans[sn->nspans - 1].end)
                sn->spans[sn->nspans - 1].end = x->end;
            continue;
        }
        if (sn->nspans % 16 == 0) {
            ns_span *p = realloc(sn->spans, (sn->nspans + 16) * sizeof *p);
            if (!p)
                return NS_ENOMEM;
            sn->spans = p;
        }
        sn->spans[sn->nspans].start = x->start;
        sn->spans[sn->nspans].end = x->end;
        sn->nspans++;
    }
    return 0;
}

/* 4. Copy the passage into b, collapsing whitespace, and map the marks to
 * offsets in the copy. Written in place into room for the longest copy (an
 * invalid byte becomes three): a call per character was a twentieth of a
 * web request. */
static int S_copy(snip *sn, ns_buf *b)
{
    const char *text = sn->text;
    size_t start = sn->start, end = sn->end, nspans = sn->nspans;
    ns_span *spans = sn->spans;
    if (end - start > (SIZE_MAX - 16) / 3 || ns_buf_reserve(b, 3 * (end - start) + 16) < 0)
        return NS_ENOMEM;
    b->data[0] = '\0';
    if (start > 0 && ns_buf_puts(b, ELLIPSIS) < 0)
        return NS_ENOMEM;
    char *d = b->data;
    size_t o = b->len, k = 0;
    int in_mark = 0;
    for (size_t p = start; p < end;) {
        if (k < nspans && in_mark && p == spans[k].end) {
            spans[k].end = o;
            k++;
            in_mark = 0;
        }
        if (k < nspans && !in_mark && p == spans[k].start) {
            spans[k].start = o;
            in_mark = 1;
        }
        unsigned char c = (unsigned char)text[p];
        if (c > 0x20 && c < 0x7F) { /* printable ASCII: as it is */
            d[o++] = (char)c;
            p++;
            continue;
        }
        int32_t cp;
        int n = ns_utf8_decode(text + p, end - p, &cp);
        if (cp < 0) {
            memcpy(d + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else if (cp <= 0x20 || cp == 0x7F) {
            /* whitespace and control characters: one space per run */
            if (o > 0 && d[o - 1] != ' ')
                d[o++] = ' ';
        } else {
            memcpy(d + o, text + p, (size_t)n);
            o += (size_t)n;
        }
        p += (size_t)n;
    }
    d[o] = '\0';
    b->len = o;
    if (k < nspans && in_mark) {
        spans[k].end = b->len;
        k++;
    }
    sn->nspans = k;
    if (end < sn->len && ns_buf_puts(b, ELLIPSIS) < 0)
        return NS_ENOMEM;
    return 0;
}

int ns_snippet_find(ns_analyzer *a, const char *text, size_t len, const ns_snippet_query *q,
                    char **out, ns_span **marks, size_t *nmarks, ns_err *err)
{
    snip sn = { .text = text, .len = len, .q = q, .chars = q->chars ? q->chars : DEFAULT_CHARS };
    ns_buf b = NS_BUF_INIT;
    size_t nids = q->nstems + q->nprefixes;
    int rc = 0;

    *out = NULL;
    *marks = NULL;
    *nmarks = 0;
    if (nids > 0 && !(sn.seen = calloc(nids, sizeof *sn.seen)))
        goto oom;
    if ((rc = S_find_matches(&sn, a, err)) < 0)
        goto done;
    S_choose_window(&sn);
    if (S_merge_marks(&sn) < 0 || S_copy(&sn, &b) < 0)
        goto oom;
    *out = ns_buf_detach(&b);
    *marks = sn.nspans ? sn.spans : NULL;
    *nmarks = sn.nspans;
    if (sn.nspans)
        sn.spans = NULL;
    goto done;
oom:
    rc = ns_err_set(err, NS_ENOMEM, "out of memory making a snippet");
done:
    free(sn.m);
    free(sn.seen);
    free(sn.spans);
    ns_buf_free(&b);
    return rc;
}

int ns_snippet_make(ns_analyzer *a, const char *text, size_t len, const char *const *stems,
                    size_t nstems, const unsigned char *present, const char *const *prefixes,
                    size_t nprefixes, size_t chars,
                    char **out, ns_span **marks, size_t *nmarks, ns_err *err)
{
    ns_snippet_query q = { .stems = stems, .nstems = nstems, .present = present,
                           .prefixes = prefixes, .nprefixes = nprefixes, .chars = chars };
    return ns_snippet_find(a, text, len, &q, out, marks, nmarks, err);
}
