#!/bin/sh
# nindex_cli.sh: the command line: --help, --version, exit status 2 when
# nothing can be done (bad option, no PATH, a PATH that does not exist, a
# database another writer holds, a database that is not one), quiet stderr
# when not a terminal.
. "$NS_TOP/tests/e2e/nindex_common"
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }
# status WANT ARGS...: nindex ARGS must exit WANT
status() {
    want=$1; shift
    set +e
    "$nindex" "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    [ "$rc" = "$want" ] || fail "nindex $*: exit $rc, want $want"
}
mkdir -p "$tmp/c"
printf -- '---\ntitle: T\ndate: 2020-10-05\n---\nbody\n' > "$tmp/c/a.md"

status 0 --help
grep -q '^usage: nindex \[--db PATH\] \[--rebuild\] \[--batch N\] \[--jobs N\] \[--shards N\] \[--follow-symlinks\] \[--watch\] PATH' "$tmp/out" || fail "--help usage"
grep -q 'added N, updated N, unchanged N, removed N, failed N' "$tmp/out" || fail "--help summary"
grep -q 'NSEARCH_DB' "$tmp/out" || fail "--help environment"
grep -q 'exit status' "$tmp/out" || fail "--help exit status"
status 0 --version
grep -qx 'nindex [0-9][0-9.]*' "$tmp/out" || fail "--version: $(cat "$tmp/out")"

status 2 --db "$tmp/db"
grep -q '^nindex: no PATH given' "$tmp/err" || fail "no PATH message"
status 2 --frobnicate "$tmp/c"
grep -qF "nindex: unknown option '--frobnicate'" "$tmp/err" || fail "bad option message"
status 2 "$tmp/c" --db
grep -qF "nindex: option '--db' needs a value" "$tmp/err" || fail "missing value message"
# option names are exact and a value may not look like an option (issue 13:
# getopt took --reb for --rebuild, and --db --rebuild made a database named
# "--rebuild"); nothing is created
status 2 --reb --db "$tmp/db" "$tmp/c"
grep -qF "nindex: unknown option '--reb' (did you mean --rebuild?)" "$tmp/err" || fail "--reb"
status 2 --d "$tmp/db" "$tmp/c"
grep -qF "nindex: unknown option '--d' (did you mean --db?)" "$tmp/err" || fail "--d"
(cd "$tmp" && status 2 --db --rebuild c)
grep -qF "nindex: option '--db' needs a value, and '--rebuild' looks like an option" "$tmp/err" ||
    fail "--db --rebuild"
status 2 --rebuild=yes --db "$tmp/db" "$tmp/c"
grep -qF "nindex: option '--rebuild' takes no value" "$tmp/err" || fail "--rebuild=yes"
status 2 -x --db "$tmp/db" "$tmp/c"
grep -qF "nindex: unknown option '-x'" "$tmp/err" || fail "-x"
[ ! -e "$tmp/db" ] && [ ! -e "$tmp/--rebuild" ] || fail "a database was created by a bad command line"
status 2 --batch 0 "$tmp/c"
grep -qF "nindex: --batch: '0' is not a number" "$tmp/err" || fail "--batch 0"
status 2 --batch x "$tmp/c"
status 2 --jobs 0 "$tmp/c"
grep -qF "nindex: --jobs: '0' is not a number" "$tmp/err" || fail "--jobs 0"
status 2 --jobs 999 "$tmp/c"
status 2 --db "$tmp/db" "$tmp/c" "$tmp/missing"
grep -qF "nindex: '$tmp/missing': No such file or directory" "$tmp/err" || fail "missing PATH message"
[ ! -e "$tmp/db" ] || fail "a database was created although nothing could be done"
printf 'not a database\n' > "$tmp/notdb"
status 2 --db "$tmp/notdb" "$tmp/c"
grep -qxF "nindex: '$tmp/notdb' is not an nsearch database: it is a regular file" "$tmp/err" ||
    fail "not a database message"
[ "$(cat "$tmp/notdb")" = "not a database" ] || fail "the file given as --db changed"

# good run: stderr is empty when it is not a terminal (no progress line)
status 0 --db "$tmp/db" "$tmp/c"
[ ! -s "$tmp/err" ] || fail "stderr not quiet"
[ "$(cat "$tmp/out")" = "added 1, updated 0, unchanged 0, removed 0, failed 0" ] || fail "stdout: $(cat "$tmp/out")"

