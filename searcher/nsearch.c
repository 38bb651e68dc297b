/* nsearch.c: the command-line searcher: options, then one search (text or
 * --json), a --batch of them, or --analyze. All the work is in the library. */
#include "analyze.h"
#include "args.h"
#include "batch.h"
#include "buf.h"
#include "format.h"
#include "json.h"
#include "render.h"
#include "schema.h"
#include "search.h"
#include "str.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NS_VERSION
#define NS_VERSION "0.0.0"
#endif

#define MAX_LIMIT 10000u
#define MAX_OFFSET 1000000000u
#define MAX_JOBS 64u

enum { EXIT_FOUND = 0, EXIT_NONE = 1, EXIT_ERROR = 2 };

static const char usage[] =
    "Usage: nsearch [--db PATH] [options] QUERY...\n"
    "       nsearch [--db PATH] [options] --batch < queries\n"
    "       nsearch --analyze < text\n"
    "Search the ML news archive built by nindex. The words of QUERY are joined with spaces.\n"
    "\n"
    "Query language:\n"
    "  word word          every word is required (any inflection: stems match)\n"
    "  \"exact phrase\"     the words next to each other, in order\n"
    "  -word  -\"phrase\"   exclude articles with it\n"
    "  a OR b             either clause (uppercase OR; `a b OR c d` is a AND (b OR c) AND d)\n"
    "  transl*            any word starting with the prefix (at least 2 characters)\n"
    "  vendor:NAME        articles about a vendor (vendor:сбер is Sberbank; vendor:\"Hugging Face\")\n"
    "  month:YYYY-MM      articles of a month; month:YYYY-MM..YYYY-MM a range of months\n"
    "  lang:en  lang:ru   articles in a language\n"
    "  Filters of one kind are OR'd, of different kinds AND'd; filters alone list every article\n"
    "  that passes them. Stopwords are dropped outside phrases. When too few articles have all\n"
    "  the words to fill the page, those with most of them follow, marked ~ (\"partial\").\n"
    "  A month or year in words (\"December 2020\", \"в декабре 2020\", \"2019\") and a vendor's\n"
    "  name (\"Яндекса\", \"Sber\") rank that month's, year's or vendor's articles first;\n"
    "  words are also sought in the other language (нейросеть: neural network), ranked below.\n"
    "  At most 1000 terms per query: each word, part of a compound word (GPT-3 is 3), phrase\n"
    "  word, OR operand and filter counts one; prefixes share what the rest leaves.\n"
    "\n"
    "Options:\n"
    "  --db PATH          database (default: $NSEARCH_DB, else " NS_DEFAULT_DB ")\n"
    "  --vendor NAME      only this vendor's articles (repeatable; several are OR'd)\n"
    "  --month SPEC       YYYY-MM or YYYY-MM..YYYY-MM\n"
    "  --lang en|ru       only articles in this language\n"
    "  -n, --limit N      results per page (default 10, at most 10000)\n"
    "  --offset N         skip the first N results (paging)\n"
    "  --sort relevance|date   BM25 relevance (ties newest first; default) or newest first\n"
    "  --facets           also print counts per vendor and per month over all matches (with\n"
    "                     a vendor filter, vendors are counted without it; months likewise)\n"
    "  --json             print one JSON object (below)\n"
    "  --format FMT       one line per result from FMT, like git log --format:\n"
    "                     %i id, %t title, %d date, %m month, %u url, %v vendors\n"
    "                     (comma-joined), %l language, %s score, %r rank, %p path,\n"
    "                     %n newline, %% percent; other text as written. Control\n"
    "                     characters in values are written \\xHH. Nothing else is\n"
    "                     printed (no header); not with --json, --batch, --facets\n"
    "  --batch            one query per stdin line, one JSON object per stdout line, in order\n"
    "  --jobs N           --batch: search N lines at a time (default: one per CPU)\n"
    "  --analyze          print how stdin's text is analysed: token TAB terms, one per line\n"
    "  --bm25 K1,B        BM25 parameters (default 1.2,0.75; k1 >= 0, 0 <= b <= 1)\n"
    "  --no-cross         do not add the other language's words (glossary/en-ru.txt)\n"
    "  --cross-weight W   what a match through the other language's words weighs, times\n"
    "                     a match of the words typed (default 0.3)\n"
    "  --intent-weight W  what an article of a month, year or vendor named in the words\n"
    "                     weighs more (default 5; 0: read no intents)\n"
    "  --stories          one result per story: an article and its translation (same url,\n"
    "                     or translation_of) once, in the query's language when both\n"
    "                     match, the other telling under \"also\" (as on the web)\n"
    "  --shard-timeout MS a sharded database's remote shards: how long to wait for one to\n"
    "                     connect and for each reply (default 10000; 0: no limit)\n"
    "  --allow-partial    a remote shard that does not answer is left out, with a warning\n"
    "                     (stderr; JSON \"warning\" and \"missing_shards\"), instead of an error\n"
    "  -h, --help         this help\n"
    "  --version          print the version\n"
    "  --                 the rest is query, even if it starts with -\n"
    "Option names are exact (no abbreviations); a value that starts with - needs --opt=VALUE.\n"
    "\n"
    "JSON (--json, and each --batch line):\n"
    "  {\"query\", \"total\", \"total_all_words\" (how many of total have every word),\n"
    "   \"offset\", \"limit\", \"relaxed\" (true when no article has every word),\n"
    "   \"results\": [{\"rank\", \"id\", \"title\", \"date\", \"month\",\n"
    "   \"lang\", \"vendors\": [..], \"url\" (or null), \"path\", \"score\", \"partial\" (true:\n"
    "   lacks some words), \"snippet\", \"snippet_html\" (HTML-escaped, matches in <mark>)}],\n"
    "   \"facets\": {\"vendor\": {NAME: n}, \"month\": {\"YYYY-MM\": n}},\n"
    "   \"facets_disjunctive\": {\"vendor\": b, \"month\": b} (true: counted without that\n"
    "   kind's filter, so each count is what choosing it instead would give),\n"
    "   \"suggestion\" (a corrected query that finds more, or null), \"layout\" (true: the\n"
    "   suggestion is the query on the other keyboard layout), \"showing_suggestion\" (true:\n"
    "   the query found nothing, and the results are the suggestion's),\n"
    "   \"intents\": {\"month\": \"YYYY-MM\", \"year\": \"YYYY\", \"vendor\": NAME} (those read),\n"
    "   \"expansions\": [{\"words\": WORDS, \"with\": [FORMS]}]}\n"
    "  Each --batch line also has \"took_ms\": the time its search took, in milliseconds.\n"
    "  A bad --batch line gives {\"query\": .., \"error\": ..} and the batch goes on; so does a\n"
    "  line over 131072 bytes (its \"query\" is its start) or with a NUL byte.\n"
    "\n"
    "Exit status: 0 results found, 1 none (also when a suggestion's results are shown),\n"
    "  2 error (bad query or option, missing database, a shard that did not answer).\n"
    "  --batch: 0 when every line was answered (with or without results), 2 if any line was\n"
    "  an error.\n"
    "Environment: NSEARCH_DB (database path), NO_COLOR (no colour even on a terminal),\n"
    "  NSEARCH_SHARD_TIMEOUT (as --shard-timeout), NSEARCH_ALLOW_PARTIAL=1 (as --allow-partial).\n";

