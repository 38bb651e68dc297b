#!/bin/sh
# all.sh BUILD ASAN_BUILD: the part of `make test` after the normal build, in
# three lanes at once, and one line "N passed, N failed" at the end.
#
#   1. the unit and end-to-end suites against BUILD (tests/run.sh);
#   2. the sanitizer build (make asan-build), then the same suites against it
#      (the scripts marked "# run-once" only in lane 1);
#   3. make lint, then make fuzz (the libFuzzer build and its fixed runs).
#
# Why lanes: one after the other, the steps left both cores idle about half
# the time (most end-to-end scripts wait on the processes they start, and
# lint and fuzzing are one process each for much of their time), and CI took
# 12 to 13 minutes. The builds, lint and fuzzing run under nice, so that the
# scripts' own timing checks (a commit seen within 1 s, a shard that times
# out) get the CPU first. A failed lint or fuzz run counts as one failure,
# named on the "failed:" line.
#
# Environment: MAKE (make), SAN_ENV (the sanitizers' options, as
# "NAME=value NAME=value"; given to both suites, as before), JOBS.
set -u
[ $# -eq 2 ] || { echo "usage: tests/all.sh BUILD ASAN_BUILD" >&2; exit 2; }
build=$1
asan=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
make=${MAKE:-make}
jobs=${JOBS:-2}
san_env=${SAN_ENV:-}
logs=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-all.XXXXXX")
trap 'rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086 # SAN_ENV is a list of assignments for env
{
    env $san_env sh tests/run.sh --tagged "$build"
} > "$logs/1" 2>&1 &
lane1=$!
{
    if nice -n 10 $make --no-print-directory -j"$jobs" asan-build ASAN_BUILD="$asan" \
        > "$logs/2.build" 2>&1; then
        env $san_env sh tests/run.sh --tagged --not-first "$asan"
    else
        tail -n 40 "$logs/2.build"
        echo "failed: asan-build"
        echo "0 passed, 1 failed"
    fi
} > "$logs/2" 2>&1 &
lane2=$!
{
    st=0
    nice -n 10 $make --no-print-directory BUILD="$build" lint || st=1
    nice -n 10 $make --no-print-directory -j"$jobs" fuzz || st=1
    echo "lint+fuzz rc $st"
} > "$logs/3" 2>&1 &
lane3=$!
wait $lane1 $lane2 $lane3

cat "$logs/3"
passed=0
failed=0
failures=""
[ "$(tail -n 1 "$logs/3")" = "lint+fuzz rc 0" ] || { failed=1; failures=" lint/fuzz"; }
for lane in 1 2; do
    sed '$d' "$logs/$lane" | grep -v '^failed:'
    last=$(tail -n 1 "$logs/$lane")
    failures="$failures$(grep '^failed:' "$logs/$lane" | sed 's/^failed://')"
    np=$(printf '%s' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    nf=$(printf '%s' "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$np" ]; then   # that lane died before its summary
        np=0
        nf=1
        failures="$failures (lane $lane ended early)"
    fi
    passed=$((passed + np))
    failed=$((failed + nf))
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
