#!/bin/sh
# hard_kill9.sh: kill -9 at random moments of large indexing runs, both
# incremental runs (which commit every --batch files) and --rebuild runs (which
# build a fresh database and swap it in at the end). After each kill:
# xapian-check passes, every article committed before is still there (a killed
# rebuild leaves the previous database whole), none is duplicated (documents =
# distinct ids), nsearch counts them all; the next run resumes, and a last run
# completes the set and leaves no temporary directory behind.
# HARD_KILLS kills (5 here, 50 in make test-long), HARD_ARTICLES articles (3000).
. "$(dirname "$0")/hard_common"
kills=${HARD_KILLS:-5}
N=${HARD_ARTICLES:-3000}
db=$tmp/db
gen "$tmp/gen" "$N" kill
# gen/part0 (100 articles) is the starting database, so runs have committed
# work to lose; gen/rest is moved aside to reset, keeping one root and its ids
mkdir -p "$tmp/gen/part0" "$tmp/gen/rest" "$tmp/aside"
ls "$tmp/gen" | grep '\.md$' | head -n 100 | sed "s|^|$tmp/gen/|" | xargs mv -t "$tmp/gen/part0"
ls "$tmp/gen" | grep '\.md$' | sed "s|^|$tmp/gen/|" | xargs mv -t "$tmp/gen/rest"
reset_db() {
    mv "$tmp/gen/rest" "$tmp/aside/"
    "$nindex" --db "$db" --rebuild "$tmp/gen" > /dev/null 2> "$tmp/err" || fail "reset: $(cat "$tmp/err")"
    mv "$tmp/aside/rest" "$tmp/gen/"
    idterms "$db" > "$tmp/prev"
}
reset_db
seed=$$
done_kills=0 completed=0 attempt=0 rebuilds=0
while [ $done_kills -lt "$kills" ]; do
    attempt=$((attempt + 1))
    [ $attempt -le $((kills * 4)) ] || fail "only $done_kills of $kills kills landed in $attempt runs"
    # start over when the set is complete, so every kill lands in real work
    [ "$(doccount "$db")" = "$N" ] && reset_db
    mode=
    [ $((attempt % 3)) = 0 ] && mode=--rebuild && rebuilds=$((rebuilds + 1))
    delay=$(awk -v s=$((seed + attempt)) 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * 1.2 }')
    "$nindex" --db "$db" $mode --batch 40 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    bg_pids=$pid
    sleep "$delay"
    if kill -9 "$pid" 2> /dev/null; then
        wait "$pid" 2> /dev/null || true
        done_kills=$((done_kills + 1))
        what="${mode:-incremental} run killed after ${delay}s"
    else
        set +e; wait "$pid"; rc=$?; set -e
        [ $rc -eq 0 ] || fail "run $attempt exited $rc: $(cat "$tmp/err")"
        completed=$((completed + 1))
        what="${mode:-incremental} run completed before ${delay}s"
    fi
    bg_pids=
    xapian-check "$db" > "$tmp/check" 2>&1 || fail "$what: xapian-check: $(tail -n 5 "$tmp/check")"
    idterms "$db" > "$tmp/now"
    count=$(doccount "$db")
    [ "$count" = "$(wc -l < "$tmp/now")" ] || fail "$what: $count documents but $(wc -l < "$tmp/now") ids"
    [ "$(uniq -d "$tmp/now" | wc -l)" = 0 ] || fail "$what: duplicated ids"
    lost=$(comm -23 "$tmp/prev" "$tmp/now" | head -n 3)
    [ -z "$lost" ] || fail "$what: committed articles lost: $lost"
    t=$("$nsearch" --db "$db" --json -n 0 'month:2020-01..2020-12' | jq -r .total)
    [ "$t" = "$count" ] || fail "$what: nsearch finds $t of $count"
    cp "$tmp/now" "$tmp/prev"
done
run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$db" "$tmp/gen"
[ $rc -eq 0 ] || fail "final run exited $rc: $(cat "$tmp/err")"
have=$(wc -l < "$tmp/prev")
[ "$(tail -n 1 "$tmp/out")" = "added $((N - have)), updated 0, unchanged $have, removed 0, failed 0" ] ||
    fail "final run: $(tail -n 1 "$tmp/out") (had $have)"
[ "$(doccount "$db")" = "$N" ] || fail "final doccount $(doccount "$db")"
xapian-check "$db" > /dev/null 2>&1 || fail "final xapian-check"
idterms "$db" > "$tmp/prev"
# a rebuild (resuming from any shards a killed rebuild left) gives the same set
# and cleans up after itself
run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$db" --rebuild "$tmp/gen"
[ $rc -eq 0 ] || fail "final rebuild exited $rc: $(cat "$tmp/err")"
idterms "$db" > "$tmp/now"
cmp -s "$tmp/prev" "$tmp/now" || fail "final rebuild: ids differ: $(diff "$tmp/prev" "$tmp/now" | head -n 4)"
[ "$(doccount "$db")" = "$N" ] || fail "final rebuild: doccount $(doccount "$db")"
left=$(ls -A "$tmp" | grep -v '^\(db\|gen\|aside\|prev\|now\|out\|err\|check\)$' || true)
[ -z "$left" ] || fail "left behind next to the database: $left"
echo "ok: $done_kills kills ($rebuilds rebuild runs), $completed complete runs, $N articles"
