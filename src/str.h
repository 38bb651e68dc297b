/* str.h: small string helpers every module needs, written once. */
#ifndef NS_STR_H
#define NS_STR_H

#include <stddef.h>

/* A malloc'd, NUL-terminated copy of exactly s[0..len) (which may hold NULs);
 * NULL when out of memory. The caller frees it. */
char *ns_strndup(const char *s, size_t len);

/* ASCII white space: space, \t, \n, \r, \v, \f. */
int ns_is_space(char c);

/* Narrow (*s, *len) to exclude leading and trailing ASCII white space. */
void ns_trim(const char **s, size_t *len);

#endif
