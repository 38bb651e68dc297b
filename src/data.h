/* data.h: text tables compiled into the programs by the Makefile (scripts/embed.awk),
 * so that an index and the queries run on it always share one set of rules.
 * Changing a table means rebuilding the index (nindex --rebuild). */
#ifndef NS_DATA_H
#define NS_DATA_H

extern const char ns_data_stopwords_en[]; /* stopwords/en.txt */
extern const char ns_data_stopwords_ru[]; /* stopwords/ru.txt */
extern const char ns_data_vendors[];      /* vendors/vendors.txt */
extern const char ns_data_glossary[];     /* glossary/en-ru.txt (only the searcher reads it:
                                           * the index does not depend on it) */

#endif
