/* render.c: results as text for people (render.h). */
#include "render.h"

#include "html.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#define INDENT "    "
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_MARK "\033[1;33m"
#define C_OFF "\033[0m"

/* Append s[0..len) with invalid UTF-8 and control characters made harmless:
 * a title must not be able to send escape codes to the terminal. */
static int S_safe(ns_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        int rc;
        if (cp < 0)
            rc = ns_buf_puts(out, "\xEF\xBF\xBD");
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            rc = ns_buf_putc(out, ' ');
        else
            rc = ns_buf_append(out, s + i, (size_t)n);
        if (rc < 0)
            return NS_ENOMEM;
        i += (size_t)n;
    }
    return 0;
}

static int S_quoted(ns_buf *out, const char *s)
{
    if (ns_buf_putc(out, '"') < 0 || S_safe(out, s, strlen(s)) < 0 || ns_buf_putc(out, '"') < 0)
        return NS_ENOMEM;
    return 0;
}

/* The snippet wrapped to width, each line indented, marks highlighted. */
static int S_snippet(ns_buf *out, const ns_hit *h, const ns_render_opts *o, size_t width)
{
    const char *s = h->snippet ? h->snippet : "";
    size_t len = strlen(s), col = 0, k = 0;
    int in_mark = 0;

    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t e = i;
        while (e < len && s[e] != ' ')
            e++;
        size_t w = ns_utf8_chars(s + i, e - i);
        if (col == 0) {
            if (ns_buf_puts(out, INDENT) < 0)
                return NS_ENOMEM;
            col = strlen(INDENT);
        } else if (col + 1 + w > width) {
            if (ns_buf_puts(out, "\n" INDENT) < 0)
                return NS_ENOMEM;
            col = strlen(INDENT);
        } else {
            if (ns_buf_putc(out, ' ') < 0)
                return NS_ENOMEM;
            col++;
        }
        /* Copy the word, switching the highlight on and off at mark edges. */
        size_t p = i;
        while (p < e) {
            while (k < h->nmarks && h->marks[k].end <= p) {
                if (in_mark && o->color && ns_buf_puts(out, C_OFF) < 0)
                    return NS_ENOMEM;
                in_mark = 0;
                k++;
            }
            size_t next = e;
            if (k < h->nmarks) {
                if (!in_mark && h->marks[k].start <= p) {
                    if (o->color && ns_buf_puts(out, C_MARK) < 0)
                        return NS_ENOMEM;
                    in_mark = 1;
                }
                size_t edge = in_mark ? h->marks[k].end : h->marks[k].start;
                if (edge > p && edge < next)
                    next = edge;
            }
            if (S_safe(out, s + p, next - p) < 0)
                return NS_ENOMEM;
            p = next;
        }
        if (in_mark && o->color && ns_buf_puts(out, C_OFF) < 0)
            return NS_ENOMEM;
        in_mark = 0;
        col += w;
        i = e;
    }
    if (col && ns_buf_putc(out, '\n') < 0)
        return NS_ENOMEM;
    return 0;
}

static int S_hit(ns_buf *out, const ns_hit *h, const ns_render_opts *o, size_t width)
{
    const ns_record *r = &h->rec;
    const char *title = r->title ? r->title : "";
    if (ns_buf_printf(out, "%3u.%s", h->rank, h->partial ? "~" : " ") < 0 || (o->color && ns_buf_puts(out, C_BOLD) < 0) ||
        S_safe(out, title, strlen(title)) < 0 || (o->color && ns_buf_puts(out, C_OFF) < 0) ||
        ns_buf_puts(out, "\n" INDENT) < 0 || (o->color && ns_buf_puts(out, C_DIM) < 0) ||
        S_safe(out, r->date ? r->date : "", r->date ? strlen(r->date) : 0) < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < r->nvendors; i++)
        if (ns_buf_puts(out, i ? ", " : "  ") < 0 ||
            S_safe(out, r->vendors[i], strlen(r->vendors[i])) < 0)
            return NS_ENOMEM;
    const char *where = ns_html_url_linkable(r->url) ? r->url : r->path ? r->path : "";
    if (ns_buf_puts(out, "  ") < 0 || S_safe(out, where, strlen(where)) < 0 ||
        (o->color && ns_buf_puts(out, C_OFF) < 0) || ns_buf_putc(out, '\n') < 0)
        return NS_ENOMEM;
    /* --stories: the other tellings, one line each: "also (ru): id" */
    for (size_t k = 0; k < h->nalso; k++) {
        const ns_record *a = &h->also[k];
        if (ns_buf_puts(out, INDENT) < 0 || (o->color && ns_buf_puts(out, C_DIM) < 0) ||
            ns_buf_puts(out, "also (") < 0 || S_safe(out, a->lang ? a->lang : "", a->lang ? strlen(a->lang) : 0) < 0 ||
            ns_buf_puts(out, "): ") < 0 || S_safe(out, a->id ? a->id : "", a->id ? strlen(a->id) : 0) < 0 ||
            (o->color && ns_buf_puts(out, C_OFF) < 0) || ns_buf_putc(out, '\n') < 0)
            return NS_ENOMEM;
    }
    if (S_snippet(out, h, o, width) < 0 || ns_buf_putc(out, '\n') < 0)
        return NS_ENOMEM;
    return 0;
}

