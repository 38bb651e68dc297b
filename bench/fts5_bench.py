#!/usr/bin/python3
"""SQLite FTS5 peer of the benchmark (python3 sqlite3 module).

  fts5_bench.py index CORPUS DB     build the index (one transaction per 10,000 articles)
  fts5_bench.py batch DB QUERIES    run the query mix in this process; one JSON line on stdout
  fts5_bench.py sql DB QUERY        print the SQL of one query (for the sqlite3 one-shot line)

Schema: a contentless fts5(title, body, vendor, month) with the porter stemmer over the
unicode61 tokenizer (English is stemmed, Russian is not: FTS5 has no Russian stemmer), and
ordinary tables for what a result page shows (docs) and for the vendor facet (docvendor).
A query: its words, phrases and prefixes in title and body, its vendor: and month: filters as
column filters of the same MATCH; top 10 by bm25() (title weighs 2), then a GROUP BY for the
month facet and one for the vendor facet, exact over all matches."""
import os
import sqlite3
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import (iter_articles, parse_query, query_items, read_queries,  # noqa: E402
                      run_command, time_queries)

SCHEMA = """
CREATE TABLE docs(id INTEGER PRIMARY KEY, path TEXT, title TEXT, date TEXT, month TEXT,
                  lang TEXT, url TEXT);
CREATE TABLE docvendor(doc INTEGER, vendor TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, vendor, month, content='',
    tokenize='porter unicode61 remove_diacritics 0');
"""


def index(corpus, dbpath):
    index_articles(iter_articles(corpus), dbpath)


def index_articles(articles, dbpath):
    """Index the dicts of benchlib.iter_articles (tests/eval/ passes those of two folders)."""
    if os.path.exists(dbpath):
        os.unlink(dbpath)
    con = sqlite3.connect(dbpath, isolation_level=None)
    con.executescript(SCHEMA)
    n = 0
    con.execute("BEGIN")
    for a in articles:
        n += 1
        con.execute("INSERT INTO docs VALUES(?,?,?,?,?,?,?)",
                    (n, a["id"], a["title"], a["date"], a["month"], a["lang"], a["url"]))
        con.executemany("INSERT INTO docvendor VALUES(?,?)", [(n, v) for v in a["vendors"]])
        con.execute("INSERT INTO fts(rowid, title, body, vendor, month) VALUES(?,?,?,?,?)",
                    (n, a["title"], a["body"], " | ".join(a["vendors"]), a["month"]))
        if n % 10000 == 0:
            con.execute("COMMIT")
            con.execute("BEGIN")
    con.execute("COMMIT")
    con.execute("CREATE INDEX docvendor_doc ON docvendor(doc)")
    con.close()
    print(f"fts5: indexed {n}", file=sys.stderr)


def _quote(s):
    return '"' + s.replace('"', '""') + '"'


def match_expr(q):
    """The FTS5 MATCH expression of a query of the mix ('' when nothing can match)."""
    text, filters = parse_query(q)
    parts = []
    items = []
    for kind, v in query_items(text):
        items.append(_quote(v) + (" *" if kind == "prefix" else ""))
    if items:
        parts.append("{title body} : (" + " AND ".join(items) + ")")
    for field in ("vendor", "month"):  # the same kind OR'd, different kinds AND'd
        vs = [v for f, v in filters if f == field]
        if vs:
            parts.append(field + " : (" + " OR ".join(_quote(v) for v in vs) + ")")
    return " AND ".join(parts)


TOP = ("SELECT d.path, d.title, d.date, t.r FROM (SELECT rowid, bm25(fts, 2.0, 1.0, 0.0, 0.0) AS r "
       "FROM fts WHERE fts MATCH ? ORDER BY r LIMIT 10) t JOIN docs d ON d.id = t.rowid ORDER BY t.r")
MONTHS = ("SELECT d.month, count(*) FROM fts JOIN docs d ON d.id = fts.rowid "
          "WHERE fts MATCH ? GROUP BY d.month")
VENDORS = ("SELECT v.vendor, count(*) FROM fts JOIN docvendor v ON v.doc = fts.rowid "
           "WHERE fts MATCH ? GROUP BY v.vendor")


def batch(dbpath, qfile):
    queries = read_queries(qfile)
    t0 = time.perf_counter()
    con = sqlite3.connect(f"file:{dbpath}?mode=ro", uri=True)

    def total_of(q):
        m = match_expr(q)
        if not m:
            return 0
        con.execute(TOP, (m,)).fetchall()
        months = con.execute(MONTHS, (m,)).fetchall()
        con.execute(VENDORS, (m,)).fetchall()
        return sum(c for _, c in months)
    time_queries("fts5", queries, t0, total_of, sqlite3.Error)


def sql(q):
    m = match_expr(q).replace("'", "''")
    print(";\n".join(s.replace("?", f"'{m}'") for s in (TOP, MONTHS, VENDORS)) + ";")


def main(argv):
    return run_command(__doc__, {"index": (2, index), "batch": (2, batch),
                                 "sql": (2, lambda _db, q: sql(q))}, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
