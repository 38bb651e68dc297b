/* args.h: the command line of nindex and nsearch, read one argument at a
 * time against a getopt_long table, but stricter than getopt_long:
 * - a long option is recognised by its exact name only: no abbreviations
 *   (getopt took `--vend` for --vendor and `--d` for --db);
 * - a value given as the next argument may not start with '-': `--vendor
 *   --json` is an error, not the vendor "--json"; `--vendor=-x` gives a
 *   value that starts with '-' when one is really meant;
 * - `--flag=value` for an option without a value is an error.
 * Short options are the letters of shortopts ("n:h": -n takes a value, -h
 * none); a short option's value is the next argument or, when it starts
 * with a digit, the rest of the same argument (-n5). Arguments after "--"
 * are words, whatever they look like.
 *
 * With words_may_start_with_dash (nsearch, where -openai excludes a word), an
 * argument starting with a single '-' that is not one of the short options
 * is a word; otherwise (nindex) it is an unknown option. "-" alone is a word.
 *
 * The state borrows argv and the tables; nothing is allocated. */
#ifndef NS_ARGS_H
#define NS_ARGS_H

#include "err.h"

#include <getopt.h>

enum {
    NS_ARGS_END = 0,    /* no more arguments */
    NS_ARGS_WORD = 1,   /* a non-option argument: a->value (so no option's val may be 1) */
};

typedef struct ns_args {
    int argc;
    char *const *argv;
    const struct option *longopts;  /* ends with a NULL name; flag must be NULL */
    const char *shortopts;          /* "n:h", or "" */
    int words_may_start_with_dash;
    int next;                       /* index of the next argument to read */
    int only_words;                 /* "--" was read */
    const char *value;              /* the option's value (NULL if it takes none), or the word */
    const char *option;             /* the option as written ("--vendor", "-n"), for messages */
} ns_args;

/* Start reading argv[1..argc). */
void ns_args_init(ns_args *a, int argc, char *const *argv, const struct option *longopts,
                  const char *shortopts, int words_may_start_with_dash);

/* The next argument: an option's val (its value, if it takes one, in
 * a->value), NS_ARGS_WORD, or NS_ARGS_END. NS_EINVAL with a message naming
 * the argument: an unknown option ("unknown option '--vend' (did you mean
 * --vendor?)"), a missing value, a value that looks like an option, a value
 * given to an option that takes none. */
int ns_args_next(ns_args *a, ns_err *err);

#endif
