/* err.c: the ns_err record. */
#include "err.h"

#include <stdio.h>
#include <string.h>

int ns_err_set(ns_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ns_err_clear(ns_err *err)
{
    if (err) {
        err->code = NS_OK;
        err->msg[0] = '\0';
    }
}

const char *ns_strerror(int code)
{
    switch (code) {
    case NS_OK: return "success";
    case NS_ENOMEM: return "out of memory";
    case NS_EIO: return "input/output error";
    case NS_ENOTFOUND: return "not found";
    case NS_ECORRUPT: return "database is corrupt";
    case NS_ELOCKED: return "database is locked by another writer";
    case NS_EMODIFIED: return "database was modified, reopen";
    case NS_EINVAL: return "invalid argument";
    case NS_ESYNTAX: return "syntax error";
    case NS_EUTF8: return "invalid UTF-8";
    case NS_ETERM: return "invalid term";
    case NS_ECLOSED: return "handle is closed";
    case NS_EXAPIAN: return "Xapian error";
    case NS_ETOOBIG: return "input too large";
    case NS_ESHARD: return "a shard did not answer";
    default: return "unknown error";
    }
}

const char *ns_errno_msg(int e, char *buf, size_t size)
{
    if (!size)
        return "";
    buf[0] = '\0';
    /* The XSI strerror_r (the build does not define _GNU_SOURCE): fills buf. */
    if (strerror_r(e, buf, size) != 0)
        buf[0] = '\0';
    return buf;
}
