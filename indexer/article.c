/* article.c: an article file -> ns_article: front matter (frontmatter.c) + CommonMark body (cmark).
 * See article.h for what is promised; the front matter's keys are read in
 * frontmatter.c; the article format is in docs/interface.md "Articles". */
#include "article.h"
#include "frontmatter.h"
#include "list.h"
#include "str.h"
#include "strset.h"

#include "buf.h"
#include "schema.h"
#include "utf8.h"

#include <cmark.h>

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
    ns_strset vendors;   /* art->vendors, for de-duplication */
    ns_strset terms;     /* the distinct terms so far (NS_ARTICLE_TERMS_MAX) */
} actx;

static int S_on_vendor(void *ctx, const char *canonical)
{
    actx *c = ctx;
    return ns_strs_add_new(&c->art->vendors, &c->art->nvendors, &c->vendors, canonical,
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
        if (ns_strset_add(&c->terms, terms[i].term, terms[i].len, &added) < 0)
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

/* The vendors the front matter gave, fm_vendors[0..nfm) (distinct), each
 * by its canonical name, or as written with a warning when the table does
 * not know it. */
static int S_fm_vendors(actx *c, char **fm_vendors, size_t nfm, ns_err *err)
{
    const ns_article_opts *opts = c->opts;
    ns_article *out = c->art;
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
                    ns_strs_add(&out->warnings, &out->nwarnings, w.data, w.len) < 0) {
                    ns_buf_free(&w);
                    return ns_err_set(err, NS_ENOMEM, "out of memory");
                }
                ns_buf_free(&w);
            }
        }
        if (ns_strs_add_new(&out->vendors, &out->nvendors, &c->vendors, canon, strlen(canon)) < 0)
            return ns_err_set(err, NS_ENOMEM, "out of memory");
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
    if ((rc = ns_front_matter_read(out, yaml, ylen, &fm_vendors, &nfm, err)) < 0)
        goto done;
    if (!out->id) {
        if (S_default_id(opts->default_id ? opts->default_id : "", &out->id) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = ns_front_matter_check_id(out->id, strlen(out->id), err)) < 0)
            goto done;
    }
    if (out->translation_of && !strcmp(out->translation_of, out->id)) {
        rc = ns_err_set(err, NS_ESYNTAX,
                        "translation_of names the article itself ('%.60s'): give the id of the "
                        "other telling", out->id);
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
    if ((rc = S_fm_vendors(&c, fm_vendors, nfm, err)) < 0)
        goto done;
    uint32_t pos = 1;
    size_t used;
    if ((rc = S_analyse(&c, out->title, strlen(out->title), SIZE_MAX, 1, &pos, 1, &used, err)) < 0)
        goto done;
    if ((rc = S_analyse_body(&c, pos + NS_BODY_POS_GAP, err)) < 0)
        goto done;
done:
    ns_strs_free(fm_vendors, nfm);
    ns_buf_free(&text);
    ns_strset_free(&c.vendors);
    ns_strset_free(&c.terms);
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
    ns_strs_free(art->vendors, art->nvendors);
    ns_strs_free(art->tags, art->ntags);
    free(art->url);
    free(art->translation_of);
    free(art->text);
    ns_strs_free(art->warnings, art->nwarnings);
    memset(art, 0, sizeof *art);
}
