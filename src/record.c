/* record.c: encode and decode an article's stored data (see record.h). */
#include "record.h"
#include "list.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* Texts shorter than this are stored as they are ('x'): compressing them
 * saves little and a frame header costs a dozen bytes. */
#define COMPRESS_MIN 256
/* Fast to compress, and as small as zlib's default on article text. */
#define ZSTD_LEVEL 3
/* A decompressed text larger than this is taken for corrupt data. */
#define TEXT_MAX (256u << 20)

static int S_put(ns_buf *out, char tag, const char *s, size_t len)
{
    if (!s)
        return 0;
    if (ns_buf_printf(out, "%c%zu:", tag, len) < 0 || ns_buf_append(out, s, len) < 0)
        return NS_ENOMEM;
    return 0;
}

struct ns_record_codec {
    ZSTD_CCtx *cctx; /* created on first use */
    ZSTD_DCtx *dctx;
};

int ns_record_codec_new(ns_record_codec **out, ns_err *err)
{
    if (!(*out = calloc(1, sizeof **out)))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return 0;
}

void ns_record_codec_free(ns_record_codec *c)
{
    if (!c)
        return;
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    free(c);
}

/* The text as 'z' (a zstd frame) when it is long enough to gain, else 'x'.
 * Xapian's own zlib compression of the document data is then left nothing
 * to do, and reading a result's text costs a zstd decompression, several
 * times faster than inflating it (which was a sixth of a search's time). */
static int S_put_text(ns_buf *out, ns_record_codec *c, const char *text, size_t len,
                      ns_err *err)
{
    if (!text)
        return 0;
    if (c && !c->cctx && !(c->cctx = ZSTD_createCCtx()))
        return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
    if (len >= COMPRESS_MIN) {
        size_t bound = ZSTD_compressBound(len), at = out->len;
        if (ns_buf_printf(out, "z%zu:", bound) < 0 || ns_buf_reserve(out, bound) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
        size_t head = out->len;
        size_t n = c ? ZSTD_compressCCtx(c->cctx, out->data + head, bound, text, len, ZSTD_LEVEL)
                     : ZSTD_compress(out->data + head, bound, text, len, ZSTD_LEVEL);
        if (!ZSTD_isError(n) && n < len) {
            /* Rewrite the header with the real length (no longer digits). */
            char hdr[32];
            int hl = snprintf(hdr, sizeof hdr, "z%zu:", n);
            memmove(out->data + at + hl, out->data + head, n);
            memcpy(out->data + at, hdr, (size_t)hl);
            out->len = at + (size_t)hl + n;
            out->data[out->len] = '\0';
            return 0;
        }
        out->len = at;
        out->data[at] = '\0';
    }
    if (S_put(out, 'x', text, len) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
    return 0;
}

/* Decompress a 'z' field into a malloc'd, NUL-terminated text. */
static int S_unzip(ns_record_codec *c, const char *src, size_t n, char **text, size_t *len)
{
    if (c && !c->dctx && !(c->dctx = ZSTD_createDCtx()))
        return NS_ENOMEM;
    unsigned long long size = ZSTD_getFrameContentSize(src, n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > TEXT_MAX)
        return NS_ECORRUPT;
    char *buf = malloc((size_t)size + 1);
    if (!buf)
        return NS_ENOMEM;
    size_t got = c ? ZSTD_decompressDCtx(c->dctx, buf, (size_t)size, src, n)
                   : ZSTD_decompress(buf, (size_t)size, src, n);
    if (ZSTD_isError(got) || got != size) {
        free(buf);
        return NS_ECORRUPT;
    }
    buf[got] = '\0';
    free(*text);
    *text = buf;
    *len = got;
    return 0;
}

int ns_record_encode(const ns_record *r, ns_record_codec *c, ns_buf *out, ns_err *err)
{
    int rc = 0;
    rc |= S_put(out, 'i', r->id, r->id ? strlen(r->id) : 0);
    rc |= S_put(out, 't', r->title, r->title ? strlen(r->title) : 0);
    rc |= S_put(out, 'd', r->date, r->date ? strlen(r->date) : 0);
    rc |= S_put(out, 'l', r->lang, r->lang ? strlen(r->lang) : 0);
    for (size_t i = 0; i < r->nvendors; i++)
        rc |= S_put(out, 'v', r->vendors[i], strlen(r->vendors[i]));
    rc |= S_put(out, 'u', r->url, r->url ? strlen(r->url) : 0);
    rc |= S_put(out, 'r', r->rel, r->rel ? strlen(r->rel) : 0);
    rc |= S_put(out, 'p', r->path, r->path ? strlen(r->path) : 0);
    if (rc)
        return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
    return S_put_text(out, c, r->text, r->text_len, err);
}


/* Read the field "<tag><length>:<value>" at data[*i], moving *i past it:
 * its tag, and its value the n bytes before the new *i. -1 when the bytes
 * are not a field (then *i is where reading stopped). */
static int S_field(const char *data, size_t len, size_t *i, char *tag, size_t *n)
{
    size_t at = *i;
    int digits = 0;
    *tag = data[at++];
    *n = 0;
    while (at < len && data[at] >= '0' && data[at] <= '9') {
        if (*n > (len - at) / 10 + 1) {
            *i = at;
            return -1;
        }
        *n = *n * 10 + (size_t)(data[at++] - '0');
        digits++;
    }
    *i = at;
    if (!digits || at >= len || data[at] != ':' || *n > len - at - 1)
        return -1;
    *i = at + 1 + *n;
    return 0;
}

int ns_record_decode(ns_record *r, ns_record_codec *c, const char *data, size_t len,
                     ns_err *err)
{
    memset(r, 0, sizeof *r);
    size_t i = 0;
    while (i < len) {
        char tag;
        size_t n;
        if (S_field(data, len, &i, &tag, &n) < 0)
            goto corrupt;
        const char *val = data + i - n;
        char **slot = NULL;
        switch (tag) {
        case 'i': slot = &r->id; break;
        case 't': slot = &r->title; break;
        case 'd': slot = &r->date; break;
        case 'l': slot = &r->lang; break;
        case 'u': slot = &r->url; break;
        case 'r': slot = &r->rel; break;
        case 'p': slot = &r->path; break;
        case 'x': slot = &r->text; r->text_len = n; break;
        case 'z': {
            int zrc = S_unzip(c, val, n, &r->text, &r->text_len);
            if (zrc == NS_ENOMEM)
                goto nomem;
            if (zrc < 0) {
                i -= n;
                goto corrupt;
            }
            continue;
        }
        case 'v':
            if (ns_strs_add(&r->vendors, &r->nvendors, val, n) < 0)
                goto nomem;
            continue;
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

int ns_record_set_path(const char *data, size_t len, const char *path, ns_buf *out, ns_err *err)
{
    size_t i = 0;
    while (i < len) {
        size_t at = i, n;
        char tag;
        if (S_field(data, len, &i, &tag, &n) < 0)
            goto corrupt;
        if (tag != 'p' && ns_buf_append(out, data + at, i - at) < 0)
            goto nomem;
    }
    if (S_put(out, 'p', path, strlen(path)) < 0)
        goto nomem;
    return 0;
corrupt:
    return ns_err_set(err, NS_ECORRUPT, "stored article data is corrupt at byte %zu", i);
nomem:
    return ns_err_set(err, NS_ENOMEM, "out of memory encoding record");
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
    free(r->rel);
    free(r->path);
    free(r->text);
    memset(r, 0, sizeof *r);
}
