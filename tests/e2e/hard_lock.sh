#!/bin/sh
# hard_lock.sh: two nindex at once on one database. While a long run holds the
# writer lock, a second nindex (incremental or --rebuild) refuses with a
# message naming the lock and exit 2, and touches nothing; nsearch keeps
# answering meanwhile; the first run completes a consistent database.
. "$(dirname "$0")/hard_common"
N=${HARD_ARTICLES:-4000}
db=$tmp/db
gen "$tmp/big" "$N" lock
cp -R "$NS_TOP/corpus" "$tmp/corpus"
"$nindex" --db "$db" "$tmp/corpus" > /dev/null || fail "indexing the corpus"
base=$(doccount "$db")
refusals=0
for attempt in 1 2 3 4 5 6; do
    "$nindex" --db "$db" --batch 100 "$tmp/big" "$tmp/corpus" > "$tmp/out1" 2> "$tmp/err1" &
    pid=$!
    bg_pids=$pid
    # wait until it holds the lock
    i=0
    until xapian-delve "$db" 2> /dev/null | grep -q 'currently open for writing = true'; do
        kill -0 "$pid" 2> /dev/null || break
        i=$((i + 1)); [ $i -lt 500 ] || fail "first nindex never took the lock"
        sleep 0.01
    done
    for second in "" --rebuild; do
        kill -0 "$pid" 2> /dev/null || break
        run_rc "$tmp/out2" "$tmp/err2" "$nindex" --db "$db" $second "$tmp/corpus"
        if kill -0 "$pid" 2> /dev/null; then
            signalled $rc && fail "second nindex $second: signal (exit $rc)"
            if [ $rc = 0 ]; then
                # allowed only if it waited for the lock (it did not: the first still runs)
                fail "second nindex $second ran while the first held the lock: $(tail -n 1 "$tmp/out2")"
            fi
            [ $rc = 2 ] || fail "second nindex $second: exit $rc, expected 2: $(cat "$tmp/err2")"
            grep -qi 'lock' "$tmp/err2" || fail "second nindex $second: message does not name the lock: $(cat "$tmp/err2")"
            refusals=$((refusals + 1))
        fi
        # readers are not blocked by the writer
        run_rc "$tmp/out3" "$tmp/err3" "$nsearch" --db "$db" openai
        [ $rc = 0 ] || fail "nsearch during indexing: exit $rc: $(cat "$tmp/err3")"
    done
    set +e; wait "$pid"; rc=$?; set -e
    bg_pids=
    [ $rc = 0 ] || fail "first nindex: exit $rc: $(cat "$tmp/err1")"
    xapian-check "$db" > "$tmp/check" 2>&1 || fail "xapian-check: $(tail -n 5 "$tmp/check")"
    [ "$(doccount "$db")" = $((N + base)) ] || fail "doccount $(doccount "$db"), expected $((N + base))"
    [ "$(idterms "$db" | uniq | wc -l)" = $((N + base)) ] || fail "ids do not match documents"
    [ $refusals -ge 2 ] && break
    # start over so the next attempt has work to do
    "$nindex" --db "$db" --rebuild "$tmp/corpus" > /dev/null || fail "rebuild"
done
[ $refusals -ge 2 ] || fail "the first run never held the lock long enough ($refusals refusals)"
echo "ok: $refusals refusals"
