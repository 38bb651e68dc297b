/* render.h: search results as text for people (nsearch without --json).
 * Colour and highlighting are the caller's decision (a terminal, NO_COLOR
 * unset); the text is the same either way apart from the escape codes. */
#ifndef NS_RENDER_H
#define NS_RENDER_H

#include "buf.h"
#include "search.h"

typedef struct ns_render_opts {
    int color;       /* ANSI bold/colour for titles and matched words */
    int facets;      /* append vendor and month counts */
    unsigned width;  /* wrap snippets at this many columns (0: 80) */
} ns_render_opts;

#define NS_RENDER_OPTS_INIT { .color = 0, .facets = 0, .width = 80 }

/* Append the text page for r to out. 0 or NS_ENOMEM. */
int ns_render_text(ns_buf *out, const ns_results *r, const ns_render_opts *o);

#endif
