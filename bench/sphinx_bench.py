#!/usr/bin/python3
"""Sphinx 2.2 peer of the benchmark (Debian's sphinxsearch; python3-pymysql for SphinxQL).

  sphinx_bench.py xml CORPUS OUT            the articles as one xmlpipe2 document (OUT)
  sphinx_bench.py conf DIR XML PORT         write DIR/sphinx.conf: the index under DIR/data,
                                            searchd on 127.0.0.1:PORT (MySQL protocol)
  sphinx_bench.py batch PORT QUERIES        run the query mix over one connection; one JSON
                                            line on stdout (total_s, lat_s, totals, errors)
  sphinx_bench.py sql QUERY                 print the SphinxQL of one query of the mix

The index: fields title and body, `morphology = stem_enru` (Snowball's English and Russian
stemmers, each on its own alphabet), prefixes from 2 letters (dict = keywords, for `word*`),
vendors as a multi-valued attribute (ids: their line in vendors/vendors.txt), the month as
an integer YYYYMM. A query: its words, phrases and prefixes in MATCH() (all of them, as the
other engines' default AND), its vendor: and month: filters as attribute filters (the same
kind OR'd, different kinds AND'd), top 10 by BM25F(1.2, 0.75) with title weighing 2 (the
expression ranker over per-field lengths: Sphinx's own `ranker=bm25` has no length
normalisation), then one FACET per attribute, exact: at most 74 vendors and 60 months, far
below max_matches, which bounds the groups a facet can count exactly."""
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import (iter_articles, parse_query, query_items, read_queries,  # noqa: E402
                      run_command, time_queries)

VENDORS_TXT = os.path.join(HERE, "..", "vendors", "vendors.txt")
RANKER = "expr('bm25f(1.2,0.75)')"
OPTIONS = f"ranker={RANKER}, field_weights=(title=2, body=1), max_matches=1000"
# Characters of Sphinx's extended query syntax, escaped in words and phrases.
SPECIAL = re.compile(r"""([\\()|\-!@~"&/^$=<'*:\[\]])""")
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def vendor_ids():
    """Canonical vendor name -> id (1-based line among vendors.txt's entries)."""
    ids = {}
    with open(VENDORS_TXT, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                ids.setdefault(line.split("|")[0].strip(), len(ids) + 1)
    return ids


def _xml(s):
    return XML_BAD.sub(" ", s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml(corpus, out):
    vids = vendor_ids()
    n = 0
    with open(out + ".tmp", "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n<sphinx:schema>\n'
                 '<sphinx:field name="title"/>\n<sphinx:field name="body"/>\n'
                 '<sphinx:attr name="vendor" type="multi"/>\n'
                 '<sphinx:attr name="month" type="int" bits="32"/>\n</sphinx:schema>\n')
        for a in iter_articles(corpus):
            n += 1
            vs = ",".join(str(vids[v]) for v in a["vendors"] if v in vids)
            month = a["month"].replace("-", "") if re.fullmatch(r"\d{4}-\d{2}", a["month"]) else "0"
            fh.write(f'<sphinx:document id="{n}">\n<title>{_xml(a["title"])}</title>\n'
                     f'<body>{_xml(a["body"])}</body>\n<vendor>{vs}</vendor>\n'
                     f'<month>{month}</month>\n</sphinx:document>\n')
        fh.write("</sphinx:docset>\n")
    os.replace(out + ".tmp", out)
    print(f"sphinx: {n} articles written to {out}", file=sys.stderr)


def conf(d, xmlfile, port):
    os.makedirs(os.path.join(d, "data"), exist_ok=True)
    text = f"""# written by bench/sphinx_bench.py conf
source articles
{{
    type = xmlpipe2
    xmlpipe_command = cat {xmlfile}
}}

index articles
{{
    source = articles
    path = {d}/data/articles
    morphology = stem_enru
    dict = keywords
    min_prefix_len = 2
    min_word_len = 1
    index_field_lengths = 1
    charset_table = 0..9, A..Z->a..z, _, a..z, U+410..U+42F->U+430..U+44F, U+430..U+44F, U+401->U+435, U+451->U+435
}}

indexer
{{
    mem_limit = 256M
}}

searchd
{{
    listen = 127.0.0.1:{port}:mysql41
    log = {d}/searchd.log
    pid_file = {d}/searchd.pid
    binlog_path =
    workers = threads
}}
"""
    with open(os.path.join(d, "sphinx.conf"), "w", encoding="utf-8") as fh:
        fh.write(text)


def _esc(word):
    # Lower case: Sphinx folds case anyway, and MAYBE, NEAR, SENTENCE... are operators.
    return SPECIAL.sub(r"\\\1", word.lower())


def statement(q, vids):
    """(SphinxQL, params) for a query of the mix; None when nothing can match."""
    text, filters = parse_query(q)
    parts = []
    for kind, v in query_items(text):
        if kind == "phrase":
            words = [_esc(w) for w in v.split()]
            parts.append('"' + " ".join(words) + '"')
        elif kind == "prefix":
            parts.append(_esc(v) + "*")
        else:
            parts.append(_esc(v))
    where, params = [], []
    if parts:
        where.append("MATCH(%s)")
        params.append(" ".join(parts))
    vs = [vids.get(v) for f, v in filters if f == "vendor"]
    ms = [v.replace("-", "") for f, v in filters if f == "month"]
    if any(f == "vendor" for f, _ in filters):
        vs = [str(x) for x in vs if x]
        if not vs:
            return None  # an unknown vendor: nothing can match
        where.append("vendor IN (" + ",".join(vs) + ")")
    if ms:
        if not all(m.isdigit() for m in ms):
            return None
        where.append("month IN (" + ",".join(str(int(m)) for m in ms) + ")")
    sql = ("SELECT id, WEIGHT() FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
           + f" LIMIT 10 OPTION {OPTIONS}"
           + " FACET vendor ORDER BY COUNT(*) DESC LIMIT 1000"
           + " FACET month ORDER BY COUNT(*) DESC LIMIT 1000")
    return sql, params


def batch(port, qfile):
    import pymysql  # python3-pymysql (scripts/setup.sh bench)
    queries = read_queries(qfile)
    vids = vendor_ids()
    t0 = time.perf_counter()
    con = pymysql.connect(host="127.0.0.1", port=int(port), user="", password="", charset="utf8",
                          autocommit=True)
    cur = con.cursor()

    def total_of(q):
        st = statement(q, vids)
        if not st:
            return 0
        cur.execute(st[0], st[1])
        cur.fetchall()                  # the top 10
        cur.nextset()
        cur.fetchall()                  # vendor facet
        cur.nextset()
        total = sum(c for _, c in cur.fetchall())  # month facet: one month per article
        while cur.nextset():
            pass
        return total
    try:
        time_queries("sphinx", queries, t0, total_of, pymysql.Error)
    finally:
        con.close()


def sql(q):
    st = statement(q, vendor_ids())
    print(st if st is None else st[0].replace("%s", "'" + (st[1] or [""])[0].replace("'", "\\'") + "'"))


def main(argv):
    return run_command(__doc__, {"xml": (2, xml), "conf": (3, conf), "batch": (2, batch),
                                 "sql": (1, sql)}, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
