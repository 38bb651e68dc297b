/* json.c: the --json object (json.h, docs/interface.md "JSON"). */
#include "json.h"

#include "html.h"
#include "utf8.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int ns_json_string(ns_buf *out, const char *s, size_t len)
{
    /* Reserve for the common case (nothing to escape) once, then copy runs
     * of characters that need no escape in one append each. */
    if (ns_buf_reserve(out, len + 2) < 0 || ns_buf_putc(out, '"') < 0)
        return NS_ENOMEM;
    size_t run = 0; /* start of the pending run of plain characters */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<') {
            i++;
            continue;
        }
        /* a two-byte sequence (Cyrillic, Latin letters with marks) is
         * never a character to escape: copied without decoding */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        if (cp > 0x7F && cp != 0x2028 && cp != 0x2029) {
            i += (size_t)n; /* valid UTF-8, copied as it is */
            continue;
        }
        if (i > run && ns_buf_append(out, s + run, i - run) < 0)
            return NS_ENOMEM;
        int rc;
        if (cp < 0)
            rc = ns_buf_puts(out, "\xEF\xBF\xBD");
        else if (cp == '"')
            rc = ns_buf_puts(out, "\\\"");
        else if (cp == '\\')
            rc = ns_buf_puts(out, "\\\\");
        else if (cp == '\n')
            rc = ns_buf_puts(out, "\\n");
        else if (cp == '\t')
            rc = ns_buf_puts(out, "\\t");
        else if (cp == '\r')
            rc = ns_buf_puts(out, "\\r");
        else if (cp == '<')
            /* so the JSON can sit inside a <script> element without ending it */
            rc = ns_buf_puts(out, "\\u003c");
        else
            /* controls; U+2028 and U+2029 are valid JSON, but line
             * terminators to JavaScript */
            rc = ns_buf_printf(out, "\\u%04x", (unsigned)cp);
        if (rc < 0)
            return NS_ENOMEM;
        i += (size_t)n;
        run = i;
    }
    if (len > run && ns_buf_append(out, s + run, len - run) < 0)
        return NS_ENOMEM;
    return ns_buf_putc(out, '"');
}

static int S_str(ns_buf *out, const char *s)
{
    if (!s)
        return ns_buf_puts(out, "null");
    return ns_json_string(out, s, strlen(s));
}

static int S_key(ns_buf *out, const char *key)
{
    if (ns_json_string(out, key, strlen(key)) < 0 || ns_buf_putc(out, ':') < 0)
        return NS_ENOMEM;
    return 0;
}

/* ,"permalink":... of r, when the options have a template. */
static int S_permalink(ns_buf *out, const ns_record *r, const ns_json_opts *o)
{
    if (!o->permalink)
        return 0;
    ns_buf link = NS_BUF_INIT;
    int lrc = ns_permalink_expand(o->permalink, r, &link);
    int rc = lrc == NS_ENOMEM || ns_buf_putc(out, ',') < 0 || S_key(out, "permalink") < 0 ||
                     S_str(out, lrc == 0 ? ns_buf_cstr(&link) : NULL) < 0
                 ? NS_ENOMEM
                 : 0;
    ns_buf_free(&link);
    return rc;
}

/* ,"also":[{"id","lang","title","url"(,"permalink")}...]: the story's other
 * tellings (only with stories). */
static int S_also(ns_buf *out, const ns_hit *h, const ns_json_opts *o)
{
    if (ns_buf_puts(out, ",\"also\":[") < 0)
        return NS_ENOMEM;
    for (size_t k = 0; k < h->nalso; k++) {
        const ns_record *a = &h->also[k];
        const char *url = ns_html_url_linkable(a->url) ? a->url : NULL;
        if ((k && ns_buf_putc(out, ',') < 0) || ns_buf_puts(out, "{\"id\":") < 0 ||
            S_str(out, a->id ? a->id : "") < 0 || ns_buf_puts(out, ",\"lang\":") < 0 ||
            S_str(out, a->lang ? a->lang : "") < 0 || ns_buf_puts(out, ",\"title\":") < 0 ||
            S_str(out, a->title ? a->title : "") < 0 || ns_buf_puts(out, ",\"url\":") < 0 ||
            S_str(out, url) < 0 || S_permalink(out, a, o) < 0 || ns_buf_putc(out, '}') < 0)
            return NS_ENOMEM;
    }
    return ns_buf_putc(out, ']');
}

