#!/bin/sh
# nindex_interrupt.sh: kill -9 in the middle of a large run (3000 generated
# articles, --batch 200).
# (a) A bulk build (new database, or --rebuild) builds beside the database:
#     killed, it leaves no database or the previous one, which xapian-check
#     passes; the next run builds all 3000 exactly once.
# (b) An incremental run into an existing database is left at its last
#     commit (whole batches), which xapian-check passes; the next run
#     completes the work, and the database holds every article exactly once.
. "$NS_TOP/tests/e2e/nindex_common"
N=3000
P=5

mkdir -p "$tmp/gen/a" "$tmp/gen/b" "$tmp/prev"
(cd "$tmp/gen" && awk -v n=$N 'BEGIN {
    for (i = 1; i <= n; i++) {
        f = sprintf("%s/g%04d.md", i % 2 ? "a" : "b", i)
        printf "---\ntitle: Generated article %d\ndate: 2020-%02d-%02d\n---\n", i, i % 12 + 1, i % 28 + 1 > f
        for (p = 0; p < 6; p++)
            printf "Paragraph %d of article %d names Yandex and OpenAI, word%d and more words to index.\n\n", p, i, i > f
        close(f)
    } }')
[ "$(find "$tmp/gen" -name '*.md' | wc -l)" = $N ] || fail "generation"
i=1
while [ $i -le $P ]; do
    printf -- '---\ntitle: Previous article %d\ndate: 2020-01-0%d\n---\nAn older article.\n' $i $i > "$tmp/prev/p$i.md"
    i=$((i + 1))
done

# The whole database holds each of the n generated articles exactly once.
check_complete() { # check_complete N_DOCS WHAT
    [ "$(doccount)" = "$1" ] || fail "$2: doccount $(doccount), want $1"
    xapian-delve -1 -v -A Q "$db" | sed 1d > "$tmp/q"
    [ "$(wc -l < "$tmp/q")" = "$1" ] || fail "$2: $(wc -l < "$tmp/q") id terms, want $1"
    bad=$(awk '$2 != 1' "$tmp/q" | head -n 3)
    [ -z "$bad" ] || fail "$2: ids not unique: $bad"
    xapian-check "$db" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "$2: xapian-check"; }
}

# kill9_over COUNT MIN: kill -9 the background nindex $pid once COUNT (a
# command printing a number) prints more than MIN, unless it ends first
kill9_over() {
    while kill -0 "$pid" 2> /dev/null; do
        c=$($1)
        if [ -n "$c" ] && [ "$c" -gt "$2" ]; then
            kill -9 "$pid" 2> /dev/null || true
            break
        fi
        sleep 0.02
    done
    wait "$pid" 2> /dev/null || true
    pid=
}

# ---- (a) bulk builds: kill -9 once a shard has committed, before the swap
kill_bulk() { # kill_bulk ARGS...: sets caught (documents committed in shards)
    caught=
    for attempt in 1 2 3 4 5; do
        "$nindex" --db "$db" --batch 200 "$@" "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
        pid=$!
        kill9_over shards_done 0
        c=$(shards_done)
        if [ "$c" -gt 0 ] && [ "$c" -lt $N ] && [ -d "$db.nindex-tmp" ]; then
            caught=$c
            return 0
        fi
        # too quick: the build completed; start again from the same state
        rm -rf "$db" "$db.nindex-tmp"
        [ $# = 0 ] || "$nindex" --db "$db" "$tmp/prev" > /dev/null 2>&1
    done
    fail "could not interrupt a bulk run in the middle"
}

# a new database: none is left behind
kill_bulk
[ ! -e "$db" ] || fail "killed first build left a database behind"
"$nindex" --db "$db" --batch 200 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "first build after kill: exit $?"
[ "$(tail -n 1 "$tmp/out")" = "added $N, updated 0, unchanged 0, removed 0, failed 0" ] ||
    fail "first build after kill: $(tail -n 1 "$tmp/out")"
[ ! -e "$db.nindex-tmp" ] || fail "temporary directory left behind"
check_complete $N "first build after kill"
bulk1=$caught

# --rebuild of an existing database: the previous one stays, whole
rm -rf "$db"
"$nindex" --db "$db" "$tmp/prev" > /dev/null 2>&1 || fail "indexing the previous articles"
kill_bulk --rebuild
bulk2=$caught
[ "$(doccount)" = $P ] || fail "killed rebuild: doccount $(doccount), want the previous $P"
xapian-check "$db" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "xapian-check after a killed rebuild"; }
"$nindex" --db "$db" --batch 200 --rebuild "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "rebuild after kill: exit $?"
[ "$(tail -n 1 "$tmp/out")" = "added $N, updated 0, unchanged 0, removed 0, failed 0" ] ||
    fail "rebuild after kill: $(tail -n 1 "$tmp/out")"
check_complete $N "rebuild after kill"
"$nindex" --db "$db" "$tmp/gen" > "$tmp/out" 2>&1 || fail "run after the rebuild"
[ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged $N, removed 0, failed 0" ] ||
    fail "run after the rebuild: $(tail -n 1 "$tmp/out")"

# ---- (b) an incremental run into an existing database: kill -9 after its
# first commit and before the last; retry from the same state if too quick.
caught=
for attempt in 1 2 3 4 5; do
    rm -rf "$db"
    "$nindex" --db "$db" "$tmp/prev" > /dev/null 2>&1 || fail "indexing the previous articles"
    "$nindex" --db "$db" --batch 200 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    kill9_over doccount $P
    c=$(doccount)
    if [ -n "$c" ] && [ "$c" -gt $P ] && [ "$c" -lt $((N + P)) ]; then
        caught=$((c - P))
        break
    fi
done
[ -n "$caught" ] || fail "could not interrupt an incremental run in the middle"
# the database is at a commit: whole batches only, consistent
[ $((caught % 200)) = 0 ] || fail "$caught new documents is not a whole number of batches"
xapian-check "$db" > "$tmp/check" 2>&1 || { cat "$tmp/check"; fail "xapian-check after kill -9"; }

# the next run does the rest
"$nindex" --db "$db" --batch 200 "$tmp/gen" > "$tmp/out" 2> "$tmp/err" || fail "resume exit $?"
[ "$(tail -n 1 "$tmp/out")" = "added $((N - caught)), updated 0, unchanged $caught, removed 0, failed 0" ] ||
    fail "resume summary: $(tail -n 1 "$tmp/out") (killed at $caught)"
check_complete $((N + P)) "incremental resume"
"$nindex" --db "$db" "$tmp/gen" > "$tmp/out" 2>&1 || fail "third run"
[ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged $N, removed 0, failed 0" ] ||
    fail "third run: $(tail -n 1 "$tmp/out")"
echo "ok (killed: build at $bulk1, rebuild at $bulk2, incremental at $caught)"
