/* list.c: pointer arrays and string lists (see list.h). */
#include "list.h"

#include "err.h"
#include "str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ns_array_room(void *arrp, size_t n, size_t *cap, size_t elsize, size_t first)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : first;
    if (c < *cap || c > SIZE_MAX / elsize)
        return NS_ENOMEM;
    void **arr = arrp;  /* the caller's T *, as ns_ptrs_push takes its T ** */
    void *p = realloc(*arr, c * elsize);
    if (!p)
        return NS_ENOMEM;
    *arr = p;
    *cap = c;
    return 0;
}

int ns_ptrs_push(void *arrp, size_t *n, size_t *cap, void *item)
{
    void ***arr = arrp;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        void **p = realloc(*arr, c * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        *arr = p;
        *cap = c;
    }
    (*arr)[(*n)++] = item;
    return 0;
}

int ns_strs_add(char ***list, size_t *n, const char *s, size_t len)
{
    char **p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return NS_ENOMEM;
    *list = p;
    if (!(p[*n] = ns_strndup(s, len)))
        return NS_ENOMEM;
    (*n)++;
    return 0;
}

long ns_strs_find(char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return (long)i;
    return -1;
}

void ns_strs_free(char **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}
