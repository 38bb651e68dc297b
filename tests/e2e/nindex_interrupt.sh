#!/bin/sh
# nindex_interrupt.sh: kill -9 in the middle of a large run (3000 generated
# articles, --batch 200) leaves a database at its last commit that
# xapian-check passes; the next run completes the work, and the database then
# holds every article exactly once.
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
nindex=$NS_BUILD/nindex
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nindex-kill.XXXXXX")
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

mkdir -p "$tmp/gen/a" "$tmp/gen/b"
(cd "$tmp/gen" && awk -v n=$N 'BEGIN {
    for (i = 1; i <= n; i++) {
        f = sprintf("%s/g%04d.md", i % 2 ? "a" : "b", i)
        printf "---\ntitle: Generated article %d\ndate: 2020-%02d-%02d\n---\n", i, i % 12 + 1, i % 28 + 1 > f
        for (p = 0; p < 6; p++)
            printf "Paragraph %d of article %d names Yandex and OpenAI, word%d and more words to index.\n\n", p, i, i > f
        close(f)
    } }')
[ "$(find "$tmp/gen" -name '*.md' | wc -l)" = $N ] || fail "generation"

# Kill once the first batch is committed and before the last; retry with a
# fresh database if the run was too quick to catch in the middle.
caught=
for attempt in 1 2 3 4 5; do
    rm -rf "$db"
    "$nindex" --db "$db" --batch 200 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    while kill -0 "$pid" 2> /dev/null; do
        c=$(doccount)
        if [ -n "$c" ] && [ "$c" -gt 0 ]; then
            kill -9 "$pid" 2> /dev/null || true
            break
        fi
        sleep 0.02
    done
    wait "$pid" 2> /dev/null || true
    pid=
    c=$(doccount)
    if [ -n "$c" ] && [ "$c" -gt 0 ] && [ "$c" -lt $N ]; then
        caught=$c
        break
    fi
done
[ -n "$caught" ] || fail "could not interrupt a run in the middle"
# the database is at a commit: whole batches only, consistent
[ $((caught % 200)) = 0 ] || fail "doccount $caught is not a whole number of batches"
xapian-check "$db" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "xapian-check after kill -9"; }

# the next run does the rest
"$nindex" --db "$db" --batch 200 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "resume exit $?"
[ "$(tail -n 1 "$tmp/out")" = "added $((N - caught)), updated 0, unchanged $caught, removed 0, failed 0" ] ||
    fail "resume summary: $(tail -n 1 "$tmp/out") (killed at $caught)"
[ "$(doccount)" = $N ] || fail "doccount $(doccount), want $N"
xapian-delve -1 -v -A Q "$db" | sed 1d > "$tmp/q"
[ "$(wc -l < "$tmp/q")" = $N ] || fail "$(wc -l < "$tmp/q") id terms, want $N"
bad=$(awk '$2 != 1' "$tmp/q" | head -n 3)
[ -z "$bad" ] || fail "ids not unique: $bad"
xapian-check "$db" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "xapian-check after resume"; }
"$nindex" --db "$db" "$tmp/gen" > "$tmp/out" 2>&1 || fail "third run"
[ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged $N, removed 0, failed 0" ] ||
    fail "third run: $(tail -n 1 "$tmp/out")"
echo "ok (killed at $caught)"
