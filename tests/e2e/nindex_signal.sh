#!/bin/sh
# nindex_signal.sh: SIGINT or SIGTERM (Ctrl-C) during a run: nindex finishes
# the file at hand, commits, prints the summary of what it did and exits 130,
# and the next run does the rest.
# Incremental run (the database exists): everything it counted is in the
# database. Bulk build (a new database): the database is not created yet,
# everything it counted is in the shards of DB.nindex-tmp, and the next run
# resumes from them.
. "$NS_TOP/tests/e2e/nindex_common"
N=3000
P=4
mkdir -p "$tmp/prev"
i=1
while [ $i -le $P ]; do
    printf -- '---\ntitle: Previous %d\ndate: 2020-01-0%d\n---\nOlder.\n' $i $i > "$tmp/prev/p$i.md"
    i=$((i + 1))
done

mkdir -p "$tmp/gen"
(cd "$tmp/gen" && awk -v n=$N 'BEGIN {
    for (i = 1; i <= n; i++) {
        f = sprintf("s%04d.md", i)
        printf "---\ntitle: Signal article %d\ndate: 2020-10-%02d\n---\n", i, i % 28 + 1 > f
        for (p = 0; p < 6; p++)
            printf "Paragraph %d of article %d: some words to analyse and index, word%d.\n\n", p, i, i > f
        close(f)
    } }')

# interrupt MODE SIG: MODE bulk (new database) or incr (existing database)
interrupt() {
    mode=$1 sig=$2
    base=0
    [ $mode = incr ] && base=$P
    caught=
    for attempt in 1 2 3 4 5; do
        rm -rf "$db" "$db.nindex-tmp"
        [ $mode = incr ] && "$nindex" --db "$db" "$tmp/prev" > /dev/null 2>&1
        "$nindex" --db "$db" --batch 100 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
        pid=$!
        while kill -0 "$pid" 2> /dev/null; do
            if [ $mode = bulk ]; then c=$(shards_done); else c=$(($(doccount) - base)); fi
            if [ "$c" -gt 0 ]; then
                kill -s $sig "$pid" 2> /dev/null || true
                break
            fi
            sleep 0.02
        done
        wait_pid
        if [ $rc = 130 ]; then
            caught=1
            break
        fi
        [ $rc = 0 ] || fail "$mode SIG$sig: exit $rc: $(cat "$tmp/err")"
    done
    [ -n "$caught" ] || fail "$mode SIG$sig: could not interrupt a run in the middle"
    sum=$(tail -n 1 "$tmp/out")
    added=$(printf '%s\n' "$sum" | sed -n 's/^added \([0-9]*\), updated 0, unchanged 0, removed 0, failed 0$/\1/p')
    [ -n "$added" ] || fail "$mode SIG$sig: summary '$sum'"
    [ "$added" -lt $N ] || fail "$mode SIG$sig: nothing was left undone"
    grep -q '^nindex: interrupted' "$tmp/err" || fail "$mode SIG$sig: no interruption notice"
    if [ $mode = bulk ]; then
        # all it counted was committed to the shards (not only whole
        # batches); the database does not exist yet
        grep -qF "nindex: interrupted; the database is unchanged, the work done so far is kept in '$db.nindex-tmp'" "$tmp/err" ||
            fail "bulk SIG$sig: notice: $(cat "$tmp/err")"
        [ ! -e "$db" ] || fail "bulk SIG$sig: a database was created"
        [ "$(shards_done)" = "$added" ] || fail "bulk SIG$sig: shards hold $(shards_done), summary said $added"
        for d in "$db.nindex-tmp"/shard-*; do
            xapian-check "$d" > /dev/null 2>&1 || fail "bulk SIG$sig: xapian-check $d"
        done
    else
        # all it counted was committed (not only whole batches)
        [ "$(doccount)" = $((base + added)) ] || fail "incr SIG$sig: doccount $(doccount), summary said $added"
        xapian-check "$db" > /dev/null 2>&1 || fail "incr SIG$sig: xapian-check"
    fi
    "$nindex" --db "$db" "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "$mode SIG$sig: resume exit $?"
    [ "$(tail -n 1 "$tmp/out")" = "added $((N - added)), updated 0, unchanged $added, removed 0, failed 0" ] ||
        fail "$mode SIG$sig: resume: $(tail -n 1 "$tmp/out")"
    [ "$(doccount)" = $((N + base)) ] || fail "$mode SIG$sig: doccount after resume"
    [ ! -e "$db.nindex-tmp" ] || fail "$mode SIG$sig: temporary directory left behind"
    xapian-check "$db" > /dev/null 2>&1 || fail "$mode SIG$sig: xapian-check after resume"
    xapian-delve -1 -v -A Q "$db" | sed 1d | awk '$2 != 1 { bad = 1 } END { exit bad }' ||
        fail "$mode SIG$sig: ids not unique after resume"
}
for sig in TERM INT; do
    interrupt bulk $sig
    interrupt incr $sig
done
echo ok
