#!/bin/sh
# run.sh FUZZ_BUILD SECONDS: run each libFuzzer harness FUZZ_BUILD/fuzz/fuzz_NAME
# for its share of SECONDS on a scratch copy of tests/fuzz/seeds/NAME (the
# checked-in seeds are never modified) with the dictionary tests/fuzz/NAME.dict,
# then replay every input kept in tests/fuzz/regressions/NAME/. Prints one line
# per harness with libFuzzer's final coverage (cov: edges, ft: features) and
# exits non-zero on any crash, leak, sanitizer report or timeout; a crashing
# input is copied to FUZZ_BUILD/crashes/NAME/ to be kept as a regression.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-fuzz}
total=${2:-60}
case $build in /*) ;; *) build=$top/$build ;; esac
fz=$top/tests/fuzz
names=$(cd "$fz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
n=$(echo "$names" | wc -w)
per=$((total / n))
[ "$per" -ge 1 ] || per=1
scratch=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' INT TERM HUP
# leaks are real failures; a slow input (> 10 s) counts as a hang
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
bad=0
for name in $names; do
    bin=$build/fuzz/fuzz_$name
    [ -x "$bin" ] || { echo "FAIL fuzz $name: $bin not built"; bad=1; continue; }
    work=$scratch/$name
    mkdir -p "$work/corpus" "$work/artifacts"
    [ -d "$fz/seeds/$name" ] && cp "$fz/seeds/$name"/* "$work/corpus/" 2>/dev/null
    dict=
    [ -f "$fz/$name.dict" ] && dict=-dict=$fz/$name.dict
    start=$(date +%s)
    (cd "$work" && "$bin" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict corpus > "$work/log" 2>&1)
    rc=$?
    secs=$(( $(date +%s) - start ))
    stats=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$work/log" | tail -n 1 |
        sed -n 's/^#\([0-9]*\).*cov: \([0-9]*\) ft: \([0-9]*\).*corp: \([0-9]*\).*/runs \1, cov \2, ft \3, corpus \4/p')
    if [ $rc -ne 0 ]; then
        bad=1
        echo "FAIL fuzz $name (exit $rc, ${secs}s)"
        grep -E 'ERROR|invariant|SUMMARY|runtime error|Test unit written' "$work/log" | head -n 20 | sed 's/^/    /'
        mkdir -p "$build/crashes/$name"
        cp "$work/artifacts/"* "$build/crashes/$name/" 2>/dev/null &&
            echo "    crashing input(s) kept in $build/crashes/$name/ (add to tests/fuzz/regressions/$name/)"
        continue
    fi
    # every kept regression input must now pass
    nreg=0
    if [ -d "$fz/regressions/$name" ] && [ -n "$(ls -A "$fz/regressions/$name" 2>/dev/null)" ]; then
        nreg=$(ls "$fz/regressions/$name" | wc -l)
        if ! (cd "$work" && "$bin" -timeout=10 -rss_limit_mb=2048 "$fz/regressions/$name"/* > "$work/replay.log" 2>&1); then
            bad=1
            echo "FAIL fuzz $name: a regression input fails again"
            grep -E 'Running:|ERROR|invariant|SUMMARY|runtime error' "$work/replay.log" | tail -n 20 | sed 's/^/    /'
            continue
        fi
    fi
    echo "ok   fuzz $name (${secs}s, $stats, $nreg regressions replayed)"
done
[ $bad -eq 0 ]
