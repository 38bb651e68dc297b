#!/bin/sh
# nindex_ids.sh: article ids: the default id is the path under the indexed
# directory without .md; two files claiming one id -> the later one fails
# naming the first; an id changed in a file replaces the old document; an id
# freed by a deleted file can be taken in the same run.
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
nindex=$NS_BUILD/nindex
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nindex-ids.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }
db=$tmp/db
tf() { xapian-delve -t "$1" "$db" | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p'; }
doccount() { xapian-delve "$db" | sed -n 's/^number of documents = //p'; }
# run STATUS SUMMARY ARGS...
run() {
    want=$1 sum=$2; shift 2
    set +e
    "$nindex" --db "$db" "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
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
echo ok
