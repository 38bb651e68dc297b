#!/bin/sh
# run.sh [--unit|--e2e|--valgrind] BUILD...: run the test suites against the
# programs in each BUILD directory (e.g. build and the sanitizer build
# build-asan) and end with one line "N passed, N failed" over all of them.
# Unit tests are Check programs (BUILD/tests/test_*); each counts as one test
# per Check case, read from its summary line. End-to-end tests are the shell
# scripts tests/e2e/*.sh, one feature each; each counts as one test. A script
# that tests packaging, documentation or a web server's configuration rather
# than the programs' code says so with a line "# run-once" and runs against
# the first BUILD only: running it again under the sanitizer build finds
# nothing new and costs minutes (the programs it starts are tested under the
# sanitizers by the other scripts).
#
# --not-first: this BUILD is not the first (its run-once scripts are
# skipped); --tagged: its lines name the build even when it is the only one
# (tests/all.sh runs one build a lane and prints their reports together).
set -u
mode=all
first=yes
tagged=no
while :; do
    case ${1:-} in
        --unit|--e2e|--valgrind) mode=${1#--}; shift ;;
        --not-first) first=no; shift ;;
        --tagged) tagged=yes; shift ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || set -- build
top=$(cd "$(dirname "$0")/.." && pwd)
export NS_TOP=$top

passed=0
failed=0
failures=""
log=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-tests.XXXXXX")
trap 'rm -rf "$log"' EXIT

run_unit() {
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        case $t in *.o) continue ;; esac
        name=$(basename "$t")
        if [ "$mode" = valgrind ]; then
            CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                "$t" > "$log/$name.out" 2>&1
        else
            "$t" > "$log/$name.out" 2>&1
        fi
        rc=$?
        # Check prints "100%: Checks: 12, Failures: 0, Errors: 0"
        summary=$(grep -E '^[0-9]+%: Checks: ' "$log/$name.out" | tail -n 1)
        checks=$(printf '%s' "$summary" | sed -n 's/.*Checks: \([0-9]*\).*/\1/p')
        bad=$(printf '%s' "$summary" | sed -n 's/.*Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2/p')
        nf=0
        for x in $bad; do nf=$((nf + x)); done
        if [ -z "$checks" ]; then checks=1; nf=1; fi
        if [ $rc -ne 0 ] && [ $nf -eq 0 ]; then nf=1; fi
        passed=$((passed + checks - nf))
        failed=$((failed + nf))
        if [ $nf -ne 0 ]; then
            failures="$failures $tag$name"
            echo "FAIL unit $tag$name"
            sed 's/^/    /' "$log/$name.out" | grep -v ':P:' | tail -n 40
        else
            echo "ok   unit $tag$name ($checks cases)"
        fi
    done
}

run_e2e() {
    for t in "$top"/tests/e2e/*.sh; do
        [ -f "$t" ] || continue
        name=$(basename "$t" .sh)
        if [ "$first" = no ] && grep -q '^# run-once$' "$t"; then
            continue
        fi
        start=$(date +%s)
        if sh "$t" > "$log/$name.out" 2>&1; then
            passed=$((passed + 1))
            echo "ok   e2e  $tag$name ($(( $(date +%s) - start ))s)"
        else
            failed=$((failed + 1))
            failures="$failures $tag$name"
            echo "FAIL e2e  $tag$name"
            sed 's/^/    /' "$log/$name.out" | tail -n 40
        fi
    done
}

for BUILD in "$@"; do
    case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
    export NS_BUILD=$BUILD
    tag=""
    [ $# -gt 1 ] || [ "$tagged" = yes ] && tag="$(basename "$BUILD")/"
    case $mode in
        unit|valgrind) run_unit ;;
        e2e) run_e2e ;;
        all) run_unit; run_e2e ;;
    esac
    first=no
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
