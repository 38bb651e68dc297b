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
 *   XS<story key>    the story the article tells (below): the other tellings
 *                    of a result are found by it
 *   XT<id>           the id its front matter's translation_of: names
 *   XD               the article's story has two or more articles (set by
 *                    ns_xwdb_link_stories, like the facet key "S" below)
 *
 * Values:
 *   NS_SLOT_DATE     "YYYYMMDD": sorting by date, date ranges, newest-first ties
 *   NS_SLOT_SORT     "YYYYMMDD" then the id: what results are sorted by after
 *                    their score (or before it, by date), so that ties of score
 *                    and date come in the same order whatever the docids: in
 *                    one database or in shards (issue 16)
 *   NS_SLOT_FACETS   the facet keys, separated by '\n': "M<YYYY-MM>", "L<en|ru>"
 *                    then one "V<Canonical Name>" per vendor (the prefixes
 *                    are NS_FACET_MONTH, NS_FACET_LANG and NS_FACET_VENDOR),
 *                    counted in one pass; an article marked XD also has
 *                    "S<story key>" (NS_FACET_STORY), which is how a search
 *                    counts stories exactly: the matching articles, less for
 *                    each such key its count minus one.
 *                    The "L" key came with issue 17: a
 *                    database written before it has none, and its pages show
 *                    no language counts until nindex --rebuild.
 *                    Each distinct key counts once per matching document (a
 *                    key listed twice, once); an empty key, as between two
 *                    '\n' in a row, does not count. Keys compare as bytes.
 *   NS_SLOT_STORY    the story key, the search's collapse key (one result per
 *                    story): the key of the article translation_of names when
 *                    that article is in the database, else the article's own
 *   NS_SLOT_OWN_STORY the article's own story key: NS_STORY_KEY_LEN hex
 *                    digits of a 64-bit FNV-1a hash of "u:<url>" when it has a
 *                    url, else of "i:<id>". Two articles with the same url
 *                    (byte for byte) share it. A hash, not the url, so that a
 *                    key always fits in a term (Xapian's 245 bytes); two
 *                    stories meet only by a 64-bit collision.
 *                    build.c writes both slots with the own key; nindex's last
 *                    step of every run (ns_xwdb_link_stories) then gives each
 *                    article with XT<id> the own key of article <id> when it
 *                    exists and its own when it does not, whichever order the
 *                    two were indexed in and after either is deleted or edited.
 *                    A translation_of is followed one step: it should name the
 *                    original, not another translation.
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
 *   "nsearch:shared-stories" how many articles are marked XD (decimal), written
 *                        by ns_xwdb_link_stories: 0 or none, and a search has
 *                        no story to collapse (and skips the cost of it)
 *   "nsearch:facet-table" the facet table (below) of NS_SLOT_FACETS, written
 *                        by nindex as the last commit of each run
 *   "nsearch:sdict", "nsearch:sdict:<8 hex>" the suggestion dictionary
 *                        (src/sdict.h), written by nindex when a run changed
 *                        documents; a database without it gets Xapian's
 *                        slower spelling lookup
 *
 * The facet table: every document's facet keys in one metadata entry, so
 * that a process that has just opened the database counts facets without
 * reading a value per match (in a one-shot search or a plain CGI request,
 * that reading was half the time of a query with many matches). Numbers are
 * varints (7 bits a byte, lowest first, the top bit set on all bytes but the
 * last):
 *   "NSFT" version(1) revision slot nkeys {len bytes}*nkeys
 *   noverflow {docid n id*n}*noverflow lastdocid width
 *   then NS_FACET_TABLE_INLINE ids of `width` bytes (little-endian) for each
 *   docid 1..lastdocid, read in place: all-ones ends a shorter list,
 *   all-ones minus one means "the rest are in the overflow records".
 * A key id is the key's place in the list of nkeys keys (numbered from 0 in
 * order of first appearance, by docid). width is the fewest of 1, 2 or 4
 * bytes that leaves both markers free (1 up to 254 keys, 2 up to 65,534). A
 * document with more than NS_FACET_TABLE_INLINE keys holds its first
 * NS_FACET_TABLE_INLINE - 1 ids in place and the marker after them, and has
 * an overflow record with the n ids that follow; the records are in
 * increasing docid order, none past lastdocid, the last document with a
 * facet value (a table that breaks this is ignored as damaged).
 * The table names the revision of the commit that stores it, after the
 * documents' commit, so a reader can tell when it is stale (documents
 * changed since) and then ignores it; so does a reader that finds anything
 * unexpected in it. It only saves time: the values stay the truth. */
#ifndef NS_SCHEMA_H
#define NS_SCHEMA_H

/* 2: the stored text is zstd-compressed (record tag 'z'). nsearch also
 * reads 1, whose records differ only by that; nindex writes 2 and asks for
 * --rebuild to update a database of 1. */
/* 3: stories (NS_SLOT_STORY, NS_SLOT_OWN_STORY, XS and XT terms, issue 17)
 * and NS_SLOT_SORT (issue 16). nsearch reads 1 and 2 as before: without
 * story keys nothing is collapsed, every article is its own result, and
 * ties of score and date come in docid order; nindex asks for --rebuild. */
#define NS_SCHEMA_VERSION 3
#define NS_SCHEMA_OLDEST_READABLE 1

#define NS_PREFIX_ID "Q"
#define NS_PREFIX_VENDOR "XV"
#define NS_PREFIX_MONTH "XM"
#define NS_PREFIX_LANG "L"
#define NS_PREFIX_STORY "XS"
#define NS_PREFIX_TRANSLATION "XT"
#define NS_PREFIX_SHARED "XD"

#define NS_SLOT_DATE 0
#define NS_SLOT_FACETS 1
#define NS_SLOT_STORY 2
#define NS_SLOT_OWN_STORY 3
#define NS_STORY_KEY_LEN 16
#define NS_SLOT_SORT 4

#define NS_FACET_MONTH 'M'
#define NS_FACET_VENDOR 'V'
#define NS_FACET_LANG 'L'
#define NS_FACET_STORY 'S'

#define NS_TITLE_WDF 5
#define NS_BODY_POS_GAP 100

#define NS_META_SCHEMA "nsearch:schema"
#define NS_META_FILE_PREFIX "file:"
#define NS_META_FACET_TABLE "nsearch:facet-table"
#define NS_META_SHARED_STORIES "nsearch:shared-stories" /* articles marked XD, decimal */
#define NS_META_SDICT "nsearch:sdict"          /* the suggestion dictionary (src/sdict.h) */
#define NS_META_SDICT_BUCKET "nsearch:sdict:"  /* + 8 hex digits: one of its buckets */

#define NS_FACET_TABLE_MAGIC "NSFT"
#define NS_FACET_TABLE_VERSION 1
#define NS_FACET_TABLE_INLINE 4 /* key ids held in place per document */

/* Default database path when neither --db nor $NSEARCH_DB is given. */
#define NS_DEFAULT_DB "nsearch.db"

#endif
