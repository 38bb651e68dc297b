#!/usr/bin/python3
"""eval.py: how well nsearch ranks, measured on the judged set against its peers.

  eval.py run [--build DIR] [--out DIR]   index the articles with nindex and the peers, run every
                                          query through each, print the table; exit 0 when the
                                          figures were produced (goals are reported, not enforced)
  eval.py pool [--depth N] [QID...]       for judges: the peers' top N (default 20) and a plain OR
                                          query's, less what qrels.tsv already judges; nsearch is
                                          not asked, so that judging stays blind to it

The articles are corpus/ and tests/eval/articles/; the queries tests/eval/queries.tsv; the
judgments tests/eval/qrels.tsv. `run` writes, under --out (default build/eval):
results.md (the tables), per-query.tsv (every query's figures for every engine), per-query.md
(the queries nsearch loses, with its top 10 and what it missed), runs.tsv (every engine's top 10).
The work (indexes) goes to OUT/work/, replaced at each run; OUT must be new, empty, or made by
eval.py before (it holds a .nsearch-eval file). tests/eval/README.md has the rest."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import metrics  # noqa: E402

ROOTS = [os.path.join(TOP, "corpus"), os.path.join(HERE, "articles")]
QUERIES = os.path.join(HERE, "queries.tsv")
QRELS = os.path.join(HERE, "qrels.tsv")
K = 10
ENGINES = ["nsearch", "fts5", "xapian-or", "xapian-and"]
PEERS = ENGINES[1:]
NAMES = {"nsearch": "nsearch", "fts5": "SQLite FTS5", "xapian-or": "Xapian OR",
         "xapian-and": "Xapian AND"}
ROWS = [
    ("all queries", lambda q: True),
    ("English", lambda q: q["lang"] == "en" and q["group"] != "cross"),
    ("Russian", lambda q: q["lang"] == "ru" and q["group"] != "cross"),
    ("cross-lingual", lambda q: q["group"] == "cross"),
    ("topics", lambda q: q["group"] == "topic"),
    ("questions", lambda q: q["group"] == "question"),
    ("product names", lambda q: q["group"] == "product"),
    ("vendor intents", lambda q: q["group"] == "vendor"),
    ("month/year intents", lambda q: q["group"] == "date"),
    ("a word missing", lambda q: q["group"] == "partial"),
]
METRICS = [("ndcg", "nDCG@10"), ("mrr", "MRR@10"), ("p5", "P@5"), ("r10", "R@10")]
GOAL_RATIO = 1.10
GOAL_CROSS = 0.50


MARK = ".nsearch-eval"  # in every output folder eval.py made: the only kind it writes into


class Failure(Exception):
    pass


def prepare(out, sub):
    """Make (or reuse) the output folder `out` and an empty work folder `out/sub` in it. A folder
    that has files and was not made by eval.py is refused, so that nothing of the user's is ever
    removed or overwritten."""
    if os.path.lexists(out) and not os.path.isdir(out):
        raise Failure(f"--out {out} exists and is not a directory")
    if os.path.isdir(out) and os.listdir(out) and not os.path.exists(os.path.join(out, MARK)):
        raise Failure(f"--out {out} has files and was not made by eval.py: "
                      "name a new or empty folder")
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, MARK), "a").close()
    work = os.path.join(out, sub)
    if os.path.islink(work) or os.path.isfile(work):
        os.unlink(work)  # a link is removed, never what it points to
    elif os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    return work


def load_peers():
    try:
        import peers  # noqa: F401  (imports python3-xapian)
    except ImportError as e:
        raise Failure(f"{e}: python3-xapian is missing (scripts/setup.sh eval installs it)")
    return peers


def load_judged(peers):
    arts = peers.articles(ROOTS)
    ids = {}
    for a in arts:
        if a["id"] in ids:
            raise Failure(f"article id {a['id']!r} is used twice ({ids[a['id']]} and again)")
        ids[a["id"]] = a["title"]
    try:
        queries = metrics.load_queries(QUERIES)
        qrels = metrics.load_qrels(QRELS, queries, ids)
    except (OSError, metrics.JudgedSetError) as e:
        raise Failure(str(e))
    return arts, ids, queries, qrels


def run_peers(peers, arts, work, queries, k):
    """-> {engine: {qid: [ids]}} for the three peers."""
    fts = peers.Fts5(arts, os.path.join(work, "fts5.db"))
    xap = peers.Xapian(arts, os.path.join(work, "xapian"))
    out = {"fts5": {}, "xapian-or": {}, "xapian-and": {}}
    for q in queries:
        out["fts5"][q["qid"]] = fts.search(q["query"], k)
        out["xapian-or"][q["qid"]] = xap.search(q["query"], k, "OR")
        out["xapian-and"][q["qid"]] = xap.search(q["query"], k, "AND")
    return out, fts, xap


def run_nsearch(build, work, queries):
    nindex, nsearch = os.path.join(build, "nindex"), os.path.join(build, "nsearch")
    for p in (nindex, nsearch):
        if not os.access(p, os.X_OK):
            raise Failure(f"{p} is missing: build nsearch first (make)")
    db = os.path.join(work, "nsearch.db")
    # UTF-8 whatever the locale: under LANG=C the queries and the paths would not encode.
    r = subprocess.run([nindex, "--db", db, "--rebuild"] + ROOTS, capture_output=True,
                       encoding="utf-8", errors="replace")
    last = r.stdout.strip().splitlines()[-1:] or [""]
    if r.returncode != 0 or ", failed 0" not in last[0]:
        raise Failure(f"nindex exited {r.returncode} ({last[0]}): {r.stderr.strip()[:2000]}")
    lines = "".join(q["query"] + "\n" for q in queries)
    r = subprocess.run([nsearch, "--db", db, "--batch", "-n", str(K)], input=lines,
                       capture_output=True, encoding="utf-8", errors="replace")
    answers = r.stdout.splitlines()
    if len(answers) != len(queries):
        raise Failure(f"nsearch --batch gave {len(answers)} answers to {len(queries)} queries "
                      f"(exit {r.returncode}): {r.stderr.strip()[:2000]}")
    out, errors = {}, []
    for q, line in zip(queries, answers):
        try:
            a = json.loads(line)
        except ValueError:
            raise Failure(f"nsearch --batch: not JSON for {q['qid']}: {line[:200]}")
        if a.get("query") != q["query"]:
            raise Failure(f"nsearch --batch: answer out of order at {q['qid']}")
        if "error" in a:
            errors.append(f"{q['qid']} {q['query']!r}: {a['error']}")
            out[q["qid"]] = []
        else:
            out[q["qid"]] = [res["id"] for res in a.get("results", [])]
    return out, errors


def fmt(x):
    return f"{x:.3f}"


def table(queries, per, metric, label):
    head = (f"| {label} | queries | " + " | ".join(NAMES[e] for e in ENGINES)
            + " | nsearch / best peer |")
    lines = [head, "|---|---:|" + "---:|" * len(ENGINES) + "---:|"]
    agg = {}
    for name, keep in ROWS:
        qs = [q for q in queries if keep(q)]
        if not qs:
            continue
        m = {e: metrics.mean(per[e][q["qid"]][metric] for q in qs) for e in ENGINES}
        agg[name] = m
        best = max(m[e] for e in PEERS)
        ratio = f"{m['nsearch'] / best:.2f}×" if best > 0 else "—"
        lines.append(f"| {name} | {len(qs)} | " + " | ".join(fmt(m[e]) for e in ENGINES)
                     + f" | {ratio} |")
    return lines, agg


def goals(agg):
    out = []
    for row in ("all queries", "English", "Russian", "cross-lingual"):
        m = agg[row]
        best_e = max(PEERS, key=lambda e: m[e])
        need = GOAL_RATIO * m[best_e]
        ok = m["nsearch"] >= need
        out.append(f"- nDCG@10 {row}: nsearch {fmt(m['nsearch'])}, goal {GOAL_RATIO:.2f} × "
                   f"{NAMES[best_e]} {fmt(m[best_e])} = {fmt(need)}: {'met' if ok else 'not met'}")
    c = agg["cross-lingual"]["nsearch"]
    out.append(f"- nDCG@10 cross-lingual at least {GOAL_CROSS:.2f}: nsearch {fmt(c)}: "
               f"{'met' if c >= GOAL_CROSS else 'not met'}")
    return out


def losses_md(queries, qrels, ids, runs, per):
    rows = []
    for q in queries:
        qid = q["qid"]
        best_e = max(PEERS, key=lambda e: per[e][qid]["ndcg"])
        gap = per[best_e][qid]["ndcg"] - per["nsearch"][qid]["ndcg"]
        rows.append((gap, q, best_e))
    lost = sorted((r for r in rows if r[0] > 1e-9), key=lambda r: -r[0])
    won = sum(1 for r in rows if r[0] < -1e-9)
    out = [f"# Queries nsearch loses (nDCG@10 below the best peer's)", "",
           f"{len(lost)} lost, {won} won, {len(rows) - len(lost) - won} tied, of {len(rows)}. "
           "Largest gap first; grades in brackets (0: not judged relevant).", ""]
    for gap, q, best_e in lost:
        qid, g = q["qid"], qrels[q["qid"]]
        got = runs["nsearch"][qid]
        out.append(f"## {qid} ({q['group']}, {q['lang']}): `{q['query']}`")
        out.append("")
        out.append(f"nsearch {fmt(per['nsearch'][qid]['ndcg'])}, {NAMES[best_e]} "
                   f"{fmt(per[best_e][qid]['ndcg'])}.")
        out.append("")
        out.append("- nsearch: " + (", ".join(f"{d} [{g.get(d, 0)}]" for d in got) or "nothing"))
        out.append(f"- {NAMES[best_e]}: " + ", ".join(f"{d} [{g.get(d, 0)}]"
                                                      for d in runs[best_e][qid]))
        missed = sorted((d for d in g if d not in got), key=lambda d: -g[d])
        if missed:
            out.append("- relevant, not in nsearch's top 10: "
                       + ", ".join(f"{d} [{g[d]}] {ids[d]}" for d in missed))
        out.append("")
    return out


def cmd_run(args):
    t0 = time.monotonic()
    peers = load_peers()
    arts, ids, queries, qrels = load_judged(peers)
    out = os.path.abspath(args.out)
    work = prepare(out, "work")
    build = os.path.abspath(args.build)
    runs = {}
    runs["nsearch"], errors = run_nsearch(build, work, queries)
    peer_runs, _, _ = run_peers(peers, arts, work, queries, K)
    runs.update(peer_runs)
    for e in ENGINES:
        for q in queries:
            for d in runs[e][q["qid"]]:
                if d not in ids:
                    raise Failure(f"{NAMES[e]} answered {q['qid']} with id {d!r}, which no article "
                                  "has: its ids and the judged set's disagree")
    per = {e: {q["qid"]: metrics.scores(runs[e][q["qid"]], qrels[q["qid"]]) for q in queries}
           for e in ENGINES}

    njudged = sum(len(v) for v in qrels.values())
    n_en = sum(1 for a in arts if a["lang"] == "en")
    head = [f"{len(queries)} queries, {njudged} judgments (grades 1-3), {len(arts)} articles "
            f"({n_en} English, {len(arts) - n_en} Russian); top {K} of each engine.", ""]
    body, agg = [], None
    for key, label in METRICS:
        lines, a = table(queries, per, key, label)
        body += lines + [""]
        if key == "ndcg":
            agg = a
    g = ["Goals (issue 14; reported, not enforced):", ""] + goals(agg)
    notes = ["", "nDCG@10: gain 2^grade - 1, discount log2(rank + 1), ideal = every judged "
             "article by grade. MRR@10: first result graded >= 2. P@5, R@10: relevant = graded "
             ">= 1. English / Russian: queries in that language, cross-lingual ones apart."]
    text = "\n".join(head + body + g + notes) + "\n"
    if errors:
        text += "\nnsearch refused " + str(len(errors)) + " queries (scored as no results):\n" \
                + "".join(f"- {e}\n" for e in errors)
    sys.stdout.write(text)

    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as fh:
        fh.write("# make eval\n\n" + text)
    with open(os.path.join(out, "per-query.tsv"), "w", encoding="utf-8") as fh:
        fh.write("qid\tgroup\tlang\tquery\t" + "\t".join(
            f"{e}:{k}" for e in ENGINES for k, _ in METRICS) + "\n")
        for q in queries:
            fh.write("\t".join([q["qid"], q["group"], q["lang"], q["query"]] + [
                f"{per[e][q['qid']][k]:.4f}" for e in ENGINES for k, _ in METRICS]) + "\n")
    with open(os.path.join(out, "runs.tsv"), "w", encoding="utf-8") as fh:
        fh.write("engine\tqid\trank\tid\tgrade\n")
        for e in ENGINES:
            for q in queries:
                for i, d in enumerate(runs[e][q["qid"]], 1):
                    fh.write(f"{e}\t{q['qid']}\t{i}\t{d}\t{qrels[q['qid']].get(d, 0)}\n")
    with open(os.path.join(out, "per-query.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(losses_md(queries, qrels, ids, runs, per)) + "\n")
    print(f"\nwritten: {out}/results.md, per-query.md, per-query.tsv, runs.tsv "
          f"({time.monotonic() - t0:.1f} s)")
    return 0


def cmd_pool(args):
    peers = load_peers()
    arts, ids, queries, qrels = load_judged(peers)
    if args.qid:
        unknown = set(args.qid) - {q["qid"] for q in queries}
        if unknown:
            raise Failure(f"no such query: {', '.join(sorted(unknown))}")
        queries = [q for q in queries if q["qid"] in args.qid]
    work = prepare(os.path.abspath(args.out), "pool")
    runs, fts, _ = run_peers(peers, arts, work, queries, args.depth)
    total = 0
    for q in queries:
        pooled = []
        for e in PEERS:
            pooled += runs[e][q["qid"]]
        pooled += fts.search(q["query"], args.depth, "OR")
        new = [d for d in dict.fromkeys(pooled) if d not in qrels[q["qid"]]]
        total += len(new)
        print(f"{q['qid']}\t{q['query']}\t{len(new)} to read")
        for d in new:
            print(f"\t{d}\t{ids[d]}")
    print(f"{total} pooled articles not yet judged (read each, then grade it or leave it at 0)")
    return 0


def main(argv):
    for f in (sys.stdout, sys.stderr):
        f.reconfigure(encoding="utf-8")  # the tables have × and Russian, whatever the locale
    ap = argparse.ArgumentParser(prog="eval.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="measure nsearch and the peers")
    r.add_argument("--build", default=os.path.join(TOP, "build"), help="nsearch's build dir")
    r.add_argument("--out", default=os.path.join(TOP, "build", "eval"), help="output dir")
    p = sub.add_parser("pool", help="peers' candidates not yet judged (nsearch is not asked)")
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--out", default=os.path.join(TOP, "build", "eval"))
    p.add_argument("qid", nargs="*")
    args = ap.parse_args(argv)
    try:
        return cmd_run(args) if args.cmd == "run" else cmd_pool(args)
    except Failure as e:
        print(f"eval.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
