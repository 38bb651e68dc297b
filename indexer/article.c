/* article.c: front matter (libyaml) + CommonMark body (cmark) -> ns_article.
 * See article.h for what is promised; the article format is in CONTRACT.md. */
#include "article.h"
#include "str.h"

#include "buf.h"
#include "schema.h"
#include "utf8.h"

#include <cmark.h>
#include <yaml.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bodies are analysed in pieces of about CHUNK_MIN..CHUNK_MAX bytes, cut at
 * a paragraph break when there is one in that window and else at a word
 * boundary (ns_analyze_next), so no term array ever holds the whole text,
 * however it is laid out: 8 MB of "a1 a1 a1 ..." in one paragraph took
 * 560 MB when a chunk ended only at a paragraph break. A vendor name
 * split across such a cut ("Hugging | Face", once per 64 KiB of a paragraph
 * that long) is not detected there. */
#define CHUNK_MIN ((size_t)64 << 10)
#define CHUNK_MAX (2 * CHUNK_MIN)

/* How much of a user's value an error message quotes (bytes), and the room
 * it needs once escaped (\xHH per byte at worst) with "...". */
#define QUOTE_MAX 60
#define QUOTE_BUF (4 * QUOTE_MAX + 4)

/* ---- small helpers ---- */

/* s[0..len) quoted for a message: clipped, control characters escaped. */
#define QUOTE(buf, s, len) ns_str_quote((buf), sizeof(buf), (s), (len), QUOTE_MAX)

/* A set of strings, for linear-time de-duplication (vendors, tags) and for
 * counting an article's distinct terms: open addressing over offsets into
 * one buffer of NUL-terminated keys. */
typedef struct sset {
    uint32_t *slot;  /* key offset + 1; 0 is empty */
    size_t cap, n;   /* cap: a power of two, or 0 */
    ns_buf keys;
} sset;

static uint32_t S_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Add s[0..len) (no NUL inside) unless it is there; *added says which.
 * 0 or NS_ENOMEM. */
static int S_sset_add(sset *set, const char *s, size_t len, int *added)
{
    *added = 0;
    if (set->n + 1 > set->cap / 2) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        uint32_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return NS_ENOMEM;
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slot[i])
                continue;
            const char *k = set->keys.data + set->slot[i] - 1;
            size_t h = S_hash(k, strlen(k)) & (cap - 1);
            while (slot[h])
                h = (h + 1) & (cap - 1);
            slot[h] = set->slot[i];
        }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t h = S_hash(s, len) & (set->cap - 1);
    for (; set->slot[h] && set->keys.data; h = (h + 1) & (set->cap - 1)) {
        const char *k = set->keys.data + set->slot[h] - 1;
        if (strncmp(k, s, len) == 0 && k[len] == '\0')
            return 0;
    }
    /* offsets are 32-bit: the keys are at most a few MB (the caps below) */
    if (set->keys.len >= UINT32_MAX - len - 1)
        return NS_ENOMEM;
    uint32_t off = (uint32_t)set->keys.len + 1;
    if (ns_buf_append(&set->keys, s, len) < 0 || ns_buf_putc(&set->keys, '\0') < 0)
        return NS_ENOMEM;
    set->slot[h] = off;
    set->n++;
    *added = 1;
    return 0;
}

static void S_sset_free(sset *set)
{
    free(set->slot);
    ns_buf_free(&set->keys);
    memset(set, 0, sizeof *set);
}

/* Append a copy of s to a string list. 0 or NS_ENOMEM. */
static int S_list_add(char ***list, size_t *n, const char *s, size_t len)
{
    char **p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return NS_ENOMEM;
    *list = p;
    if (!(p[*n] = ns_strndup(s, len)))
        return NS_ENOMEM;
    (*n)++;
    return 0;
}

/* Append s to a list unless the set (of the list's strings) has it. */
static int S_list_add_new(char ***list, size_t *n, sset *seen, const char *s, size_t len)
{
    int added;
    if (S_sset_add(seen, s, len, &added) < 0)
        return NS_ENOMEM;
    return added ? S_list_add(list, n, s, len) : 0;
}

static void S_list_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* ---- bytes: empty, binary, UTF-8 ---- */

