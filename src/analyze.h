/* analyze.h: UTF-8 text to index terms, identical for documents and queries.
 *
 * The rules (README "Text analysis" documents them for users):
 * - Tokens are maximal runs of letters, digits and combining marks of any script
 *   (Unicode categories L*, N*, M*), optionally joined by connectors that sit
 *   between two such characters: hyphens (- U+2010 U+2011), '_' , apostrophes
 *   (' U+2019 U+02BC, kept as "'" inside a word), and '.' or ',' between two
 *   digits (a decimal, kept whole: "98.5", "1.6x" -> parts "1.6" "x").
 *   Everything else (spaces, punctuation, symbols, '%', '/', '@', ':', '.')
 *   separates tokens; so URLs and e-mail addresses become their words
 *   ("openai.com/blog" -> openai com blog, consecutive positions).
 * - A token splits into parts at connectors, at letter/digit boundaries and at
 *   script changes: "GPT-3" -> gpt 3; "StyleGAN2" -> stylegan 2; "M2M-100" ->
 *   m 2 m 100. Each part takes one position. A token of two or more parts also
 *   yields one JOINED term, without a position: "gpt3", "stylegan2", "m2m100".
 *   A query for GPT-3 or gpt3 searches (joined OR phrase of parts), which finds
 *   "GPT-3", "gpt3" and "GPT 3" alike, and never a lone "3" elsewhere.
 * - Each part is normalised: NFKC, Unicode case folding ("Straße" -> "strasse",
 *   ligatures unfolded), then ё -> е. Combining marks are not stripped (й stays й).
 * - Stopwords (stopwords/en.txt, stopwords/ru.txt, compiled in) keep their
 *   position but give no term (flag NS_TERM_STOP, empty term).
 * - Parts in Cyrillic are stemmed with the Russian Snowball stemmer, Latin parts
 *   with the English one; digits and other scripts are not stemmed. An all-letter
 *   joined term is stemmed too ("pre-trained" -> joined "pretrain").
 * - Terms longer than NS_TERM_MAX bytes are skipped (the position is still
 *   used): such "words" are hashes, base64 or garbage, as in Xapian's own
 *   TermGenerator. Invalid UTF-8 bytes act as separators, so no term is ever
 *   invalid UTF-8. NUL bytes are separators too.
 * - Caps on one word (token), so that no single word costs more than a few
 *   MB however it is built (issue #13: an 8 MB "a1a1a1..." was one word of 4
 *   million parts, 1 GB and 9 s): at most NS_WORD_MAX bytes and at most
 *   NS_WORD_PARTS_MAX parts. Words within both caps are analysed exactly as
 *   before the caps existed. Past a cap:
 *     ns_analyze, ns_analyze_next: the call fails with NS_ETOOBIG, "a word of
 *       more than 1024 parts: 'a1a1a1...'" or "a word longer than 65536
 *       bytes: '...'", found as soon as the cap is passed (the rest of the
 *       text is not analysed). nindex refuses such an article; a query with
 *       such a word is an error.
 *     ns_analyze_match, ns_analyze_dump, ns_analyze_word: the word gives no
 *       term and keeps one position per part (like a word whose every term
 *       is too long), so snippets of any stored text still work; the dump
 *       shows it with no terms; ns_analyze_word gives NS_ETERM.
 *
 * An analyzer holds its stemmers and scratch memory: create one per thread.
 * The stopword table is read-only and shared. */
#ifndef NS_ANALYZE_H
#define NS_ANALYZE_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

#define NS_TERM_MAX 64

/* The caps on one word (see above). A real word, hash, URL part, identifier
 * or protein sequence is far below both: a SHA-512 in hex has about 60 parts,
 * a JWT about 100; the longest protein (titin) is 34,350 letters; base64
 * splits at every '+' and '/'. Only generated junk passes them, and under
 * them one word costs at most a few MB of scratch and milliseconds. */
#define NS_WORD_MAX 65536
#define NS_WORD_PARTS_MAX 1024

enum {
    NS_TERM_STOP = 1 << 0,   /* a stopword: term is "", the position is kept */
    NS_TERM_JOINED = 1 << 1, /* the whole compound ("gpt3"): pos is 0, not positional */
};

typedef struct ns_term {
    const char *term;  /* NUL-terminated, valid UTF-8, 1..NS_TERM_MAX bytes ("" if STOP) */
    size_t len;        /* strlen(term) */
    uint32_t pos;      /* word position (first_pos based); 0 for a JOINED term */
    uint32_t token;    /* index of the source token in this call, from 0 */
    size_t start, end; /* byte range in the input that produced this term */
    unsigned flags;    /* NS_TERM_* */
} ns_term;