/* One error line on stderr. It quotes queries and paths, so its control
 * characters are written \xHH (ns_str_escape): "month:\e[2J" must not clear
 * the user's screen (issue #13, finding 5). */
static int S_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int S_fail(const char *fmt, ...)
{
    ns_buf line = NS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = ns_str_vescapef(&line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "nsearch: %s\n", rc == 0 ? ns_buf_cstr(&line) : "out of memory writing a message");
    ns_buf_free(&line);
    return EXIT_ERROR;
}

static int S_search_fail(const char *db, const ns_err *err)
{
    if (err->code == NS_ENOTFOUND)
        return S_fail("%s (build one with: nindex --db %s corpus/)", err->msg, db);
    return S_fail("%s", err->msg[0] ? err->msg : ns_strerror(err->code));
}

static int S_unsigned(const char *s, unsigned max, unsigned *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int S_bm25(const char *s, double *k1, double *b)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end != ',')
        return -1;
    const char *s2 = end + 1;
    double y = strtod(s2, &end);
    if (errno || end == s2 || *end || !isfinite(x) || !isfinite(y) || x < 0 || y < 0 || y > 1)
        return -1;
    *k1 = x;
    *b = y;
    return 0;
}

/* A weight: a finite number >= 0. */
static int S_weight(const char *s, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(x) || x < 0)
        return -1;
    *out = x;
    return 0;
}

