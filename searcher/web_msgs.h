/* web_msgs.h: what the search page says when it refuses a request, in the
 * interface's language ("en" or "ru"), in plain words: a bad parameter
 * (cgi.h ns_cgi_bad) or a query the parser refused (query.h NS_QERR_*,
 * or the analyser's codes). The strings are static; a "%s" in a parameter's
 * message stands for the value the reader gave, which the caller substitutes
 * and escapes. */
#ifndef NS_WEB_MSGS_H
#define NS_WEB_MSGS_H

/* The message for a refused parameter: bad is an ns_cgi_bad value. */
const char *ns_web_param_text(int bad, const char *ui);

/* The message for a refused query: code is what ns_search returned
 * (NS_ESYNTAX, NS_ETOOBIG, NS_ETERM, NS_EUTF8, NS_EINVAL), reason what it
 * stored in opts->refusal (0 for none). */
const char *ns_web_refusal_text(const char *ui, int code, int reason);

#endif
