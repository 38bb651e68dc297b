/* frontmatter.c: an article's YAML front matter (libyaml) read into its
 * ns_article fields, one handler per key (see frontmatter.h). */
#include "frontmatter.h"

#include "list.h"
#include "schema.h"
#include "str.h"
#include "strset.h"
#include "utf8.h"

#include <yaml.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- front matter: YAML ---- */

/* The text of a scalar node; 0 when the node is not a scalar or is a YAML
 * null (an empty value, "~", "null"), which count as absent. */
static int S_scalar(yaml_node_t *node, const char **s, size_t *len)
{
    if (!node || node->type != YAML_SCALAR_NODE)
        return 0;
    *s = (const char *)node->data.scalar.value;
    *len = node->data.scalar.length;
    ns_trim(s, len);
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (*len == 0 || (*len == 1 && **s == '~'))
            return 0;
        if (*len == 4 && (!memcmp(*s, "null", 4) || !memcmp(*s, "Null", 4) ||
                          !memcmp(*s, "NULL", 4)))
            return 0;
    }
    return *len > 0;
}

static int S_is_null(yaml_node_t *node)
{
    const char *s;
    size_t len;
    return node && node->type == YAML_SCALAR_NODE && !S_scalar(node, &s, &len);
}

/* A front-matter value as the article keeps it, checked the same way for
 * every field (title, date, id, lang, url, each vendor and tag, list item or
 * single value). TAB, CR and LF, which YAML folding and block scalars leave
 * in a value ("title: |"), are white space: each run of white space holding
 * one becomes a single space, so every value is one line. Any other control
 * character (C0, DEL, C1; YAML's "\e", "\x9b" and "\0" escapes make them) has
 * no business in a title or a name, could drive the terminal of whoever
 * reads nindex's messages and could break the '\n'-separated facet value
 * (issue #13: vendors: "Multi\nMzzfake" made a month facet "zzfake"): the
 * file is refused with a message naming the field. *out is malloc'd. */
static int S_value(const char *field, const char *s, size_t len, char **out, ns_err *err)
{
    *out = NULL;
    char *p = malloc(len + 1);
    if (!p) {
        ns_err_set(err, NS_ENOMEM, "out of memory");
        return NS_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = ns_utf8_decode(s + i, len - i, &cp);
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ') {
            int fold = cp != ' ';
            size_t j = i + 1;
            for (; j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'); j++)
                fold |= s[j] != ' ';
            if (fold) {
                p[n++] = ' ';
            } else {
                memcpy(p + n, s + i, j - i);
                n += j - i;
            }
            i = j;
            continue;
        }
        if (cp < 0 || ns_is_control(cp)) {
            char q[QUOTE_BUF];
            free(p);
            /* (not "return ns_err_set(...)": the analyzer would take a
             * return of 0 with *out unset as possible) */
            if (cp < 0) { /* the whole file was checked, so this cannot happen */
                ns_err_set(err, NS_EUTF8, "%s: invalid UTF-8 in '%s'", field, QUOTE(q, s, len));
                return NS_EUTF8;
            }
            ns_err_set(err, NS_ESYNTAX, "%s: control character U+%04X in '%s'", field,
                       (unsigned)cp, QUOTE(q, s, len));
            return NS_ESYNTAX;
        }
        memcpy(p + n, s + i, (size_t)k);
        n += (size_t)k;
        i += (size_t)k;
    }
    p[n] = '\0';
    *out = p;
    return 0;
}

/* One vendor or tag name onto the list, unless seen has it. */
static int S_name(const char *key, yaml_node_t *item, char ***list, size_t *n, ns_strset *seen,
                  ns_err *err)
{
    const char *s;
    size_t len;
    char *v;
    if (!S_scalar(item, &s, &len))
        return ns_err_set(err, NS_ESYNTAX, "%s: expected a name or a list of names", key);
    int rc = S_value(key, s, len, &v, err);
    if (rc < 0)
        return rc;
    rc = ns_strs_add_new(list, n, seen, v, strlen(v));
    free(v);
    return rc < 0 ? ns_err_set(err, NS_ENOMEM, "out of memory") : 0;
}

