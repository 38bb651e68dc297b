#!/bin/sh
# nindex_signal.sh: SIGINT or SIGTERM (Ctrl-C) during a run: nindex finishes
# the file at hand, commits, prints the summary of what it did and exits 130;
# everything it counted is in the database, and the next run does the rest.
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
nindex=$NS_BUILD/nindex
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nindex-sig.XXXXXX")
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; exit 1; }
db=$tmp/db
N=3000
doccount() { xapian-delve "$db" 2> /dev/null | sed -n 's/^number of documents = //p'; }

mkdir -p "$tmp/gen"
(cd "$tmp/gen" && awk -v n=$N 'BEGIN {
    for (i = 1; i <= n; i++) {
        f = sprintf("s%04d.md", i)
        printf "---\ntitle: Signal article %d\ndate: 2020-10-%02d\n---\n", i, i % 28 + 1 > f
        for (p = 0; p < 6; p++)
            printf "Paragraph %d of article %d: some words to analyse and index, word%d.\n\n", p, i, i > f
        close(f)
    } }')

for sig in TERM INT; do
    caught=
    for attempt in 1 2 3 4 5; do
        rm -rf "$db"
        "$nindex" --db "$db" --batch 100 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
        pid=$!
        while kill -0 "$pid" 2> /dev/null; do
            c=$(doccount)
            if [ -n "$c" ] && [ "$c" -gt 0 ]; then
                kill -s $sig "$pid" 2> /dev/null || true
                break
            fi
            sleep 0.02
        done
        set +e
        wait "$pid"
        rc=$?
        set -e
        pid=
        if [ $rc = 130 ]; then
            caught=1
            break
        fi
        [ $rc = 0 ] || fail "SIG$sig: exit $rc: $(cat "$tmp/err")"
    done
    [ -n "$caught" ] || fail "SIG$sig: could not interrupt a run in the middle"
    sum=$(tail -n 1 "$tmp/out")
    added=$(printf '%s\n' "$sum" | sed -n 's/^added \([0-9]*\), updated 0, unchanged 0, removed 0, failed 0$/\1/p')
    [ -n "$added" ] || fail "SIG$sig: summary '$sum'"
    [ "$added" -lt $N ] || fail "SIG$sig: nothing was left undone"
    grep -q '^nindex: interrupted' "$tmp/err" || fail "SIG$sig: no interruption notice"
    # all it counted was committed (not only whole batches)
    [ "$(doccount)" = "$added" ] || fail "SIG$sig: doccount $(doccount), summary said $added"
    xapian-check "$db" > /dev/null 2>&1 || fail "SIG$sig: xapian-check"
    "$nindex" --db "$db" "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "SIG$sig: resume exit $?"
    [ "$(tail -n 1 "$tmp/out")" = "added $((N - added)), updated 0, unchanged $added, removed 0, failed 0" ] ||
        fail "SIG$sig: resume: $(tail -n 1 "$tmp/out")"
    [ "$(doccount)" = $N ] || fail "SIG$sig: doccount after resume"
done
echo ok
