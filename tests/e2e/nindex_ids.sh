#!/bin/sh
# nindex_ids.sh: article ids: the default id is the path under the indexed
# directory without .md; two files claiming one id -> the later one fails
# naming the first; an id changed in a file replaces the old document; an id
# freed by a deleted file can be taken in the same run.
. "$NS_TOP/tests/e2e/nindex_common"
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }
# run STATUS SUMMARY ARGS...
run() {
    want=$1 sum=$2; shift 2
    run_nindex "$@"
    [ "$rc" = "$want" ] || fail "nindex $*: exit $rc, want $want"
    [ "$(tail -n 1 "$tmp/out")" = "$sum" ] || fail "nindex $*: '$(tail -n 1 "$tmp/out")', want '$sum'"
}
art() { # art FILE ID(or -) TITLE
    { printf -- '---\ntitle: %s\ndate: 2020-10-05\n' "$3"
      [ "$2" = - ] || printf 'id: %s\n' "$2"
      printf -- '---\nText of %s.\n' "$3"; } > "$1"
}
c=$tmp/c
mkdir -p "$c/deep/er"
art "$c/a.md" shared Alpha
art "$c/b.md" shared Beta
art "$c/deep/er/default.md" - Gamma

run 1 "added 2, updated 0, unchanged 0, removed 0, failed 1" "$c"
grep -qxF "$c/b.md: id 'shared' is already used by $c/a.md" "$tmp/err" || fail "duplicate id message"
[ "$(tf Qshared)" = 1 ] || fail "Qshared"
[ "$(tf Qdeep/er/default)" = 1 ] || fail "default id from the relative path"
[ "$(tf alpha)" = 1 ] && [ "$(tf beta)" = "" ] || fail "the first file must keep the id"

# unchanged: the duplicate fails again (naming the recorded file)
run 1 "added 0, updated 0, unchanged 2, removed 0, failed 1" "$c"
grep -qxF "$c/b.md: id 'shared' is already used by $c/a.md" "$tmp/err" || fail "second run message"

# a's id changes: its old document goes, b can now take 'shared'
art "$c/a.md" renamed Alpha
touch -d '2030-01-01' "$c/a.md"
run 0 "added 1, updated 1, unchanged 1, removed 0, failed 0" "$c"
[ "$(tf Qrenamed)" = 1 ] || fail "Qrenamed"
[ "$(tf Qshared)" = 1 ] && [ "$(tf beta)" = 1 ] || fail "b did not take the freed id"
[ "$(doccount)" = 3 ] || fail "doccount $(doccount), want 3 (old id left behind?)"

# delete a and give its id to a new file in the same run
rm "$c/a.md"
art "$c/z.md" renamed Zeta
run 0 "added 1, updated 0, unchanged 2, removed 1, failed 0" "$c"
[ "$(tf Qrenamed)" = 1 ] && [ "$(tf zeta)" = 1 ] && [ "$(tf alpha)" = "" ] || fail "id reuse after delete"

# an id recorded from another directory is taken too
mkdir -p "$tmp/other"
art "$tmp/other/x.md" renamed Other
run 1 "added 0, updated 0, unchanged 0, removed 0, failed 1" "$tmp/other"
grep -qxF "$tmp/other/x.md: id 'renamed' is already used by $(cd "$c" && pwd -P)/z.md" "$tmp/err" ||
    fail "cross-directory duplicate message"
[ "$(doccount)" = 3 ] || fail "doccount after the cross-directory duplicate"

# A new database is built in shards (--jobs): files sharing an id may land
# in different shards; the first in processing order still keeps it, and
# each other one fails naming it, exactly as with one writer.
d=$tmp/dups
mkdir -p "$d/x" "$d/y"
for i in 01 02 03 04 05 06 07 08 09 10; do
    art "$d/x/f$i.md" same "Xfile $i"
    art "$d/y/f$i.md" - "Yfile $i"
    art "$d/y/g$i.md" "pair$i" "Pair one $i"
    art "$d/y/h$i.md" "pair$i" "Pair two $i"
done
for jobs in 1 2 3 8; do
    rm -rf "$db"
    run_nindex --jobs $jobs "$d"
    [ $rc = 1 ] || fail "--jobs $jobs: exit $rc"
    [ "$(tail -n 1 "$tmp/out")" = "added 21, updated 0, unchanged 0, removed 0, failed 19" ] ||
        fail "--jobs $jobs: $(tail -n 1 "$tmp/out")"
    for i in 02 03 04 05 06 07 08 09 10; do
        grep -qxF "$d/x/f$i.md: id 'same' is already used by $d/x/f01.md" "$tmp/err" ||
            fail "--jobs $jobs: message for x/f$i.md"
    done
    for i in 01 02 03 04 05 06 07 08 09 10; do
        grep -qxF "$d/y/h$i.md: id 'pair$i' is already used by $d/y/g$i.md" "$tmp/err" ||
            fail "--jobs $jobs: message for y/h$i.md"
    done
    [ "$(wc -l < "$tmp/err")" = 19 ] || fail "--jobs $jobs: $(wc -l < "$tmp/err") stderr lines"
    # one line each, in processing order
    sort -c "$tmp/err" 2> /dev/null || fail "--jobs $jobs: messages not in file order"
    [ "$(doccount)" = 21 ] || fail "--jobs $jobs: doccount $(doccount)"
    [ "$(tf Qsame)" = 1 ] && [ "$(tf xfile)" = 1 ] || fail "--jobs $jobs: x/f01.md must keep 'same'"
    [ "$(tf two)" = "" ] || fail "--jobs $jobs: a refused file is indexed"
    xapian-check "$db" > /dev/null 2>&1 || fail "--jobs $jobs: xapian-check"
    "$nindex" --db "$db" "$d" > "$tmp/out" 2> "$tmp/err" || true
    [ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged 21, removed 0, failed 19" ] ||
        fail "--jobs $jobs: second run: $(tail -n 1 "$tmp/out")"
done
echo ok
