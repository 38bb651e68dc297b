#!/bin/sh
# nindex_db_path.sh: what the database path may name (issue #13, finding 1:
# `nindex --db corpus corpus` deleted every article). A path that is not
# nindex's to write (a folder of other things, the archive itself, a file, a
# Xapian database of someone else, a temporary folder of that name that is
# the user's, a database overlapping a PATH) is refused with exit 2 and a
# message naming it, and every file is still there byte for byte; given with
# --db and through $NSEARCH_DB. An empty folder is accepted and kept; a --db
# that is a symbolic link is rebuilt at its target and stays a link.
# Each case runs in a fresh folder and a failed case does not stop the others.
. "$NS_TOP/tests/e2e/nindex_common"

cp -R "$NS_TOP/corpus" "$tmp/corpus"
# Databases are built from a few articles (a build's time is its commits).
mkdir "$tmp/small"
for f in $(find "$tmp/corpus" -name '*.md' | sort | head -n 3); do cp "$f" "$tmp/small/"; done
n=$(find "$tmp/small" -name '*.md' | wc -l)
[ "$n" = 3 ] || fail "no articles"

# snap FILE: every entry under the current folder with its type, size,
# modification time and inode (a write, an entry made or removed in a folder
# shows), and link targets
snap() { find . -printf '%p %y %s %T@ %i %l\n' | LC_ALL=C sort > "$1"; }
# hashes FILE: every file under the current folder with its content's hash
hashes() { find . -type f -exec sha256sum {} + | LC_ALL=C sort > "$1"; }

# nx HOW DB ARGS...: nindex on DB, given by --db (HOW opt) or $NSEARCH_DB
# (HOW env); stdout to ../out, stderr to ../err, status in $rc
nx() {
    nx_how=$1 nx_db=$2; shift 2
    set +e
    if [ "$nx_how" = opt ]; then
        "$nindex" --db "$nx_db" "$@" > ../out 2> ../err
    else
        NSEARCH_DB=$nx_db "$nindex" "$@" > ../out 2> ../err
    fi
    rc=$?
    set -e
}

# refuse MESSAGE DB ARGS...: both ways, nindex exits 2 with one line on
# stderr holding MESSAGE, prints no summary, and changes nothing: no entry
# made, removed, written or moved, every file the same byte for byte
refuse() {
    msg=$1 db=$2; shift 2
    hashes ../hbefore
    for how in opt env; do
        snap ../before
        nx $how "$db" "$@"
        [ $rc = 2 ] || fail "db '$db' ($how): exit $rc, want 2: $(cat ../err)"
        grep -qF "$msg" ../err || fail "db '$db' ($how): '$(cat ../err)', want '$msg'"
        [ "$(wc -l < ../err)" = 1 ] || fail "db '$db' ($how): $(cat ../err)"
        [ ! -s ../out ] || fail "db '$db' ($how): printed $(cat ../out)"
        snap ../after
        cmp -s ../before ../after ||
            fail "db '$db' ($how) changed files: $(diff ../before ../after | head -n 5)"
    done
    hashes ../hafter
    cmp -s ../hbefore ../hafter || fail "db '$db': files changed: $(diff ../hbefore ../hafter | head -n 5)"
}

# run_case NAME [corpus]: run the function case_NAME in a subshell, in a
# fresh folder $tmp/NAME/w holding small/ (and corpus/); afterwards every
# file that was there is still there, byte for byte
failed=
run_case() {
    mkdir -p "$tmp/$1/w"
    cp -R "$tmp/small" "$tmp/$1/w/"
    [ -z "${2:-}" ] || cp -R "$tmp/corpus" "$tmp/$1/w/"
    set +e
    (
        set -e
        cd "$tmp/$1/w"
        hashes ../start
        "case_$1"
        hashes ../end
        [ -z "$(LC_ALL=C comm -23 ../start ../end)" ] ||
            fail "files lost or changed: $(LC_ALL=C comm -23 ../start ../end | head -n 3)"
    )
    st=$?
    set -e
    [ $st = 0 ] || failed="$failed $1"
}

