/* glossary_builtin.c: ns_glossary_new (expand.h) over the tables compiled in
 * at build time. Apart from expand.c so that the program that writes those
 * tables (glossary_gen.c) links without them. */
#include "expand.h"
#include "glossary_impl.h"

int ns_glossary_new(ns_glossary **out, ns_err *err)
{
    return ns_glossary_wrap(out, &ns_glossary_compiled, err);
}
