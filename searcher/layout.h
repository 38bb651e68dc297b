/* layout.h: a query typed with the wrong keyboard layout, read as the same
 * keys on the other one: the Russian ЙЦУКЕН and the US QWERTY layouts
 * (`ghbdtn` is "привет", `ьфсршту` is "machine").
 *
 * Word by word (words are separated by ASCII spaces): a word made only of
 * the keys of the Latin letters (with `[ ] ; ' , . \`` and their shifted
 * forms, which are Russian letters on the other layout) and holding at
 * least one Latin letter becomes Cyrillic; a word made only of Cyrillic
 * letters becomes the Latin keys; any other word (digits, a mix of scripts,
 * a word with ':' such as the field vendor:Google, the operator OR) stays as it is. A leading
 * '-' or '"' and a trailing '"' or '*' are query syntax and stay. */
#ifndef NS_LAYOUT_H
#define NS_LAYOUT_H

#include "err.h"

#include <stddef.h>

/* *out: text[0..len) with its words converted (malloc'd, the caller frees
 * it), or NULL when no word converts. Returns 0, or NS_ENOMEM. */
int ns_layout_convert(const char *text, size_t len, char **out, ns_err *err);

#endif