# a second writer while the first holds the lock: the first one is kept
# blocked writing its error lines to a pipe nobody reads
mkdir -p "$tmp/many"
i=0
while [ $i -lt 3000 ]; do : > "$tmp/many/empty-file-with-a-long-name-$i.md"; i=$((i + 1)); done
mkfifo "$tmp/pipe"
# A second writer is refused while a first one holds the database: an
# incremental run, a rebuild (bulk mode, building beside the database) and
# the first run on a database that does not exist yet. The first writer is
# held still by a stderr pipe that nobody reads.
locktest() { # locktest BULK(0|1) DB ARGS...
    bulk=$1 d=$2; shift 2
    "$nindex" --db "$d" "$@" "$tmp/many" > /dev/null 2> "$tmp/pipe" &
    pid=$!
    exec 3< "$tmp/pipe"
    # wait until the first run has the database (bulk: its lock and shards)
    # open, else a second run started before it would win the lock instead
    want=$d/
    [ $bulk = 1 ] && want=$d.nindex-tmp/shard-
    t=0
    while ! ls -l /proc/$pid/fd 2> /dev/null | grep -qF -- "-> $want" && [ $t -lt 200 ]; do
        sleep 0.05
        t=$((t + 1))
    done
    locked=
    for t in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        set +e
        "$nindex" --db "$d" "$tmp/c" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        set -e
        if [ $rc = 2 ] && grep -qxF "nindex: database '$d' is locked by another writer" "$tmp/err"; then
            locked=1
            break
        fi
        sleep 0.1
    done
    kill -9 "$pid" 2> /dev/null || true
    exec 3<&-
    wait "$pid" 2> /dev/null || true
    pid=
    [ -n "$locked" ] || fail "second writer not refused (exit $rc, db $d $*)"
}
locktest 0 "$tmp/db"
locktest 1 "$tmp/db" --rebuild
# the killed rebuild left the database as it was
[ "$(xapian-delve "$tmp/db" | sed -n 's/^number of documents = //p')" = 1 ] || fail "rebuild killed: database changed"
locktest 1 "$tmp/newdb"
[ ! -e "$tmp/newdb" ] || fail "killed first build left a database behind"
status 0 --db "$tmp/newdb" "$tmp/c"
[ "$(cat "$tmp/out")" = "added 1, updated 0, unchanged 0, removed 0, failed 0" ] || fail "after kill: $(cat "$tmp/out")"
[ ! -e "$tmp/newdb.nindex-tmp" ] || fail "temporary directory left behind"

# NINDEX_ROTATE (files per shard database in a new build): a bad value is
# refused, naming it; a build rotating every 3 files answers every query as
# one that does not (the same documents, in the same order, the same scores)
for v in 0 x -1 100000001; do
    set +e
    NINDEX_ROTATE=$v "$nindex" --db "$tmp/rdb" "$tmp/c" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    [ "$rc" = 2 ] || fail "NINDEX_ROTATE=$v: exit $rc, want 2"
    grep -qF "nindex: NINDEX_ROTATE: '$v' is not a number from 1 to 100000000" "$tmp/err" || fail "NINDEX_ROTATE=$v message"
    [ ! -e "$tmp/rdb" ] || fail "NINDEX_ROTATE=$v: a database was made"
done
mkdir -p "$tmp/r"
i=0
while [ $i -lt 40 ]; do
    printf -- '---\ntitle: Article %d on models\ndate: 2020-%02d-10\nvendors: [%s]\n---\nModels number %d and word%d, word%d.\n' \
        $i $((i % 12 + 1)) "$([ $((i % 3)) = 0 ] && echo OpenAI || echo Yandex)" $i $((i % 7)) $((i % 5)) > "$tmp/r/a$i.md"
    i=$((i + 1))
done
status 0 --db "$tmp/r1" --jobs 2 "$tmp/r"
NINDEX_ROTATE=3 "$nindex" --db "$tmp/r3" --jobs 2 "$tmp/r" > "$tmp/out" 2> "$tmp/err" || fail "rotated build: exit $?"
[ "$(cat "$tmp/out")" = "added 40, updated 0, unchanged 0, removed 0, failed 0" ] || fail "rotated build: $(cat "$tmp/out")"
[ ! -e "$tmp/r3.nindex-tmp" ] || fail "rotated build: temporary directory left behind"
for q in models word3 'word1 OR word4' '"models number"' 'mod*' 'vendor:OpenAI'; do
    "$nsearch" --db "$tmp/r1" --json --facets --limit 50 "$q" | sed 's/"took_ms":[0-9.]*//' > "$tmp/a1"
    "$nsearch" --db "$tmp/r3" --json --facets --limit 50 "$q" | sed 's/"took_ms":[0-9.]*//' > "$tmp/a3"
    cmp -s "$tmp/a1" "$tmp/a3" || { diff "$tmp/a1" "$tmp/a3" | head -n 5; fail "rotated build answers '$q' differently"; }
done
echo ok
