/* i18n.h: what the page writes differently in English and Russian beyond
 * fixed phrases: dates and months in words, language names, and vendors'
 * Russian names.
 *
 * Dates: "22 October 2020" / "22 октября 2020" (the genitive month after a
 * day), months: "October 2020" / "октябрь 2020" (nominative, as a heading).
 * A value that is not a date as expected is appended as it is, so the page
 * still shows what the article says. Output is plain text: the caller escapes
 * it for HTML. ui is "en" or "ru" (anything else reads as "en").
 *
 * Vendors' Russian names come from the vendor table (vendors/vendors.txt,
 * compiled in): the alias written with a leading '=' ("Sberbank | =Сбербанк |
 * Сбер"). Organisations the Russian press calls by their Latin name (Google,
 * OpenAI) have none and keep it. */
#ifndef NS_I18N_H
#define NS_I18N_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

/* ymd "YYYY-MM-DD" in words. 0 or NS_ENOMEM. */
int ns_i18n_date(ns_buf *out, const char *ymd, const char *ui);

/* ym "YYYY-MM" in words; a range "YYYY-MM..YYYY-MM" as "from – to". */
int ns_i18n_month(ns_buf *out, const char *ym, const char *ui);

/* A language by its own name: "en" English, "ru" Русский; else the code. */
const char *ns_i18n_lang_name(const char *lang);

typedef struct ns_vendor_names ns_vendor_names;

/* The Russian names of the compiled-in table. */
int ns_vendor_names_new(ns_vendor_names **out, ns_err *err);
/* The same from a table's text (for tests). */
int ns_vendor_names_from_text(ns_vendor_names **out, const char *text, ns_err *err);
void ns_vendor_names_free(ns_vendor_names *vn); /* NULL is a no-op */

/* The name to show for a canonical vendor name in interface ui: its Russian
 * name in "ru" when the table has one, else canonical itself. vn may be NULL.
 * Borrowed from vn or canonical. */
const char *ns_vendor_names_show(const ns_vendor_names *vn, const char *canonical,
                                 const char *ui);

#endif