/* vendors:/tags: one name or a list of at most NS_ARTICLE_NAMES_MAX names
 * -> list, each name once, in linear time (50,000 vendors took 16.5 s when
 * each was compared with every other). */
static int S_names(yaml_document_t *doc, yaml_node_t *node, const char *key, char ***list,
                   size_t *n, ns_err *err)
{
    if (S_is_null(node))
        return 0;
    int rc = 0;
    ns_strset seen = {0};
    if (node->type == YAML_SCALAR_NODE) {
        rc = S_name(key, node, list, n, &seen, err);
    } else if (node->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *it = node->data.sequence.items.start;
        yaml_node_item_t *top = node->data.sequence.items.top;
        if (top - it > NS_ARTICLE_NAMES_MAX)
            rc = ns_err_set(err, NS_ETOOBIG, "%s: more than %d names", key, NS_ARTICLE_NAMES_MAX);
        for (; rc == 0 && it < top; it++) {
            yaml_node_t *item = yaml_document_get_node(doc, *it);
            if (!S_is_null(item))
                rc = S_name(key, item, list, n, &seen, err);
        }
    } else {
        rc = ns_err_set(err, NS_ESYNTAX, "%s: expected a name or a list of names", key);
    }
    ns_strset_free(&seen);
    return rc;
}

static int S_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int S_valid_date(const char *s, size_t len)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int max = mdays[m - 1] + (m == 2 && S_leap(y));
    return d <= max;
}

/* An id becomes the term Q<id> and a field of a tab/space-separated metadata
 * value, so it must fit a term and hold no control character (S_value and
 * S_default_id see to the latter; this is the last line of defence). */
int ns_front_matter_check_id(const char *id, size_t len, ns_err *err)
{
    char q[QUOTE_BUF];
    if (len == 0)
        return ns_err_set(err, NS_ESYNTAX, "empty id");
    if (len + strlen(NS_PREFIX_ID) > 245)
        return ns_err_set(err, NS_ESYNTAX, "id '%s' is longer than %zu bytes", QUOTE(q, id, len),
                          245 - strlen(NS_PREFIX_ID));
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return ns_err_set(err, NS_ESYNTAX, "id '%s' holds a control character",
                              QUOTE(q, id, len));
    return 0;
}


static int S_yaml_error(yaml_parser_t *parser, ns_err *err)
{
    /* Line numbers in the file: the YAML starts on the file's line 2. libyaml's
     * problem and context are its own fixed strings, never the input. */
    return ns_err_set(err, parser->error == YAML_MEMORY_ERROR ? NS_ENOMEM : NS_ESYNTAX,
                      "front matter: YAML error at line %zu: %s%s%s",
                      (size_t)parser->problem_mark.line + 2,
                      parser->problem ? parser->problem : "invalid YAML",
                      parser->context ? " " : "", parser->context ? parser->context : "");
}

/* Check the front matter's shape on libyaml's event stream before any tree is
 * built, stopping at the first cap passed:
 * - nesting deeper than NS_FRONT_MATTER_DEPTH. libyaml's scanner does work in
 *   proportion to the open levels for each token, so n levels cost n^2:
 *   200,000 levels ("[[[[...", 400 KB) took 96 s. Stopped at level 33, the
 *   scanner has looked at most ~1,000 tokens ahead of the parser.
 * - more than NS_FRONT_MATTER_REFS anchors and aliases together. The loader
 *   compares each anchor with every earlier one, and a "billion laughs"
 *   (aliases of lists of aliases ...) is a bomb for anything that expands
 *   it; front matter has no use for either beyond a handful.
 * Only the first document counts, as for yaml_parser_load. */