# The issue's reproduction, the database given with a slash or through a
# link, and a PATH that is a file given as the database.
case_archive_as_db() {
    refuse "nindex: database 'corpus' is the PATH 'corpus' being indexed" corpus corpus
    refuse "nindex: database 'corpus/' is the PATH 'corpus' being indexed" corpus/ corpus
    ln -s corpus corpus-link
    refuse "nindex: database 'corpus-link' is the PATH 'corpus' being indexed" corpus-link corpus
    f=$(find corpus -name '*.md' | sort | head -n 1)
    refuse "nindex: database '$f' is the PATH '$f' being indexed" "$f" "$f"
}

# A database inside the archive, and the archive inside the database.
case_overlap() {
    refuse "nindex: database 'corpus/en/news.db' is inside the PATH 'corpus' being indexed" \
        corpus/en/news.db corpus
    ln -s corpus/en en-link
    refuse "nindex: database 'en-link/news.db' is inside the PATH 'corpus' being indexed" \
        en-link/news.db corpus
    refuse "nindex: database '.' holds the PATH 'corpus/en' being indexed" . corpus/en
    mkdir -p arch/inner
    cp small/*.md arch/inner/
    refuse "nindex: database 'arch' holds the PATH 'arch/inner' being indexed" arch arch/inner
}

# Folders and files that are not nsearch databases.
case_not_a_database() {
    mkdir notes
    printf 'call the printer people\n' > notes/todo.txt
    printf 'x\n' > notes/.hidden
    refuse "nindex: 'notes' is not an nsearch database: it is a folder holding 2 entries and no Xapian database" \
        notes small
    refuse "nindex: 'notes' is not an nsearch database" notes --rebuild small
    printf 'a file\n' > afile
    refuse "nindex: 'afile' is not an nsearch database: it is a regular file" afile small
    refuse "nindex: 'afile' is not an nsearch database: it is a regular file" afile --rebuild small
    mkfifo pipe
    refuse "nindex: 'pipe' is not an nsearch database: it is a named pipe" pipe small
}

# A Xapian database that is not nsearch's: empty, and with documents.
case_foreign_xapian() {
    xapian-metadata set foreign owner someone-else
    refuse "nindex: 'foreign' is not an nsearch database: it is a Xapian database without nsearch's schema metadata" \
        foreign small
    "$nindex" --db ../made.db small > /dev/null
    cp -R ../made.db foreign2
    xapian-metadata set foreign2 nsearch:schema ''
    refuse "nindex: 'foreign2' is not an nsearch database: it is a Xapian database without nsearch's schema metadata" \
        foreign2 small
    refuse "nindex: 'foreign2' is not an nsearch database" foreign2 --rebuild small
}

# A folder named like nindex's temporary one that nindex did not make: a
# new database is not built, a rebuild neither, and the folder is kept; an
# incremental run does not need the folder and leaves it alone.
case_user_tmpdir() {
    mkdir new.db.nindex-tmp
    printf 'mine\n' > new.db.nindex-tmp/keep.txt
    refuse "nindex: '$(pwd -P)/new.db.nindex-tmp' exists and was not made by nindex" new.db small
    [ ! -e new.db ] || fail "new.db created"
    printf 'in the way\n' > other.db.nindex-tmp
    refuse "nindex: '$(pwd -P)/other.db.nindex-tmp' is in the way" other.db small
    "$nindex" --db good.db small > ../out 2> ../err || fail "good.db: $(cat ../err)"
    mkdir good.db.nindex-tmp
    printf 'mine too\n' > good.db.nindex-tmp/keep.txt
    refuse "nindex: '$(pwd -P)/good.db.nindex-tmp' exists and was not made by nindex" \
        good.db --rebuild small
    nx opt good.db small
    [ $rc = 0 ] || fail "incremental run beside a user's folder: exit $rc: $(cat ../err)"
    [ "$(cat good.db.nindex-tmp/keep.txt)" = "mine too" ] || fail "user's folder touched"
}

# A file of the user's inside the database folder: a rebuild would carry it
# off with the old database, so it is refused; an incremental run is fine.
case_file_in_db() {
    "$nindex" --db good.db small > ../out 2> ../err || fail "good.db: $(cat ../err)"
    printf 'notes on the index\n' > good.db/README
    refuse "nindex: database 'good.db' holds 'README', which is not part of a Xapian database" \
        good.db --rebuild small
    nx env good.db small
    [ $rc = 0 ] || fail "incremental run with a README in the database: exit $rc: $(cat ../err)"
    [ "$(cat good.db/README)" = "notes on the index" ] || fail "README in the database touched"
}

# An empty folder is a place for a new database: built in it, kept (same
# inode), searchable; both ways.
case_empty_folder() {
    for how in opt env; do
        mkdir "empty-$how"
        ino=$(stat -c %i "empty-$how")
        nx $how "empty-$how" small
        [ $rc = 0 ] || fail "empty folder ($how): exit $rc: $(cat ../err)"
        [ "$(tail -n 1 ../out)" = "added $n, updated 0, unchanged 0, removed 0, failed 0" ] ||
            fail "empty folder ($how): $(cat ../out)"
        [ "$(stat -c %i "empty-$how")" = "$ino" ] || fail "empty folder ($how) replaced by another"
        [ ! -e "empty-$how.nindex-tmp" ] || fail "empty folder ($how): temporary folder left"
        [ -f "empty-$how/iamglass" ] || fail "empty folder ($how): no database in it"
        "$nsearch" --db "empty-$how" --json -n 0 'month:2000-01..2099-12' > ../q
        [ "$(jq .total ../q)" = "$n" ] || fail "empty folder ($how): nsearch: $(cat ../q)"
    done
}

# A --db that is a symbolic link: --rebuild replaces the link's target, the
# link stays, and a reader given the real path sees the new database.
case_symlinked_db() {
    for how in opt env; do
        mkdir -p "real-$how"
        nx opt "real-$how/news.db" small
        [ $rc = 0 ] || fail "link ($how): first build: $(cat ../err)"
        ln -s "real-$how/news.db" "news-$how.db"
        printf -- '---\ntitle: Quokkas\ndate: 2020-10-30\n---\nThe quokkalicious news.\n' \
            > small/zz-quokka.md
        nx $how "news-$how.db" --rebuild small
        [ $rc = 0 ] || fail "link ($how): --rebuild: exit $rc: $(cat ../err)"
        [ -L "news-$how.db" ] || fail "link ($how): the link was replaced"
        [ "$(readlink "news-$how.db")" = "real-$how/news.db" ] || fail "link ($how): link changed"
        [ ! -e "news-$how.db.nindex-tmp" ] && [ ! -e "real-$how/news.db.nindex-tmp" ] ||
            fail "link ($how): temporary folder left"
        "$nsearch" --db "real-$how/news.db" --json quokkalicious > ../q ||
            fail "link ($how): the new article is not found through the real path"
        [ "$(jq .total ../q)" = 1 ] || fail "link ($how): real path: $(cat ../q)"
        "$nsearch" --db "$(pwd -P)/news-$how.db" --json -n 0 'month:2000-01..2099-12' > ../q
        [ "$(jq .total ../q)" = "$((n + 1))" ] || fail "link ($how): $(cat ../q)"
        rm small/zz-quokka.md
    done
    # a link to a database not built yet: built at its target, the link stays
    mkdir later
    ln -s later/fresh.db fresh-link
    nx env fresh-link small
    [ $rc = 0 ] || fail "dangling link: exit $rc: $(cat ../err)"
    [ -L fresh-link ] && [ -f later/fresh.db/iamglass ] || fail "dangling link: database not at its target"
    ln -s nowhere/x.db bad-link
    nx opt bad-link small
    [ $rc = 2 ] && grep -qF "nindex: cannot create database 'bad-link': folder 'nowhere'" ../err ||
        fail "link into a missing folder: exit $rc: $(cat ../err)"
    ln -s loop-a loop-b
    ln -s loop-b loop-a
    nx opt loop-a small
    [ $rc = 2 ] && grep -qF "nindex: database 'loop-a': too many levels of symbolic links" ../err ||
        fail "link loop as --db: exit $rc: $(cat ../err)"
}

run_case archive_as_db corpus
run_case overlap corpus
for c in not_a_database foreign_xapian user_tmpdir file_in_db empty_folder symlinked_db; do
    run_case $c
done
[ -z "$failed" ] || fail "cases:$failed"
echo ok
