#!/bin/sh
# run.sh [--unit|--e2e|--valgrind] BUILD: run the test suites against the
# programs in BUILD and end with one line "N passed, N failed".
# Unit tests are Check programs (BUILD/tests/test_*); each counts as one test
# per Check case, read from its summary line. End-to-end tests are the shell
# scripts tests/e2e/*.sh, one feature each; each counts as one test.
set -u
mode=all
case ${1:-} in --unit|--e2e|--valgrind) mode=${1#--}; shift ;; esac
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
export NS_BUILD=$BUILD NS_TOP=$top
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
            failures="$failures $name"
            echo "FAIL unit $name"
            sed 's/^/    /' "$log/$name.out" | grep -v ':P:' | tail -n 40
        else
            echo "ok   unit $name ($checks cases)"
        fi
    done
}

run_e2e() {
    for t in "$top"/tests/e2e/*.sh; do
        [ -f "$t" ] || continue
        name=$(basename "$t" .sh)
        start=$(date +%s)
        if sh "$t" > "$log/$name.out" 2>&1; then
            passed=$((passed + 1))
            echo "ok   e2e  $name ($(( $(date +%s) - start ))s)"
        else
            failed=$((failed + 1))
            failures="$failures $name"
            echo "FAIL e2e  $name"
            sed 's/^/    /' "$log/$name.out" | tail -n 40
        fi
    done
}

case $mode in
    unit|valgrind) run_unit ;;
    e2e) run_e2e ;;
    all) run_unit; run_e2e ;;
esac
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
