/* shard.c: shard routing and the stub file (see shard.h). Read with the
 * same rules as Xapian's own stub reader (backends/databasehelpers.h in
 * xapian-core 1.4), so a stub nsearch accepts means the same to Xapian's
 * tools; written only in the one form nindex makes. */
#include "shard.h"

#include "buf.h"
#include "hmap.h"
#include "list.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ns_stub {
    ns_stub_shard *v;
    size_t n, cap;
    char **strs;         /* every string the shards point into, owned */
    size_t nstrs, capstrs;
};

unsigned ns_shard_of(const char *id, size_t len, unsigned nshards)
{
    if (nshards <= 1)
        return 0;
    return (unsigned)(ns_hmap_hash(id, len) % nshards);
}

/* ---- reading ---- */

static const char *S_keep(ns_stub *s, char *p)
{
    if (!p)
        return NULL;
    if (ns_array_room(&s->strs, s->nstrs, &s->capstrs, sizeof *s->strs, 16) < 0) {
        free(p);
        return NULL;
    }
    s->strs[s->nstrs++] = p;
    return p;
}

static ns_stub_shard *S_add(ns_stub *s)
{
    if (ns_array_room(&s->v, s->n, &s->cap, sizeof *s->v, 8) < 0)
        return NULL;
    ns_stub_shard *sh = &s->v[s->n++];
    memset(sh, 0, sizeof *sh);
    return sh;
}

/* The stub file of path: path itself, or path/NS_STUB_NAME for a folder.
 * malloc'd, NULL when out of memory. */
static char *S_stub_file(const char *path, int *is_dir)
{
    struct stat st;
    *is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (!*is_dir)
        return ns_strndup(path, strlen(path));
    ns_buf b = NS_BUF_INIT;
    if (ns_buf_printf(&b, "%s/%s", path, NS_STUB_NAME) < 0) {
        ns_buf_free(&b);
        return NULL;
    }
    return b.data;
}

int ns_stub_is(const char *path)
{
    int is_dir;
    char *f = S_stub_file(path, &is_dir);
    if (!f)
        return 0;
    char head[512];
    FILE *fp = fopen(f, "r");
    free(f);
    if (!fp)
        return 0;
    int yes = 0;
    while (fgets(head, sizeof head, fp)) {
        if (head[0] == '#' || head[0] == '\n')
            continue;
        yes = !strncmp(head, "auto ", 5) || !strncmp(head, "glass ", 6) ||
              !strncmp(head, "remote ", 7);
        break;
    }
    fclose(fp);
    return yes;
}

/* One "remote" line's rest: "HOST:PORT" or "[IPV6]:PORT". */
static int S_remote(ns_stub *s, ns_stub_shard *sh, const char *rest, const char *file,
                    unsigned line, ns_err *err)
{
    if (rest[0] == ':')
        return ns_err_set(err, NS_ESYNTAX,
                          "%s:%u: remote shards over a program (remote :PROG) are not"
                          " supported; serve the shard with xapian-tcpsrv and write"
                          " 'remote HOST:PORT'", file, line);
    const char *colon = strrchr(rest, ':');
    if (!colon || colon == rest)
        return ns_err_set(err, NS_ESYNTAX, "%s:%u: expected 'remote HOST:PORT'", file, line);
    char *end = NULL;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port < 1 || port > 65535)
        return ns_err_set(err, NS_ESYNTAX, "%s:%u: bad port '%s' (1 to 65535)", file, line,
                          colon + 1);
    const char *h = rest;
    size_t hlen = (size_t)(colon - rest);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen == 0)
        return ns_err_set(err, NS_ESYNTAX, "%s:%u: remote shard without a host", file, line);
    sh->remote = 1;
    sh->port = (unsigned)port;
    if (!(sh->host = S_keep(s, ns_strndup(h, hlen))) || !(sh->name = S_keep(s, ns_strndup(rest, strlen(rest)))))
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    return 0;
}