static int S_facets(ns_buf *out, const char *label, const ns_facet_count *f, size_t n)
{
    if (ns_buf_printf(out, "%s:", label) < 0)
        return NS_ENOMEM;
    if (n == 0 && ns_buf_puts(out, " none") < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (ns_buf_puts(out, "\n  ") < 0 || S_safe(out, f[i].name, strlen(f[i].name)) < 0 ||
            ns_buf_printf(out, "  %u", f[i].count) < 0)
            return NS_ENOMEM;
    }
    return ns_buf_putc(out, '\n');
}

int ns_render_text(ns_buf *out, const ns_results *r, const ns_render_opts *o)
{
    static const ns_render_opts defaults = NS_RENDER_OPTS_INIT;
    if (!o)
        o = &defaults;
    size_t width = o->width ? o->width : 80;
    const char *q = r->query ? r->query : "";

    if (r->showing_suggestion && r->suggestion) {
        /* the query found nothing; these are the suggestion's results */
        if (ns_buf_printf(out, "No results for ") < 0 || S_quoted(out, q) < 0 ||
            ns_buf_puts(out, r->layout ? " (typed in the other keyboard layout?)." : ".") < 0 ||
            ns_buf_printf(out, "\nShowing %u result%s for ", r->total, r->total == 1 ? "" : "s") < 0 ||
            S_quoted(out, r->suggestion) < 0 || ns_buf_puts(out, " instead\n") < 0)
            return NS_ENOMEM;
    } else if (r->total == 0) {
        if (ns_buf_puts(out, "No results for ") < 0 || S_quoted(out, q) < 0 ||
            ns_buf_puts(out, ".\n") < 0)
            return NS_ENOMEM;
    } else if (r->relaxed) {
        if (ns_buf_printf(out, "No article has all the words; showing %u article%s with any of them\n",
                          r->total, r->total == 1 ? "" : "s") < 0)
            return NS_ENOMEM;
    } else {
        if (ns_buf_printf(out, "%u result%s for ", r->total, r->total == 1 ? "" : "s") < 0 ||
            S_quoted(out, q) < 0)
            return NS_ENOMEM;
        if (r->total_all < r->total &&
            ns_buf_printf(out, ": %u with every word, %u with some (marked ~)", r->total_all,
                          r->total - r->total_all) < 0)
            return NS_ENOMEM;
        if (ns_buf_putc(out, '\n') < 0)
            return NS_ENOMEM;
    }
    if (r->suggestion && !r->showing_suggestion &&
        (ns_buf_puts(out, r->layout ? "Did you mean (keyboard layout): " : "Did you mean: ") < 0 ||
                          S_safe(out, r->suggestion, strlen(r->suggestion)) < 0 ||
                          ns_buf_puts(out, "?\n") < 0))
        return NS_ENOMEM;
    if (r->nhits && r->offset > 0 &&
        ns_buf_printf(out, "(results %u-%u)\n", r->offset + 1, r->offset + (unsigned)r->nhits) < 0)
        return NS_ENOMEM;
    if (r->nhits && ns_buf_putc(out, '\n') < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < r->nhits; i++)
        if (S_hit(out, &r->hits[i], o, width) < 0)
            return NS_ENOMEM;
    if (o->facets) {
        if (ns_buf_putc(out, '\n') < 0 ||
            S_facets(out, "Vendors", r->vendor_facets, r->nvendor_facets) < 0 ||
            S_facets(out, "Months", r->month_facets, r->nmonth_facets) < 0)
            return NS_ENOMEM;
    }
    return 0;
}
