/* cgi.h: the web program's request model. Turns a CGI QUERY_STRING into
 * checked parameters (q, vendor..., month, lang, sort, page, format,
 * opensearch, as_typed), and holds the small pure helpers the page needs: interface
 * language choice, Russian plural forms and URL percent-encoding (the
 * link-scheme check is ns_html_url_linkable in html.h). Nothing here touches the database or does I/O, so all of
 * it is unit-tested without a server.
 *
 * Limits (each breach is a 400 for the user, never a crash or a slow request):
 * NS_CGI_MAX_QS bytes of query string, NS_CGI_MAX_PARAMS parameters,
 * NS_CGI_MAX_Q characters of decoded q (what the box's maxlength counts: a
 * Russian query may be as long as an English one), NS_CGI_MAX_VALUE bytes
 * of any other value,
 * page 1..NS_CGI_MAX_PAGE. */
#ifndef NS_CGI_H
#define NS_CGI_H

#include "buf.h"

#include <stddef.h>

#define NS_CGI_MAX_QS 4096 /* 512 Cyrillic letters, percent-encoded, and the rest */
#define NS_CGI_MAX_PARAMS 32
#define NS_CGI_MAX_Q 512
#define NS_CGI_MAX_VALUE 128
#define NS_CGI_MAX_PAGE 100
#define NS_CGI_PAGE_SIZE 10

/* Why a request was refused; the page turns it into a message in the user's
 * language, which is why this is a code and not a string. */
typedef enum ns_cgi_bad {
    NS_CGI_OK = 0,
    NS_CGI_BAD_QS_LONG,     /* query string longer than NS_CGI_MAX_QS */
    NS_CGI_BAD_TOO_MANY,    /* more than NS_CGI_MAX_PARAMS parameters */
    NS_CGI_BAD_ESCAPE,      /* %zz, truncated %4 */
    NS_CGI_BAD_UTF8,        /* decoded bytes are not valid UTF-8 (overlong, NUL, ...) */
    NS_CGI_BAD_Q_LONG,      /* q longer than NS_CGI_MAX_Q characters */
    NS_CGI_BAD_VALUE_LONG,  /* another value longer than NS_CGI_MAX_VALUE */
    NS_CGI_BAD_MONTH,       /* not YYYY-MM or YYYY-MM..YYYY-MM with a real month */
    NS_CGI_BAD_LANG,        /* not en or ru */
    NS_CGI_BAD_SORT,        /* not relevance or date */
    NS_CGI_BAD_PAGE,        /* not a number in 1..NS_CGI_MAX_PAGE */
    NS_CGI_BAD_FORMAT,      /* format other than html or json */
    NS_CGI_BAD_CROSS,       /* cross other than 0 or 1 */
} ns_cgi_bad;

typedef struct ns_cgi_params {
    char *q;                /* decoded query, "" when absent; valid UTF-8 */
    char **vendors;         /* decoded vendor values, in order, duplicates dropped */
    size_t nvendors;
    char *month;            /* checked month spec, or NULL */
    char *lang;             /* "en", "ru" or NULL */
    int sort_by_date;       /* sort=date */
    int no_cross;           /* cross=0: no words of the other language */
    unsigned page;          /* 1.. */
    int json;               /* format=json */
    int opensearch;         /* opensearch=<anything>: the OpenSearch description */
    int as_typed;           /* as_typed=<anything>: no suggestion's results in place of
                               the query's ("search instead for") */
    ns_cgi_bad bad;         /* first problem found, NS_CGI_OK if none */
    char *bad_value;        /* the offending decoded value when printable, else NULL */
} ns_cgi_params;

/* Parse qs[0..len) (QUERY_STRING, may be NULL/empty). Returns 0, or NS_ENOMEM.
 * A bad request is not an error of the call: p->bad says what is wrong, and
 * p->q is still filled when q itself decoded cleanly, so the 400 page can pick
 * its language. Unknown parameters are ignored but count towards the limit;
 * empty values count as absent; a repeated single-valued parameter keeps its
 * last value. Always release with ns_cgi_params_clear. */
int ns_cgi_parse(ns_cgi_params *p, const char *qs, size_t len);
void ns_cgi_params_clear(ns_cgi_params *p);

/* Decode one application/x-www-form-urlencoded component s[0..len) ('+' is a
 * space) onto out. 0, NS_ESYNTAX for a bad %-escape, NS_ENOMEM. Does not check
 * UTF-8. */
int ns_cgi_decode(ns_buf *out, const char *s, size_t len);

/* Append s as a query-string value: unreserved bytes as is, space as '+',
 * everything else %XX. The result still needs HTML escaping in an attribute. */
int ns_cgi_encode(ns_buf *out, const char *s);

/* Append path as a URL path: as ns_cgi_encode, but '/' stays and a space is
 * %20. 0 or NS_ENOMEM. */
int ns_cgi_encode_path(ns_buf *out, const char *path);

/* 1 for "YYYY-MM" or "YYYY-MM..YYYY-MM" with months 01..12 and the range in
 * order; else 0. */
int ns_cgi_month_valid(const char *s);

/* Interface language: "ru" when q contains a Cyrillic letter; else the best of
 * en/ru by Accept-Language (q-values honoured, ties by order); else "en". */
const char *ns_cgi_ui_lang(const char *q, const char *accept_language);

/* Russian plural form for n: 0 "1 результат", 1 "2 результата", 2 "5 результатов". */
int ns_cgi_ru_plural(unsigned long n);

#endif