static int S_hit(ns_buf *out, const ns_hit *h, const ns_json_opts *o)
{
    const ns_record *r = &h->rec;
    ns_buf html = NS_BUF_INIT;
    int rc = NS_ENOMEM;
    double score = isfinite(h->score) ? h->score : 0.0;

    if (ns_buf_printf(out, "{\"rank\":%u,", h->rank) < 0 || S_key(out, "id") < 0 ||
        S_str(out, r->id ? r->id : "") < 0 || ns_buf_putc(out, ',') < 0 ||
        S_key(out, "title") < 0 || S_str(out, r->title ? r->title : "") < 0 ||
        ns_buf_putc(out, ',') < 0 || S_key(out, "date") < 0 ||
        S_str(out, r->date ? r->date : "") < 0 || ns_buf_putc(out, ',') < 0 ||
        S_key(out, "month") < 0 || S_str(out, h->month) < 0 || ns_buf_putc(out, ',') < 0 ||
        S_key(out, "lang") < 0 || S_str(out, r->lang ? r->lang : "") < 0 ||
        ns_buf_puts(out, ",\"vendors\":[") < 0)
        goto done;
    for (size_t i = 0; i < r->nvendors; i++)
        if ((i && ns_buf_putc(out, ',') < 0) || S_str(out, r->vendors[i]) < 0)
            goto done;
    const char *url = ns_html_url_linkable(r->url) ? r->url : NULL;
    const char *path = o->archive_paths ? r->rel : r->path ? r->path : "";
    if (ns_buf_puts(out, "],") < 0 || S_key(out, "url") < 0 || S_str(out, url) < 0 ||
        ns_buf_putc(out, ',') < 0 || S_key(out, "path") < 0 || S_str(out, path) < 0)
        goto done;
    if (S_permalink(out, r, o) < 0 || S_also(out, h, o) < 0)
        goto done;
    if (ns_buf_printf(out, ",\"score\":%.6g,\"partial\":%s,", score,
                      h->partial ? "true" : "false") < 0 || S_key(out, "snippet") < 0 ||
        S_str(out, h->snippet ? h->snippet : "") < 0 || ns_buf_putc(out, ',') < 0)
        goto done;
    if (ns_html_snippet(&html, h) < 0 || S_key(out, "snippet_html") < 0 ||
        ns_json_string(out, ns_buf_cstr(&html), html.len) < 0 || ns_buf_putc(out, '}') < 0)
        goto done;
    rc = 0;
done:
    ns_buf_free(&html);
    return rc;
}