static int S_yaml_shape(const char *yaml, size_t ylen, ns_err *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int rc = 0, depth = 0, refs = 0, done = 0;
    if (!yaml_parser_initialize(&parser))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, ylen);
    while (!done && rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = S_yaml_error(&parser, err);
            break;
        }
        const yaml_char_t *anchor = NULL;
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
            anchor = ev.data.sequence_start.anchor;
            depth++;
            break;
        case YAML_MAPPING_START_EVENT:
            anchor = ev.data.mapping_start.anchor;
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_SCALAR_EVENT:
            anchor = ev.data.scalar.anchor;
            break;
        case YAML_ALIAS_EVENT:
            refs++;
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        if (anchor)
            refs++;
        yaml_event_delete(&ev);
        if (depth > NS_FRONT_MATTER_DEPTH)
            rc = ns_err_set(err, NS_ETOOBIG, "front matter nested deeper than %d levels",
                            NS_FRONT_MATTER_DEPTH);
        else if (refs > NS_FRONT_MATTER_REFS)
            rc = ns_err_set(err, NS_ETOOBIG, "front matter has more than %d YAML anchors and aliases",
                            NS_FRONT_MATTER_REFS);
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- front matter: one handler per key ---- */

/* What the handlers of one article's front matter fill. */
typedef struct fmctx {
    ns_article *art;
    yaml_document_t *doc;
    char ***fm_vendors;   /* vendors as given, checked against the table later */
    size_t *nfm;
    int have_date;
} fmctx;

/* A key of the front matter. A list key's handler takes the value node as it
 * is (null, a name or a list of names); a value key's handler takes the
 * value as text (*val, malloc'd, its to keep by setting *val to NULL), after
 * a null value was skipped and a list or mapping refused. */
typedef struct fmkey {
    const char *name;
    int (*list)(fmctx *c, yaml_node_t *v, ns_err *err);
    int (*value)(fmctx *c, char **val, ns_err *err);
} fmkey;

/* Keep *val in *slot (title, id, url: given once). */
static int S_fm_once(char **slot, const char *name, char **val, ns_err *err)
{
    if (*slot)
        return ns_err_set(err, NS_ESYNTAX, "front matter: '%s' is given twice", name);
    *slot = *val;
    *val = NULL;
    return 0;
}

static int S_fm_title(fmctx *c, char **val, ns_err *err)
{
    return S_fm_once(&c->art->title, "title", val, err);
}

static int S_fm_id(fmctx *c, char **val, ns_err *err)
{
    int rc = ns_front_matter_check_id(*val, strlen(*val), err);
    return rc < 0 ? rc : S_fm_once(&c->art->id, "id", val, err);
}

static int S_fm_url(fmctx *c, char **val, ns_err *err)
{
    return S_fm_once(&c->art->url, "url", val, err);
}

/* The id of the article this one translates: an id like any other (the
 * same check as id:), so that it names a Q term nindex can look up. */
static int S_fm_translation_of(fmctx *c, char **val, ns_err *err)
{
    ns_err e;
    size_t len = strlen(*val);
    if (ns_front_matter_check_id(*val, len, &e) < 0)
        return ns_err_set(err, e.code, "translation_of: %s", e.msg);
    /* its term's prefix is one byte longer than Q's */
    if (len + strlen(NS_PREFIX_TRANSLATION) > 245)
        return ns_err_set(err, NS_ESYNTAX, "translation_of: an id of %zu bytes; at most %zu",
                          len, 245 - strlen(NS_PREFIX_TRANSLATION));
    return S_fm_once(&c->art->translation_of, "translation_of", val, err);
}

static int S_fm_date(fmctx *c, char **val, ns_err *err)
{
    const char *s = *val;
    size_t len = strlen(s);
    if (!S_valid_date(s, len)) {
        char q[QUOTE_BUF];
        return ns_err_set(err, NS_ESYNTAX, "date '%s' is not a real calendar date (YYYY-MM-DD)",
                          QUOTE(q, s, len));
    }
    memcpy(c->art->date, s, 10);
    c->art->date[10] = '\0';
    memcpy(c->art->month, s, 7);
    c->art->month[7] = '\0';
    c->have_date = 1;
    return 0;
}

