"""Helpers shared by the peer engines of the benchmark: read the generated articles, split a
query of the mix into its text and its filters, time a batch of queries, run the command the
arguments name.  Python 3 stdlib only."""
import json
import os
import re
import sys
import time


def iter_articles(root):
    """Yield one dict per article of a gencorpus directory (or of corpus/, which has the same
    layout and flow-style front matter), in path order: id (the front matter's id:, else the
    path without .md, as nindex names it), title, date, month, lang, vendors (list), url, body."""
    for sub in sorted(os.listdir(root)):
        d = os.path.join(root, sub)
        if not os.path.isdir(d):
            continue
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".md"):
                continue
            with open(os.path.join(d, fn), encoding="utf-8") as fh:
                text = fh.read()
            # gencorpus writes one "key: value" per line between the --- lines.
            _, head, body = text.split("---\n", 2)
            meta = {}
            for line in head.splitlines():
                k, _, v = line.partition(": ")
                meta[k] = v.strip()
            title = meta.get("title", "")
            if len(title) >= 2 and title[0] == title[-1] == '"':
                title = title[1:-1]
            vendors = [v.strip() for v in meta.get("vendors", "").strip("[]").split(",") if v.strip()]
            date = meta.get("date", "")
            yield {"id": meta.get("id") or f"{sub}/{fn[:-3]}", "title": title, "date": date, "month": date[:7],
                   "lang": meta.get("lang", "en"), "vendors": vendors, "url": meta.get("url", ""),
                   "body": body}


FILTER = re.compile(r'(?:^|\s)(vendor|month):("[^"]*"|\S+)')
ITEM = re.compile(r'"([^"]*)"|(\S+)')
CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def parse_query(q):
    """-> (text, [(field, value)]) for a line of the query mix."""
    filters = [(m.group(1), m.group(2).strip('"')) for m in FILTER.finditer(q)]
    return FILTER.sub(" ", q).strip(), filters


def query_items(text):
    """-> [(kind, value)], kind "phrase", "prefix" or "word"."""
    out = []
    for m in ITEM.finditer(text):
        if m.group(1) is not None:
            if m.group(1).strip():
                out.append(("phrase", m.group(1).strip()))
        elif m.group(2).endswith("*") and len(m.group(2)) > 1:
            out.append(("prefix", m.group(2)[:-1]))
        else:
            out.append(("word", m.group(2)))
    return out


def is_russian(q):
    return CYRILLIC.search(q) is not None


def read_queries(qfile):
    """The queries of a query file: one a line, blank lines skipped."""
    with open(qfile, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def time_queries(name, queries, t0, total_of, errors, describe=str):
    """Run each query through total_of (which gives its total, and may raise one of errors:
    counted, and said on stderr after name, as describe words it) and print the JSON line bench.py reads: the seconds
    since t0 (time.perf_counter(), taken before connecting), each query's latency and total,
    how many failed."""
    lat, totals, nerr = [], [], 0
    for q in queries:
        s = time.perf_counter()
        total = 0
        try:
            total = total_of(q)
        except errors as e:
            nerr += 1
            print(f"{name}: {q!r}: {describe(e)}", file=sys.stderr)
        lat.append(time.perf_counter() - s)
        totals.append(total)
    wall = time.perf_counter() - t0
    print(json.dumps({"total_s": wall, "lat_s": lat, "totals": totals, "errors": nerr}))


def run_command(doc, commands, argv):
    """Run the command argv names, commands mapping each name to how many arguments it takes
    and the function taking them: 0, or 2 with the usage (doc) on stderr when argv names none
    of them."""
    if argv and argv[0] in commands and len(argv) - 1 == commands[argv[0]][0]:
        commands[argv[0]][1](*argv[1:])
        return 0
    print(doc, file=sys.stderr)
    return 2
