#!/bin/sh
# nindex_watch.sh: `nindex --watch` keeps the database in step with the
# archive while it runs (issue #18). Each change (a file added, edited in
# place, saved by temp + rename, saved the way vim does, renamed, deleted; a
# folder created, moved in, moved out, deleted; a file in a folder outside
# that a link leads to, with --follow-symlinks) is searchable with nsearch
# within 1 s: each is polled for up to 5 s, and the time from the change to
# the commit that holds it is printed and must be under 1000 ms (see await).
# The polling searcher is one `nsearch --batch` fed through a FIFO (each of
# its searches sees the latest commit), so no search pays nsearch's start.
# Editors' other files (swap, backup, temporary) start no run, a burst of 40
# files is folded into a few commits, a burst that does not pause is
# committed while it goes on (at most 1 s late), files in a folder moved out are no
# longer followed, a bad file is reported once (not once per commit), a
# change made while another writer holds the database goes in when it lets
# go, SIGTERM indexes what was seen and exits 0 with everything committed, a
# PATH missing or removed ends it with exit 2, kill -9 in the middle of a
# burst is recovered by a normal run, and SIGTERM during the first run (a
# build) interrupts it as without --watch (exit 130, resumed by the next),
# and more changes during a run than the kernel queues make it say so and
# rescan.
. "$NS_TOP/tests/e2e/nindex_common"
searcher=
cleanup() {  # nindex_common's, and the searcher too
    [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null || true
    [ -n "$searcher" ] && kill "$searcher" 2> /dev/null || true
    rm -rf "$tmp"
}
fail() {
    echo "FAIL: $*"
    [ -f "$tmp/out" ] && sed 's/^/    nindex stdout: /' "$tmp/out"
    [ -f "$tmp/err" ] && sed 's/^/    nindex stderr: /' "$tmp/err"
    [ -f "$tmp/searcher.err" ] && sed 's/^/    searcher stderr: /' "$tmp/searcher.err"
    exit 1
}
arc=$tmp/archive
out=$tmp/outside
mkdir -p "$arc/en" "$arc/ru" "$out"
for f in $(ls "$NS_TOP"/corpus/en/*.md | sort | head -n 3) $(ls "$NS_TOP"/corpus/ru/*.md | sort | head -n 3); do
    cp "$f" "$arc/${f#"$NS_TOP"/corpus/}"
done

# art FILE WORD: an article whose body holds WORD
art() {
    printf -- '---\ntitle: Watched %s\ndate: 2024-05-17\nlang: en\n---\nThe %s appears in this article.\n' \
        "$2" "$2" > "$1"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
# searcher: one nsearch --batch, a query a line in, one JSON line out
searcher() {
    mkfifo "$tmp/q" "$tmp/a"
    "$nsearch" --db "$db" --batch --jobs 1 -n 50 < "$tmp/q" > "$tmp/a" 2> "$tmp/searcher.err" &
    searcher=$!
    exec 3> "$tmp/q" 4< "$tmp/a"
}
# total WORD: the number of articles with WORD
total() {
    printf '%s\n' "$1" >&3
    IFS= read -r ans <&4 || fail "the searcher is gone: $(cat "$tmp/searcher.err")"
    n=${ans#*'"total":'}
    n=${n%%,*}
    case $n in '' | *[!0-9]*) fail "search '$1': $ans" ;; esac
    echo "$n"
}
has() { [ "$(total "$1")" -gt 0 ]; }
hasnt() { [ "$(total "$1")" = 0 ]; }
# the paths of the articles with WORD (at most 50)
paths() {
    printf '%s\n' "$1" >&3
    IFS= read -r ans <&4 || fail "the searcher is gone: $(cat "$tmp/searcher.err")"
    printf '%s\n' "$ans" | grep -o '"path":"[^"]*"' | sort
}
runs() { wc -l < "$tmp/out"; }
# printed PATTERN: the last summary line matches PATTERN within 5 s. A run
# prints its summary after its commit, so a search can see a change before
# the line is there; a count of runs taken in between would be one short.
printed() {
    i=0
    until tail -n 1 "$tmp/out" | grep -q -- "$1"; do
        i=$((i + 1))
        [ $i -lt 250 ] || fail "no summary line matching '$1' after 5 s"
        sleep 0.02
    done
}
# await WHAT CHECK...: the change was made at $t0; CHECK must hold within 5 s.
# The latency is when the commit that holds the change landed (the
# modification time of the database's version file, iamglass, rewritten by
# every commit and by nothing else; a later commit only makes it larger): it
# must be under 1000 ms. The time until the polling search saw it is
# printed too; on a loaded machine it adds the searches' own delays.
await() {
    what=$1
    shift
    while :; do
        if "$@"; then
            seen=$(($(ms) - t0))
            c=$(stat -c %.3Y "$db/iamglass")
            lat=$((${c%.*}${c#*.} - t0))
            echo "$what: committed after $lat ms, seen by a search after $seen ms"
            [ $lat -ge 0 ] || fail "$what: true before the change"
            [ $lat -lt 1000 ] || fail "$what: $lat ms (1000 ms at most)"
            return 0
        fi
        [ $(($(ms) - t0)) -lt 5000 ] ||
            fail "$what: not searchable after 5 s (last commit $(stat -c %.3Y "$db/iamglass"), change $t0)"
        kill -0 "$pid" 2> /dev/null || fail "$what: nindex --watch is gone"
        sleep 0.02
    done
}
both() { "$1" "$2" && "$3" "$4"; }
# watching OUT ERR SECONDS DB ARGS...: nindex --db DB --watch ARGS in the
# background ($pid), until its first run's summary is in OUT. OUT is emptied
# here, not only by the redirection, which runs in the child: the loop could
# otherwise see an earlier run's lines and go on before nindex watches.
watching() {
    wout=$1 werr=$2 wsecs=$3 wdb=$4
    shift 4
    : > "$wout"
    "$nindex" --db "$wdb" --watch "$@" > "$wout" 2> "$werr" &
    pid=$!
    wt0=$(ms)
    until [ -s "$wout" ]; do
        kill -0 "$pid" 2> /dev/null || fail "nindex --watch ended at start: $(cat "$werr")"
        [ $(($(ms) - wt0)) -lt $((wsecs * 1000)) ] || fail "no first run in $wsecs s"
        sleep 0.02
    done
}
start() { watching "$tmp/out" "$tmp/err" 10 "$db" "$@"; }

# a link to a folder outside (followed with --follow-symlinks), and a loop
mkdir "$tmp/ext"
ln -s "$tmp/ext" "$arc/ext"
ln -s .. "$arc/en/loop"
start --follow-symlinks "$arc"
[ "$(cat "$tmp/out")" = "added 6, updated 0, unchanged 0, removed 0, failed 0" ] ||
    fail "first run: $(cat "$tmp/out")"
searcher

t0=$(ms); art "$arc/en/new.md" zebrafoo
await "added" has zebrafoo

t0=$(ms); art "$arc/en/new.md" quagga
await "edited in place" both has quagga hasnt zebrafoo

# temp + rename, as most editors and `sed -i` save
art "$arc/en/new.md.tmp" okapi
t0=$(ms); mv "$arc/en/new.md.tmp" "$arc/en/new.md"
await "saved by temp + rename" both has okapi hasnt quagga

# vim (backupcopy=no): a test file 4913, the old file renamed to a backup,
# the new one written, the backup deleted; and its swap file
: > "$arc/en/.new.md.swp"
t0=$(ms)
: > "$arc/en/4913"; rm "$arc/en/4913"
mv "$arc/en/new.md" "$arc/en/new.md~"
art "$arc/en/new.md" tapir
rm "$arc/en/new.md~"
await "saved as vim does" both has tapir hasnt okapi

# files the indexer does not read start no run
sleep 0.3
n=$(runs)
: > "$arc/en/notes.txt"; : > "$arc/en/.#new.md"; : > "$arc/en/draft.md~"
art "$arc/en/x.md.tmp" hyrax; rm "$arc/en/x.md.tmp"
sleep 0.5
[ "$(runs)" = "$n" ] || fail "files that are not articles started a run: $(tail -n 1 "$tmp/out")"
rm "$arc/en/.new.md.swp" "$arc/en/notes.txt" "$arc/en/.#new.md" "$arc/en/draft.md~"

t0=$(ms); mv "$arc/en/new.md" "$arc/en/renamed.md"
renamed() { [ "$(paths tapir)" = "\"path\":\"$arc/en/renamed.md\"" ]; }
await "renamed" renamed

t0=$(ms); rm "$arc/en/renamed.md"
await "deleted" hasnt tapir

# a folder moved in, then a file written in it
mkdir -p "$out/sub/deeper"
art "$out/sub/a.md" narwhal
art "$out/sub/deeper/b.md" narwhal
t0=$(ms); mv "$out/sub" "$arc/sub"
two() { [ "$(paths narwhal | wc -l)" = 2 ]; }
await "folder moved in" two
t0=$(ms); art "$arc/sub/deeper/c.md" axolotl
await "added in the folder moved in" has axolotl

# moved out: its articles go, and what is written there afterwards is not
# indexed
t0=$(ms); mv "$arc/sub" "$out/gone"
await "folder moved out" both hasnt narwhal hasnt axolotl
printed 'removed 3, failed 0$'
n=$(runs)
art "$out/gone/deeper/d.md" wombat
sleep 0.5
[ "$(runs)" = "$n" ] || fail "a folder moved out still starts runs"
hasnt wombat || fail "an article in a folder moved out was indexed"

# a new folder written at once, then deleted
t0=$(ms); mkdir -p "$arc/new/deep"; art "$arc/new/deep/k.md" kiwibird
await "folder created" has kiwibird
t0=$(ms); rm -r "$arc/new"
await "folder deleted" hasnt kiwibird
printed 'removed 1, failed 0$'

# a burst is folded into a few commits
n=$(runs)
i=1
while [ $i -le 40 ]; do
    art "$arc/ru/burst$i.md" burstword
    i=$((i + 1))
done
t0=$(ms)   # from the burst's last change
forty() { [ "$(paths burstword | wc -l)" = 40 ]; }
await "a burst of 40 files (from its end)" forty
sleep 0.3
commits=$(($(runs) - n))
echo "a burst of 40 files: $commits commit(s)"
[ $commits -ge 1 ] && [ $commits -le 4 ] || fail "40 files in $commits commits"
grep -q '^added [1-9][0-9]*, updated 0, unchanged [0-9]*, removed 0, failed 0$' "$tmp/out" ||
    fail "summary lines: $(cat "$tmp/out")"

# a folder outside that a link leads to is watched too (--follow-symlinks)
t0=$(ms); art "$tmp/ext/e.md" extword
await "added in a linked folder" has extword
t0=$(ms); rm "$tmp/ext/e.md"
await "deleted in a linked folder" hasnt extword

# a burst that does not pause (a file every 20 ms for 4 s) is not waited
# out: the watcher commits at most 1 s after the burst's first change
/usr/bin/python3 -c '
import sys, time
d = sys.argv[1]
for i in range(200):
    with open("%s/steady%03d.md" % (d, i), "w") as f:
        f.write("---\ntitle: Steady %d\ndate: 2024-05-17\n---\nThe steadyword%d appears.\n" % (i, i))
    written = time.time()
    time.sleep(0.02)
print(int(written * 1000), flush=True)
' "$arc/ru" > "$tmp/steady.end" &
steady=$!
t0=$(ms)
until has steadyword0; do
    kill -0 $steady 2> /dev/null || fail "the first file of a steady burst waited for its end"
    sleep 0.05
done
kill -0 $steady 2> /dev/null || fail "the first file of a steady burst waited for its end"
c=$(stat -c %.3Y "$db/iamglass")
echo "a steady burst: its first file committed after $((${c%.*}${c#*.} - t0)) ms, while it goes on"
wait $steady
t0=$(cat "$tmp/steady.end")   # the last file's write: its commit may come before wait returns
await "a steady burst, its last file" has steadyword199
t0=$(ms); rm "$arc"/ru/steady*.md
await "a steady burst deleted" hasnt steadyword0

# a bad article is reported when first seen, not again at each commit
printf -- '---\ntitle: [unclosed\ndate: 2024-05-17\n---\nBad.\n' > "$arc/en/bad.md"
t0=$(ms)
until grep -q 'en/bad.md: ' "$tmp/err"; do
    [ $(($(ms) - t0)) -lt 5000 ] || fail "a bad file is not reported"
    sleep 0.05
done
t0=$(ms); art "$arc/en/good.md" goodword
await "added beside a bad file" has goodword
t0=$(ms); art "$arc/en/good.md" betterword
await "edited beside a bad file" has betterword
[ "$(grep -c 'en/bad.md: ' "$tmp/err")" = 1 ] || fail "a bad file reported again: $(cat "$tmp/err")"
grep 'failed 1$' "$tmp/out" > /dev/null || fail "the bad file is not counted: $(tail -n 3 "$tmp/out")"
t0=$(ms); rm "$arc/en/bad.md" "$arc/en/good.md"
await "bad and good files deleted" hasnt betterword

# a file caught while being written (modified after the run that read it
# began) is not reported while it goes on changing: here an empty file whose
# mtime a writer keeps moving (each stamp a little ahead, as a file written
# during the run has), then given its text
/usr/bin/python3 -c '
import os, sys, time
p = sys.argv[1]
open(p, "w").close()   # empty, and stamped ahead at once (below)
end = time.time() + 1.5
while time.time() < end:   # a new mtime every 30 ms, always after the run began
    t = time.time() + 0.5
    os.utime(p, (t, t))
    time.sleep(0.03)
with open(p + ".new", "w") as f:
    f.write("---\ntitle: Written slowly\ndate: 2024-05-17\n---\nThe slowword appears.\n")
os.rename(p + ".new", p)
' "$arc/en/writing.md"
t0=$(ms)
while hasnt slowword; do
    [ $(($(ms) - t0)) -lt 5000 ] || fail "a file written slowly is not indexed: $(cat "$tmp/err")"
    sleep 0.05
done
! grep -q 'en/writing.md: ' "$tmp/err" || fail "a file still being written was reported: $(cat "$tmp/err")"
rm "$arc/en/writing.md"

# a file stamped ahead and left so (a clock set wrong, an archive's dates) is
# held for one run only: reported, and the runs stop
touch -d "@$(($(date +%s) + 86400))" "$arc/en/ahead.md"   # created with its stamp
t0=$(ms)
until grep -q 'en/ahead.md: empty file' "$tmp/err"; do
    [ $(($(ms) - t0)) -lt 5000 ] || fail "a file stamped ahead was never reported: $(cat "$tmp/err")"
    sleep 0.05
done
sleep 0.5
n=$(runs)
sleep 1.5
[ "$(runs)" = "$n" ] || fail "a file stamped ahead keeps starting runs: $(tail -n 3 "$tmp/out")"
[ "$(grep -c 'en/ahead.md: ' "$tmp/err")" = 1 ] || fail "a file stamped ahead reported again: $(cat "$tmp/err")"
rm "$arc/en/ahead.md"
sleep 0.5

# another writer holds the database: the change waits (one note), and goes
# in when the writer lets go
mkfifo "$tmp/hold"
# (nindex may still hold the lock for a moment after the commit a search saw:
# the holder tries again until it has it, and only then says "holding")
/usr/bin/python3 -c '
import sys, time, xapian
for attempt in range(200):
    try:
        db = xapian.WritableDatabase(sys.argv[1], xapian.DB_OPEN)
        break
    except xapian.DatabaseLockError:
        time.sleep(0.05)
else:
    sys.exit("no lock after 10 s")
print("holding", flush=True)
sys.stdin.read()
' "$db" < "$tmp/hold" > "$tmp/lock.out" 2>&1 &
holder=$!
exec 5> "$tmp/hold"
t0=$(ms)
until grep -qx holding "$tmp/lock.out"; do
    [ $(($(ms) - t0)) -lt 10000 ] || fail "python3-xapian could not take the lock: $(cat "$tmp/lock.out")"
    sleep 0.05
done
art "$arc/en/locked.md" lockword
sleep 2.5
hasnt lockword || fail "indexed while another writer held the lock"
[ "$(grep -c 'locked by another writer.*trying again every 1000 ms' "$tmp/err")" = 1 ] ||
    fail "the lock: $(cat "$tmp/err")"
exec 5>&-
wait $holder
t0=$(ms)
while hasnt lockword; do
    [ $(($(ms) - t0)) -lt 5000 ] || fail "not indexed after the other writer let go"
    sleep 0.05
done
echo "indexed $(($(ms) - t0)) ms after the other writer let go"
t0=$(ms); rm "$arc/en/locked.md"
await "deleted after the lock" hasnt lockword

# SIGTERM right after a change: indexed, committed, exit 0
art "$arc/en/last.md" lastword
kill -TERM "$pid"
wait_pid
[ $rc = 0 ] || fail "SIGTERM: exit $rc"
has lastword || fail "SIGTERM: the last change is not in the database"
[ "$(tail -n 1 "$tmp/out")" = "added 1, updated 0, unchanged 46, removed 0, failed 0" ] ||
    fail "SIGTERM: last summary $(tail -n 1 "$tmp/out")"
grep -v -e 'en/bad.md: ' -e 'en/ahead.md: empty file' -e 'locked by another writer' "$tmp/err" &&
    fail "stderr (above)"
xapian-check "$db" > /dev/null 2>&1 || fail "xapian-check after SIGTERM"

# a PATH that does not exist: exit 2 at once, naming it; one removed while
# watched: exit 2, naming it
set +e
"$nindex" --db "$tmp/db2" --watch "$tmp/none" > "$tmp/out2" 2> "$tmp/err2"
rc=$?
set -e
[ $rc = 2 ] && grep -q "'$tmp/none'" "$tmp/err2" || fail "a missing PATH: exit $rc: $(cat "$tmp/err2")"
mkdir "$tmp/short"
art "$tmp/short/s.md" shortword
watching "$tmp/out2" "$tmp/err2" 10 "$tmp/db2" "$tmp/short"
rm -r "$tmp/short"
t0=$(ms)
while kill -0 "$pid" 2> /dev/null; do
    [ $(($(ms) - t0)) -lt 5000 ] || fail "a removed PATH: still running"
    sleep 0.05
done
wait_pid
[ $rc = 2 ] && grep -q "'$tmp/short'" "$tmp/err2" || fail "a removed PATH: exit $rc: $(cat "$tmp/err2")"

# kill -9 in the middle of a burst; a normal run recovers
start "$arc"
(i=1; while [ $i -le 300 ]; do art "$arc/ru/k$i.md" killword; i=$((i + 1)); done) &
writer=$!
sleep 0.3
kill -9 "$pid"
wait "$pid" 2> /dev/null || true
pid=
wait $writer
"$nindex" --db "$db" "$arc" > "$tmp/out" 2> "$tmp/err" || fail "after kill -9: exit $?: $(cat "$tmp/err")"
n=$("$nsearch" --db "$db" --json -n 0 killword | grep -o '"total":[0-9]*')
[ "$n" = '"total":300' ] || fail "after kill -9: $n of 300 articles"
xapian-check "$db" > /dev/null 2>&1 || fail "xapian-check after kill -9"

# SIGTERM during the first run, a build: interrupted as without --watch
# (exit 130, the database not created, the work kept for the next run)
mkdir "$tmp/many"
(cd "$tmp/many" && awk 'BEGIN { for (i = 1; i <= 2000; i++) {
    f = sprintf("m%04d.md", i)
    printf "---\ntitle: Many %d\ndate: 2020-10-01\n---\nBody of article %d, a few words.\n", i, i > f
    close(f) } }')
caught=
for attempt in 1 2 3; do
    rm -rf "$tmp/db3" "$tmp/db3.nindex-tmp"
    : > "$tmp/out3"
    "$nindex" --db "$tmp/db3" --watch "$tmp/many" > "$tmp/out3" 2> "$tmp/err3" &
    pid=$!
    until [ -d "$tmp/db3.nindex-tmp" ] || ! kill -0 "$pid" 2> /dev/null || [ -s "$tmp/out3" ]; do
        sleep 0.01
    done
    kill -TERM "$pid" 2> /dev/null || true
    wait_pid
    [ $rc = 130 ] && caught=1 && break
    [ $rc = 0 ] || fail "SIGTERM in the first run: exit $rc: $(cat "$tmp/err3")"
done
[ -n "$caught" ] || fail "the first run always ended before SIGTERM"
grep -q "^nindex: interrupted; the database is unchanged, the work done so far is kept in '$tmp/db3.nindex-tmp'" \
    "$tmp/err3" || fail "SIGTERM in the first run: $(cat "$tmp/err3")"
[ ! -e "$tmp/db3" ] || fail "SIGTERM in the first run: a database was created"
"$nindex" --db "$tmp/db3" "$tmp/many" > "$tmp/out3" 2> "$tmp/err3" || fail "resume: $(cat "$tmp/err3")"
# the files the interrupted build committed count as unchanged
sum=$(sed -n 's/^added \([0-9]*\), updated 0, unchanged \([0-9]*\), removed 0, failed 0$/\1 + \2/p' "$tmp/out3")
[ -n "$sum" ] && [ $(($sum)) = 2000 ] || fail "resume: $(cat "$tmp/out3")"

# more changes than the kernel queues (fs.inotify.max_queued_events, 16384
# by default) while nindex does not read them (stopped with SIGSTOP, as a
# long run would keep it): the queue overflows, nindex says so and rescans;
# a file added meanwhile is indexed
rm -rf "$tmp/db3"
watching "$tmp/out3" "$tmp/err3" 60 "$tmp/db3" "$tmp/many"
kill -STOP "$pid"
max=$(cat /proc/sys/fs/inotify/max_queued_events)
/usr/bin/python3 -c '
import os, sys
a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):   # alternating, so the kernel cannot merge them
    os.utime(a if i % 2 else b)
' "$tmp/many/m0001.md" "$tmp/many/m0002.md" $((max + 1000))
art "$tmp/many/overflow.md" overflowword
kill -CONT "$pid"
t0=$(ms)
until "$nsearch" --db "$tmp/db3" overflowword > /dev/null 2>&1; do
    [ $(($(ms) - t0)) -lt 20000 ] || fail "overflow: not indexed after 20 s: $(cat "$tmp/err3")"
    kill -0 "$pid" 2> /dev/null || fail "overflow: nindex --watch is gone: $(cat "$tmp/err3")"
    sleep 0.1
done
# (the file can be found first: a run starts at most 1 s into a stream of
# changes, and reading 17,000 queued events on a loaded machine can take
# longer, so that run may come before the overflow is read)
t0=$(ms)
until grep -q '^nindex: too many changes at once (the inotify queue overflowed): rescanning everything$' "$tmp/err3"; do
    [ $(($(ms) - t0)) -lt 20000 ] || fail "overflow: no notice after 20 s: $(cat "$tmp/err3")"
    sleep 0.1
done
kill -TERM "$pid"
wait_pid
[ $rc = 0 ] || fail "overflow: SIGTERM: exit $rc"
echo ok
