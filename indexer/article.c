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

/* Bodies are analysed in chunks of about this size, cut at paragraph breaks,
 * so a 16 MiB article never needs one term array for the whole text. */
#define CHUNK_MIN ((size_t)64 << 10)

/* How much of a user's value an error message quotes. */
#define QUOTE_MAX 60

/* ---- small helpers ---- */




/* Length of s to quote in a message: at most QUOTE_MAX bytes, whole characters. */
static int S_qlen(const char *s, size_t len)
{
    return (int)ns_utf8_clip(s, len, QUOTE_MAX);
}

/* Append a copy of s to a string list; with dedup, an equal string already
 * there is not added again. 0 or NS_ENOMEM. */
static int S_list_add(char ***list, size_t *n, const char *s, size_t len, int dedup)
{
    if (dedup)
        for (size_t i = 0; i < *n; i++)
            if (strlen((*list)[i]) == len && memcmp((*list)[i], s, len) == 0)
                return 0;
    char **p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return NS_ENOMEM;
    *list = p;
    if (!(p[*n] = ns_strndup(s, len)))
        return NS_ENOMEM;
    (*n)++;
    return 0;
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

/* A one-line copy: newlines and tabs of folded YAML become spaces. */
static char *S_oneline(const char *s, size_t len)
{
    char *p = ns_strndup(s, len);
    if (p)
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)p[i] < 0x20)
                p[i] = ' ';
    return p;
}

/* vendors:/tags: one name or a list of names -> list. */
static int S_names(yaml_document_t *doc, yaml_node_t *node, const char *key, char ***list,
                   size_t *n, ns_err *err)
{
    const char *s;
    size_t len;
    if (S_is_null(node))
        return 0;
    if (S_scalar(node, &s, &len)) {
        if (S_list_add(list, n, s, len, 1) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        return 0;
    }
    if (node->type != YAML_SEQUENCE_NODE)
        return ns_err_set(err, NS_ESYNTAX, "%s: expected a name or a list of names", key);
    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(doc, *it);
        if (S_is_null(item))
            continue;
        if (!S_scalar(item, &s, &len))
            return ns_err_set(err, NS_ESYNTAX, "%s: expected a name or a list of names", key);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] < 0x20)
                return ns_err_set(err, NS_ESYNTAX, "%s: a name spans several lines", key);
        if (S_list_add(list, n, s, len, 1) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    return 0;
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
 * value, so it must fit a term and hold no control character. */
static int S_check_id(const char *id, size_t len, ns_err *err)
{
    if (len == 0)
        return ns_err_set(err, NS_ESYNTAX, "empty id");
    if (len + strlen(NS_PREFIX_ID) > 245)
        return ns_err_set(err, NS_ESYNTAX, "id '%.*s...' is longer than %zu bytes",
                          S_qlen(id, len), id, 245 - strlen(NS_PREFIX_ID));
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return ns_err_set(err, NS_ESYNTAX, "id '%.*s' holds a control character",
                              S_qlen(id, len), id);
    return 0;
}

static int S_front_matter(ns_article *art, const char *yaml, size_t ylen, char ***fm_vendors,
                          size_t *nfm, ns_err *err)
{
    int rc = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    int have_doc = 0;
    if (!yaml_parser_initialize(&parser))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, ylen);
    if (!yaml_parser_load(&parser, &doc)) {
        /* Line numbers in the file: the YAML starts on the file's line 2. */
        rc = ns_err_set(err, parser.error == YAML_MEMORY_ERROR ? NS_ENOMEM : NS_ESYNTAX,
                        "front matter: YAML error at line %zu: %s%s%s",
                        (size_t)parser.problem_mark.line + 2,
                        parser.problem ? parser.problem : "invalid YAML",
                        parser.context ? " " : "", parser.context ? parser.context : "");
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
                                "date '%.*s' is not a real calendar date (YYYY-MM-DD)",
                                S_qlen(s, len), s);
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
            rc = ns_err_set(err, NS_ESYNTAX, "lang '%.*s' is not en or ru", S_qlen(s, len), s);
            goto done;
        }
        if (*slot) {
            rc = ns_err_set(err, NS_ESYNTAX, "front matter: '%.*s' is given twice", (int)klen, key);
            goto done;
        }
        if (!(*slot = S_oneline(s, len))) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
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

