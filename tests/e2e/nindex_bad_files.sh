#!/bin/sh
# nindex_bad_files.sh: each kind of bad article file is reported on stderr as
# one line "PATH: reason", every good file is still indexed and committed, and
# the exit status is 1 (0 once the bad files are gone). A file that turns bad
# after being indexed keeps its old version until it is fixed.
. "$NS_TOP/tests/e2e/nindex_common"
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }

c=$tmp/c
mkdir -p "$c/sub"
good() { printf -- '---\ntitle: %s\ndate: 2020-10-05\n---\nGood body of %s.\n' "$1" "$1" > "$c/$1.md"; }
good good1
good good2
good sub/good3
printf '# Just Markdown\n\nNo front matter here.\n' > "$c/nofm.md"
printf -- '---\ntitle: [unclosed\ndate: 2020-10-05\n---\nx\n' > "$c/badyaml.md"
printf -- '---\ndate: 2020-10-05\n---\nx\n' > "$c/notitle.md"
printf -- '---\ntitle: No date\n---\nx\n' > "$c/nodate.md"
printf -- '---\ntitle: Bad date\ndate: 2020-13-45\n---\nx\n' > "$c/baddate.md"
printf -- '---\ntitle: Not leap\ndate: 2021-02-29\n---\nx\n' > "$c/notleap.md"
printf -- '---\ntitle: Latin-1\ndate: 2020-10-05\n---\ncaf\351\n' > "$c/latin1.md"
: > "$c/empty.md"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' > "$c/binary.md"
printf -- '---\ntitle: German\ndate: 2020-10-05\nlang: de\n---\nx\n' > "$c/badlang.md"
ln -s "$tmp/nowhere.md" "$c/dangling.md"
mkfifo "$c/fifo.md"
# 50 MB, sparse: refused by its size, never read
dd if=/dev/zero of="$c/huge.md" bs=1 count=0 seek=52428800 2> /dev/null

run_nindex "$c"
[ $rc = 1 ] || fail "exit $rc, want 1"
[ "$(tail -n 1 "$tmp/out")" = "added 3, updated 0, unchanged 0, removed 0, failed 13" ] ||
    fail "summary: $(tail -n 1 "$tmp/out")"
[ "$(wc -l < "$tmp/err")" = 13 ] || fail "want 13 stderr lines"
expect() {
    grep -qxF "$c/$1: $2" "$tmp/err" || fail "no line '$c/$1: $2'"
}
expect nofm.md "no front matter (the file must start with a '---' line)"
grep -q "^$c/badyaml.md: front matter: YAML error at line [0-9]*: " "$tmp/err" || fail "badyaml"
expect notitle.md "missing title"
expect nodate.md "missing date"
expect baddate.md "date '2020-13-45' is not a real calendar date (YYYY-MM-DD)"
expect notleap.md "date '2021-02-29' is not a real calendar date (YYYY-MM-DD)"
expect latin1.md "invalid UTF-8 at byte 43"
expect empty.md "empty file"
expect binary.md "binary file (NUL byte at 8)"
expect badlang.md "lang 'de' is not en or ru"
expect dangling.md "cannot read: No such file or directory"
expect fifo.md "cannot read: not a regular file"
expect huge.md "file is 52428800 bytes; articles over 16 MiB are refused"
# good files are never named on stderr, and they are in the database
grep -q good "$tmp/err" && fail "a good file on stderr"
for id in good1 good2 sub/good3; do
    [ "$(tf "Q$id")" = 1 ] || fail "Q$id not indexed"
done
xapian-check "$db" > /dev/null || fail "xapian-check"

# the bad files fail again on the next run (they were never recorded)
run_nindex "$c"
[ $rc = 1 ] || fail "second run exit $rc"
[ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged 3, removed 0, failed 13" ] ||
    fail "second summary: $(tail -n 1 "$tmp/out")"

# a good file turned bad keeps its indexed version and is reported
printf -- '---\ntitle: good1 broken\n---\nBroken now.\n' > "$c/good1.md"
touch -d '2030-01-01' "$c/good1.md"
run_nindex "$c/good1.md"
[ $rc = 1 ] || fail "turned-bad exit $rc"
grep -qxF "$c/good1.md: missing date" "$tmp/err" || fail "turned-bad message"
[ "$(tf Qgood1)" = 1 ] || fail "old version of good1 lost"
[ "$(tf broken)" = "" ] || fail "broken text indexed"

# fixed and bad files gone: exit 0, the fix is picked up
good good1
touch -d '2030-01-02' "$c/good1.md"
rm "$c/nofm.md" "$c/badyaml.md" "$c/notitle.md" "$c/nodate.md" "$c/baddate.md" "$c/notleap.md" \
   "$c/latin1.md" "$c/empty.md" "$c/binary.md" "$c/badlang.md" "$c/dangling.md" "$c/fifo.md" \
   "$c/huge.md"
"$nindex" --db "$db" "$c" > "$tmp/out" 2> "$tmp/err" || fail "clean run exit $?"
[ ! -s "$tmp/err" ] || fail "clean run wrote on stderr"
[ "$(tail -n 1 "$tmp/out")" = "added 0, updated 1, unchanged 2, removed 0, failed 0" ] ||
    fail "clean summary: $(tail -n 1 "$tmp/out")"

# an unknown front-matter vendor is a warning, not a failure
printf -- '---\ntitle: W\ndate: 2020-10-05\nvendors: [Acme Robotics]\n---\nx\n' > "$c/warn.md"
"$nindex" --db "$db" "$c" > "$tmp/out" 2> "$tmp/err" || fail "warning run exit $?"
grep -qxF "$c/warn.md: warning: unknown vendor 'Acme Robotics' (kept as written)" "$tmp/err" ||
    fail "unknown vendor warning"
[ "$(tf "XVacme robotics")" = 1 ] || fail "unknown vendor not kept"
echo ok
