/* str.c: small string helpers (see str.h). */
#include "str.h"

#include <stdlib.h>
#include <string.h>

char *ns_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int ns_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void ns_trim(const char **s, size_t *len)
{
    while (*len && ns_is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && ns_is_space((*s)[*len - 1]))
        (*len)--;
}
