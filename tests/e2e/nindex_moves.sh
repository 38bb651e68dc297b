#!/bin/sh
# nindex_moves.sh: a moved or renamed archive keeps working (issue #13,
# finding 3: after `mv /a /b` every article failed with "id ... is already
# used by /a/corpus/...", and `corpus/en` after `corpus` indexed 36 articles
# a second time). Unchanged files stay unchanged, an edited one is updated
# under its id, no article is ever in the index twice, and where nindex
# cannot tell (the old folder still exists) one line says to use --rebuild.
# Each case runs with --db and with $NSEARCH_DB, in a fresh folder; the
# articles are never changed by nindex (byte for byte).
. "$NS_TOP/tests/e2e/nindex_common"

# A part of corpus/ (a build's time grows with its articles): the first
# articles of en/ and ru/ and those with an id of their own.
mkdir -p "$tmp/corpus/en" "$tmp/corpus/ru"
for f in $(ls "$NS_TOP"/corpus/en/*.md | sort | head -n 5) $(ls "$NS_TOP"/corpus/ru/*.md | sort | head -n 5) \
         $(grep -l '^id:' "$NS_TOP"/corpus/*/*.md); do
    cp "$f" "$tmp/corpus/${f#"$NS_TOP"/corpus/}"
done
n=$(find "$tmp/corpus" -name '*.md' | wc -l)
nen=$(find "$tmp/corpus/en" -name '*.md' | wc -l)
[ "$n" -gt "$nen" ] && [ "$nen" -gt 2 ] || fail "corpus/en and corpus/ru expected"

ids() { xapian-delve -a -1 "$db" | grep '^Q' | LC_ALL=C sort; }
# hashes DIR: its files (by path relative to it) with their contents' hashes
hashes() { (cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort); }

# idx WANT_STATUS WANT_SUMMARY PATH...: nindex on $db (--db or $NSEARCH_DB,
# as $how says); the status and last line of stdout must be as given, and
# stderr empty unless the status is 1
idx() {
    want_rc=$1 want=$2; shift 2
    set +e
    if [ "$how" = opt ]; then
        "$nindex" --db "$db" "$@" > out 2> err
    else
        NSEARCH_DB=$db "$nindex" "$@" > out 2> err
    fi
    rc=$?
    set -e
    [ $rc = "$want_rc" ] || fail "$how: nindex $*: exit $rc, want $want_rc: $(head -n 3 err)"
    [ $rc = 1 ] || [ ! -s err ] || fail "$how: nindex $*: stderr: $(head -n 3 err)"
    [ "$(tail -n 1 out)" = "$want" ] || fail "$how: nindex $*: '$(tail -n 1 out)', want '$want'"
}

# check_ids WHAT: the database holds each article once, under the ids of a
# --rebuild of $tmp/corpus (relative to corpus/, or from the front matter)
"$nindex" --db "$tmp/ref.db" "$tmp/corpus" > /dev/null
db=$tmp/ref.db
ids > "$tmp/ref.ids"
check_ids() {
    ids > ids.now
    cmp -s "$tmp/ref.ids" ids.now || fail "$how: $1: ids differ: $(diff "$tmp/ref.ids" ids.now | head -n 5)"
    [ "$(doccount)" = "$n" ] || fail "$how: $1: $(doccount) documents, want $n"
}

# The stored paths of all the articles, as nsearch shows them.
paths() { "$nsearch" --db "$db" --json -n 1000 'month:2000-01..2099-12' | jq -r '.results[].path'; }

# run_case NAME: case_NAME in a subshell, in a fresh folder $tmp/NAME-HOW,
# once for each HOW; a failed case does not stop the others
failed=
run_case() {
    for how in opt env; do
        d=$tmp/$1-$how
        mkdir -p "$d"
        set +e
        (set -e; cd "$d"; db=$d/db; "case_$1")
        st=$?
        set -e
        [ $st = 0 ] || failed="$failed $1($how)"
    done
}

