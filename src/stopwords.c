/* stopwords.c: the stopword table (stopwords.h), an open-addressing hash
 * of pointers into the compiled-in lists. */
#include "stopwords.h"

#include "analyze.h"
#include "data.h"

#include <pthread.h>
#include <string.h>

/* Filled once under pthread_once and never written again, so analyzers in
 * any number of threads read it without locks. Entries point into the
 * compiled-in ns_data_* text, so building it cannot fail. */
#define STOP_SLOTS 2048 /* power of two, > 2 x the words of both lists */

static struct stop_slot {
    const char *word;
    size_t len;
} stop_table[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

int ns_stopwords_find_h(uint32_t h, const char *w, size_t n)
{
    h &= STOP_SLOTS - 1;
    while (stop_table[h].word) {
        if (stop_table[h].len == n && memcmp(stop_table[h].word, w, n) == 0)
            return 1;
        h = (h + 1) & (STOP_SLOTS - 1);
    }
    return 0;
}

/* Add the words of one list, a word a line, '#' starting a comment. */
static void S_load_list(const char *text, size_t *used)
{
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *hash = memchr(p, '#', (size_t)(end - p));
        const char *e = hash ? hash : end;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        size_t n = (size_t)(e - p);
        if (n > 0 && n <= NS_TERM_MAX && *used < STOP_SLOTS / 2 &&
            !ns_stopwords_find_h(ns_stopwords_hash(p, n), p, n)) {
            uint32_t h = ns_stopwords_hash(p, n) & (STOP_SLOTS - 1);
            while (stop_table[h].word)
                h = (h + 1) & (STOP_SLOTS - 1);
            stop_table[h].word = p;
            stop_table[h].len = n;
            (*used)++;
        }
        p = eol ? eol + 1 : end;
    }
}

static void S_load(void)
{
    size_t used = 0;
    S_load_list(ns_data_stopwords_en, &used);
    S_load_list(ns_data_stopwords_ru, &used);
}

void ns_stopwords_init(void)
{
    pthread_once(&stop_once, S_load);
}
