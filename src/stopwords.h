/* stopwords.h: the stopword table of both languages (stopwords/en.txt and
 * stopwords/ru.txt, compiled in), one read-only table per process.
 *
 * ns_stopwords_init fills it once (pthread_once) and cannot fail: entries
 * point into the compiled-in text. After it, any number of threads read the
 * table without locks. Words are looked up as the analyser folds them. */
#ifndef NS_STOPWORDS_H
#define NS_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a of s[0..n): the table's hash, also used by the analyser's stem
 * cache so that one hash of a folded word serves both. */
static inline uint32_t ns_stopwords_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Fill the table if no one has yet. Safe from any thread. */
void ns_stopwords_init(void);

/* 1 if w[0..n) (folded) is a stopword, else 0; h is ns_stopwords_hash(w, n).
 * Call ns_stopwords_init first. */
int ns_stopwords_find_h(uint32_t h, const char *w, size_t n);

#endif
