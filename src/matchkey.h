/* matchkey.h: ns_analyze_match's filter: which words of a text are worth
 * folding and stemming because they could give one of the wanted terms.
 *
 * A key is the first NS_MATCHKEY_CHARS characters (folded) of a wanted term
 * or prefix. Snowball stems keep a word's first two characters, but for a
 * few English special cases ("dying" -> "die"), which get keys of their own:
 * so a one-part word of ASCII or basic Cyrillic whose folded start matches
 * no key cannot give a wanted term. The keys are memory of the caller's
 * ns_matchkeys, reused from call to call. */
#ifndef NS_MATCHKEY_H
#define NS_MATCHKEY_H

#include <stddef.h>

#define NS_MATCHKEY_CHARS 2

typedef struct ns_matchkey {
    size_t len;                        /* bytes, 1..8 */
    unsigned char b[4 * NS_MATCHKEY_CHARS];
} ns_matchkey;

typedef struct ns_matchkeys {
    ns_matchkey *v;
    size_t n, cap;
} ns_matchkeys;

#define NS_MATCHKEYS_INIT { .v = NULL, .n = 0, .cap = 0 }

/* Replace the keys with those of terms[0..nterms) and prefixes[0..nprefixes)
 * (NUL-terminated, folded). 0; 1 when a prefix is empty, so that every word
 * is wanted (then filter nothing); NS_ENOMEM. */
int ns_matchkeys_build(ns_matchkeys *k, const char *const *terms, size_t nterms,
                       const char *const *prefixes, size_t nprefixes);

/* Could the word s[start..end) (non-empty, ASCII or basic Cyrillic only)
 * give a wanted term? 1 or 0. */
int ns_matchkeys_test(const ns_matchkeys *k, const unsigned char *s, size_t start, size_t end);

void ns_matchkeys_free(ns_matchkeys *k); /* frees the keys; k may be reused */

#endif