/* A local line's path, relative to the stub's folder unless absolute. */
static int S_local(ns_stub *s, ns_stub_shard *sh, const char *rest, const char *file,
                   unsigned line, ns_err *err)
{
    if (!*rest)
        return ns_err_set(err, NS_ESYNTAX, "%s:%u: a shard without a path", file, line);
    ns_buf b = NS_BUF_INIT;
    const char *slash = strrchr(file, '/');
    int rc;
    if (rest[0] == '/' || !slash)
        rc = ns_buf_printf(&b, "%s", rest);
    else
        rc = ns_buf_printf(&b, "%.*s/%s", (int)(slash - file), file, rest);
    if (rc < 0 || !(sh->path = S_keep(s, b.data)) || !(sh->name = S_keep(s, ns_strndup(rest, strlen(rest))))) {
        if (rc < 0)
            ns_buf_free(&b);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    return 0;
}

int ns_stub_read(ns_stub **out, const char *path, ns_err *err)
{
    if (!out || !path)
        return ns_err_set(err, NS_EINVAL, "ns_stub_read: NULL argument");
    *out = NULL;
    int is_dir, rc = 0;
    char *file = S_stub_file(path, &is_dir);
    ns_stub *s = calloc(1, sizeof *s);
    FILE *fp = NULL;
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    if (!file || !s) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    if (!(fp = fopen(file, "r"))) {
        char eb[NS_ERRNO_MSG_MAX];
        rc = ns_err_set(err, errno == ENOENT ? NS_ENOTFOUND : NS_EIO, "stub '%s': %s", file,
                        ns_errno_msg(errno, eb, sizeof eb));
        goto done;
    }
    ssize_t got;
    while ((got = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (s->n >= NS_SHARD_MAX) {
            rc = ns_err_set(err, NS_ETOOBIG, "%s: more than %d shards", file, NS_SHARD_MAX);
            goto done;
        }
        char *sp = strchr(line, ' ');
        const char *rest = sp ? sp + 1 : "";
        size_t tlen = sp ? (size_t)(sp - line) : len;
        ns_stub_shard *sh = S_add(s);
        if (!sh) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        if (tlen == 6 && !memcmp(line, "remote", 6))
            rc = S_remote(s, sh, rest, file, lineno, err);
        else if ((tlen == 4 && !memcmp(line, "auto", 4)) || (tlen == 5 && !memcmp(line, "glass", 5)))
            rc = S_local(s, sh, rest, file, lineno, err);
        else
            rc = ns_err_set(err, NS_ESYNTAX,
                            "%s:%u: expected 'auto PATH', 'glass PATH' or 'remote HOST:PORT'",
                            file, lineno);
        if (rc < 0)
            goto done;
    }
    if (ferror(fp)) {
        rc = ns_err_set(err, NS_EIO, "stub '%s': read error", file);
        goto done;
    }
    if (s->n == 0) {
        rc = ns_err_set(err, NS_ESYNTAX, "stub '%s' lists no shard", file);
        goto done;
    }
    *out = s;
    s = NULL;
done:
    if (fp)
        fclose(fp);
    free(line);
    free(file);
    ns_stub_free(s);
    return rc;
}

size_t ns_stub_count(const ns_stub *s)
{
    return s ? s->n : 0;
}

const ns_stub_shard *ns_stub_shard_at(const ns_stub *s, size_t i)
{
    return s && i < s->n ? &s->v[i] : NULL;
}

size_t ns_stub_remotes(const ns_stub *s)
{
    size_t k = 0;
    for (size_t i = 0; s && i < s->n; i++)
        k += s->v[i].remote != 0;
    return k;
}

void ns_stub_free(ns_stub *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nstrs; i++)
        free(s->strs[i]);
    free(s->strs);
    free(s->v);
    free(s);
}

/* ---- writing ---- */

int ns_stub_write_local(const char *dir, unsigned n, ns_err *err)
{
    if (!dir)
        return ns_err_set(err, NS_EINVAL, "ns_stub_write_local: NULL argument");
    if (n == 0 || n > NS_SHARD_MAX)
        return ns_err_set(err, NS_EINVAL, "shards: %u is not 1 to %d", n, NS_SHARD_MAX);
    ns_buf path = NS_BUF_INIT, tmp = NS_BUF_INIT, text = NS_BUF_INIT;
    int rc = 0, fd = -1;
    char eb[NS_ERRNO_MSG_MAX];
    if (ns_buf_printf(&path, "%s/%s", dir, NS_STUB_NAME) < 0 ||
        ns_buf_printf(&tmp, "%s/%s.tmp", dir, NS_STUB_NAME) < 0 ||
        ns_buf_printf(&text, "# nsearch: %u shards, written by nindex (docs/shards.md)\n", n) < 0) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    for (unsigned k = 0; k < n; k++)
        if (ns_buf_printf(&text, "auto shard%u\n", k) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
    if ((fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
        write(fd, text.data, text.len) != (ssize_t)text.len || fsync(fd) < 0) {
        rc = ns_err_set(err, NS_EIO, "writing '%s': %s", tmp.data, ns_errno_msg(errno, eb, sizeof eb));
        goto done;
    }
    close(fd);
    fd = -1;
    if (rename(tmp.data, path.data) < 0) {
        rc = ns_err_set(err, NS_EIO, "renaming '%s': %s", tmp.data, ns_errno_msg(errno, eb, sizeof eb));
        goto done;
    }
done:
    if (fd >= 0) {
        close(fd);
        unlink(tmp.data);
    }
    ns_buf_free(&path);
    ns_buf_free(&tmp);
    ns_buf_free(&text);
    return rc;
}
