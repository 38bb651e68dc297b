/* build.c: one article's document (see build.h). */
#include "build.h"

#include "buf.h"
#include "hmap.h"
#include "list.h"
#include "schema.h"
#include "str.h"
#include "utf8.h"

#include <utf8proc.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bctx {
    ns_analyzer *a;
    ns_xdoc *doc;
    ns_index_built *out;
    ns_hmap raw;        /* words as written, already looked at for spelling */
    ns_hmap spell;      /* folded words in out->spell */
    ns_buf tmp;
    char **rawkeys;  /* owned copies of the raw keys */
    size_t nraw, capraw;
    size_t capspell; /* allocated length of out->spell */
} bctx;

/* A word the searcher may suggest: letters only (no digits, no '_' or '''),
 * at least 3 of them, not a stopword. */
static int S_spellable(const char *w, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(w + i, len - i, &cp);
        if (cp < 0)
            return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        if (!(c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) &&
            !(chars && c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME))
            return 0;
        chars++;
        i += (size_t)n;
    }
    return chars >= 3 && !ns_is_stopword(w, len);
}

static int S_raw_add(bctx *c, const char *w, size_t len, int *added)
{
    *added = 0;
    if (ns_hmap_get(&c->raw, w, len))
        return 0;
    if (c->nraw == c->capraw) {
        size_t cap = c->capraw ? c->capraw * 2 : 256;
        char **p = realloc(c->rawkeys, cap * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        c->rawkeys = p;
        c->capraw = cap;
    }
    char *k = ns_strndup(w, len);
    if (!k)
        return NS_ENOMEM;
    c->rawkeys[c->nraw++] = k;
    if (ns_hmap_put(&c->raw, k, len, k) < 0)
        return NS_ENOMEM;
    *added = 1;
    return 0;
}

static int S_on_terms(void *ctx, const ns_term *terms, size_t count, const char *text, size_t len,
                      int in_title, ns_err *err)
{
    bctx *c = ctx;
    unsigned wdf = in_title ? NS_TITLE_WDF : 1;
    int rc = 0;
    (void)len;
    /* Words to fold for spelling: (start, end) of each positional term. The
     * fold below reuses the analyzer, so every term is consumed first. */
    ns_buf_reset(&c->tmp);
    for (size_t i = 0; i < count; i++) {
        const ns_term *t = &terms[i];
        if (t->flags & NS_TERM_STOP)
            continue;
        if (t->flags & NS_TERM_JOINED)
            rc = ns_xdoc_add_term(c->doc, t->term, t->len, wdf, err);
        else
            rc = ns_xdoc_add_posting(c->doc, t->term, t->len, t->pos, wdf, err);
        if (rc < 0)
            return rc;
        if (t->flags & NS_TERM_JOINED || t->end - t->start < 3)
            continue;
        int added;
        if ((rc = S_raw_add(c, text + t->start, t->end - t->start, &added)) < 0)
            return ns_err_set(err, rc, "out of memory");
        size_t range[2] = {t->start, t->end};
        if (added && ns_buf_append(&c->tmp, (const char *)range, sizeof range) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    size_t nr = c->tmp.len / (2 * sizeof(size_t));
    for (size_t i = 0; i < nr; i++) {
        size_t range[2];
        memcpy(range, c->tmp.data + i * sizeof range, sizeof range);
        const char *f;
        size_t flen;
        if (ns_analyze_fold(c->a, text + range[0], range[1] - range[0], &f, &flen, NULL) < 0)
            continue;
        if (!S_spellable(f, flen) || ns_hmap_get(&c->spell, f, flen))
            continue;
        ns_index_built *o = c->out;
        /* doubling: one more each time copied the list once per word */
        if (ns_array_room(&o->spell, o->nspell, &c->capspell, sizeof *o->spell, 64) < 0 ||
            !(o->spell[o->nspell] = ns_strndup(f, flen)))
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        char **p = o->spell;
        if (ns_hmap_put(&c->spell, p[o->nspell], flen, p[o->nspell]) < 0) {
            free(p[o->nspell]);
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
        o->nspell++;
    }
    return 0;
}

static int S_bool_term(ns_xdoc *doc, ns_buf *b, const char *prefix, const char *val, size_t len,
                       ns_err *err)
{
    ns_buf_reset(b);
    if (ns_buf_puts(b, prefix) < 0 || ns_buf_append(b, val, len) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xdoc_add_boolean_term(doc, b->data, b->len, err);
}

/* The article's own story key (src/schema.h NS_SLOT_OWN_STORY): FNV-1a 64
 * of "u:<url>", else of "i:<id>", as NS_STORY_KEY_LEN hex digits and a NUL. */
static void S_story_key(const ns_article *art, char out[NS_STORY_KEY_LEN + 1])
{
    const char *s = art->url ? art->url : art->id;
    uint64_t h = 14695981039346656037ULL;
    h = (h ^ (unsigned char)(art->url ? 'u' : 'i')) * 1099511628211ULL;
    h = (h ^ (unsigned char)':') * 1099511628211ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    snprintf(out, NS_STORY_KEY_LEN + 1, "%016llx", (unsigned long long)h);
}

/* Boolean terms: id, month, language, story (and the translation_of id),
 * vendors (folded, as the searcher folds vendor:NAME). */
static int S_bool_terms(ns_xdoc *doc, ns_analyzer *a, const ns_article *art, ns_buf *b, ns_err *err)
{
    int rc;
    if ((rc = S_bool_term(doc, b, NS_PREFIX_ID, art->id, strlen(art->id), err)) < 0 ||
        (rc = S_bool_term(doc, b, NS_PREFIX_MONTH, art->month, 7, err)) < 0 ||
        (rc = S_bool_term(doc, b, NS_PREFIX_LANG, art->lang, 2, err)) < 0)
        return rc;
    char key[NS_STORY_KEY_LEN + 1];
    S_story_key(art, key);
    if ((rc = S_bool_term(doc, b, NS_PREFIX_STORY, key, NS_STORY_KEY_LEN, err)) < 0)
        return rc;
    if (art->translation_of &&
        (rc = S_bool_term(doc, b, NS_PREFIX_TRANSLATION, art->translation_of,
                          strlen(art->translation_of), err)) < 0)
        return rc;
    for (size_t i = 0; i < art->nvendors; i++) {
        const char *f;
        size_t flen;
        if ((rc = ns_analyze_fold(a, art->vendors[i], strlen(art->vendors[i]), &f, &flen, err)) < 0)
            return rc;
        if ((rc = S_bool_term(doc, b, NS_PREFIX_VENDOR, f, flen, err)) < 0) {
            if (rc == NS_ETERM)
                ns_err_set(err, rc, "vendor name '%.40s...' is too long", art->vendors[i]);
            return rc;
        }
    }
    return 0;
}

/* Values: the date for ranges, the date and id for sorting, the facet
 * keys, the story keys (both the own key until nindex links a translation
 * to its original). */
static int S_values(ns_xdoc *doc, const ns_article *art, ns_buf *b, ns_err *err)
{
    int rc;
    char ymd[9];
    memcpy(ymd, art->date, 4);
    memcpy(ymd + 4, art->date + 5, 2);
    memcpy(ymd + 6, art->date + 8, 2);
    ymd[8] = '\0';
    if ((rc = ns_xdoc_add_value(doc, NS_SLOT_DATE, ymd, 8, err)) < 0)
        return rc;
    char key[NS_STORY_KEY_LEN + 1];
    S_story_key(art, key);
    if ((rc = ns_xdoc_add_value(doc, NS_SLOT_STORY, key, NS_STORY_KEY_LEN, err)) < 0 ||
        (rc = ns_xdoc_add_value(doc, NS_SLOT_OWN_STORY, key, NS_STORY_KEY_LEN, err)) < 0)
        return rc;
    ns_buf_reset(b);
    if (ns_buf_printf(b, "%s%s", ymd, art->id) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    if ((rc = ns_xdoc_add_value(doc, NS_SLOT_SORT, b->data, b->len, err)) < 0)
        return rc;
    ns_buf_reset(b);
    if (ns_buf_printf(b, "%c%s\n%c%s", NS_FACET_MONTH, art->month, NS_FACET_LANG, art->lang) < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (size_t i = 0; i < art->nvendors; i++)
        if (ns_buf_printf(b, "\n%c%s", NS_FACET_VENDOR, art->vendors[i]) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    return ns_xdoc_add_value(doc, NS_SLOT_FACETS, b->data, b->len, err);
}

/* Stored data: what a result shows, with path (the file as found) and the
 * path relative to the archive root, which the web shows rather than the
 * server's own path: the default id with ".md". tmp and b are scratch. */
static int S_stored(ns_xdoc *doc, const ns_article *art, ns_record_codec *codec, const char *path,
                    const char *default_id, ns_buf *tmp, ns_buf *b, ns_err *err)
{
    int rc;
    ns_record r;
    memset(&r, 0, sizeof r);
    r.id = art->id;
    r.title = art->title;
    r.date = (char *)art->date;
    r.lang = (char *)art->lang;
    r.vendors = art->vendors;
    r.nvendors = art->nvendors;
    r.url = art->url;
    r.path = (char *)path;
    ns_buf_reset(tmp);
    if (ns_buf_puts(tmp, default_id ? default_id : "") < 0 || ns_buf_puts(tmp, ".md") < 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    r.rel = default_id ? tmp->data : NULL;
    r.text = art->text;
    r.text_len = art->text_len;
    ns_buf_reset(b);
    if ((rc = ns_record_encode(&r, codec, b, err)) < 0)
        return rc;
    return ns_xdoc_set_data(doc, b->data, b->len, err);
}

int ns_index_build(ns_index_built *out, ns_analyzer *a, ns_record_codec *codec,
                   const ns_vendors *v, const char *path,
                   const char *default_id, const char *data, size_t len, ns_err *err)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    bctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.out = out;
    ns_buf b = NS_BUF_INIT;
    if ((rc = ns_xdoc_new(&out->doc, err)) < 0)
        goto done;
    c.doc = out->doc;
    ns_article_opts ao = NS_ARTICLE_OPTS_INIT;
    ao.analyzer = a;
    ao.vendors = v;
    ao.default_id = default_id;
    ao.on_terms = S_on_terms;
    ao.ctx = &c;
    if ((rc = ns_article_parse(&out->art, data, len, &ao, err)) < 0)
        goto done;
    /* c.tmp is free once the article is parsed (and freed below). */
    if ((rc = S_bool_terms(out->doc, a, &out->art, &b, err)) == 0 &&
        (rc = S_values(out->doc, &out->art, &b, err)) == 0)
        rc = S_stored(out->doc, &out->art, codec, path, default_id, &c.tmp, &b, err);
done:
    for (size_t i = 0; i < c.nraw; i++)
        free(c.rawkeys[i]);
    free(c.rawkeys);
    ns_hmap_free(&c.raw);
    ns_hmap_free(&c.spell);
    ns_buf_free(&c.tmp);
    ns_buf_free(&b);
    if (rc < 0)
        ns_index_built_clear(out);
    return rc;
}

void ns_index_built_clear(ns_index_built *b)
{
    if (!b)
        return;
    ns_article_clear(&b->art);
    ns_xdoc_free(b->doc);
    for (size_t i = 0; i < b->nspell; i++)
        free(b->spell[i]);
    free(b->spell);
    memset(b, 0, sizeof *b);
}
