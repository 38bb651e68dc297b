/* schema.h: how an article is laid out in the Xapian database. The indexer
 * writes exactly this and the searcher reads exactly this; change both
 * together, and bump NS_SCHEMA_VERSION so old databases are rebuilt.
 *
 * Free-text terms (no prefix): the analyser's stems (src/analyze.h), title
 * first at positions 1.., body from the title's end + NS_BODY_POS_GAP, so a
 * phrase never spans title and body. Title terms get wdf NS_TITLE_WDF per
 * occurrence and body terms 1, which is how BM25 weighs title matches above
 * body matches without a second, prefixed copy of every title term.
 * Joined compound terms ("gpt3") are added without positions.
 *
 * Boolean terms (wdf 0, never weighed):
 *   Q<id>            unique id of the article (replace/delete by it)
 *   XV<vendor>       vendor, the canonical name folded to lower case ("XVsberbank")
 *   XM<YYYY-MM>      month
 *   L<en|ru>         language
 *
 * Values:
 *   NS_SLOT_DATE     "YYYYMMDD": sorting by date, date ranges, newest-first ties
 *   NS_SLOT_FACETS   facet keys separated by '\n': "M<YYYY-MM>" then one
 *                    "V<Canonical Name>" per vendor, counted in one pass
 *
 * Document data: the ns_record encoding (src/record.h): id, title, date, lang,
 * vendors, url, path and the rendered text for snippets.
 *
 * Metadata:
 *   "nsearch:schema"     NS_SCHEMA_VERSION as decimal text
 *   "file:<root>\t<rel>" "<size> <mtime_ns> <id>" for each indexed file, so an
 *                        incremental run can skip, replace and delete. <root>
 *                        is the real path of the PATH it was indexed under
 *                        and <rel> its path below it; nindex matches records
 *                        to files by "<root>/<rel>", and re-keys a record
 *                        when its root moves (indexer/indexer.h), so the
 *                        format is the same as before issue #13
 *   "nsearch:facet-table" every document's NS_SLOT_FACETS keys, for the
 *                        revision it names (src/xapian_shim.h), written by
 *                        nindex as the last commit of each run */
#ifndef NS_SCHEMA_H
#define NS_SCHEMA_H

/* 2: the stored text is zstd-compressed (record tag 'z'). nsearch also
 * reads 1, whose records differ only by that; nindex writes 2 and asks for
 * --rebuild to update a database of 1. */
#define NS_SCHEMA_VERSION 2
#define NS_SCHEMA_OLDEST_READABLE 1

#define NS_PREFIX_ID "Q"
#define NS_PREFIX_VENDOR "XV"
#define NS_PREFIX_MONTH "XM"
#define NS_PREFIX_LANG "L"

#define NS_SLOT_DATE 0
#define NS_SLOT_FACETS 1

#define NS_FACET_MONTH 'M'
#define NS_FACET_VENDOR 'V'

#define NS_TITLE_WDF 5
#define NS_BODY_POS_GAP 100

#define NS_META_SCHEMA "nsearch:schema"
#define NS_META_FILE_PREFIX "file:"

/* Default database path when neither --db nor $NSEARCH_DB is given. */
#define NS_DEFAULT_DB "nsearch.db"

#endif
