#!/usr/bin/python3
"""bench.py: the measuring and reporting half of bench/run.sh (Python 3 stdlib only).

Every measurement is appended as one JSON object to RESULTS (results.jsonl of the run):
  index  ENGINE REP TIMEFILE DBPATH RESULTS          a /usr/bin/time -v report and du -sb
  batch  ENGINE REP DB QUERIES RESULTS [NSEARCH]     ENGINE nsearch | nsearch1 | nsearch-shN |
                                                     nsearch-remoteN | pyxapian | fts5 | sphinx
                                                     (sphinx: DB is searchd's port; DB - : the
                                                     server did not start, recorded as failed)
  oneshot REP QUERIES RESULTS SPEC...                 SPEC nsearch=DB:BINARY | quest=DB | sqlite3=DB; taking turns
  web    ENGINE REP WRKOUT RESULTS                   the output of wrk with bench/wrk.lua
  webpaths QUERIES KIND                              the request paths for wrk (KIND nsearch | omega)
  report SIZE RESULTS STAMP RESULTS_MD               the table on stdout, a section of RESULTS_MD
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from benchlib import is_russian, parse_query  # noqa: E402

PY = "/usr/bin/python3"
ONESHOT_N = int(os.environ.get("ONESHOT_N", "100"))
QUERY_TIMEOUT = float(os.environ.get("QUERY_TIMEOUT", "30"))     # one query, one process
BATCH_TIMEOUT = float(os.environ.get("BATCH_TIMEOUT", "1800"))   # a whole peer batch


def die(msg):
    print("bench.py: " + msg, file=sys.stderr)
    sys.exit(2)


def append(results, rec):
    with open(results, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else None


def wait_bounded(p, timeout):
    """Wait for process p; kill it after timeout seconds. True if it ended by itself.

    Not Popen.wait(timeout): that polls with sleeps doubling from 0.5 ms up to 50 ms, so a
    process was seen to end only at 3.5, 7.5, 15.5 ... ms, which quantized every one-shot
    latency (a 4 ms process measured 7.5 ms) and added up to 50 ms to a batch's wall time."""
    killed = []
    timer = threading.Timer(timeout, lambda: (killed.append(True), p.kill()))
    timer.start()
    try:
        p.wait()
    finally:
        timer.cancel()
    return not killed


def read_queries(path):
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh if line.strip()]


# ---- indexing ----------------------------------------------------------------------------

