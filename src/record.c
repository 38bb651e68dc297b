/* record.c: encode and decode an article's stored data (see record.h). */
#include "record.h"
#include "str.h"

#include <stdlib.h>
#include <string.h>

static int S_put(ns_buf *out, char tag, const char *s, size_t len)
{
    if (!s)
        return 0;
    if (ns_buf_printf(out, "%c%zu:", tag, len) < 0 || ns_buf_append(out, s, len) < 0)
        return NS_ENOMEM;
    return 0;
}

int ns_record_encode(const ns_record *r, ns_buf *out, ns_err *err)
{
    int rc = 0;
    rc |= S_put(out, 'i', r->id, r->id ? strlen(r->id) : 0);
    rc |= S_put(out, 't', r->title, r->title ? strlen(r->title) : 0);
    rc |= S_put(out, 'd', r->date, r->date ? strlen(r->date) : 0);
    rc |= S_put(out, 'l', r->lang, r->lang ? strlen(r->lang) : 0);
    for (size_t i = 0; i < r->nvendors; i++)
        rc |= S_put(out, 'v', r->vendors[i], strlen(r->vendors[i]));
    rc |= S_put(out, 'u', r->url, r->url ? strlen(r->url) : 0);
    rc |= S_put(out, 'p', r->path, r->path ? strlen(r->path) : 0);
    rc |= S_put(out, 'x', r->text, r->text ? r->text_len : 0);
    if (rc)
        return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
    return 0;
}


int ns_record_decode(ns_record *r, const char *data, size_t len, ns_err *err)
{
    memset(r, 0, sizeof *r);
    size_t i = 0;
    while (i < len) {
        char tag = data[i++];
        size_t n = 0;
        int digits = 0;
        while (i < len && data[i] >= '0' && data[i] <= '9') {
            if (n > (len - i) / 10 + 1)
                goto corrupt;
            n = n * 10 + (size_t)(data[i++] - '0');
            digits++;
        }
        if (!digits || i >= len || data[i] != ':' || n > len - i - 1)
            goto corrupt;
        i++;
        const char *val = data + i;
        i += n;
        char **slot = NULL;
        switch (tag) {
        case 'i': slot = &r->id; break;
        case 't': slot = &r->title; break;
        case 'd': slot = &r->date; break;
        case 'l': slot = &r->lang; break;
        case 'u': slot = &r->url; break;
        case 'p': slot = &r->path; break;
        case 'x': slot = &r->text; r->text_len = n; break;
        case 'v': {
            char **v = realloc(r->vendors, (r->nvendors + 1) * sizeof *v);
            if (!v)
                goto nomem;
            r->vendors = v;
            if (!(v[r->nvendors] = ns_strndup(val, n)))
                goto nomem;
            r->nvendors++;
            continue;
        }
        default: continue; /* a field from a newer version */
        }
        free(*slot);
        if (!(*slot = ns_strndup(val, n)))
            goto nomem;
    }
    return 0;
corrupt:
    ns_record_clear(r);
    return ns_err_set(err, NS_ECORRUPT, "stored article data is corrupt at byte %zu", i);
nomem:
    ns_record_clear(r);
    return ns_err_set(err, NS_ENOMEM, "out of memory decoding record");
}

void ns_record_clear(ns_record *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->title);
    free(r->date);
    free(r->lang);
    for (size_t i = 0; i < r->nvendors; i++)
        free(r->vendors[i]);
    free(r->vendors);
    free(r->url);
    free(r->path);
    free(r->text);
    memset(r, 0, sizeof *r);
}
