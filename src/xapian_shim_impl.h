/* xapian_shim_impl.h: what the two files of the shim share; C++ only, for
 * xapian_shim.cc (databases, searching) and xapian_shim_build.cc (documents,
 * queries). C code uses xapian_shim.h. Here are the handles that both files
 * open (a document is written by ns_xwdb_replace, a query run by
 * ns_xsearch) and the boundary every extern "C" entry point goes through:
 * after checking its arguments, an entry point does its Xapian work inside
 * shim::guard, so that no exception crosses into C. */
#ifndef NS_XAPIAN_SHIM_IMPL_H
#define NS_XAPIAN_SHIM_IMPL_H

#ifndef __cplusplus
#error "xapian_shim_impl.h is C++, for the shim; C code uses xapian_shim.h"
#endif

#include "err.h"
#include "xapian_shim.h"

#include <xapian.h>

#include <cstddef>
#include <string>

struct ns_xdoc {
    Xapian::Document doc;
};

struct ns_xquery {
    Xapian::Query q;
};

namespace shim {

/* Map the exception being handled to a code and a message "what 'arg': type:
 * text" ("what: type: text" when arg is NULL) in err (may be NULL), and
 * return the code. Must be called from inside a catch block. Formats with
 * the exception's own strings (get_type/get_msg), so reporting allocates
 * nothing and cannot itself throw, which matters for std::bad_alloc. */
int fail(ns_err *err, const char *what, const char *arg);

inline const char *text(const char *s)
{
    return s;
}

inline const char *text(const std::string &s)
{
    return s.c_str();
}

/* The one protected boundary, like Lua's pcall: body() runs inside try and
 * returns 0 or a negative NS_E* code of its own; any exception becomes a
 * code and the message "what 'arg': type: text" (fail). arg, a C string or a
 * std::string, is read when the exception is caught, so it may be a string
 * the body fills (a document's id). */
template <class A, class F> int guard(ns_err *err, const char *what, const A &arg, F body)
{
    try {
        return body();
    } catch (...) {
        return fail(err, what, text(arg));
    }
}

/* The same where the message names nothing: "what: type: text". */
template <class F> int guard(ns_err *err, const char *what, F body)
{
    return guard(err, what, static_cast<const char *>(NULL), body);
}

/* A term that Xapian would reject, or that could not round-trip through our
 * UTF-8 code, is refused before it reaches the index: 1..NS_XTERM_MAX bytes
 * of valid UTF-8 (prefix included, since the stored term is prefix+value).
 * 0, or NS_ETERM with "what: ..." in err. */
int check_term(ns_err *err, const char *what, const char *term, size_t len);

/* Copy a Xapian string into malloc memory, NUL-terminated, so C code can
 * free it without knowing about std::string; *len (if len is not NULL) gets
 * its length. Throws std::bad_alloc: call it inside guard. */
char *dup(const std::string &s, size_t *len);

} // namespace shim

#endif
