#!/bin/sh
# run.sh FUZZ_BUILD [SECONDS]: run each libFuzzer harness FUZZ_BUILD/fuzz/fuzz_NAME
# on a scratch copy of tests/fuzz/seeds/NAME (the checked-in seeds are never
# modified) with the dictionary tests/fuzz/NAME.dict, then replay every input
# kept in tests/fuzz/regressions/NAME/. Prints one line per harness with
# libFuzzer's final coverage (cov: edges, ft: features) and exits non-zero on
# any crash, leak, sanitizer report or timeout; a crashing input is copied to
# FUZZ_BUILD/crashes/NAME/ to be kept as a regression.
#
# Without SECONDS (what `make test` runs) each harness makes a fixed number of
# runs (fixed() below) from a fixed -seed, so the same tree tries the same
# inputs every time: CI cannot go red at random. Other things made runs
# differ and are off in this mode: libFuzzer's rereading of the corpus folder
# every second (-reload=0); its feeding of compared values back into its
# mutations (-use_cmp=0: some are inode numbers or the name of a temporary
# folder; without it, coverage after these runs is the same or higher); and
# address-space randomisation (setarch -R: cgi still took other paths). The
# Makefile also builds without the stack-depth feature, which moved with the
# size of the environment. The numbers take 6-60 s of CPU per harness
# (about 90 s in all) on a 2-core AMD EPYC: query had 25,000 runs and took
# 218 s once a search also filled the page, counted disjunctive facets and
# looked for suggestions, so it has 6,000 now. With SECONDS (`make fuzz
# FUZZ_SECONDS=600`) each harness runs for its share of SECONDS instead, from
# a random seed and with all of libFuzzer's means, to look further.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-fuzz}
total=${2:-}
seed=1
fixed() { # NAME: the number of runs for make test
    case $1 in
        analyze) echo 18000 ;;
        article) echo 7000 ;;
        cgi) echo 35000 ;;
        json) echo 50000 ;;
        query) echo 6000 ;;   # each run is a whole search (facets, page fill, suggestions): 9 ms
        *) echo 10000 ;;
    esac
}
case $build in /*) ;; *) build=$top/$build ;; esac
fz=$top/tests/fuzz
names=$(cd "$fz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
n=$(echo "$names" | wc -w)
norand=
if [ -n "$total" ]; then
    per=$((total / n))
    [ "$per" -ge 1 ] || per=1
elif setarch "$(uname -m)" -R true 2> /dev/null; then
    norand="setarch $(uname -m) -R"
else
    echo "note: setarch -R cannot turn address randomisation off here: runs may differ"
fi
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
    if [ -n "$total" ]; then
        budget="-max_total_time=$per"
    else
        budget="-runs=$(fixed "$name") -seed=$seed -reload=0 -use_cmp=0"
    fi
    start=$(date +%s)
    (cd "$work" && $norand "$bin" $budget -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
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
