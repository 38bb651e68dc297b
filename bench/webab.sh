#!/bin/sh
# webab.sh: `make bench`'s FastCGI throughput for several builds, taking turns (issue 17:
# "FastCGI throughput in make bench within 10% of" the build it was filed at).
#
#   bench/webab.sh NAME=BUILD [NAME=BUILD ...]     e.g. base=../base/build main=build
#
# The figure is bench/run.sh's own web step, unchanged: wrk (2 threads, WEB_CONNECTIONS
# connections, WEB_SECONDS s) against nsearch.cgi as FastCGI (and as plain CGI) under one
# lighttpd, rotating over the 24 request paths of the query mix. Each build gets a work folder
# of its own, BENCH_DIR/webab-SIZE/NAME (the archive and prose pools linked from BENCH_DIR),
# where run.sh indexes the archive with that build's nindex once (again when it changes).
# Then RUNS rounds: in each, every build runs the web step once, the order turning by one each
# round, so that a slow spell of a shared machine falls on all of them. Prints each run's
# req/s, then the medians and each build's ratio to the first's (above 1: faster).
#
# Whole-stack throughput: lighttpd and wrk share the cores with nsearch.cgi, as in make bench.
# bench/webcost.sh measures nsearch.cgi's own CPU per request, without them.
#
# Environment: SIZE (10000), SEED (42), BENCH_DIR (/tmp/nsearch-bench), RUNS (7), WEB_SECONDS
# (5), WEB_CONNECTIONS (8).
set -eu

[ $# -ge 1 ] || { echo "usage: bench/webab.sh NAME=BUILD [NAME=BUILD ...]" >&2; exit 2; }
TOP=$(cd "$(dirname "$0")/.." && pwd)
HERE=$TOP/bench
SIZE=${SIZE:-10000}
SEED=${SEED:-42}
BENCH_DIR=${BENCH_DIR:-/tmp/nsearch-bench}
RUNS=${RUNS:-7}
PY=/usr/bin/python3
W=$BENCH_DIR/webab-$SIZE
WEB_SECONDS=${WEB_SECONDS:-5}
WEB_CONNECTIONS=${WEB_CONNECTIONS:-8}
export BENCH_DIR SEED WEB_SECONDS WEB_CONNECTIONS

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { echo "bench/webab.sh: $*" >&2; exit 2; }
case $RUNS in ''|*[!0-9]*|0) die "RUNS must be a number of rounds, not '$RUNS'" ;; esac

mkdir -p "$W"
$PY "$HERE/gencorpus" --seed "$SEED" --out "$BENCH_DIR/corpus-$SIZE" "$SIZE" ||
    die "gencorpus failed"

names=""
for arg in "$@"; do
    name=${arg%%=*}
    build=${arg#*=}
    case $name in ''|*[!A-Za-z0-9_.-]*) die "a build is NAME=BUILD with a plain NAME, not '$arg'" ;; esac
    [ "$name" != "$arg" ] || die "a build is NAME=BUILD, not '$arg'"
    build=$(cd "$build" 2>/dev/null && pwd) || die "$arg: no such build directory"
    for b in nindex nsearch nsearch.cgi; do
        [ -x "$build/$b" ] || die "$build/$b is missing (make all in that tree)"
    done
    d=$W/$name
    mkdir -p "$d"
    # The archive and pools are shared; each build's index, programs and logs are its own.
    for f in "$BENCH_DIR/corpus-$SIZE" "$BENCH_DIR"/pool-*.txt; do
        [ -e "$f" ] && ln -sfn "$f" "$d/$(basename "$f")"
    done
    if [ ! -d "$d/idx-$SIZE/nsearch" ] || ! cmp -s "$build/nindex" "$d/built-with-nindex"; then
        say "$name: indexing $SIZE articles with $build/nindex"
        BENCH_DIR=$d BUILD=$build ENGINES=nsearch STEPS=index REPS=1 RESULTS_MD=- \
            "$HERE/run.sh" "$SIZE" >"$d/index.out" 2>&1 || die "$name: run.sh's index step failed (see $d/index.out)"
        grep -q '"status": 0' "$d/results-$SIZE/results.jsonl" || die "$name: nindex failed (see $d/index.out)"
        cp "$build/nindex" "$d/built-with-nindex"
    fi
    echo "$build" > "$d/build"
    names="$names $name"
done

# shellcheck disable=SC2086 # the names are plain words (checked above)
set -- $names
n=$#
: > "$W/runs.tsv"
for round in $(seq 1 "$RUNS"); do
    k=0
    while [ $k -lt $n ]; do
        # the order turns by one each round
        i=$(( (k + round - 1) % n + 1 ))
        eval "name=\${$i}"
        d=$W/$name
        say "round $round: $name"
        BENCH_DIR=$d BUILD=$(cat "$d/build") ENGINES=nsearch STEPS=web REPS=1 RESULTS_MD=- \
            "$HERE/run.sh" "$SIZE" >"$d/web-$round.out" 2>&1 || die "$name: run.sh's web step failed (see $d/web-$round.out)"
        $PY - "$d/results-$SIZE/results.jsonl" "$name" "$round" >>"$W/runs.tsv" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for r in recs:
    if r.get("section") == "web" and r.get("engine") in ("fcgi", "cgi"):
        if "failed" in r:
            sys.exit("%s: %s failed: %s" % (sys.argv[2], r["engine"], r["failed"]))
        print("%s\t%s\t%s\t%.1f\t%.2f" % (sys.argv[2], sys.argv[3], r["engine"], r["rps"], r["p99_ms"]))
EOF
        k=$((k + 1))
    done
done

$PY - "$W/runs.tsv" "$@" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
names = sys.argv[2:]
print("%-12s %-5s %s" % ("build", "mode", "req/s, round by round"))
for mode in ("fcgi", "cgi"):
    for name in names:
        xs = [float(r[3]) for r in rows if r[0] == name and r[2] == mode]
        print("%-12s %-5s %s" % (name, mode, " ".join("%.0f" % x for x in xs)))
print()
for mode in ("fcgi", "cgi"):
    med = {n: statistics.median(float(r[3]) for r in rows if r[0] == n and r[2] == mode) for n in names}
    p99 = {n: statistics.median(float(r[4]) for r in rows if r[0] == n and r[2] == mode) for n in names}
    for n in names:
        print("%-5s %-12s median %7.1f req/s (%.3f of %s), p99 %.2f ms"
              % (mode, n, med[n], med[n] / med[names[0]], names[0], p99[n]))
EOF
say "runs in $W/runs.tsv"
