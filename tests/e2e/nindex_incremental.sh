#!/bin/sh
# nindex_incremental.sh: on a temporary copy of corpus/, a first run adds every
# article, a second changes nothing, and editing, deleting, adding files and
# --rebuild give exactly the expected counts and database contents.
. "$NS_TOP/tests/e2e/nindex_common"
# run EXPECTED_SUMMARY ARGS...: nindex must exit 0, print nothing on stderr
# and end stdout with EXPECTED_SUMMARY.
run() {
    want=$1; shift
    "$nindex" --db "$db" "$@" > "$tmp/out" 2> "$tmp/err" || fail "nindex $* exited $?: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "nindex $* wrote on stderr: $(cat "$tmp/err")"
    got=$(tail -n 1 "$tmp/out")
    [ "$got" = "$want" ] || fail "nindex $*: '$got', want '$want'"
}

if [ -d "$NS_TOP/corpus/en" ]; then
    cp -r "$NS_TOP/corpus" "$tmp/corpus"
else
    mkdir -p "$tmp/corpus/en"
    for i in 1 2 3 4 5; do
        printf -- '---\ntitle: Article %s\ndate: 2020-10-0%s\n---\nBody %s.\n' $i $i $i \
            > "$tmp/corpus/en/a$i.md"
    done
fi
n=$(find "$tmp/corpus" -name '*.md' | wc -l)
[ "$n" -gt 0 ] || fail "no articles"

# first run: all added; the database holds each once
run "added $n, updated 0, unchanged 0, removed 0, failed 0" "$tmp/corpus"
[ "$(doccount)" = "$n" ] || fail "doccount $(doccount), want $n"
[ "$(xapian-delve -A Q -1 "$db" | grep -c '^Q')" = "$n" ] || fail "Q terms != $n"
[ "$(xapian-delve "$db" | sed -n 's/^has positional information = //p')" = true ] || fail "no positions"

# second run: nothing to do
run "added 0, updated 0, unchanged $n, removed 0, failed 0" "$tmp/corpus"

# edit one file: new content, new mtime -> updated, its new words are found
f=$(find "$tmp/corpus" -name '*.md' | sort | head -n 1)
id=$(printf '%s' "${f#"$tmp/corpus/"}" | sed 's/\.md$//')
grep -q '^id:' "$f" && id=$(sed -n 's/^id: *//p' "$f" | head -n 1 | tr -d '"'"'"'')
printf '\nA zanzibarian quokkalicious paragraph.\n' >> "$f"
touch -d '2030-01-01 00:00:00' "$f"
[ -z "$(tf zanzibarian)" ] || fail "zanzibarian indexed before the edit"
run "added 0, updated 1, unchanged $((n - 1)), removed 0, failed 0" "$tmp/corpus"
[ "$(tf zanzibarian)" = 1 ] || fail "edited text not indexed"
[ "$(tf "Q$id")" = 1 ] || fail "Q$id missing or duplicated after the edit"
[ "$(doccount)" = "$n" ] || fail "doccount changed by an edit"

# delete one -> removed 1, its id gone
g=$(find "$tmp/corpus" -name '*.md' | sort | tail -n 1)
gid=$(printf '%s' "${g#"$tmp/corpus/"}" | sed 's/\.md$//')
grep -q '^id:' "$g" && gid=$(sed -n 's/^id: *//p' "$g" | head -n 1 | tr -d '"'"'"'')
[ "$(tf "Q$gid")" = 1 ] || fail "Q$gid not there before the delete"
rm "$g"
run "added 0, updated 0, unchanged $((n - 1)), removed 1, failed 0" "$tmp/corpus"
[ -z "$(tf "Q$gid")" ] || fail "Q$gid still there after the delete"
[ "$(doccount)" = "$((n - 1))" ] || fail "doccount after delete"

# add one in a new subdirectory -> added 1, default id from the relative path
mkdir -p "$tmp/corpus/digest"
printf -- '---\ntitle: Weekly roundup\ndate: 2020-10-30\n---\nThe wombatish roundup.\n' \
    > "$tmp/corpus/digest/weekly-roundup.md"
run "added 1, updated 0, unchanged $((n - 1)), removed 0, failed 0" "$tmp/corpus"
[ "$(tf Qdigest/weekly-roundup)" = 1 ] || fail "new article's id term missing"
[ "$(tf XM2020-10)" -ge 1 ] || fail "month term missing"
[ "$(doccount)" = "$n" ] || fail "doccount after add"

# dot-directories and non-.md files are not articles
mkdir -p "$tmp/corpus/.git"
printf -- '---\ntitle: hidden\ndate: 2020-10-30\n---\nx\n' > "$tmp/corpus/.git/hidden.md"
printf 'notes\n' > "$tmp/corpus/README.txt"
run "added 0, updated 0, unchanged $n, removed 0, failed 0" "$tmp/corpus"

# touch only (same content, new mtime) re-reads the file: updated, same doc
touch -d '2031-01-01 00:00:00' "$tmp/corpus/digest/weekly-roundup.md"
run "added 0, updated 1, unchanged $((n - 1)), removed 0, failed 0" "$tmp/corpus"
[ "$(tf Qdigest/weekly-roundup)" = 1 ] || fail "touched article duplicated or lost"

# --rebuild: everything added afresh, nothing removed
run "added $n, updated 0, unchanged 0, removed 0, failed 0" --rebuild "$tmp/corpus"
[ "$(doccount)" = "$n" ] || fail "doccount after --rebuild"
[ "$(xapian-delve -A Q -1 "$db" | grep -c '^Q')" = "$n" ] || fail "Q terms after --rebuild"

# $NSEARCH_DB names the database when --db is absent; options may follow PATH
NSEARCH_DB=$tmp/envdb "$nindex" "$tmp/corpus/digest" > "$tmp/out" 2> "$tmp/err" || fail "NSEARCH_DB run"
[ "$(tail -n 1 "$tmp/out")" = "added 1, updated 0, unchanged 0, removed 0, failed 0" ] || fail "NSEARCH_DB: $(cat "$tmp/out")"
[ -d "$tmp/envdb" ] || fail "NSEARCH_DB database not created"
"$nindex" "$tmp/corpus/digest" --db "$tmp/db3" > "$tmp/out" 2>&1 || fail "options after PATH"
[ -d "$tmp/db3" ] || fail "--db after PATH ignored"

# a single file as PATH: indexed under its file name; its directory's other
# records are not removed
printf -- '---\ntitle: Single\ndate: 2020-11-01\n---\nsingleton text\n' > "$tmp/one.md"
run "added 1, updated 0, unchanged 0, removed 0, failed 0" "$tmp/one.md"
[ "$(tf Qone)" = 1 ] || fail "single file id"
run "added 0, updated 0, unchanged 1, removed 0, failed 0" "$tmp/one.md"
run "added 0, updated 0, unchanged $n, removed 0, failed 0" "$tmp/corpus"
[ "$(doccount)" = "$((n + 1))" ] || fail "doccount with the single file"
xapian-check "$db" > /dev/null || fail "xapian-check"
echo ok
