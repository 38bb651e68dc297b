#!/usr/bin/python3
"""cg_tail.py: the batch tail in instructions, query by query (deterministic on a shared machine).

usage:
  valgrind --tool=callgrind --dump-before=ns_search --callgrind-out-file=DIR/cg.out \\
      nsearch --db DB --facets --batch --jobs 1 < QUERIES > OUT.json
  cg_tail.py DIR OUT.json [N]

callgrind writes one part per query (DIR/cg.out.K holds query K-1; the last query is in
DIR/cg.out). Prints the percentiles of the instructions per query, each kind's share (phrase,
prefix, filter, plain words) and the N costliest queries (default 20) with their totals.
"""
import json
import sys


def total(path):
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit("%s: no totals line" % path)


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def kind(q):
    return "phrase" if '"' in q else "prefix" if "*" in q else "filter" if ":" in q else "words"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    d, out = argv[0], argv[1]
    top = int(argv[2]) if len(argv) > 2 else 20
    with open(out) as f:
        qs = [json.loads(line) for line in f]
    n = len(qs)
    cost = [total("%s/cg.out.%d" % (d, i + 2) if i + 2 <= n else "%s/cg.out" % d) for i in range(n)]
    whole = sum(cost)
    print("%d queries, %.2f G instructions: per query p50 %.1f M, p90 %.1f M, p99 %.1f M, mean %.1f M"
          % (n, whole / 1e9, pct(cost, 50) / 1e6, pct(cost, 90) / 1e6, pct(cost, 99) / 1e6,
             whole / n / 1e6))
    kinds = {}
    for o, c in zip(qs, cost):
        k = kinds.setdefault(kind(o["query"]), [0, 0])
        k[0] += 1
        k[1] += c
    print("by kind: " + ", ".join("%s %d queries %.1f%%" % (k, v[0], 100.0 * v[1] / whole)
                                  for k, v in sorted(kinds.items())))
    order = sorted(range(n), key=lambda i: -cost[i])[:top]
    print("the %d costliest: " % top + ", ".join(
        "%s %d" % (k, sum(1 for i in order if kind(qs[i]["query"]) == k)) for k in sorted(kinds)))
    for i in order:
        o = qs[i]
        print("%7.1f M %6d matches  %-6s %s%s" % (cost[i] / 1e6, o.get("total", 0), kind(o["query"]),
                                                   o["query"], "  (relaxed)" if o.get("relaxed") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
