#!/usr/bin/python3
"""python3-xapian peer of the batch search line: the whole query mix in one process.

  xapian_batch.py DB QUERIES    one JSON line on stdout (total_s, lat_s, totals)

Per query: QueryParser (default AND, phrases, prefix*, stemmer by the query's script, STEM_SOME,
vendor: and month: as boolean prefixes XV and XM), BM25Weight, top 10, and exact facets:
ValueCountMatchSpy on the vendor slots 1-3 and the month slot 4 with check_at_least = the
document count (the layout bench/xapian_index.cc writes)."""
import os
import sys
import time

import xapian

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import is_russian, read_queries, time_queries  # noqa: E402


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    queries = read_queries(argv[1])
    t0 = time.perf_counter()
    db = xapian.Database(argv[0])
    ndocs = db.get_doccount()
    parsers = {}
    for lang in ("english", "russian"):
        qp = xapian.QueryParser()
        qp.set_database(db)
        qp.set_stemmer(xapian.Stem(lang))
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_default_op(xapian.Query.OP_AND)
        qp.add_boolean_prefix("vendor", "XV")
        qp.add_boolean_prefix("month", "XM")
        parsers[lang] = qp
    flags = (xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN
             | xapian.QueryParser.FLAG_LOVEHATE | xapian.QueryParser.FLAG_WILDCARD
             | xapian.QueryParser.FLAG_PURE_NOT)
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())

    def total_of(q):
        qp = parsers["russian" if is_russian(q) else "english"]
        enquire.set_query(qp.parse_query(q, flags))
        enquire.clear_matchspies()
        spies = [xapian.ValueCountMatchSpy(slot) for slot in (1, 2, 3, 4)]
        for sp in spies:
            enquire.add_matchspy(sp)
        mset = enquire.get_mset(0, 10, ndocs)
        for m in mset:
            m.document.get_data()
        vendors = {}
        for sp in spies[:3]:
            for item in sp.values():
                vendors[item.term] = vendors.get(item.term, 0) + item.termfreq
        months = {item.term: item.termfreq for item in spies[3].values()}
        del months
        return mset.get_matches_estimated()
    time_queries("xapian", queries, t0, total_of, xapian.Error, lambda e: e.get_msg())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