static int S_check_bytes(const char *data, size_t len, ns_err *err)
{
    if (len == 0)
        return ns_err_set(err, NS_ESYNTAX, "empty file");
    const char *nul = memchr(data, '\0', len);
    if (nul)
        return ns_err_set(err, NS_ESYNTAX, "binary file (NUL byte at %zu)", (size_t)(nul - data));
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)data[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        int n = ns_utf8_decode(data + i, len - i, &cp);
        if (cp < 0)
            return ns_err_set(err, NS_EUTF8, "invalid UTF-8 at byte %zu", i);
        i += (size_t)n;
    }
    return 0;
}

/* ---- front matter: find it ---- */

/* Is line[0..len) (without '\n') the marker `mark` ("---"), allowing trailing
 * blanks and the '\r' of a CRLF file? */
static int S_is_marker(const char *line, size_t len, const char *mark)
{
    if (len < 3 || memcmp(line, mark, 3) != 0)
        return 0;
    for (size_t i = 3; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return 0;
    return 1;
}

/* Split data into the YAML text and the body. */
static int S_split(const char *data, size_t len, const char **yaml, size_t *ylen,
                   const char **body, size_t *blen, ns_err *err)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *lend = nl ? nl : end;
    if (!S_is_marker(p, (size_t)(lend - p), "---"))
        return ns_err_set(err, NS_ESYNTAX,
                          "no front matter (the file must start with a '---' line)");
    const char *ystart = nl ? nl + 1 : end;
    p = ystart;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        lend = nl ? nl : end;
        if (S_is_marker(p, (size_t)(lend - p), "---") || S_is_marker(p, (size_t)(lend - p), "...")) {
            *yaml = ystart;
            *ylen = (size_t)(p - ystart);
            *body = nl ? nl + 1 : end;
            *blen = (size_t)(end - *body);
            return 0;
        }
        p = nl ? nl + 1 : end;
    }
    return ns_err_set(err, NS_ESYNTAX, "front matter is not closed (no second '---' line)");
}

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
static int S_name(const char *key, yaml_node_t *item, char ***list, size_t *n, sset *seen,
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
    rc = S_list_add_new(list, n, seen, v, strlen(v));
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
    sset seen = {0};
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
    S_sset_free(&seen);
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
static int S_check_id(const char *id, size_t len, ns_err *err)
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

/* The default id (the file's path under its root, without ".md") with each
 * byte of a control character written %XX, so that a file whose name holds
 * one (ESC, a newline) is still indexed: "evil\e[2J.md" gets the id
 * "evil%1B[2J". Anything else is kept as it is, so ids of ordinary names are
 * what they always were. *out is malloc'd. */
static int S_default_id(const char *id, char **out)
{
    size_t len = strlen(id);
    ns_buf b = NS_BUF_INIT;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(id + i, len - i, &cp);
        int rc = 0;
        if (cp >= 0 && ns_is_control(cp)) {
            for (int k = 0; k < n && rc == 0; k++)
                rc = ns_buf_printf(&b, "%%%02X", (unsigned char)id[i + (size_t)k]);
        } else {
            rc = ns_buf_append(&b, id + i, (size_t)n);
        }
        if (rc < 0) {
            ns_buf_free(&b);
            return NS_ENOMEM;
        }
        i += (size_t)n;
    }
    if (!b.data && ns_buf_append(&b, "", 0) < 0)
        return NS_ENOMEM;
    *out = ns_buf_detach(&b);
    return *out ? 0 : NS_ENOMEM;
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

static int S_front_matter(ns_article *art, const char *yaml, size_t ylen, char ***fm_vendors,
                          size_t *nfm, ns_err *err)
{
    int rc = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    int have_doc = 0;
    char *val = NULL;
    char q[QUOTE_BUF];
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
    int have_date = 0;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
        const char *key, *s;
        size_t klen, len;
        if (!S_scalar(k, &key, &klen))
            continue;
        int is_title = klen == 5 && !memcmp(key, "title", 5);
        int is_date = klen == 4 && !memcmp(key, "date", 4);
        int is_id = klen == 2 && !memcmp(key, "id", 2);
        int is_lang = klen == 4 && !memcmp(key, "lang", 4);
        int is_url = klen == 3 && !memcmp(key, "url", 3);
        int is_vendors = klen == 7 && !memcmp(key, "vendors", 7);
        int is_tags = klen == 4 && !memcmp(key, "tags", 4);
        if (!(is_title || is_date || is_id || is_lang || is_url || is_vendors || is_tags))
            continue;  /* unknown keys belong to other tools (drafts, layout, ...) */
        if (is_vendors) {
            if ((rc = S_names(&doc, v, "vendors", fm_vendors, nfm, err)) < 0)
                goto done;
            continue;
        }
        if (is_tags) {
            if ((rc = S_names(&doc, v, "tags", &art->tags, &art->ntags, err)) < 0)
                goto done;
            continue;
        }
        if (S_is_null(v))
            continue;
        if (!S_scalar(v, &s, &len)) {
            rc = ns_err_set(err, NS_ESYNTAX, "%.*s: expected a single value, not a list or a mapping",
                            (int)klen, key);
            goto done;
        }
        /* the key is one of the names above: safe to print as it is */
        char field[8];
        snprintf(field, sizeof field, "%.*s", (int)klen, key);
        free(val);
        if ((rc = S_value(field, s, len, &val, err)) < 0)
            goto done;
        s = val;
        len = strlen(val);
        char **slot = NULL;
        if (is_title) {
            slot = &art->title;
        } else if (is_id) {
            if ((rc = S_check_id(s, len, err)) < 0)
                goto done;
            slot = &art->id;
        } else if (is_url) {
            slot = &art->url;
        } else if (is_date) {
            if (!S_valid_date(s, len)) {
                rc = ns_err_set(err, NS_ESYNTAX,
                                "date '%s' is not a real calendar date (YYYY-MM-DD)",
                                QUOTE(q, s, len));
                goto done;
            }
            memcpy(art->date, s, 10);
            art->date[10] = '\0';
            memcpy(art->month, s, 7);
            art->month[7] = '\0';
            have_date = 1;
            continue;
        } else if (is_lang) {
            if (len == 2 && (!memcmp(s, "en", 2) || !memcmp(s, "ru", 2))) {
                memcpy(art->lang, s, 2);
                art->lang[2] = '\0';
                continue;
            }
            rc = ns_err_set(err, NS_ESYNTAX, "lang '%s' is not en or ru", QUOTE(q, s, len));
            goto done;
        }
        if (*slot) {
            rc = ns_err_set(err, NS_ESYNTAX, "front matter: '%s' is given twice", field);
            goto done;
        }
        *slot = val;
        val = NULL;
    }
    if (!art->title) {
        rc = ns_err_set(err, NS_ESYNTAX, "missing title");
        goto done;
    }
    if (!have_date) {
        rc = ns_err_set(err, NS_ESYNTAX, "missing date");
        goto done;
    }
done:
    free(val);
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- body: CommonMark to plain text ---- */

/* End a block: paragraphs are separated by one blank line ("\n\n"), which is
 * what snippets cut passages at. */
static int S_block_end(ns_buf *b)
{
    while (b->len && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n'))
        b->len--;
    if (b->data)
        b->data[b->len] = '\0';
    return b->len ? ns_buf_append(b, "\n\n", 2) : 0;
}

static int S_render(const char *body, size_t len, ns_buf *out, ns_err *err)
{
    int rc = 0;
    cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_DEFAULT);
    cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
    if (!doc || !it) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory parsing Markdown");
        goto done;
    }
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(node);
        const char *lit;
        if (ev == CMARK_EVENT_EXIT) {
            switch (type) {
            case CMARK_NODE_PARAGRAPH:
            case CMARK_NODE_HEADING:
            case CMARK_NODE_ITEM:
            case CMARK_NODE_BLOCK_QUOTE:
                rc = S_block_end(out);
                break;
            default:
                break;
            }
        } else {
            switch (type) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
                if ((lit = cmark_node_get_literal(node)))
                    rc = ns_buf_puts(out, lit);
                break;
            case CMARK_NODE_CODE_BLOCK:
                /* The code is text; the fence's info string ("python") is
                 * markup and is not indexed. */
                if ((lit = cmark_node_get_literal(node)))
                    rc = ns_buf_puts(out, lit);
                if (rc == 0)
                    rc = S_block_end(out);
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                rc = ns_buf_putc(out, ' ');
                break;
            case CMARK_NODE_THEMATIC_BREAK:
            case CMARK_NODE_HTML_BLOCK:
                rc = S_block_end(out);
                break;
            default:
                /* HTML_INLINE: tags are dropped, the text between them is
                 * kept. LINK/IMAGE: their text children (alt text) follow;
                 * the target is never read. */
                break;
            }
        }
        if (rc < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory rendering Markdown");
            goto done;
        }
    }
    S_block_end(out);
    while (out->len && out->data[out->len - 1] == '\n')
        out->data[--out->len] = '\0';