static int S_fm_lang(fmctx *c, char **val, ns_err *err)
{
    const char *s = *val;
    size_t len = strlen(s);
    if (len == 2 && (!memcmp(s, "en", 2) || !memcmp(s, "ru", 2))) {
        memcpy(c->art->lang, s, 2);
        c->art->lang[2] = '\0';
        return 0;
    }
    char q[QUOTE_BUF];
    return ns_err_set(err, NS_ESYNTAX, "lang '%s' is not en or ru", QUOTE(q, s, len));
}

static int S_fm_vendors(fmctx *c, yaml_node_t *v, ns_err *err)
{
    return S_names(c->doc, v, "vendors", c->fm_vendors, c->nfm, err);
}

static int S_fm_tags(fmctx *c, yaml_node_t *v, ns_err *err)
{
    return S_names(c->doc, v, "tags", &c->art->tags, &c->art->ntags, err);
}

/* The keys nsearch reads; other keys belong to other tools (drafts,
 * layout, ...) and are ignored. */
static const fmkey S_fm_keys[] = {
    { .name = "title", .value = S_fm_title },
    { .name = "date", .value = S_fm_date },
    { .name = "id", .value = S_fm_id },
    { .name = "lang", .value = S_fm_lang },
    { .name = "url", .value = S_fm_url },
    { .name = "translation_of", .value = S_fm_translation_of },
    { .name = "vendors", .list = S_fm_vendors },
    { .name = "tags", .list = S_fm_tags },
};

static const fmkey *S_fm_key(const char *key, size_t klen)
{
    for (size_t i = 0; i < sizeof S_fm_keys / sizeof *S_fm_keys; i++)
        if (strlen(S_fm_keys[i].name) == klen && !memcmp(S_fm_keys[i].name, key, klen))
            return &S_fm_keys[i];
    return NULL;
}

/* One "key: value" pair of the mapping, given to its key's handler. */
static int S_fm_pair(fmctx *c, yaml_node_pair_t *pr, ns_err *err)
{
    yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
    yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
    const char *key, *s;
    size_t klen, len;
    const fmkey *fk;
    if (!S_scalar(k, &key, &klen) || !(fk = S_fm_key(key, klen)))
        return 0;
    if (fk->list)
        return fk->list(c, v, err);
    if (S_is_null(v))
        return 0;
    if (!S_scalar(v, &s, &len))
        return ns_err_set(err, NS_ESYNTAX, "%s: expected a single value, not a list or a mapping",
                          fk->name);
    char *val = NULL;
    int rc = S_value(fk->name, s, len, &val, err);
    if (rc == 0)
        rc = fk->value(c, &val, err);
    free(val);
    return rc;
}

/* Read the YAML front matter yaml[0..ylen) into art (vendors as given into
 * *fm_vendors): every key to its handler, then title and date required. */
int ns_front_matter_read(ns_article *art, const char *yaml, size_t ylen, char ***fm_vendors,
                          size_t *nfm, ns_err *err)
{
    int rc = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    int have_doc = 0;
    if (ylen > NS_FRONT_MATTER_MAX)
        return ns_err_set(err, NS_ETOOBIG,
                          "front matter is %zu bytes; front matter over %zu KiB is refused", ylen,
                          NS_FRONT_MATTER_MAX >> 10);
    if ((rc = S_yaml_shape(yaml, ylen, err)) < 0)
        return rc;
    if (!yaml_parser_initialize(&parser))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, ylen);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = S_yaml_error(&parser, err);
        goto done;
    }
    have_doc = 1;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || S_is_null(root)) {
        rc = ns_err_set(err, NS_ESYNTAX, "missing title");
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        rc = ns_err_set(err, NS_ESYNTAX,
                        "front matter: expected 'key: value' lines (title:, date:, ...)");
        goto done;
    }
    fmctx c = { .art = art, .doc = &doc, .fm_vendors = fm_vendors, .nfm = nfm, .have_date = 0 };
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top && rc == 0; pr++)
        rc = S_fm_pair(&c, pr, err);
    if (rc < 0)
        goto done;
    if (!art->title)
        rc = ns_err_set(err, NS_ESYNTAX, "missing title");
    else if (!c.have_date)
        rc = ns_err_set(err, NS_ESYNTAX, "missing date");
done:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}
