"""The judged set and the ranking metrics of `make eval` (Python 3 stdlib only).

Grades are 0-3 (qrels.tsv lists 1-3; an article not listed for a query is 0). For one query,
`ranked` is an engine's result ids best first and `grades` maps id -> grade:

  nDCG@10  DCG@10 / ideal DCG@10, DCG@k = sum over ranks i = 1..k of (2^grade - 1) / log2(i + 1);
           the ideal ranking is every judged article of the query sorted by grade.
  MRR@10   1 / the rank of the first result graded >= 2 in the top 10, else 0 (mean over queries).
  P@5      results graded >= 1 among the top 5, divided by 5 (fewer results count as misses).
  R@10     results graded >= 1 in the top 10, divided by the number of articles graded >= 1.
"""
import math

GROUPS = ("topic", "question", "product", "vendor", "date", "cross", "partial")
LANGS = ("en", "ru", "any")


class JudgedSetError(Exception):
    pass


def _dedup(ranked):
    seen = set()
    out = []
    for d in ranked:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def dcg(gains):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked, grades, k=10):
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(d, 0) for d in _dedup(ranked)[:k]]) / ideal


def rr_at(ranked, grades, k=10, min_grade=2):
    for i, d in enumerate(_dedup(ranked)[:k]):
        if grades.get(d, 0) >= min_grade:
            return 1.0 / (i + 1)
    return 0.0


def precision_at(ranked, grades, k=5):
    return sum(1 for d in _dedup(ranked)[:k] if grades.get(d, 0) >= 1) / k


def recall_at(ranked, grades, k=10):
    relevant = sum(1 for g in grades.values() if g >= 1)
    if relevant == 0:
        return 0.0
    return sum(1 for d in _dedup(ranked)[:k] if grades.get(d, 0) >= 1) / relevant


def scores(ranked, grades):
    """The four figures of one query: {"ndcg": .., "mrr": .., "p5": .., "r10": ..}."""
    return {"ndcg": ndcg_at(ranked, grades), "mrr": rr_at(ranked, grades),
            "p5": precision_at(ranked, grades), "r10": recall_at(ranked, grades)}


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


# ---- the files ------------------------------------------------------------------------------

def _rows(path):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield n, line.split("\t")


def load_queries(path):
    """-> [{"qid", "group", "lang", "query"}] in file order."""
    out, seen = [], set()
    for n, f in _rows(path):
        where = f"{path}:{n}"
        if len(f) != 4 or not all(x.strip() for x in f):
            raise JudgedSetError(f"{where}: expected qid, group, lang, query separated by tabs")
        qid, group, lang, query = f
        if qid in seen:
            raise JudgedSetError(f"{where}: query id {qid!r} is used twice")
        if group not in GROUPS:
            raise JudgedSetError(f"{where}: unknown group {group!r} (one of {', '.join(GROUPS)})")
        if lang not in LANGS:
            raise JudgedSetError(f"{where}: unknown lang {lang!r} (one of {', '.join(LANGS)})")
        seen.add(qid)
        out.append({"qid": qid, "group": group, "lang": lang, "query": query})
    if not out:
        raise JudgedSetError(f"{path}: no queries")
    return out


def load_qrels(path, queries, ids):
    """-> {qid: {id: grade}}; every query has an article graded >= 2 (for MRR), every id is an
    article (`ids`), and a grade is 1, 2 or 3."""
    qids = {q["qid"] for q in queries}
    out = {}
    for n, f in _rows(path):
        where = f"{path}:{n}"
        if len(f) != 3:
            raise JudgedSetError(f"{where}: expected qid, id, grade separated by tabs")
        qid, doc, grade = f
        if qid not in qids:
            raise JudgedSetError(f"{where}: no query {qid!r} in the queries file")
        if doc not in ids:
            raise JudgedSetError(f"{where}: no article with id {doc!r}")
        if grade not in ("1", "2", "3"):
            raise JudgedSetError(f"{where}: grade {grade!r} is not 1, 2 or 3 (0 is not listed)")
        if doc in out.get(qid, {}):
            raise JudgedSetError(f"{where}: {doc!r} is judged twice for {qid}")
        out.setdefault(qid, {})[doc] = int(grade)
    for q in queries:
        if max(out.get(q["qid"], {}).values(), default=0) < 2:
            raise JudgedSetError(f"{path}: query {q['qid']} has no article graded 2 or 3")
    return out