def timev(path):
    """(wall s, peak RSS KB, user+sys s, exit status) from a `/usr/bin/time -v` report."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        t = fh.read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t)
    if not m:
        return None
    wall = sum(float(x) * 60 ** k for k, x in enumerate(reversed(m.group(1).split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
    cpu = float(re.search(r"User time \(seconds\): (\S+)", t).group(1)) + \
        float(re.search(r"System time \(seconds\): (\S+)", t).group(1))
    st = re.search(r"Exit status: (\d+)", t)
    # Killed by a signal, GNU time says so on a line of its own and still writes "Exit
    # status: 0": the run failed, as a shell would say, with 128 + the signal.
    sig = re.search(r"Command terminated by signal (\d+)", t)
    if sig:
        return wall, rss, cpu, 128 + int(sig.group(1))
    return wall, rss, cpu, int(st.group(1)) if st else 0


def cmd_index(engine, rep, timefile, dbpath, results):
    tv = timev(timefile)
    if tv is None:
        die(f"{timefile}: no /usr/bin/time report")
    du = subprocess.run(["du", "-sb", dbpath], capture_output=True, text=True)
    size = int(du.stdout.split()[0]) if du.returncode == 0 else None
    append(results, {"section": "index", "engine": engine, "rep": int(rep), "wall_s": tv[0],
                     "rss_kb": tv[1], "cpu_s": tv[2], "status": tv[3], "bytes": size})


# ---- batch search ----------------------------------------------------------------------------

def _nsearch_batch(nsearch, db, queries, errlog, jobs=None):
    """The whole mix streamed through one `nsearch --batch` (as a script feeding it would),
    read back in order. Per-query times are the "took_ms" each answer carries: the search
    measured inside the process, as the in-process peers measure theirs. The total is the
    wall time from start to exit, start-up included."""
    args = [nsearch, "--db", db, "--batch"] + (["--jobs", str(jobs)] if jobs else [])
    t0 = time.perf_counter()
    with open(errlog, "ab") as err:
        p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)

    def feed():
        try:
            for q in queries:
                p.stdin.write((q + "\n").encode("utf-8"))
            p.stdin.close()
        except BrokenPipeError:
            pass
    th = threading.Thread(target=feed, daemon=True)
    th.start()
    lat, totals, errors = [], [], 0
    for line in p.stdout:
        try:
            obj = json.loads(line)
            totals.append(int(obj.get("total", 0)))
            errors += "error" in obj
            if "took_ms" in obj:
                lat.append(obj["took_ms"] / 1e3)
        except ValueError:
            totals.append(0)
            errors += 1
    th.join(5)
    wait_bounded(p, QUERY_TIMEOUT)
    wall = time.perf_counter() - t0
    if len(totals) != len(queries):
        return {"failed": f"nsearch --batch answered {len(totals)} of {len(queries)} queries"}
    return {"total_s": wall, "lat_s": lat, "totals": totals, "errors": errors,
            "mode": f"streamed, jobs={jobs or 'all CPUs'}"}


def cmd_batch(engine, rep, db, qfile, results, nsearch=None):
    queries = read_queries(qfile)
    errlog = os.path.join(os.path.dirname(results), f"batch-{engine}.stderr")
    if db == "-":
        r = {"failed": "its server did not start"}
    elif engine == "nsearch1":
        r = _nsearch_batch(nsearch, db, queries, errlog, jobs=1)
    elif engine.startswith("nsearch"):  # one database, local shards (-shN), remote (-remoteN)
        r = _nsearch_batch(nsearch, db, queries, errlog)
    else:
        script = {"pyxapian": "xapian_batch.py", "fts5": "fts5_bench.py", "sphinx": "sphinx_bench.py"}[engine]
        args = [PY, os.path.join(HERE, script)] + (["batch"] if engine in ("fts5", "sphinx") else []) + [db, qfile]
        with open(errlog, "ab") as err:
            try:
                p = subprocess.run(args, stdout=subprocess.PIPE, stderr=err, timeout=BATCH_TIMEOUT)
            except subprocess.TimeoutExpired:
                p = None
        if p is None or p.returncode != 0:
            r = {"failed": f"{script} failed (see {errlog})"}
        else:
            r = json.loads(p.stdout)
    rec = {"section": "batch", "engine": engine, "rep": int(rep)}
    if "failed" in r:
        try:
            with open(errlog, encoding="utf-8", errors="replace") as fh:
                last = [ln.strip() for ln in fh if ln.strip()][-1:]
        except OSError:
            last = []
        rec["failed"] = r["failed"] + (f": {last[0][:200]}" if last else "")
        print(f"bench.py: batch {engine}: {r['failed']}", file=sys.stderr)
    else:
        n = len(queries)
        rec.update({"n": n, "total_s": r["total_s"], "qps": n / r["total_s"],
                    "p50_ms": 1e3 * pct(r["lat_s"], 50) if r["lat_s"] else None,
                    "p99_ms": 1e3 * pct(r["lat_s"], 99) if r["lat_s"] else None,
                    "errors": r["errors"], "mode": r.get("mode", "in-process"),
                    "mean_total": sum(r["totals"]) / n, "totals": r["totals"]})
    append(results, rec)


# ---- one-shot -------------------------------------------------------------------------------

def oneshot_queries(queries):
    step = max(1, len(queries) // ONESHOT_N)
    return queries[::step][:ONESHOT_N]


def oneshot_cmd(engine, db, q, nsearch=None):
    if engine == "nsearch":
        return [nsearch, "--db", db, "--json", "--facets", q]
    if engine == "quest":
        return ["quest", "-d", db, "-m", "10", "-o", "and",
                "-s", "russian" if is_russian(q) else "english",
                "-f", "default,phrase,boolean,lovehate,wildcard,pure_not",
                "-b", "vendor:XV", "-b", "month:XM", q]
    from fts5_bench import MONTHS, TOP, VENDORS, match_expr
    m = match_expr(q).replace("'", "''")
    return ["sqlite3", "-readonly", db,
            ";".join(s.replace("?", f"'{m}'") for s in (TOP, MONTHS, VENDORS)) + ";"]


def cmd_oneshot(rep, qfile, results, *specs):
    """specs: ENGINE=DB (nsearch=DB:BINARY). The engines take turns query by query, so a
    shared machine's slow spells fall on all of them alike, not on one engine's pass."""
    engines = []
    for spec in specs:
        engine, _, rest = spec.partition("=")
        db, nsearch = (rest.split(":", 1) + [None])[:2] if engine == "nsearch" else (rest, None)
        engines.append((engine, db, nsearch))
    qs = oneshot_queries(read_queries(qfile))
    lat = {e: [] for e, _, _ in engines}
    bad = {e: 0 for e, _, _ in engines}
    for i, q in enumerate(qs):
        for k in range(len(engines)):
            engine, db, nsearch = engines[(i + k) % len(engines)]  # who goes first rotates
            c = oneshot_cmd(engine, db, q, nsearch)
            s = time.perf_counter()
            p = subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not wait_bounded(p, QUERY_TIMEOUT):
                bad[engine] += 1
            else:
                bad[engine] += p.returncode not in (0, 1)  # nsearch: 1 = no results
            lat[engine].append(time.perf_counter() - s)
    for engine, _, _ in engines:
        xs, nbad = lat[engine], bad[engine]
        rec = {"section": "oneshot", "engine": engine, "rep": int(rep), "n": len(xs),
               "p50_ms": 1e3 * pct(xs, 50), "p99_ms": 1e3 * pct(xs, 99),
               "mean_ms": 1e3 * sum(xs) / len(xs), "failed_runs": nbad}
        if nbad > len(xs) // 2:
            rec["failed"] = f"{nbad} of {len(xs)} runs failed"
        append(results, rec)


# ---- web -------------------------------------------------------------------------------------

def cmd_webpaths(qfile, kind, n="24"):
    """Request paths for wrk: a few queries of the mix, their filters as form parameters."""
    qs = read_queries(qfile)
    step = max(1, len(qs) // int(n))
    for q in qs[::step][:int(n)]:
        text, filters = parse_query(q)
        if kind == "omega":
            params = [("DB", "omega"), ("DEFAULTOP", "and"), ("P", text)]
            for f, v in filters:
                pre = "XV" if f == "vendor" else "XM"
                params.append(("B", pre + (":" if v[:1].isupper() else "") + v))
            print("/cgi-bin/omega?" + urllib.parse.urlencode(params))
        else:
            params = [("q", text)] + list(filters)
            print(urllib.parse.urlencode(params))


def cmd_web(engine, rep, wrkout, results):
    with open(wrkout, encoding="utf-8", errors="replace") as fh:
        t = fh.read()
    m = re.search(r"^WRKJSON (\{.*\})$", t, re.M)
    rec = {"section": "web", "engine": engine, "rep": int(rep)}
    if not m:
        rec["failed"] = "no wrk summary (see " + wrkout + ")"
    else:
        w = json.loads(m.group(1))
        ok = w["requests"] - w["non2xx"] - w["errors"]
        rec.update({"requests": w["requests"], "rps": ok / (w["duration_us"] / 1e6),
                    "p50_ms": w["p50_us"] / 1e3, "p99_ms": w["p99_us"] / 1e3,
                    "non2xx": w["non2xx"], "errors": w["errors"]})
        if ok <= 0 or ok < 0.9 * w["requests"]:
            rec["failed"] = f"{w['non2xx']} non-2xx answers and {w['errors']} socket errors " \
                            f"of {w['requests']} requests"
    append(results, rec)


# ---- report ------------------------------------------------------------------------------------

ENGINES = {
    "index": [("nsearch", "nsearch `nindex`"),
              ("cc", "C++ TermGenerator, one writer (bench/xapian_index.cc)"),
              ("omega", "Omega `scriptindex` (English stemmer only)"),
              ("fts5", "SQLite FTS5 (unicode61 + porter)"),
              ("sphinx", "Sphinx 2.2 `indexer` (stem_enru, xmlpipe2)")],
    "batch": [("nsearch", "nsearch `--batch` (threads: one per CPU)"),
              ("nsearch1", "nsearch `--batch --jobs 1` (one thread)"),
              ("pyxapian", "python3-xapian (BM25, exact facets)"),
              ("fts5", "SQLite FTS5 (bm25(), GROUP BY facets)"),
              ("sphinx", "Sphinx 2.2 `searchd`, one SphinxQL connection (BM25F, FACET)")],
    "oneshot": [("nsearch", "nsearch `--json --facets`, one process per query"),
                ("quest", "`quest` (no facets)"),
                ("sqlite3", "`sqlite3` CLI (FTS5, with facets)")],
    "web": [("fcgi", "nsearch.cgi as FastCGI"),
            ("cgi", "nsearch.cgi as plain CGI"),
            ("omega", "Omega CGI (`omega`, query template)")],
}
HEAD = {
    "index": ["wall s", "articles/s", "MB/s", "peak RSS MB", "index MB"],
    "batch": ["total s", "q/s", "p50 ms", "p99 ms", ""],
    "oneshot": ["p50 ms", "p99 ms", "mean ms", "", ""],
    "web": ["req/s", "p50 ms", "p99 ms", "", ""],
}
TITLE = {"index": "Indexing", "batch": "Batch search", "oneshot": "One-shot", "web": "Web (wrk)"}


def _fmt(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _metrics(section, recs, articles, body_bytes):
    """The median of each metric over the runs (None when no run succeeded)."""
    ok = [r for r in recs if "failed" not in r and r.get("status", 0) == 0]
    if not ok:
        return None

    def med(key, f=lambda v: v):
        vs = [f(r[key]) for r in ok if r.get(key) is not None]
        return statistics.median(vs) if vs else None

    if section == "index":
        wall = med("wall_s")
        return [wall, articles / wall if wall else None, body_bytes / 1e6 / wall if wall else None,
                med("rss_kb", lambda v: v / 1024), med("bytes", lambda v: v / 1e6)]
    if section == "batch":
        return [med("total_s"), med("qps"), med("p50_ms"), med("p99_ms"), None]
    if section == "oneshot":
        return [med("p50_ms"), med("p99_ms"), med("mean_ms"), None, None]
    return [med("rps"), med("p50_ms"), med("p99_ms"), None, None]


# The index each search line reads: a search on an index whose build failed in the same run
# (killed at IDX_TIMEOUT on a loaded machine, say) measured an empty or partial database.
READS = {("batch", "pyxapian"): "cc", ("batch", "fts5"): "fts5", ("batch", "sphinx"): "sphinx",
         ("batch", "nsearch"): "nsearch", ("batch", "nsearch1"): "nsearch",
         ("oneshot", "nsearch"): "nsearch", ("oneshot", "quest"): "cc", ("oneshot", "sqlite3"): "fts5",
         ("web", "fcgi"): "nsearch", ("web", "cgi"): "nsearch", ("web", "omega"): "omega"}


def _reads(section, engine):
    m = re.fullmatch(r"nsearch-(?:sh|remote)(\d+)", engine)
    if m and section == "batch":
        return "nsearch-sh" + m.group(1)  # the remote stub serves that build's shards
    return READS.get((section, engine))


def _shard_engines(section, recs):
    """The lines of the shards step: one per shard count indexed or searched, local before
    remote, in the order of the count."""
    def key(e):
        m = re.fullmatch(r"nsearch-(sh|remote)(\d+)", e)
        return (m.group(1) == "remote", int(m.group(2))) if m else None
    found = {r["engine"] for r in recs if r["section"] == section and key(r["engine"])}
    out = []
    for e in sorted(found, key=key):
        kind, n = key(e)
        if section == "index":
            out.append((e, f"nsearch `nindex --shards {n}`"))
        else:
            out.append((e, f"nsearch `--batch`, {n} {'remote shards (xapian-tcpsrv, loopback)' if kind else 'local shards'}"))
    return out


def _mark_broken_indexes(recs):
    bad = {(r["engine"], r["rep"]) for r in recs
           if r["section"] == "index" and ("failed" in r or r.get("status", 0) != 0)}
    for r in recs:
        dep = _reads(r["section"], r["engine"])
        if dep and (dep, r["rep"]) in bad and "failed" not in r:
            r["failed"] = f"its index ({dep}) failed in run {r['rep']}"


def build_table(size, recs, articles, body_bytes):
    _mark_broken_indexes(recs)
    reps = max((r["rep"] for r in recs), default=0)
    lines, notes = [], []
    for section, engines in ENGINES.items():
        engines = engines + _shard_engines(section, recs)
        lines.append(f"| **{TITLE[section]}** | " + " | ".join(f"**{h}**" if h else "" for h in HEAD[section]) + " |")
        if len(lines) == 1:
            lines.append("|---|---:|---:|---:|---:|---:|")
        by = {e: [r for r in recs if r["section"] == section and r["engine"] == e] for e, _ in engines}
        vals = {e: _metrics(section, by[e], articles, body_bytes) for e, _ in engines}
        for e, label in engines:
            v = vals[e]
            if not by[e]:
                lines.append(f"| {label} | not run | | | | |")
                continue
            if v is None:
                why = next((r.get("failed") or f"exit status {r.get('status')}" for r in by[e]), "")
                lines.append(f"| {label} | failed | | | | |")
                notes.append(f"{TITLE[section]}, {label}: {why}")
                continue
            cells = []
            for k in range(5):
                if v[k] is None:
                    cells.append("")
                    continue
                c = _fmt(v[k])
                # The ratio ours/peer: on each peer's line, except for the web where two lines
                # are ours and one peer: there on our lines, against Omega.
                if section == "web":
                    ref, mine = vals.get("omega"), v
                    show = e != "omega"
                elif e.startswith("nsearch-"):  # shards: this line over the one database's
                    ref, mine = vals.get("nsearch"), v
                    show = True
                else:
                    ref, mine = v, vals.get("nsearch")
                    show = e not in ("nsearch", "nsearch1")
                if show and ref and mine and ref[k] and mine[k]:
                    c += f" ({mine[k] / ref[k]:.2f}×)"
                cells.append(c)
            runs = len([r for r in by[e] if "failed" not in r])
            mark = "" if runs == reps else f" ({runs} run{'s' if runs > 1 else ''})"
            lines.append(f"| {label}{mark} | " + " | ".join(cells) + " |")
        for e in by:
            bad = [r for r in by[e] if r.get("mode") == "pipelined"]
            if bad:
                notes.append(f"{TITLE[section]}, {e}: stdout not flushed per line, so the queries "
                             "were pipelined: total time only")
    return lines, notes


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "")
    except OSError:
        pass
    ram = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1])
            ram = f"{kb / 1048576:.1f} GiB"
    except (OSError, StopIteration):
        pass
    try:
        with open("/etc/debian_version", encoding="utf-8") as fh:
            deb = "Debian " + fh.read().strip()
    except OSError:
        deb = platform.platform()
    xv = subprocess.run(["sh", "-c", "xapian-config --version 2>/dev/null | awk '{print $NF}'"],
                        capture_output=True, text=True).stdout.strip()
    sq = subprocess.run([PY, "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
                        capture_output=True, text=True).stdout.strip()
    sp = subprocess.run(["sh", "-c", "searchd --help 2>/dev/null | sed -n '1s/^Sphinx \\([^ ]*\\).*/\\1/p'"],
                        capture_output=True, text=True).stdout.strip()
    load = ""
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:
            load = ", load average " + " ".join(fh.read().split()[:3])
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, {deb}, kernel {platform.release()}, "
            f"Xapian {xv or '?'}, SQLite {sq or '?'}, Sphinx {sp or '?'}, "
            f"{datetime.datetime.now():%Y-%m-%d %H:%M}{load}")


def cmd_report(size, results, stampfile, results_md):
    recs = []
    with open(results, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                recs.append(json.loads(line))
    stamp = {}
    with open(stampfile, encoding="utf-8") as fh:
        for tok in fh.read().split():
            k, _, v = tok.partition("=")
            stamp[k] = v
    articles, body = int(stamp.get("articles", size)), int(stamp.get("body_bytes", 0))
    lines, notes = build_table(size, recs, articles, body)
    reps = max((r["rep"] for r in recs), default=0)
    nq = next((r["n"] for r in recs if r["section"] == "batch" and "n" in r), 0)
    # Sanity: do the engines find about as much? (Stemming and tokenising differ by design.)
    means = {r["engine"]: r["mean_total"] for r in recs
             if r["section"] == "batch" and "mean_total" in r and "failed" not in r}
    agree = ""
    tot = {r["engine"]: r["totals"] for r in recs
           if r["section"] == "batch" and "totals" in r and "failed" not in r}
    if "nsearch" in tot and "pyxapian" in tot:
        a, b = tot["nsearch"], tot["pyxapian"]
        same = sum(1 for x, y in zip(a, b) if x == y)
        agree = f"; nsearch and python3-xapian report the same total for {same} of {len(a)} queries"
    # Shards must answer as the one database does (the tests check the pages; this the totals).
    for e in sorted(k for k in tot if k.startswith("nsearch-")):
        if "nsearch" in tot:
            same = sum(1 for x, y in zip(tot["nsearch"], tot[e]) if x == y)
            agree += f"; {e} reports the one database's total for {same} of {len(tot[e])} queries"
    head = (f"{articles:,} articles, {body / 1e6:.1f} MB of body text "
            f"({body / max(1, articles):,.0f} B/article); {nq} queries; median of {reps} run(s)")
    text = [f"## {size} articles", "", head, "", *lines, "",
            "Ratios in parentheses are ours/peer for the same column: nsearch over the peer on each "
            "peer's line; on the web lines, nsearch's over Omega's; on the shard lines (nindex --shards, "
            "nsearch over a stub of local or remote shards), that line's over the one database's. Above 1 is better for rates, "
            "below 1 is better for times, memory and size. Web: wrk on 127.0.0.1 under one lighttpd, HTML "
            "result pages, rotating over a few queries of the mix.",
            "",
            "Mean matches per query (exact totals): " + ", ".join(f"{k} {v:,.1f}" for k, v in means.items())
            + agree + ".", ""]
    text += [f"- {n}" for n in notes] + ([""] if notes else [])
    text += [f"Machine: {machine()}.", ""]
    if os.environ.get("BENCH_CMD"):
        text += [f"Command: `{os.environ['BENCH_CMD']}`, commit {os.environ.get('BENCH_COMMIT', '?')}.", ""]
    section = "\n".join(text)
    print(section)
    # RESULTS.md: one section per size, replacing the one of an earlier run.
    old = ""
    if os.path.exists(results_md):
        with open(results_md, encoding="utf-8") as fh:
            old = fh.read()
    if not old.startswith("# "):
        old = ("# nsearch benchmark results\n\nWritten by `make bench SIZE=N` (bench/run.sh); one "
               "section per archive size, the latest run of each size.\n\n") + old
    parts = re.split(r"(?m)^(?=## )", old)
    keep, done = [], False
    for p in parts:
        m = re.match(r"## (\d+) articles", p)
        if m and int(m.group(1)) == int(size):
            keep.append(section + "\n")
            done = True
        else:
            keep.append(p)
    if not done:
        if keep and not keep[-1].endswith("\n\n"):
            keep[-1] = keep[-1].rstrip("\n") + "\n\n"
        keep.append(section + "\n")
    # Sections in size order after the preamble.
    pre = [p for p in keep if not p.startswith("## ")]
    secs = sorted((p for p in keep if p.startswith("## ")),
                  key=lambda p: int(re.match(r"## (\d+)", p).group(1)))
    with open(results_md + ".tmp", "w", encoding="utf-8") as fh:
        fh.write("".join(pre) + "".join(s.rstrip("\n") + "\n\n" for s in secs))
    os.replace(results_md + ".tmp", results_md)


def main(argv):
    cmds = {"index": (cmd_index, 5), "batch": (cmd_batch, 5), "oneshot": (cmd_oneshot, 4),
            "web": (cmd_web, 4), "webpaths": (cmd_webpaths, 2), "report": (cmd_report, 4)}
    if not argv or argv[0] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    fn, nargs = cmds[argv[0]]
    if len(argv) - 1 < nargs:
        print(__doc__, file=sys.stderr)
        return 2
    fn(*argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