static int S_write(const ns_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
        return -1;
    return fflush(stdout) == 0 ? 0 : -1;
}

static int S_analyze(void)
{
    ns_buf in = NS_BUF_INIT, out = NS_BUF_INIT;
    ns_analyzer *a = NULL;
    ns_err err = { 0, "" };
    int rc = EXIT_ERROR;
    char chunk[65536];
    size_t n;

    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (ns_buf_append(&in, chunk, n) < 0) {
            S_fail("out of memory reading stdin");
            goto done;
        }
    if (ferror(stdin)) {
        S_fail("reading stdin: %s", strerror(errno));
        goto done;
    }
    if (ns_analyzer_new(&a, &err) < 0 || ns_analyze_dump(a, ns_buf_cstr(&in), in.len, &out, &err) < 0) {
        S_fail("%s", err.msg);
        goto done;
    }
    if (S_write(&out) < 0) {
        S_fail("writing output: %s", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    ns_analyzer_free(a);
    ns_buf_free(&in);
    ns_buf_free(&out);
    return rc;
}

/* ---- the command line ---- */

enum { O_DB = 256, O_VENDOR, O_MONTH, O_LANG, O_OFFSET, O_SORT, O_FACETS, O_JSON, O_BATCH,
       O_ANALYZE, O_BM25, O_VERSION, O_JOBS, O_FORMAT, O_NO_CROSS, O_CROSS_WEIGHT,
       O_INTENT_WEIGHT, O_STORIES, O_SHARD_TIMEOUT, O_ALLOW_PARTIAL };

static const struct option longopts[] = {
    { "db", required_argument, NULL, O_DB },
    { "vendor", required_argument, NULL, O_VENDOR },
    { "month", required_argument, NULL, O_MONTH },
    { "lang", required_argument, NULL, O_LANG },
    { "limit", required_argument, NULL, 'n' },
    { "offset", required_argument, NULL, O_OFFSET },
    { "sort", required_argument, NULL, O_SORT },
    { "facets", no_argument, NULL, O_FACETS },
    { "json", no_argument, NULL, O_JSON },
    { "format", required_argument, NULL, O_FORMAT },
    { "batch", no_argument, NULL, O_BATCH },
    { "jobs", required_argument, NULL, O_JOBS },
    { "analyze", no_argument, NULL, O_ANALYZE },
    { "bm25", required_argument, NULL, O_BM25 },
    { "no-cross", no_argument, NULL, O_NO_CROSS },
    { "cross-weight", required_argument, NULL, O_CROSS_WEIGHT },
    { "intent-weight", required_argument, NULL, O_INTENT_WEIGHT },
    { "stories", no_argument, NULL, O_STORIES },
    { "shard-timeout", required_argument, NULL, O_SHARD_TIMEOUT },
    { "allow-partial", no_argument, NULL, O_ALLOW_PARTIAL },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, O_VERSION },
    { NULL, 0, NULL, 0 },
};

/* What the command line asks for. */
typedef struct cli {
    ns_search_opts opts;
    const char *db, *format;
    const char *shard_timeout; /* --shard-timeout, as given */
    int json, batch, analyze, facets, allow_partial;
    unsigned jobs;
    const char **words, **vendors; /* argc + 1 slots each */
    size_t nwords;
} cli;

/* Go on with the next argument. */
#define GO_ON (-1)

/* Take option c with value v (a word for NS_ARGS_WORD): GO_ON, or the exit
 * status when the program is done (an error reported, --help, --version). */
static int S_option(cli *o, int c, const char *v, ns_err *err)
{
    switch (c) {
    case NS_ARGS_WORD: o->words[o->nwords++] = v; break;
    case O_DB: o->db = v; break;
    case O_VENDOR: o->vendors[o->opts.nvendors++] = v; break;
    case O_MONTH: o->opts.month = v; break;
    case O_LANG: o->opts.lang = v; break;
    case 'n':
        if (S_unsigned(v, MAX_LIMIT, &o->opts.limit) < 0)
            return S_fail("--limit '%s' is not a number from 0 to %u", v, MAX_LIMIT);
        break;
    case O_OFFSET:
        if (S_unsigned(v, MAX_OFFSET, &o->opts.offset) < 0)
            return S_fail("--offset '%s' is not a number from 0 to %u", v, MAX_OFFSET);
        break;
    case O_SORT:
        if (strcmp(v, "relevance") == 0)
            o->opts.sort_by_date = 0;
        else if (strcmp(v, "date") == 0)
            o->opts.sort_by_date = 1;
        else
            return S_fail("--sort '%s' is not relevance or date", v);
        break;
    case O_FACETS: o->facets = 1; break;
    case O_JSON: o->json = 1; break;
    case O_FORMAT:
        if (ns_format_check(v, err) < 0)
            return S_fail("--format: %s", err->msg);
        o->format = v;
        break;
    case O_BATCH: o->batch = 1; break;
    case O_JOBS:
        if (S_unsigned(v, MAX_JOBS, &o->jobs) < 0 || o->jobs == 0)
            return S_fail("--jobs '%s' is not a number from 1 to %u", v, MAX_JOBS);
        break;
    case O_ANALYZE: o->analyze = 1; break;
    case O_BM25:
        if (S_bm25(v, &o->opts.k1, &o->opts.b) < 0)
            return S_fail("--bm25 '%s' is not K1,B with k1 >= 0 and 0 <= b <= 1", v);
        break;
    case O_NO_CROSS: o->opts.cross = 0; break;
    case O_STORIES: o->opts.stories = 1; break;
    case O_SHARD_TIMEOUT: o->shard_timeout = v; break;
    case O_ALLOW_PARTIAL: o->allow_partial = 1; break;
    case O_CROSS_WEIGHT:
        if (S_weight(v, &o->opts.cross_scale) < 0)
            return S_fail("--cross-weight '%s' is not a number >= 0", v);
        break;
    case O_INTENT_WEIGHT:
        if (S_weight(v, &o->opts.intent_weight) < 0)
            return S_fail("--intent-weight '%s' is not a number >= 0", v);
        break;
    case 'h':
        fputs(usage, stdout);
        return 0;
    case O_VERSION:
        puts("nsearch " NS_VERSION);
        return 0;
    default:
        return S_fail("%s; see nsearch --help", err->msg);
    }
    return GO_ON;
}

/* Read the command line into o (whose word and vendor arrays have argc + 1
 * slots). Options and query words may come in any order; "-openai" is a
 * word (an exclusion), and an option's name must be written in full.
 * GO_ON, or the exit status when the program is done. */
static int S_parse_args(cli *o, int argc, char **argv)
{
    ns_err err = { 0, "" };
    ns_args args;
    int c, rc;
    ns_args_init(&args, argc, argv, longopts, "n:h", 1);
    while ((c = ns_args_next(&args, &err)) != NS_ARGS_END)
        if ((rc = S_option(o, c, args.value, &err)) != GO_ON)
            return rc;
    o->opts.vendors = o->vendors;
    if (o->format && (o->json || o->batch || o->facets))
        return S_fail("--format cannot go with %s: it prints only its own lines",
                      o->json ? "--json" : o->batch ? "--batch" : "--facets");
    return GO_ON;
}

/* ---- running ---- */

/* The query words joined with spaces into *query, checked against the
 * mode; the database path settled. GO_ON or the exit status. */
static int S_settle(cli *o, ns_buf *query)
{
    if (!o->db)
        o->db = getenv("NSEARCH_DB");
    if (!o->db || !*o->db)
        o->db = NS_DEFAULT_DB;
    for (size_t i = 0; i < o->nwords; i++)
        if ((i && ns_buf_putc(query, ' ') < 0) || ns_buf_puts(query, o->words[i]) < 0)
            return S_fail("out of memory");
    if (o->batch && o->nwords)
        return S_fail("--batch reads its queries from stdin, not the command line");
    if (!o->batch && o->nwords == 0 && !o->opts.nvendors && !o->opts.month && !o->opts.lang)
        return S_fail("no query (see nsearch --help)");
    /* JSON always carries the facets. */
    o->opts.facets = o->facets || o->json || o->batch;
    return GO_ON;
}

/* The results r as --json, --format or text, written to stdout. 0 or the
 * exit status of an error (reported). */
static int S_print(const cli *o, const ns_results *r)
{
    ns_buf out = NS_BUF_INIT;
    int rc = 0;
    if (o->json) {
        if (ns_json_results(&out, r) < 0 || ns_buf_putc(&out, '\n') < 0)
            rc = S_fail("out of memory");
    } else if (o->format) {
        for (size_t i = 0; i < r->nhits && rc == 0; i++)
            if (ns_format_hit(&out, o->format, &r->hits[i]) < 0)
                rc = S_fail("out of memory");
    } else {
        ns_render_opts ro = NS_RENDER_OPTS_INIT;
        ro.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
        ro.facets = o->facets;
        if (ns_render_text(&out, r, &ro) < 0)
            rc = S_fail("out of memory");
    }
    if (rc == 0 && S_write(&out) < 0)
        rc = S_fail("writing output: %s", strerror(errno));
    ns_buf_free(&out);
    return rc;
}

/* --batch, or one search printed: the exit status. */
static int S_run(const cli *o, const ns_buf *query)
{
    ns_searcher *s = NULL;
    ns_results *r = NULL;
    ns_err err = { 0, "" };
    int rc;
    ns_xdb_opts xo = NS_XDB_OPTS_INIT;
    if (ns_shard_opts_parse(&xo, getenv("NSEARCH_SHARD_TIMEOUT"), getenv("NSEARCH_ALLOW_PARTIAL"),
                            &err) < 0) {
        rc = S_fail("$NSEARCH_SHARD_TIMEOUT or $NSEARCH_ALLOW_PARTIAL: %s", err.msg);
        goto done;
    }
    if (ns_shard_opts_parse(&xo, o->shard_timeout, o->allow_partial ? "1" : NULL, &err) < 0) {
        rc = S_fail("--shard-timeout: %s", err.msg);
        goto done;
    }
    if (ns_searcher_open_opts(&s, o->db, &xo, &err) < 0) {
        rc = S_search_fail(o->db, &err);
        goto done;
    }
    if (o->batch) {
        int brc = ns_batch_run(stdin, stdout, o->db, s, &o->opts, o->jobs, &err);
        if (brc < 0)
            rc = S_search_fail(o->db, &err);
        else
            rc = brc > 0 ? EXIT_ERROR : 0;
        goto done;
    }
    if (ns_search(s, ns_buf_cstr(query), query->len, &o->opts, &r, &err) < 0) {
        rc = S_search_fail(o->db, &err);
        goto done;
    }
    if (r->missing_shards)
        (void)S_fail("warning: partial results: shards not answering: %s", r->missing_shards);
    if ((rc = S_print(o, r)) != 0)
        goto done;
    /* The query as typed found nothing even when a suggestion's results are shown. */
    rc = r->total > 0 && !r->showing_suggestion ? EXIT_FOUND : EXIT_NONE;
done:
    ns_results_free(r);
    ns_searcher_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    cli o = { .opts = NS_SEARCH_OPTS_INIT, .db = NULL, .format = NULL, .shard_timeout = NULL,
              .json = 0, .batch = 0, .analyze = 0, .facets = 0, .allow_partial = 0, .jobs = 0,
              .words = NULL, .vendors = NULL, .nwords = 0 };
    ns_buf query = NS_BUF_INIT;
    int rc;

    o.words = calloc((size_t)argc + 1, sizeof *o.words);
    o.vendors = calloc((size_t)argc + 1, sizeof *o.vendors);
    if (!o.words || !o.vendors)
        rc = S_fail("out of memory");
    else
        rc = S_parse_args(&o, argc, argv); /* else an error, --help or --version */
    if (rc == GO_ON && o.analyze)
        rc = S_analyze();
    else if (rc == GO_ON && (rc = S_settle(&o, &query)) == GO_ON)
        rc = S_run(&o, &query);
    ns_buf_free(&query);
    free(o.words);
    free(o.vendors);
    return rc;
}