typedef struct vctx {
    ns_article *art;
} vctx;

static int S_on_vendor(void *ctx, const char *canonical)
{
    ns_article *art = ((vctx *)ctx)->art;
    return S_list_add(&art->vendors, &art->nvendors, canonical, strlen(canonical), 1);
}

/* Analyse one piece, detect vendors in it, then hand the terms on. */
static int S_analyse(const ns_article_opts *opts, ns_article *art, const char *text, size_t len,
                     uint32_t first_pos, uint32_t *next_pos, int in_title, ns_err *err)
{
    const ns_term *terms = NULL;
    size_t count = 0;
    int rc = ns_analyze(opts->analyzer, text, len, first_pos, &terms, &count, next_pos, err);
    if (rc < 0)
        return rc;
    if (opts->vendors) {
        vctx vc = {art};
        if ((rc = ns_vendors_detect(opts->vendors, terms, count, S_on_vendor, &vc)) != 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory detecting vendors");
    }
    /* Last: the callback may reuse the analyzer, which invalidates terms. */
    if (opts->on_terms)
        return opts->on_terms(opts->ctx, terms, count, text, len, in_title, err);
    return 0;
}

static int S_analyse_body(const ns_article_opts *opts, ns_article *art, uint32_t pos,
                          ns_err *err)
{
    const char *p = art->text, *end = art->text + art->text_len;
    int rc = 0;
    while (p < end) {
        const char *cut = end;
        if ((size_t)(end - p) > CHUNK_MIN) {
            /* memmem would do, but it is a GNU extension. */
            const char *q = p + CHUNK_MIN;
            cut = end;
            while (q + 1 < end) {
                const char *nl = memchr(q, '\n', (size_t)(end - q));
                if (!nl || nl + 1 >= end)
                    break;
                if (nl[1] == '\n') {
                    cut = nl + 2;
                    break;
                }
                q = nl + 1;
            }
        }
        if ((rc = S_analyse(opts, art, p, (size_t)(cut - p), pos, &pos, 0, err)) < 0)
            return rc;
        p = cut;
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
        const char *id = opts->default_id ? opts->default_id : "";
        if ((rc = S_check_id(id, strlen(id), err)) < 0)
            goto done;
        if (!(out->id = ns_strndup(id, strlen(id)))) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    }
    if ((rc = S_render(body, blen, &text, err)) < 0)
        goto done;
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
                ns_buf w = NS_BUF_INIT;
                if (ns_buf_printf(&w, "unknown vendor '%s' (kept as written)", canon) < 0 ||
                    S_list_add(&out->warnings, &out->nwarnings, w.data, w.len, 1) < 0) {
                    ns_buf_free(&w);
                    rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                    goto done;
                }
                ns_buf_free(&w);
            }
        }
        if (S_list_add(&out->vendors, &out->nvendors, canon, strlen(canon), 1) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    }
    uint32_t pos = 1;
    if ((rc = S_analyse(opts, out, out->title, strlen(out->title), 1, &pos, 1, err)) < 0)
        goto done;
    if ((rc = S_analyse_body(opts, out, pos + NS_BODY_POS_GAP, err)) < 0)
        goto done;
done:
    S_list_free(fm_vendors, nfm);
    ns_buf_free(&text);
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
        char msg[128] = "";
        strerror_r(errno, msg, sizeof msg);
        return ns_err_set(err, NS_EIO, "cannot read: %s", msg);
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        char msg[128] = "";
        strerror_r(errno, msg, sizeof msg);
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
            char msg[128] = "";
            strerror_r(errno, msg, sizeof msg);
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