typedef struct ns_analyzer ns_analyzer;

/* Create an analyzer (stemmers, buffers). 0, NS_ENOMEM. Free with ns_analyzer_free. */
int ns_analyzer_new(ns_analyzer **out, ns_err *err);
void ns_analyzer_free(ns_analyzer *a); /* NULL is a no-op */

/* Analyse text[0..len) (need not be NUL-terminated). Terms come out in text
 * order; for a compound the JOINED term comes first, then the parts. Positions
 * start at first_pos (>= 1) and *next_pos (may be NULL) receives the position
 * after the last one used, so callers can analyse title then body with a gap.
 * *out and the term strings belong to the analyzer and live until its next
 * ns_analyze call or its free. 0, NS_ENOMEM, or NS_ETOOBIG (a word past
 * the caps, or more than 2^32 positions) with err naming it. */
int ns_analyze(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               const ns_term **out, size_t *count, uint32_t *next_pos, ns_err *err);

/* ns_analyze a long text one piece at a time, so that no term array ever
 * holds a whole book however the text is laid out: analyses text[0..len) up
 * to the first token that starts at or after byte max (the first token is
 * always analysed, so each call makes progress) and sets *used to the byte
 * where it stopped (len when it reached the end). Calling it again on
 * text + *used with first_pos = *next_pos gives the same terms and positions
 * as one ns_analyze call over the whole text; start/end offsets are relative
 * to each piece and token numbers restart at 0. Same ownership and errors as
 * ns_analyze. */
int ns_analyze_next(ns_analyzer *a, const char *text, size_t len, size_t max, uint32_t first_pos,
                    const ns_term **out, size_t *count, uint32_t *next_pos, size_t *used,
                    ns_err *err);

/* ns_analyze for a caller that only wants the terms equal to one of
 * terms[0..nterms) or starting with one of prefixes[0..nprefixes) (the
 * snippet, marking a query's words). Every term ns_analyze would give that is
 * wanted is in *out with the same term, pos, token, start, end and flags, in
 * the same order; other terms may be there too, so the caller still compares.
 * Much faster on prose: a one-word token of ASCII or basic Cyrillic is folded
 * and stemmed only when its first two characters, folded, agree with a wanted
 * term's (Snowball stems keep a word's first two characters, apart from a
 * few English special cases that are handled). Same ownership and errors as
 * ns_analyze. */
int ns_analyze_match(ns_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                     const char *const *terms, size_t nterms, const char *const *prefixes,
                     size_t nprefixes, const ns_term **out, size_t *count, ns_err *err);

/* Normalise and stem one word exactly as ns_analyze would a one-part token,
 * into the analyzer's scratch (valid until the next call). Used to match
 * vendor aliases and words given to the query parser's prefix operator.
 * *stop is set when the word is a stopword (then *term is "", *term_len 0).
 * A word of several parts ("GPT-3") gives its JOINED term ("gpt3").
 * NS_ETERM when the text holds no word, more than one word, or a word whose
 * term is longer than NS_TERM_MAX; NS_ENOMEM. */
int ns_analyze_word(ns_analyzer *a, const char *word, size_t len, const char **term,
                    size_t *term_len, int *stop, ns_err *err);

/* Normalise (NFKC, case fold, ё -> е) without stemming: for prefix queries
 * ("transl*") and facet names. Result in the analyzer's scratch. */
int ns_analyze_fold(ns_analyzer *a, const char *text, size_t len, const char **out,
                    size_t *out_len, ns_err *err);

/* Is the word (already folded) a stopword in either language? */
int ns_is_stopword(const char *folded, size_t len);

/* Script of most letters in text: 'r' (Cyrillic) or 'e' (anything else);
 * used to default an article's lang. */
char ns_detect_lang(const char *text, size_t len);

/* The `nsearch --analyze` output for text[0..len), appended to *out: one line
 * per token: the token as written (text[start..end), any invalid UTF-8 shown
 * as U+FFFD), TAB, its terms separated by spaces (for a compound the JOINED
 * term first, then the parts' terms; nothing for stopwords and skipped
 * terms), newline. Uses the analyzer's scratch like ns_analyze. 0 or NS_ENOMEM. */
int ns_analyze_dump(ns_analyzer *a, const char *text, size_t len, ns_buf *out, ns_err *err);


#endif