# mv of the folder holding the archive, then a rename of the archive with
# one article edited, then a move with one article deleted.
case_move() {
    mkdir a
    cp -R "$tmp/corpus" a/corpus
    hashes a/corpus > h.start
    idx 0 "added $n, updated 0, unchanged 0, removed 0, failed 0" "$PWD/a/corpus"
    mv a b
    idx 0 "added 0, updated 0, unchanged $n, removed 0, failed 0" "$PWD/b/corpus"
    check_ids "moved"
    [ "$(paths | grep -c "^$PWD/b/corpus/")" = "$n" ] || fail "$how: stored paths not updated: $(paths | head -n 3)"
    hashes b/corpus | cmp -s h.start - || fail "$how: articles changed by the move's run"
    # a second run: nothing to do
    idx 0 "added 0, updated 0, unchanged $n, removed 0, failed 0" "$PWD/b/corpus"

    mv b/corpus b/archive
    f=$(find b/archive/en -name '*.md' | sort | head -n 1)
    printf '\nA zanzibarian paragraph.\n' >> "$f"
    idx 0 "added 0, updated 1, unchanged $((n - 1)), removed 0, failed 0" "$PWD/b/archive"
    check_ids "renamed with an edit"
    [ "$(tf zanzibarian)" = 1 ] || fail "$how: the edit is not indexed"

    mv b c
    g=$(find c/archive/ru -name '*.md' | sort | tail -n 1)
    gid=$(printf '%s' "${g#c/archive/}" | sed 's/\.md$//')
    grep -q '^id:' "$g" && gid=$(sed -n 's/^id: *//p' "$g" | head -n 1 | tr -d '"'"'"'')
    rm "$g"
    idx 0 "added 0, updated 0, unchanged $((n - 1)), removed 1, failed 0" "$PWD/c/archive"
    [ "$(doccount)" = $((n - 1)) ] || fail "$how: $(doccount) documents after a move and a delete"
    [ -z "$(tf "Q$gid")" ] || fail "$how: the deleted article '$gid' is still indexed"
}

# A sub-folder after its folder, in both orders and in one run: one copy of
# each article, ids relative to the folder first indexed; a file deleted or
# edited in the sub-folder is seen through it.
case_subfolder() {
    cp -R "$tmp/corpus" corpus
    hashes corpus > h.start
    idx 0 "added $n, updated 0, unchanged 0, removed 0, failed 0" corpus
    idx 0 "added 0, updated 0, unchanged $nen, removed 0, failed 0" corpus/en
    check_ids "corpus/en after corpus"
    idx 0 "added 0, updated 0, unchanged $nen, removed 0, failed 0" "$PWD/corpus/en/"
    hashes corpus | cmp -s h.start - || fail "$how: articles changed"
    f=$(find corpus/en -name '*.md' | sort | head -n 1)
    printf '\nA wombatish paragraph.\n' >> "$f"
    idx 0 "added 0, updated 1, unchanged $((nen - 1)), removed 0, failed 0" corpus/en
    check_ids "edit through the sub-folder"
    [ "$(tf wombatish)" = 1 ] || fail "$how: the edit is not indexed"
    g=$(find corpus/en -name '*.md' | sort | tail -n 1)
    rm "$g"
    idx 0 "added 0, updated 0, unchanged $((nen - 1)), removed 1, failed 0" corpus/en
    [ "$(doccount)" = $((n - 1)) ] || fail "$how: $(doccount) documents after a delete in corpus/en"
    idx 0 "added 0, updated 0, unchanged $((n - 1)), removed 0, failed 0" corpus
    cp "$tmp/corpus/${g#corpus/}" "$g"
    idx 0 "added 1, updated 0, unchanged $((n - 1)), removed 0, failed 0" corpus
    check_ids "corpus again"

    # the sub-folder first: its articles keep the ids they were given
    db=$PWD/db2
    idx 0 "added $nen, updated 0, unchanged 0, removed 0, failed 0" corpus/en
    idx 0 "added $((n - nen)), updated 0, unchanged $nen, removed 0, failed 0" corpus
    [ "$(doccount)" = "$n" ] || fail "$how: corpus after corpus/en: $(doccount) documents"
    # both in one run, in either order
    for order in "corpus corpus/en" "corpus/en corpus"; do
        rm -rf "$PWD/db3"
        db=$PWD/db3
        # shellcheck disable=SC2086
        idx 0 "added $n, updated 0, unchanged 0, removed 0, failed 0" $order
        [ "$(doccount)" = "$n" ] || fail "$how: '$order' in one run: $(doccount) documents"
    done
}

# The archive copied (the old folder still exists, as a deploy that keeps
# its releases): nindex cannot tell a move from a second archive and says
# so once, naming --rebuild, which then indexes the new folder alone.
case_copy() {
    mkdir r1
    cp -R "$tmp/corpus" r1/corpus
    idx 0 "added $n, updated 0, unchanged 0, removed 0, failed 0" r1/corpus
    cp -pR r1 r2
    idx 1 "added 0, updated 0, unchanged 0, removed 0, failed $n" r2/corpus
    [ "$(wc -l < err)" = 1 ] || fail "$how: $(wc -l < err) lines on stderr: $(head -n 3 err)"
    grep -q "^r2/corpus: $n files not indexed: their ids belong to articles indexed from '$(pwd -P)/r1/corpus', which still exists (.*); if the articles moved here, run nindex with --rebuild" err ||
        fail "$how: message: $(cat err)"
    idx 0 "added $n, updated 0, unchanged 0, removed 0, failed 0" --rebuild r2/corpus
    check_ids "--rebuild of the copy"
    # the old folder gone now: nothing to say
    rm -rf r1
    idx 0 "added 0, updated 0, unchanged $n, removed 0, failed 0" r2/corpus
}

run_case move
run_case subfolder
run_case copy
[ -z "$failed" ] || fail "cases:$failed"
echo ok
