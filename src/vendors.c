/* vendors.c: the vendor table: parse "Canonical | alias | alias" lines, keep
 * each name as the sequence of terms the analyser gives it, and match those
 * sequences against names (canonical) and analysed text (detect).
 *
 * Why term sequences: an article says "Сбербанка" or "Яндексом", a title says
 * "NVIDIA", front matter says "Hugging Face". Going through the same analyser
 * as the index makes case, inflection and spacing variants meet, and matching
 * whole terms (never substrings) keeps "Googleplex" from naming Google. */
#include "vendors.h"
#include "str.h"
#include "list.h"

#include "data.h"

#include <stdlib.h>
#include <string.h>

typedef struct alias {
    char **terms;   /* positional terms; "" stands for a stopword */
    size_t n;       /* >= 1, terms[0] is never "" */
    size_t canon;   /* index into names */
} alias;

struct ns_vendors {
    char **names;   /* canonical names, in table order */
    size_t nnames, capnames;
    alias *aliases; /* sorted by first term, then longest first */
    size_t naliases, capaliases;
};

/* ---- helpers ---- */


static void S_alias_clear(alias *al)
{
    for (size_t i = 0; i < al->n; i++)
        free(al->terms[i]);
    free(al->terms);
    al->terms = NULL;
    al->n = 0;
}



/* Analyse a name into its positional terms (stopwords as ""), dropping
 * JOINED terms: a compound alias is matched by its parts, as they are what
 * carry positions in analysed text. Leading/trailing stopwords are dropped so
 * the first term is always a real one. *out is empty when the name holds no
 * word. 0 or NS_ENOMEM. */
static int S_name_terms(ns_analyzer *a, const char *name, size_t len, alias *out, ns_err *err)
{
    const ns_term *t = NULL;
    size_t count = 0;
    memset(out, 0, sizeof *out);
    int rc = ns_analyze(a, name, len, 1, &t, &count, NULL, err);
    if (rc < 0)
        return rc;
    size_t first = count, last = 0;
    for (size_t i = 0; i < count; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        if (first == count)
            first = i;
        last = i;
    }
    if (first == count)
        return 0;
    out->terms = calloc(last - first + 1, sizeof *out->terms);
    if (!out->terms)
        return ns_err_set(err, NS_ENOMEM, "out of memory loading vendors");
    for (size_t i = first; i <= last; i++) {
        if (t[i].flags & NS_TERM_JOINED)
            continue;
        /* Terms come in position order; a gap (a skipped over-long term)
         * cannot be matched, so it ends the name. */
        if (out->n && t[i].pos != t[first].pos + out->n)
            break;
        const char *s = (t[i].flags & NS_TERM_STOP) ? "" : t[i].term;
        if (!(out->terms[out->n] = ns_strndup(s, strlen(s)))) {
            S_alias_clear(out);
            return ns_err_set(err, NS_ENOMEM, "out of memory loading vendors");
        }
        out->n++;
    }
    return 0;
}

static int S_alias_cmp(const void *pa, const void *pb)
{
    const alias *a = pa, *b = pb;
    int c = strcmp(a->terms[0], b->terms[0]);
    if (c)
        return c;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;  /* longest first: "Google Brain" before "Google" */
    for (size_t i = 1; i < a->n; i++)
        if ((c = strcmp(a->terms[i], b->terms[i])))
            return c;
    return 0;
}

/* First alias whose first term is `term`, or naliases. */
static size_t S_lower_bound(const ns_vendors *v, const char *term)
{
    size_t lo = 0, hi = v->naliases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->aliases[mid].terms[0], term) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int S_add_name(ns_vendors *v, const char *name, size_t len, ns_err *err)
{
    if (ns_array_room(&v->names, v->nnames, &v->capnames, sizeof *v->names, 32) < 0 ||
        !(v->names[v->nnames] = ns_strndup(name, len)))
        return ns_err_set(err, NS_ENOMEM, "out of memory loading vendors");
    v->nnames++;
    return 0;
}

static int S_add_alias(ns_vendors *v, alias *al, ns_err *err)
{
    if (ns_array_room(&v->aliases, v->naliases, &v->capaliases, sizeof *v->aliases, 64) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory loading vendors");
    v->aliases[v->naliases++] = *al;
    memset(al, 0, sizeof *al);
    return 0;
}

/* Parse one table line (without its newline). */
static int S_parse_line(ns_vendors *v, ns_analyzer *a, const char *line, size_t len,
                        size_t lineno, ns_err *err)
{
    const char *s = line;
    size_t n = len;
    ns_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return 0;
    size_t canon = v->nnames;
    int field = 0;
    const char *p = s, *end = s + n;
    while (p <= end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *fend = bar ? bar : end;
        const char *f = p;
        size_t flen = (size_t)(fend - p);
        ns_trim(&f, &flen);
        if (field > 0 && flen > 0 && f[0] == '=') {
            /* the name the Russian page shows (searcher/i18n.h): an alias too */
            f++;
            flen--;
            ns_trim(&f, &flen);
        }
        if (flen == 0)
            return ns_err_set(err, NS_ESYNTAX, "vendors line %zu: empty name in '%.*s'", lineno,
                              (int)(n > 80 ? 80 : n), s);
        alias al;
        int rc = S_name_terms(a, f, flen, &al, err);
        if (rc < 0)
            return rc;
        if (al.n == 0)
            return ns_err_set(err, NS_ESYNTAX, "vendors line %zu: '%.*s' holds no word", lineno,
                              (int)(flen > 80 ? 80 : flen), f);
        if (field == 0 && (rc = S_add_name(v, f, flen, err)) < 0) {
            S_alias_clear(&al);
            return rc;
        }
        al.canon = canon;
        if ((rc = S_add_alias(v, &al, err)) < 0) {
            S_alias_clear(&al);
            return rc;
        }
        field++;
        if (!bar)
            break;
        p = bar + 1;
    }
    return 0;
}

/* ---- loading ---- */

int ns_vendors_new_from_text(ns_vendors **out, ns_analyzer *a, const char *text, size_t len,
                             ns_err *err)
{
    int rc = 0;
    *out = NULL;
    ns_vendors *v = calloc(1, sizeof *v);
    if (!v)
        return ns_err_set(err, NS_ENOMEM, "out of memory loading vendors");
    size_t lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *lend = nl ? nl : end;
        lineno++;
        if ((rc = S_parse_line(v, a, p, (size_t)(lend - p), lineno, err)) < 0)
            goto done;
        p = nl ? nl + 1 : end;
    }
    if (v->naliases)
        qsort(v->aliases, v->naliases, sizeof *v->aliases, S_alias_cmp);
    /* The same words naming two organisations would make detection depend
     * on table order: refuse the table instead. */
    for (size_t i = 1; i < v->naliases; i++) {
        const alias *x = &v->aliases[i - 1], *y = &v->aliases[i];
        if (S_alias_cmp(x, y) == 0 && x->canon != y->canon) {
            /* names has nnames entries and every alias's canon indexes it */
            rc = ns_err_set(err, NS_ESYNTAX, "vendors: the same name is an alias of both '%s' and '%s'",
                            /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
                            v->names[x->canon], v->names[y->canon]);
            goto done;
        }
    }
done:
    if (rc < 0) {
        ns_vendors_free(v);
        return rc;
    }
    *out = v;
    return 0;
}

