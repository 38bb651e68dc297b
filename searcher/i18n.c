/* i18n.c: dates, months, language names and vendors' Russian names (i18n.h). */
#include "i18n.h"

#include "data.h"
#include "str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const S_en_months[12] = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"
};
static const char *const S_ru_months[12] = {
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"
};
static const char *const S_ru_months_gen[12] = {
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря"
};

static int S_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The month 1..12 of "YYYY-MM..." at s, or 0. */
static int S_month_of(const char *s)
{
    if (!S_digits(s, 4) || s[4] != '-' || !S_digits(s + 5, 2))
        return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12 ? m : 0;
}

static int S_is_ru(const char *ui)
{
    return ui && strcmp(ui, "ru") == 0;
}

int ns_i18n_date(ns_buf *out, const char *ymd, const char *ui)
{
    int m = ymd && strlen(ymd) == 10 && ymd[7] == '-' && S_digits(ymd + 8, 2) ? S_month_of(ymd) : 0;
    if (!m)
        return ns_buf_puts(out, ymd ? ymd : "");
    int day = (ymd[8] - '0') * 10 + (ymd[9] - '0');
    if (day < 1 || day > 31)
        return ns_buf_puts(out, ymd);
    return ns_buf_printf(out, "%d %s %.4s", day,
                         S_is_ru(ui) ? S_ru_months_gen[m - 1] : S_en_months[m - 1], ymd);
}

static int S_one_month(ns_buf *out, const char *ym, const char *ui)
{
    int m = S_month_of(ym);
    if (m == 0)
        return ns_buf_puts(out, ym);
    int rc = ns_buf_puts(out, S_is_ru(ui) ? S_ru_months[m - 1] : S_en_months[m - 1]);
    if (rc == 0)
        rc = ns_buf_putc(out, ' ');
    return rc == 0 ? ns_buf_append(out, ym, 4) : rc; /* S_month_of saw four digits */
}

int ns_i18n_month(ns_buf *out, const char *ym, const char *ui)
{
    size_t n = ym ? strlen(ym) : 0;
    if (n == 7 && S_month_of(ym))
        return S_one_month(out, ym, ui);
    if (n == 16 && S_month_of(ym) && strncmp(ym + 7, "..", 2) == 0 && S_month_of(ym + 9)) {
        int rc;
        if ((rc = S_one_month(out, ym, ui)) < 0 || (rc = ns_buf_puts(out, " – ")) < 0)
            return rc;
        return S_one_month(out, ym + 9, ui);
    }
    return ns_buf_puts(out, ym ? ym : "");
}

const char *ns_i18n_lang_name(const char *lang)
{
    if (lang && strcmp(lang, "en") == 0)
        return "English";
    if (lang && strcmp(lang, "ru") == 0)
        return "Русский";
    return lang ? lang : "";
}

/* ---- vendors' Russian names ------------------------------------------------------- */

typedef struct name_pair {
    char *canonical, *ru;
} name_pair;

struct ns_vendor_names {
    name_pair *pairs;
    size_t n;
};

static void S_trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

void ns_vendor_names_free(ns_vendor_names *vn)
{
    if (!vn)
        return;
    for (size_t i = 0; i < vn->n; i++) {
        free(vn->pairs[i].canonical);
        free(vn->pairs[i].ru);
    }
    free(vn->pairs);
    free(vn);
}

/* Add the line's canonical name and its '='-marked alias, if it has one. */
static int S_line(ns_vendor_names *vn, const char *line, size_t len, size_t *cap)
{
    S_trim(&line, &len);
    if (len == 0 || line[0] == '#')
        return 0;
    const char *end = line + len, *bar = memchr(line, '|', len);
    if (!bar)
        return 0;
    const char *canon = line;
    size_t clen = (size_t)(bar - line);
    S_trim(&canon, &clen);
    for (const char *p = bar + 1; p < end;) {
        const char *next = memchr(p, '|', (size_t)(end - p));
        const char *f = p;
        size_t flen = (size_t)((next ? next : end) - p);
        S_trim(&f, &flen);
        if (flen > 1 && f[0] == '=') {
            f++;
            flen--;
            S_trim(&f, &flen);
            if (vn->n == *cap) {
                size_t nc = *cap ? *cap * 2 : 16;
                name_pair *np = realloc(vn->pairs, nc * sizeof *np);
                if (!np)
                    return NS_ENOMEM;
                vn->pairs = np;
                *cap = nc;
            }
            name_pair *pr = &vn->pairs[vn->n];
            pr->canonical = ns_strndup(canon, clen);
            pr->ru = ns_strndup(f, flen);
            if (!pr->canonical || !pr->ru) {
                free(pr->canonical);
                free(pr->ru);
                return NS_ENOMEM;
            }
            vn->n++;
            return 0;
        }
        if (!next)
            break;
        p = next + 1;
    }
    return 0;
}

int ns_vendor_names_from_text(ns_vendor_names **out, const char *text, ns_err *err)
{
    *out = NULL;
    ns_vendor_names *vn = calloc(1, sizeof *vn);
    size_t cap = 0;
    if (!vn)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    for (const char *s = text ? text : ""; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (S_line(vn, s, len, &cap) < 0) {
            ns_vendor_names_free(vn);
            return ns_err_set(err, NS_ENOMEM, "out of memory");
        }
        s += len + (nl ? 1 : 0);
    }
    *out = vn;
    return 0;
}

int ns_vendor_names_new(ns_vendor_names **out, ns_err *err)
{
    return ns_vendor_names_from_text(out, ns_data_vendors, err);
}

const char *ns_vendor_names_show(const ns_vendor_names *vn, const char *canonical,
                                 const char *ui)
{
    if (!vn || !canonical || !S_is_ru(ui))
        return canonical;
    for (size_t i = 0; i < vn->n; i++)
        if (strcasecmp(vn->pairs[i].canonical, canonical) == 0)
            return vn->pairs[i].ru;
    return canonical;
}
