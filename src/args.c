/* args.c: exact-name option parsing for nindex and nsearch (args.h). */
#include "args.h"

#include <stdio.h>
#include <string.h>

/* Longest name compared for a "did you mean": option names are short. */
#define SUGGEST_MAX 32

/* s made safe to quote in a message: at most 48 bytes, control characters
 * as '?', "..." when cut. */
static const char *S_show(char out[64], const char *s)
{
    size_t n = 0;
    for (; n < 48 && s[n]; n++)
        out[n] = ((unsigned char)s[n] < 0x20 || s[n] == 0x7f) ? '?' : s[n];
    snprintf(out + n, 64 - n, "%s", s[n] ? "..." : "");
    return out;
}

static const struct option *S_long(const struct option *t, const char *name, size_t len)
{
    for (; t->name; t++)
        if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
            return t;
    return NULL;
}

static const struct option *S_long_of(const struct option *t, int val)
{
    for (; t->name; t++)
        if (t->val == val)
            return t;
    return NULL;
}

/* Edit distance between a[0..n) and b, both at most SUGGEST_MAX bytes. */
static size_t S_distance(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b), row[SUGGEST_MAX + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* The option a mistyped name most likely meant: the only one it begins
 * (what getopt would have taken it for), else the only one within two
 * edits of it; NULL when none or several fit. */
static const char *S_suggest(const struct option *t, const char *name, size_t len)
{
    const char *best = NULL;
    size_t nbest = 0, bestd = 3;
    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    for (const struct option *o = t; o->name; o++)
        if (strncmp(o->name, name, len) == 0) {
            best = o->name;
            nbest++;
        }
    if (nbest == 1)
        return best;
    best = NULL;
    nbest = 0;
    for (const struct option *o = t; o->name; o++) {
        if (strlen(o->name) > SUGGEST_MAX)
            continue;
        size_t d = S_distance(name, len, o->name);
        if (d < bestd) {
            bestd = d;
            best = o->name;
            nbest = 1;
        } else if (d == bestd) {
            nbest++;
        }
    }
    return nbest == 1 ? best : NULL;
}

static int S_unknown(ns_args *a, const char *arg, ns_err *err)
{
    char shown[64];
    const char *name = arg[1] == '-' ? arg + 2 : NULL;
    const char *hint = NULL;
    if (name) {
        const char *eq = strchr(name, '=');
        hint = S_suggest(a->longopts, name, eq ? (size_t)(eq - name) : strlen(name));
    }
    if (hint)
        return ns_err_set(err, NS_EINVAL, "unknown option '%s' (did you mean --%s?)",
                          S_show(shown, arg), hint);
    return ns_err_set(err, NS_EINVAL, "unknown option '%s'", S_show(shown, arg));
}

/* The value of option o (written as a->option) from the next argument. */
static int S_next_value(ns_args *a, const struct option *o, ns_err *err)
{
    char shown[64];
    if (a->next >= a->argc)
        return ns_err_set(err, NS_EINVAL, "option '%s' needs a value", a->option);
    const char *v = a->argv[a->next];
    if (v[0] == '-' && v[1] != '\0') {
        S_show(shown, v);
        if (o)
            return ns_err_set(err, NS_EINVAL,
                              "option '%s' needs a value, and '%s' looks like an option "
                              "(write --%s=%s if it is the value)",
                              a->option, shown, o->name, shown);
        return ns_err_set(err, NS_EINVAL, "option '%s' needs a value, and '%s' looks like an option",
                          a->option, shown);
    }
    a->value = v;
    a->next++;
    return o ? o->val : 0;
}

void ns_args_init(ns_args *a, int argc, char *const *argv, const struct option *longopts,
                  const char *shortopts, int words_may_start_with_dash)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->longopts = longopts;
    a->shortopts = shortopts ? shortopts : "";
    a->words_may_start_with_dash = words_may_start_with_dash;
    a->next = 1;
}

int ns_args_next(ns_args *a, ns_err *err)
{
    char shown[64];
    a->value = NULL;
    a->option = NULL;
    for (;;) {
        if (a->next >= a->argc)
            return NS_ARGS_END;
        const char *arg = a->argv[a->next++];
        if (a->only_words || arg[0] != '-' || arg[1] == '\0') {
            a->value = arg;
            return NS_ARGS_WORD;
        }
        if (strcmp(arg, "--") == 0) {
            a->only_words = 1;
            continue;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct option *o = S_long(a->longopts, name, len);
            if (!o)
                return S_unknown(a, arg, err);
            a->option = arg;
            if (o->has_arg == no_argument) {
                if (eq)
                    return ns_err_set(err, NS_EINVAL, "option '--%s' takes no value (got '%s')",
                                      o->name, S_show(shown, arg));
                return o->val;
            }
            if (eq) {
                a->value = eq + 1;
                return o->val;
            }
            /* a->option must name the option alone: arg is "--name" here */
            return S_next_value(a, o, err);
        }
        const char *sp = arg[1] != ':' ? strchr(a->shortopts, arg[1]) : NULL;
        int takes = sp && sp[1] == ':';
        if (sp && (arg[2] == '\0' || (takes && arg[2] >= '0' && arg[2] <= '9'))) {
            const struct option *o = S_long_of(a->longopts, arg[1]);
            a->option = arg;
            if (!takes)
                return arg[1];
            if (arg[2] != '\0') {
                a->value = arg + 2;
                return arg[1];
            }
            int rc = S_next_value(a, o, err);
            return rc < 0 ? rc : arg[1];
        }
        if (a->words_may_start_with_dash) {
            a->value = arg; /* -openai: a word to exclude */
            return NS_ARGS_WORD;
        }
        return S_unknown(a, arg, err);
    }
}
