#!/bin/sh
# run.sh: `make test-long`, the long forms of the hardening tests (tests/e2e/hard_*.sh
# with bigger numbers): 50 kill -9 during indexing of 5000 articles, the lock
# test on 8000 articles, 60 s of load while re-indexing, and the fault and
# hostile-HTTP tests. Needs NS_BUILD and NS_TOP (the Makefile sets them).
# Long fuzzing is separate: make fuzz FUZZ_SECONDS=600.
set -u
: "${NS_BUILD:?}" "${NS_TOP:?}"
e2e=$NS_TOP/tests/e2e
failed=0
run() { # NAME ENV... : one long test
    name=$1; shift
    start=$(date +%s)
    if env "$@" sh "$e2e/$name.sh" > "${TMPDIR:-/tmp}/nsearch-long-$name.log" 2>&1; then
        echo "ok   long $name ($(( $(date +%s) - start ))s): $(tail -n 1 "${TMPDIR:-/tmp}/nsearch-long-$name.log")"
    else
        failed=$((failed + 1))
        echo "FAIL long $name ($(( $(date +%s) - start ))s)"
        tail -n 20 "${TMPDIR:-/tmp}/nsearch-long-$name.log" | sed 's/^/    /'
    fi
}
run hard_kill9 HARD_KILLS=50 HARD_ARTICLES=5000
run hard_lock HARD_ARTICLES=8000
run hard_load HARD_LOAD_SECONDS=60
run hard_faults
run hard_hostile
[ $failed -eq 0 ]
