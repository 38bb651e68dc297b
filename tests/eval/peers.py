"""The peers `make eval` measures nsearch against, indexed from the same articles and asked the
same queries.  Python 3 stdlib plus python3-xapian (Debian).

  SQLite FTS5   bench/fts5_bench.py's schema and MATCH expression: fts5(title, body, ...) with
                tokenize='porter unicode61 remove_diacritics 0' (English stemmed, Russian not),
                the query's words and phrases AND'ed over {title body}, ranked by
                bm25(fts, 2.0, 1.0) (title weighs 2). FTS5 has no stopwords: every word counts.
  Xapian OR     python3-xapian as Omega sets it up by default: TermGenerator with the English
                stemmer and STEM_SOME (unstemmed terms with positions plus Z-prefixed stems),
                the title indexed with prefix S and again unprefixed, then the body (the document
                model of bench/xapian_index.cc, but with Omega's one English stemmer for every
                article); QueryParser with the English stemmer, STEM_SOME, Omega's query stopword
                list, FLAG_DEFAULT (phrases, boolean operators, +/-), default operator OR;
                BM25Weight with Xapian's defaults (k1 1, b 0.5).
  Xapian AND    the same index and parser with default operator AND, as Omega's search form.
"""
import contextlib
import io
import os
import sqlite3
import sys

import xapian

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import fts5_bench  # noqa: E402
from benchlib import iter_articles, query_items  # noqa: E402

# Omega's query stopper (omega/query.cc, class MyStopper): the words Omega drops from a query.
OMEGA_STOPWORDS = """a about an and are as at be by en for from how i in is it of on or that the
this to was what when where which who why will with you your""".split()


def articles(roots):
    """Every article under each root (a folder of en/ and ru/ subfolders), with nindex's ids."""
    out = []
    for root in roots:
        out.extend(iter_articles(root))
    return out


class Fts5:
    name = "SQLite FTS5"

    def __init__(self, arts, path):
        with contextlib.redirect_stderr(io.StringIO()):  # its "fts5: indexed N" line
            fts5_bench.index_articles(arts, path)
        self.ids = {i + 1: a["id"] for i, a in enumerate(arts)}  # index_articles numbers from 1
        self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def search(self, q, k, op="AND"):
        """Top k ids for q; op "OR" is the plain OR query used only to pool candidates."""
        if op == "AND":
            m = fts5_bench.match_expr(q)
        else:
            items = ['"' + v.replace('"', '""') + '"' for _, v in query_items(q)]
            m = "{title body} : (" + " OR ".join(items) + ")" if items else ""
        if not m:
            return []
        rows = self.con.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 2.0, 1.0, 0.0, 0.0), rowid "
            "LIMIT ?", (m, k)).fetchall()
        return [self.ids[r[0]] for r in rows]


class Xapian:
    def __init__(self, arts, path):
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        tg = xapian.TermGenerator()
        tg.set_stemmer(xapian.Stem("english"))
        tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
        for a in arts:
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(a["title"], 1, "S")
            tg.index_text(a["title"])
            tg.increase_termpos()  # no phrase across title and body
            tg.index_text(a["body"])
            doc.add_boolean_term("Q" + a["id"])
            doc.set_data(a["id"])
            db.replace_document("Q" + a["id"], doc)
        db.commit()
        db.close()
        self.db = xapian.Database(path)
        self.stopper = xapian.SimpleStopper()
        for w in OMEGA_STOPWORDS:
            self.stopper.add(w)
        self.parsers = {}
        for op in ("OR", "AND"):
            qp = xapian.QueryParser()
            qp.set_database(self.db)
            qp.set_stemmer(xapian.Stem("english"))
            qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
            qp.set_stopper(self.stopper)
            qp.set_default_op(xapian.Query.OP_OR if op == "OR" else xapian.Query.OP_AND)
            self.parsers[op] = qp
        self.enquire = xapian.Enquire(self.db)
        self.enquire.set_weighting_scheme(xapian.BM25Weight())

    def search(self, q, k, op):
        try:
            query = self.parsers[op].parse_query(q, xapian.QueryParser.FLAG_DEFAULT)
        except xapian.QueryParserError:
            # What Omega does with a query its parser rejects: try again as plain words.
            query = self.parsers[op].parse_query(q, 0)
        self.enquire.set_query(query)
        return [m.document.get_data().decode("utf-8") for m in self.enquire.get_mset(0, k)]