done:
    cmark_iter_free(it);
    if (doc)
        cmark_node_free(doc);
    return rc;
}

/* ---- vendors and analysis ---- */

/* The state of one parse's analysis. */
typedef struct actx {
    const ns_article_opts *opts;
    ns_article *art;
    sset vendors;   /* art->vendors, for de-duplication */
    sset terms;     /* the distinct terms so far (NS_ARTICLE_TERMS_MAX) */
} actx;

static int S_on_vendor(void *ctx, const char *canonical)
{
    actx *c = ctx;
    return S_list_add_new(&c->art->vendors, &c->art->nvendors, &c->vendors, canonical,
                          strlen(canonical));
}

/* Analyse text[0..len) up to the first word at or after max bytes (all of
 * it for SIZE_MAX), count its distinct terms, detect vendors in it, then hand
 * the terms on. *used receives how much was analysed. */
static int S_analyse(actx *c, const char *text, size_t len, size_t max, uint32_t first_pos,
                     uint32_t *next_pos, int in_title, size_t *used, ns_err *err)
{
    const ns_article_opts *opts = c->opts;
    const ns_term *terms = NULL;
    size_t count = 0;
    int rc = ns_analyze_next(opts->analyzer, text, len, max, first_pos, &terms, &count, next_pos,
                             used, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < count; i++) {
        int added;
        if (terms[i].flags & NS_TERM_STOP)
            continue;
        if (S_sset_add(&c->terms, terms[i].term, terms[i].len, &added) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        if (c->terms.n > NS_ARTICLE_TERMS_MAX)
            return ns_err_set(err, NS_ETOOBIG,
                              "more than %d distinct terms (words and parts of words)",
                              NS_ARTICLE_TERMS_MAX);
    }
    if (opts->vendors && ns_vendors_detect(opts->vendors, terms, count, S_on_vendor, c) != 0)
        return ns_err_set(err, NS_ENOMEM, "out of memory detecting vendors");
    /* Last: the callback may reuse the analyzer, which invalidates terms. */
    if (opts->on_terms)
        return opts->on_terms(opts->ctx, terms, count, text, *used, in_title, err);
    return 0;
}

static int S_analyse_body(actx *c, uint32_t pos, ns_err *err)
{
    const char *p = c->art->text, *end = c->art->text + c->art->text_len;
    int rc = 0;
    while (p < end) {
        size_t len = (size_t)(end - p), max = SIZE_MAX, used;
        if (len > CHUNK_MAX) {
            /* A paragraph break in [CHUNK_MIN, CHUNK_MAX) ends the piece, else
             * the first word at or after CHUNK_MIN does. (memmem would do,
             * but it is a GNU extension.) */
            max = CHUNK_MIN;
            for (const char *q = p + CHUNK_MIN; q < p + CHUNK_MAX;) {
                const char *nl = memchr(q, '\n', (size_t)(p + CHUNK_MAX - q));
                if (!nl)
                    break;
                if (nl[1] == '\n') { /* nl + 1 < end: len > CHUNK_MAX */
                    len = (size_t)(nl + 2 - p);
                    max = SIZE_MAX;
                    break;
                }
                q = nl + 1;
            }
        }
        if ((rc = S_analyse(c, p, len, max, pos, &pos, 0, &used, err)) < 0)
            return rc;
        p += used;
    }
    return 0;
}

/* ---- public ---- */

int ns_article_parse(ns_article *out, const char *data, size_t len, const ns_article_opts *opts,
                     ns_err *err)
{
    int rc = 0;
    char **fm_vendors = NULL;
    size_t nfm = 0;
    ns_buf text = NS_BUF_INIT;
    actx c;
    memset(&c, 0, sizeof c);
    c.opts = opts;
    c.art = out;
    memset(out, 0, sizeof *out);
    if (len > NS_ARTICLE_MAX) {
        rc = ns_err_set(err, NS_ETOOBIG, "file is %zu bytes; articles over %zu MiB are refused",
                        len, NS_ARTICLE_MAX >> 20);
        goto done;
    }
    if ((rc = S_check_bytes(data, len, err)) < 0)
        goto done;
    const char *yaml = NULL, *body = NULL;
    size_t ylen = 0, blen = 0;
    if ((rc = S_split(data, len, &yaml, &ylen, &body, &blen, err)) < 0)
        goto done;
    if ((rc = S_front_matter(out, yaml, ylen, &fm_vendors, &nfm, err)) < 0)
        goto done;
    if (!out->id) {
        if (S_default_id(opts->default_id ? opts->default_id : "", &out->id) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = S_check_id(out->id, strlen(out->id), err)) < 0)
            goto done;
    }
    if ((rc = S_render(body, blen, &text, err)) < 0)
        goto done;
    if (text.len > NS_ARTICLE_TEXT_MAX) {
        rc = ns_err_set(err, NS_ETOOBIG,
                        "the text to index is %zu bytes after Markdown; over %zu MiB is refused",
                        text.len, NS_ARTICLE_TEXT_MAX >> 20);
        goto done;
    }
    out->text_len = text.len;
    if (!(out->text = ns_buf_detach(&text)) && !(out->text = ns_strndup("", 0))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if (!out->lang[0]) {
        char l = out->text_len ? ns_detect_lang(out->text, out->text_len)
                               : ns_detect_lang(out->title, strlen(out->title));
        memcpy(out->lang, l == 'r' ? "ru" : "en", 3);
    }
    /* Front-matter vendors first, in their order, then those the text names. */
    for (size_t i = 0; i < nfm; i++) {
        const char *canon = opts->vendors
            ? ns_vendors_canonical(opts->vendors, opts->analyzer, fm_vendors[i], strlen(fm_vendors[i]))
            : NULL;
        if (!canon) {
            canon = fm_vendors[i];
            if (opts->vendors) {
                /* fm_vendors are distinct, so are these warnings */
                char q[QUOTE_BUF];
                ns_buf w = NS_BUF_INIT;
                if (ns_buf_printf(&w, "unknown vendor '%s' (kept as written)",
                                  QUOTE(q, canon, strlen(canon))) < 0 ||
                    S_list_add(&out->warnings, &out->nwarnings, w.data, w.len) < 0) {
                    ns_buf_free(&w);
                    rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                    goto done;
                }
                ns_buf_free(&w);
            }
        }
        if (S_list_add_new(&out->vendors, &out->nvendors, &c.vendors, canon, strlen(canon)) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    }
    uint32_t pos = 1;
    size_t used;
    if ((rc = S_analyse(&c, out->title, strlen(out->title), SIZE_MAX, 1, &pos, 1, &used, err)) < 0)
        goto done;
    if ((rc = S_analyse_body(&c, pos + NS_BODY_POS_GAP, err)) < 0)
        goto done;
done:
    S_list_free(fm_vendors, nfm);
    ns_buf_free(&text);
    S_sset_free(&c.vendors);
    S_sset_free(&c.terms);
    if (rc < 0)
        ns_article_clear(out);
    return rc;
}

int ns_article_read_file(const char *path, char **data, size_t *len, int64_t *size,
                         int64_t *mtime_ns, ns_err *err)
{
    int rc = 0;
    char *buf = NULL;
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO named x.md must not hang the run. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        char msg[NS_ERRNO_MSG_MAX];
        ns_errno_msg(errno, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "cannot read: %s", msg);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        char msg[NS_ERRNO_MSG_MAX];
        ns_errno_msg(errno, msg, sizeof msg);
        rc = ns_err_set(err, NS_EIO, "cannot read: %s", msg);
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = ns_err_set(err, NS_EIO, "cannot read: is a directory");
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = ns_err_set(err, NS_EIO, "cannot read: not a regular file");
        goto done;
    }
    if ((uint64_t)st.st_size > NS_ARTICLE_MAX) {
        rc = ns_err_set(err, NS_ETOOBIG, "file is %lld bytes; articles over %zu MiB are refused",
                        (long long)st.st_size, NS_ARTICLE_MAX >> 20);
        goto done;
    }
    size_t want = (size_t)st.st_size, got = 0;
    if (!(buf = malloc(want + 1))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory reading %zu bytes", want);
        goto done;
    }
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            char msg[NS_ERRNO_MSG_MAX];
            ns_errno_msg(errno, msg, sizeof msg);
            rc = ns_err_set(err, NS_EIO, "cannot read: %s", msg);
            goto done;
        }
        if (r == 0)
            break;  /* shrank while we read: index what is there */
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
    if (size)
        *size = (int64_t)st.st_size;
    if (mtime_ns)
        *mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
done:
    free(buf);
    close(fd);
    return rc;
}

void ns_article_clear(ns_article *art)
{
    if (!art)
        return;
    free(art->id);
    free(art->title);
    S_list_free(art->vendors, art->nvendors);
    S_list_free(art->tags, art->ntags);
    free(art->url);
    free(art->text);
    S_list_free(art->warnings, art->nwarnings);
    memset(art, 0, sizeof *art);
}
