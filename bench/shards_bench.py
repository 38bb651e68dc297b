#!/usr/bin/python3
"""shards_bench.py: one database vs 4 local shards vs 4 remote shards on loopback (issue 16).

usage: [INDEX_RUNS=K] shards_bench.py BUILD CORPUS QUERIES WORKDIR [RUNS]

Indexes CORPUS (a bench/gencorpus folder) into WORKDIR/one and, with --shards 4, into WORKDIR/sh
(INDEX_RUNS times each, default RUNS, alternating, timed: the indexing rate), serves the 4 shards with xapian-tcpsrv
on free 127.0.0.1 ports (each in its own session; stopped by PID at the end), then runs
`nsearch --batch --facets` over QUERIES against the one database, the local stub and the remote
stub, RUNS rounds in turn (A/B/C in one sitting), and prints for each the median q/s (queries over
the wall time of the batch) and the median p99 of the answers' took_ms. Ratios are against the
one database.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def free_ports(n):
    ss = [socket.socket() for _ in range(n)]
    for s in ss:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in ss]
    for s in ss:
        s.close()
    return ports


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("xapian-tcpsrv on %d does not listen" % port)


def index(build, corpus, db, shards):
    if os.path.exists(db):
        shutil.rmtree(db)
    cmd = [build + "/nindex", "--db", db] + (["--shards", str(shards)] if shards else []) + [corpus]
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def batch(build, db, queries):
    with open(queries, "rb") as q:
        t0 = time.monotonic()
        p = subprocess.run([build + "/nsearch", "--db", db, "--facets", "--batch"], stdin=q,
                           stdout=subprocess.PIPE, check=False)
        wall = time.monotonic() - t0
    lat, errors = [], 0
    for line in p.stdout.splitlines():
        o = json.loads(line)
        if "error" in o:
            errors += 1
        elif "took_ms" in o:
            lat.append(o["took_ms"])
    return len(lat) / wall, pct(lat, 99), pct(lat, 50), errors


def main():
    build, corpus, queries, work = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    index_runs = int(os.environ.get("INDEX_RUNS", runs))  # 1: index once, time it once
    os.makedirs(work, exist_ok=True)
    ndocs = sum(1 for _, _, fs in os.walk(corpus) for f in fs if f.endswith(".md"))
    rates = {"one": [], "4 shards": []}
    for _ in range(index_runs):
        rates["one"].append(ndocs / index(build, corpus, work + "/one", 0))
        rates["4 shards"].append(ndocs / index(build, corpus, work + "/sh", 4))
    print("nindex, %d articles, median of %d: one %.0f articles/s, --shards 4 %.0f articles/s (%.2fx)"
          % (ndocs, index_runs, statistics.median(rates["one"]), statistics.median(rates["4 shards"]),
             statistics.median(rates["4 shards"]) / statistics.median(rates["one"])))
    ports = free_ports(4)
    pids = []
    try:
        for k, port in enumerate(ports):
            p = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                                  "--quiet", "%s/sh/shard%d" % (work, k)], start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pids.append(p.pid)
        for port in ports:
            wait_port(port)
        with open(work + "/remote.stub", "w") as f:
            for port in ports:
                f.write("remote 127.0.0.1:%d\n" % port)
        dbs = {"one": work + "/one", "4 local shards": work + "/sh",
               "4 remote shards": work + "/remote.stub"}
        res = {k: [] for k in dbs}
        for name, db in dbs.items():  # warm the page cache once
            batch(build, db, queries)
        for _ in range(runs):
            for name, db in dbs.items():
                res[name].append(batch(build, db, queries))
        base_q = statistics.median(r[0] for r in res["one"])
        base_p = statistics.median(r[1] for r in res["one"])
        print("nsearch --batch --facets, %d queries, median of %d rounds:" % (
            sum(1 for _ in open(queries)), runs))
        for name in dbs:
            q = statistics.median(r[0] for r in res[name])
            p99 = statistics.median(r[1] for r in res[name])
            p50 = statistics.median(r[2] for r in res[name])
            err = max(r[3] for r in res[name])
            print("  %-16s %7.1f q/s (%.2fx)  p50 %6.2f ms  p99 %7.2f ms (%.2fx)  errors %d"
                  % (name, q, q / base_q, p50, p99, p99 / base_p, err))
    finally:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


if __name__ == "__main__":
    main()
