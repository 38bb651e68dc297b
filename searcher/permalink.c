/* permalink.c: check a permalink template once, expand it per result. */
#include "permalink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ns_permalink {
    char *tmpl;
};

static const char *const S_names[] = { "{id}", "{lang}", "{year}", "{month}" };
enum { P_ID, P_LANG, P_YEAR, P_MONTH, P_NONE };

/* Which placeholder starts at s, or P_NONE. */
static int S_placeholder(const char *s, size_t *len)
{
    for (int i = 0; i < P_NONE; i++) {
        size_t n = strlen(S_names[i]);
        if (strncmp(s, S_names[i], n) == 0) {
            *len = n;
            return i;
        }
    }
    return P_NONE;
}

static int S_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 3986 pchar, '/' and '?' (a path and a query), '%' checked apart. */
static int S_url_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~!$&'()*+,;=:@/?", c));
}

/* Why tmpl is not a template, or NULL. */
static const char *S_check(const char *tmpl)
{
    const unsigned char *u = (const unsigned char *)tmpl;
    size_t i = 0;
    int has_id = 0;
    for (size_t k = 0; u[k]; k++)
        if (u[k] <= 0x20 || u[k] >= 0x7f)
            return "has a space, a control or a non-ASCII character (percent-encode it)";
    if (strncasecmp(tmpl, "http://", 7) == 0 || strncasecmp(tmpl, "https://", 8) == 0) {
        i = tmpl[4] == ':' ? 7 : 8;
        if (u[i] == '[') {
            size_t h = ++i;
            while (S_hex(u[i]) || u[i] == ':' || u[i] == '.')
                i++;
            if (u[i] != ']' || i == h)
                return "has a malformed [IPv6] host";
            i++;
        } else {
            size_t h = i;
            while ((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
                   (u[i] >= '0' && u[i] <= '9') || u[i] == '-' || u[i] == '.')
                i++;
            if (i == h)
                return "has no host";
        }
        if (u[i] == ':') {
            size_t p = ++i;
            while (u[i] >= '0' && u[i] <= '9')
                i++;
            if (i == p || i - p > 5)
                return "has a malformed port";
        }
        if (u[i] != '/')
            return "has no path after the host (a user, a fragment, or no '/{id}'?)";
    } else if (u[0] != '/' || u[1] == '/') {
        return "is neither an http:// or https:// address nor a path starting with one '/'";
    }
    for (; u[i]; i++) {
        size_t n;
        if (u[i] == '{') {
            int ph = S_placeholder(tmpl + i, &n);
            if (ph == P_NONE)
                return "has an unknown placeholder (known: {id}, {lang}, {year}, {month})";
            has_id |= ph == P_ID;
            i += n - 1;
        } else if (u[i] == '}') {
            return "has a '}' that closes no placeholder";
        } else if (u[i] == '#') {
            return "has a fragment ('#')";
        } else if (u[i] == '%' ? !(S_hex(u[i + 1]) && S_hex(u[i + 2])) : !S_url_char(u[i])) {
            return "has a character a URL may not hold here, or a bad %-escape";
        }
    }
    if (!has_id)
        return "does not name {id}: every article would get the same link";
    return NULL;
}

int ns_permalink_new(ns_permalink **out, const char *tmpl, ns_err *err)
{
    *out = NULL;
    if (!tmpl)
        return ns_err_set(err, NS_EINVAL, "ns_permalink_new: NULL template");
    const char *why = S_check(tmpl);
    if (why) {
        char shown[104];
        size_t n = 0;
        for (; n < 100 && tmpl[n]; n++)
            shown[n] = ((unsigned char)tmpl[n] < 0x20 || (unsigned char)tmpl[n] >= 0x7f)
                           ? '?' : tmpl[n];
        snprintf(shown + n, sizeof shown - n, "%s", tmpl[n] ? "..." : "");
        return ns_err_set(err, NS_EINVAL, "'%s' %s", shown, why);
    }
    ns_permalink *pl = calloc(1, sizeof *pl);
    if (!pl || !(pl->tmpl = strdup(tmpl))) {
        free(pl);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    *out = pl;
    return 0;
}

void ns_permalink_free(ns_permalink *pl)
{
    if (!pl)
        return;
    free(pl->tmpl);
    free(pl);
}

/* s percent-encoded: unreserved bytes as they are, '/' too when slash (an id
 * made from a file's path, "ru/2020-10-x", keeps its levels), all else %XX.
 * A "." or ".." level is encoded as well, so no id climbs out of the
 * template's path. */
static int S_encode(ns_buf *out, const char *s, size_t len, int slash)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t seg = i;                   /* the level this byte is in */
        while (seg > 0 && s[seg - 1] != '/')
            seg--;
        size_t segend = i;
        while (segend < len && s[segend] != '/')
            segend++;
        int dots = c == '.' && ((segend - seg == 1) ||
                                (segend - seg == 2 && s[seg] == '.' && s[seg + 1] == '.'));
        if (!dots && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || (slash && c == '/'))) {
            rc = ns_buf_putc(out, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            rc = ns_buf_append(out, e, 3);
        }
    }
    return rc;
}

int ns_permalink_expand(const ns_permalink *pl, const ns_record *rec, ns_buf *out)
{
    const char *date = rec->date;
    int has_date = date && strlen(date) >= 7 && date[4] == '-';
    /* check first, so a record that cannot fill the template appends nothing */
    for (const char *t = pl->tmpl; *t; t++) {
        size_t n;
        int ph = *t == '{' ? S_placeholder(t, &n) : P_NONE;
        if ((ph == P_ID && (!rec->id || !*rec->id)) || (ph == P_LANG && (!rec->lang || !*rec->lang)) ||
            ((ph == P_YEAR || ph == P_MONTH) && !has_date))
            return NS_ENOTFOUND;
    }
    const char *id = rec->id ? rec->id : "", *lang = rec->lang ? rec->lang : "";
    int rc = 0;
    const char *t = pl->tmpl;
    while (*t && rc == 0) {
        size_t n = 0;
        int ph = *t == '{' ? S_placeholder(t, &n) : P_NONE;
        switch (ph) {
        case P_ID: rc = S_encode(out, id, strlen(id), 1); break;
        case P_LANG: rc = S_encode(out, lang, strlen(lang), 0); break;
        case P_YEAR: rc = S_encode(out, has_date ? date : "", has_date ? 4 : 0, 0); break;
        case P_MONTH: rc = S_encode(out, has_date ? date : "", has_date ? 7 : 0, 0); break;
        default: rc = ns_buf_putc(out, *t); n = 1; break;
        }
        t += n;
    }
    return rc;
}