/* ":%u" of n, without printf's cost (a page's facets are a hundred such). */
static int S_colon_uint(ns_buf *out, unsigned n)
{
    char d[16];
    size_t k = sizeof d;
    do {
        d[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    d[--k] = ':';
    return ns_buf_append(out, d + k, sizeof d - k);
}

static int S_facets(ns_buf *out, const ns_facet_count *f, size_t n)
{
    if (ns_buf_putc(out, '{') < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if ((i && ns_buf_putc(out, ',') < 0) || S_str(out, f[i].name ? f[i].name : "") < 0 ||
            S_colon_uint(out, f[i].count) < 0)
            return NS_ENOMEM;
    return ns_buf_putc(out, '}');
}

/* ,"intents":{...}: only the intents read. */
static int S_intents(ns_buf *out, const ns_intents *in)
{
    int n = 0;
    if (ns_buf_puts(out, ",\"intents\":{") < 0)
        return NS_ENOMEM;
    if (in->month[0] && (ns_buf_puts(out, "\"month\":") < 0 || S_str(out, in->month) < 0))
        return NS_ENOMEM;
    n += in->month[0] != 0;
    if (in->year[0] && ((n && ns_buf_putc(out, ',') < 0) || ns_buf_puts(out, "\"year\":") < 0 ||
                        S_str(out, in->year) < 0))
        return NS_ENOMEM;
    n += in->year[0] != 0;
    if (in->vendor && ((n && ns_buf_putc(out, ',') < 0) || ns_buf_puts(out, "\"vendor\":") < 0 ||
                       S_str(out, in->vendor) < 0))
        return NS_ENOMEM;
    return ns_buf_putc(out, '}');
}

/* ,"expansions":[{"words":..., "with":[...]}...] */
static int S_expansions(ns_buf *out, const ns_results *r)
{
    if (ns_buf_puts(out, ",\"expansions\":[") < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < r->nexpansions; i++) {
        const ns_expansion *x = &r->expansions[i];
        if ((i && ns_buf_putc(out, ',') < 0) || ns_buf_puts(out, "{\"words\":") < 0 ||
            S_str(out, x->words ? x->words : "") < 0 || ns_buf_puts(out, ",\"with\":[") < 0)
            return NS_ENOMEM;
        for (size_t k = 0; k < x->nwith; k++)
            if ((k && ns_buf_putc(out, ',') < 0) || S_str(out, x->with[k]) < 0)
                return NS_ENOMEM;
        if (ns_buf_puts(out, "]}") < 0)
            return NS_ENOMEM;
    }
    return ns_buf_putc(out, ']');
}

int ns_json_results(ns_buf *out, const ns_results *r)
{
    return ns_json_results_opts(out, r, NULL);
}

int ns_json_results_opts(ns_buf *out, const ns_results *r, const ns_json_opts *opts)
{
    static const ns_json_opts defaults = NS_JSON_OPTS_INIT;
    const ns_json_opts *o = opts ? opts : &defaults;
    if (ns_buf_puts(out, "{\"query\":") < 0 || S_str(out, r->query ? r->query : "") < 0 ||
        ns_buf_printf(out, ",\"total\":%u,\"total_articles\":%u,\"total_all_words\":%u,"
                      "\"offset\":%u,\"limit\":%u,\"relaxed\":%s,\"results\":[",
                      r->total, r->total_articles, r->total_all, r->offset, r->limit,
                      r->relaxed ? "true" : "false") < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < r->nhits; i++)
        if ((i && ns_buf_putc(out, ',') < 0) || S_hit(out, &r->hits[i], o) < 0)
            return NS_ENOMEM;
    if (ns_buf_puts(out, "],\"facets\":{\"vendor\":") < 0 ||
        S_facets(out, r->vendor_facets, r->nvendor_facets) < 0 ||
        ns_buf_puts(out, ",\"month\":") < 0 ||
        S_facets(out, r->month_facets, r->nmonth_facets) < 0 ||
        ns_buf_puts(out, ",\"lang\":") < 0 || S_facets(out, r->lang_facets, r->nlang_facets) < 0 ||
        ns_buf_printf(out, "},\"facets_disjunctive\":{\"vendor\":%s,\"month\":%s}",
                      r->vendor_disjunctive ? "true" : "false",
                      r->month_disjunctive ? "true" : "false") < 0 ||
        ns_buf_puts(out, ",\"suggestion\":") < 0 || S_str(out, r->suggestion) < 0 ||
        ns_buf_printf(out, ",\"layout\":%s,\"showing_suggestion\":%s",
                      r->layout ? "true" : "false", r->showing_suggestion ? "true" : "false") < 0 ||
        S_intents(out, &r->intents) < 0 || S_expansions(out, r) < 0)
        return NS_ENOMEM;
    /* only when a sharded database answered without some of its shards */
    if (r->missing_shards) {
        ns_buf w = NS_BUF_INIT;
        int wrc = ns_buf_printf(&w, "partial results: shards not answering: %s", r->missing_shards);
        if (wrc < 0 || ns_buf_puts(out, ",\"warning\":") < 0 || S_str(out, w.data) < 0 ||
            ns_buf_puts(out, ",\"missing_shards\":") < 0 || S_str(out, r->missing_shards) < 0) {
            ns_buf_free(&w);
            return NS_ENOMEM;
        }
        ns_buf_free(&w);
    }
    if (o->took_ms >= 0 && ns_buf_printf(out, ",\"took_ms\":%.3f", o->took_ms) < 0)
        return NS_ENOMEM;
    return ns_buf_putc(out, '}');
}

int ns_json_error(ns_buf *out, const char *query, size_t query_len, const char *message)
{
    if (ns_buf_puts(out, "{\"query\":") < 0 || ns_json_string(out, query ? query : "",
                                                             query ? query_len : 0) < 0 ||
        ns_buf_puts(out, ",\"error\":") < 0 || S_str(out, message ? message : "") < 0 ||
        ns_buf_putc(out, '}') < 0)
        return NS_ENOMEM;
    return 0;
}