int ns_vendors_new(ns_vendors **out, ns_analyzer *a, ns_err *err)
{
    return ns_vendors_new_from_text(out, a, ns_data_vendors, strlen(ns_data_vendors), err);
}

void ns_vendors_free(ns_vendors *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nnames; i++)
        free(v->names[i]);
    free(v->names);
    for (size_t i = 0; i < v->naliases; i++)
        S_alias_clear(&v->aliases[i]);
    free(v->aliases);
    free(v);
}

/* ---- matching ---- */

const char *ns_vendors_canonical(const ns_vendors *v, ns_analyzer *a, const char *name,
                                 size_t len)
{
    ns_trim(&name, &len);
    alias al;
    /* al.n == 0 only when S_name_terms allocated nothing (it stores at least
     * the first term it allocates for) */
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    if (!v || len == 0 || S_name_terms(a, name, len, &al, NULL) < 0 || al.n == 0)
        return NULL;
    const char *found = NULL;
    for (size_t i = S_lower_bound(v, al.terms[0]); i < v->naliases; i++) {
        const alias *x = &v->aliases[i];
        if (strcmp(x->terms[0], al.terms[0]) != 0)
            break;
        if (S_alias_cmp(x, &al) == 0) {
            found = v->names[x->canon];
            break;
        }
    }
    S_alias_clear(&al);
    return found;
}

/* Does alias x match the positional terms t[i..] at consecutive positions? */
static int S_match_at(const alias *x, const ns_term *const *t, size_t i, size_t n)
{
    if (n - i < x->n)
        return 0;
    for (size_t k = 1; k < x->n; k++) {
        const ns_term *u = t[i + k];
        if (u->pos != t[i]->pos + k)
            return 0;
        const char *s = (u->flags & NS_TERM_STOP) ? "" : u->term;
        if (strcmp(s, x->terms[k]) != 0)
            return 0;
    }
    return 1;
}

/* Does t[first..last] cover whole tokens? A vendor is named by whole words:
 * "amd64" and "arm64" in a man-page-like article are not AMD and Arm, and
 * "Google-backed" is not an article about Google. */
static int S_whole_tokens(const ns_term *const *t, size_t first, size_t last, size_t n)
{
    /* t[0..n) are all set by the caller; first <= last < n */
    if (first > 0 && t[first - 1]->token == t[first]->token)
        return 0;
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    if (last + 1 < n && t[last + 1]->token == t[last]->token)
        return 0;
    return 1;
}

int ns_vendors_detect(const ns_vendors *v, const ns_term *terms, size_t count, ns_vendor_fn fn,
                      void *ctx)
{
    if (!v || v->nnames == 0 || count == 0)
        return 0;
    int rc = 0;
    unsigned char *seen = calloc(v->nnames, 1);
    /* Positional terms only: a JOINED term has no position to chain on. */
    const ns_term **t = malloc(count * sizeof *t);
    if (!seen || !t) {
        rc = NS_ENOMEM;
        goto done;
    }
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (!(terms[i].flags & NS_TERM_JOINED))
            t[n++] = &terms[i];
    for (size_t i = 0; i < n; i++) {
        if (t[i]->flags & NS_TERM_STOP)
            continue;
        for (size_t j = S_lower_bound(v, t[i]->term); j < v->naliases; j++) {
            const alias *x = &v->aliases[j];
            if (strcmp(x->terms[0], t[i]->term) != 0)
                break;
            if (!S_match_at(x, t, i, n) || !S_whole_tokens(t, i, i + x->n - 1, n))
                continue;
            if (!seen[x->canon]) {
                seen[x->canon] = 1;
                if ((rc = fn(ctx, v->names[x->canon])) != 0)
                    goto done;
            }
            i += x->n - 1;  /* the longest match consumes its words */
            break;
        }
    }
done:
    free(seen);
    free(t);
    return rc;
}

size_t ns_vendors_count(const ns_vendors *v)
{
    return v ? v->nnames : 0;
}

const char *ns_vendors_name(const ns_vendors *v, size_t i)
{
    return v && i < v->nnames ? v->names[i] : NULL;
}
