/* build.h: the per-article pipeline of the indexer: one article file's bytes
 * become its Xapian document (terms, values, stored record per
 * src/schema.h) and the words it gives the spelling table. It reads no
 * file and writes no database: the writer (indexer/writer.c) stores what it
 * returns, so the pipeline can run in any thread with its own analyzer. */
#ifndef NS_BUILD_H
#define NS_BUILD_H

#include "analyze.h"
#include "article.h"
#include "err.h"
#include "record.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <stddef.h>

/* What one article file becomes: its document and the words for the
 * spelling table. Owned by the caller; release with ns_index_built_clear. */
typedef struct ns_index_built {
    ns_article art;
    ns_xdoc *doc;
    char **spell;      /* distinct folded words for the spelling table */
    size_t nspell;
} ns_index_built;

/* Parse data[0..len) (the file at display path `path`, id defaulting to
 * default_id) and build its Xapian document per src/schema.h. Uses a, codec
 * and v (one analyzer and codec per thread, codec may be NULL; the vendor
 * table may be shared). Errors as
 * ns_article_parse, plus NS_ETERM/NS_EXAPIAN/NS_ENOMEM from the shim. */
int ns_index_build(ns_index_built *out, ns_analyzer *a, ns_record_codec *codec,
                   const ns_vendors *v, const char *path,
                   const char *default_id, const char *data, size_t len, ns_err *err);
void ns_index_built_clear(ns_index_built *b);

#endif
