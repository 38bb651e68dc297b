#!/bin/sh
# webcost.sh: what one web request costs nsearch.cgi as a FastCGI process, for one build or
# several side by side (issue 17: "FastCGI throughput within 10% of the build it was filed at").
#
#   bench/webcost.sh NAME=BUILD [NAME=BUILD ...]     e.g. base=../base/build main=build
#
# Each BUILD is a build directory holding nindex and nsearch.cgi. Each build indexes the
# archive (bench/gencorpus SIZE articles, --seed SEED) with its own nindex, once (again when its
# nindex changes), and answers the request paths bench/run.sh gives wrk (24 queries of the mix,
# HTML pages) through bench/webcost.py, which starts nsearch.cgi on a FastCGI socket and sends
# the requests itself, one connection each: no web server, no wrk.
#
# Two figures, the first build's as 1:
#   instructions per request (valgrind --tool=callgrind; deterministic): CG_ROUNDS rounds of the
#     paths after one round of warm-up, less a run of the warm-up round alone;
#   CPU (user+sys) per request: ROUNDS rounds after one of warm-up, less the warm-up alone,
#     the builds taking turns RUNS times (A B A B ...); medians.
#
# Environment: SIZE (10000), SEED (42), BENCH_DIR (/tmp/nsearch-bench; the archive is shared
# with bench/run.sh, the databases and copies of the programs go to BENCH_DIR/webcost-SIZE),
# ROUNDS (20), RUNS (9), CG_ROUNDS (3; 0 leaves callgrind out).
set -eu

[ $# -ge 1 ] || { echo "usage: bench/webcost.sh NAME=BUILD [NAME=BUILD ...]" >&2; exit 2; }
TOP=$(cd "$(dirname "$0")/.." && pwd)
HERE=$TOP/bench
SIZE=${SIZE:-10000}
SEED=${SEED:-42}
BENCH_DIR=${BENCH_DIR:-/tmp/nsearch-bench}
ROUNDS=${ROUNDS:-20}
RUNS=${RUNS:-9}
CG_ROUNDS=${CG_ROUNDS:-3}
PY=/usr/bin/python3
W=$BENCH_DIR/webcost-$SIZE
C=$BENCH_DIR/corpus-$SIZE
export BENCH_DIR

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { echo "bench/webcost.sh: $*" >&2; exit 2; }
[ "$CG_ROUNDS" = 0 ] || command -v valgrind >/dev/null 2>&1 || die "valgrind is missing (CG_ROUNDS=0 to go without)"

mkdir -p "$W"
$PY "$HERE/gencorpus" --seed "$SEED" --out "$C" "$SIZE" || die "gencorpus failed"
$PY "$HERE/gencorpus" --seed "$SEED" --queries 1000 > "$W/queries.txt" || die "gencorpus --queries failed"
$PY "$HERE/bench.py" webpaths "$W/queries.txt" nsearch > "$W/paths.txt" || die "bench.py webpaths failed"

specs=""
for arg in "$@"; do
    name=${arg%%=*}
    build=${arg#*=}
    case $name in ''|*[!A-Za-z0-9_.-]*) die "a build is NAME=BUILD with a plain NAME, not '$arg'" ;; esac
    [ "$name" != "$arg" ] || die "a build is NAME=BUILD, not '$arg'"
    for b in nindex nsearch.cgi; do
        [ -x "$build/$b" ] || die "$build/$b is missing (make all in that tree)"
    done
    d=$W/$name
    mkdir -p "$d"
    # copies: a rebuild of BUILD during the run must not change what is measured
    if [ ! -d "$d/db" ] || ! cmp -s "$build/nindex" "$d/nindex"; then
        say "$name: indexing $SIZE articles with $build/nindex"
        rm -rf "$d/db"
        cp "$build/nindex" "$d/nindex"
        "$d/nindex" --db "$d/db" "$C" > "$d/nindex.log" 2>&1 || die "$name: nindex failed (see $d/nindex.log)"
    fi
    cp "$build/nsearch.cgi" "$d/nsearch.cgi.tmp" && mv "$d/nsearch.cgi.tmp" "$d/nsearch.cgi"
    specs="$specs $name=$d/nsearch.cgi:$d/db"
done

say "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
# shellcheck disable=SC2086
if [ "$CG_ROUNDS" != 0 ]; then
    $PY "$HERE/webcost.py" callgrind "$CG_ROUNDS" "$W/callgrind" "$W/paths.txt" $specs
fi
# shellcheck disable=SC2086
$PY "$HERE/webcost.py" cpu "$ROUNDS" "$RUNS" "$W/paths.txt" $specs
