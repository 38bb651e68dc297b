/* batch.h: nsearch --batch. One query per input line, one JSON object per
 * output line, in input order, on several threads.
 *
 * Each line is answered as soon as it is searched, so a caller that writes a
 * line and waits for its answer (lock-step) gets it, and a caller that
 * streams many lines keeps every worker busy: with jobs > 1, lines are
 * searched concurrently, each worker with its own searcher, and a writer
 * puts the answers back in input order. A line that fails gives
 * {"query", "error"} and the batch goes on; so does a line longer than
 * NS_BATCH_MAX_LINE bytes (its "query" is its start, then "…"; the rest is
 * skipped without being held in memory) and a line with a NUL byte in it
 * (echoed whole, the NUL as \u0000). */
#ifndef NS_BATCH_H
#define NS_BATCH_H

#include "err.h"
#include "search.h"

#include <stdio.h>

#define NS_BATCH_MAX_LINE 131072 /* bytes in one query line, newline excluded: 128 KiB,
                                  * what one command-line argument can carry */

/* Answer every line of in on out. first is a searcher already open on
 * dbpath (used by one worker; the others open their own). jobs: worker
 * threads (0: one per online CPU). Returns 0 when every line was answered
 * without error, 1 when some line was an error, < 0 (err set) when the
 * batch could not go on: a worker's searcher could not be opened, out of
 * memory, or out could not be written. */
int ns_batch_run(FILE *in, FILE *out, const char *dbpath, ns_searcher *first,
                 const ns_search_opts *opts, unsigned jobs, ns_err *err);

#endif
