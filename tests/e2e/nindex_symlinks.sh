#!/bin/sh
# nindex_symlinks.sh: symbolic links inside the archive (issue #13, finding 6:
# `leak.md -> /outside/secret.md` and a link to a private folder were indexed
# and searchable; 16 levels of two links each took 90 s and indexed 131,072
# copies of one file). A link that leads outside the PATHs given is skipped
# with one warning naming it, unless --follow-symlinks; links inside are
# followed; every directory and file is visited once, whatever links lead to
# it. Each case runs with --db and with $NSEARCH_DB, in a fresh folder, and
# no file is changed (byte for byte).
. "$NS_TOP/tests/e2e/nindex_common"

ids() { xapian-delve -a -1 "$db" | grep '^Q' | LC_ALL=C sort | tr '\n' ' '; }
hashes() { find . -type f ! -path './db*' ! -name out ! -name err -exec sha256sum {} + | LC_ALL=C sort; }
# art FILE TITLE WORD: an article with a word of its own
art() { mkdir -p "$(dirname "$1")"; printf -- '---\ntitle: %s\ndate: 2020-10-05\n---\nThe %s text.\n' "$2" "$3" > "$1"; }

# idx WANT_SUMMARY ARGS...: nindex on $db (--db or $NSEARCH_DB, as $how
# says) exits 0 and ends stdout with WANT_SUMMARY; stderr is in ./err
idx() {
    want=$1; shift
    set +e
    if [ "$how" = opt ]; then
        timeout 120 "$nindex" --db "$db" "$@" > out 2> err
    else
        NSEARCH_DB=$db timeout 120 "$nindex" "$@" > out 2> err
    fi
    rc=$?
    set -e
    [ $rc = 0 ] || fail "$how: nindex $*: exit $rc: $(head -n 3 err)"
    [ "$(tail -n 1 out)" = "$want" ] || fail "$how: nindex $*: '$(tail -n 1 out)', want '$want'"
}

# run_case NAME: case_NAME in a subshell in a fresh folder, once for each
# way of naming the database; its files are the same afterwards
failed=
run_case() {
    for how in opt env; do
        d=$tmp/$1-$how
        mkdir -p "$d"
        set +e
        (
            set -e
            cd "$d"
            db=$d/db
            "setup_$1"
            hashes > ../h.$1.$how
            "case_$1"
            hashes | cmp -s "../h.$1.$how" - || fail "$how: files changed"
        )
        st=$?
        set -e
        [ $st = 0 ] || failed="$failed $1($how)"
    done
}

# Links out of the archive: a file and a folder (with a sub-folder).
setup_outside() {
    art arch/a.md A alpha
    art arch/b.md B beta
    art outside/secret.md Secret secretword
    art outside/private/p.md Private privateword
    art outside/private/sub/q.md Deeper deeperword
    ln -s ../outside/secret.md arch/leak.md
    ln -s "$PWD/outside/private" arch/private
    ln -s /etc/hostname arch/notes.txt  # not an article: no word about it
}
case_outside() {
    real=$(pwd -P)
    for want in "added 2, updated 0, unchanged 0" "added 0, updated 0, unchanged 2"; do
        idx "$want, removed 0, failed 0" arch
        printf '%s\n' \
            "arch/leak.md: warning: symbolic link to '$real/outside/secret.md' leads outside the PATHs given: skipped (--follow-symlinks follows it)" \
            "arch/private: warning: symbolic link to '$real/outside/private' leads outside the PATHs given: skipped (--follow-symlinks follows it)" |
            cmp -s - err || fail "$how: $want: stderr: $(cat err)"
    done
    [ "$(ids)" = "Qa Qb " ] || fail "$how: ids $(ids)"
    [ -z "$(tf secretword)$(tf privateword)$(tf deeperword)" ] || fail "$how: outside text indexed"
    idx "added 3, updated 0, unchanged 2, removed 0, failed 0" --follow-symlinks arch
    [ ! -s err ] || fail "$how: --follow-symlinks: stderr: $(cat err)"
    [ "$(ids)" = "Qa Qb Qleak Qprivate/p Qprivate/sub/q " ] || fail "$how: --follow-symlinks: ids $(ids)"
    # not following them again removes what they led to
    idx "added 0, updated 0, unchanged 2, removed 3, failed 0" arch
    [ "$(wc -l < err)" = 2 ] || fail "$how: warnings: $(cat err)"
    [ "$(ids)" = "Qa Qb " ] || fail "$how: after the links are skipped again: ids $(ids)"
    # a folder given as a PATH is not outside: the link to it is followed,
    # and its files are indexed once, from that PATH
    idx "added 3, updated 0, unchanged 2, removed 0, failed 0" arch outside/private outside/secret.md
    [ ! -s err ] || fail "$how: links into PATHs given: stderr: $(cat err)"
    [ "$(ids)" = "Qa Qb Qp Qsecret Qsub/q " ] || fail "$how: links into PATHs given: ids $(ids)"
}

# Links inside the archive: to a folder, to a file, to a hidden folder, to
# the archive itself; each file is indexed once, by its real path when it
# has one.
setup_inside() {
    art arch/en/a.md A alpha
    art arch/en/b.md B beta
    art arch/.drafts/d.md D delta
    ln -s en arch/english
    ln -s en/a.md arch/alias.md
    ln -s .drafts arch/drafts
    ln -s . arch/self
    ln -s ../en arch/en/up-and-back
    ln -s "$PWD/arch/en" arch/absolute
}
case_inside() {
    idx "added 3, updated 0, unchanged 0, removed 0, failed 0" arch
    [ ! -s err ] || fail "$how: stderr: $(cat err)"
    [ "$(ids)" = "Qdrafts/d Qen/a Qen/b " ] || fail "$how: ids $(ids)"
    idx "added 0, updated 0, unchanged 3, removed 0, failed 0" arch
}

# 16 levels of two links each, all leading to the next level, and a link
# back to the first: one article, reached 2^16 ways. Indexed once, in well
# under a second of processor time.
setup_loop() {
    mkdir -p arch/.levels
    i=0
    while [ $i -le 16 ]; do mkdir arch/.levels/d$i; i=$((i + 1)); done
    i=0
    while [ $i -lt 16 ]; do
        ln -s ../d$((i + 1)) arch/.levels/d$i/a
        ln -s ../d$((i + 1)) arch/.levels/d$i/b
        i=$((i + 1))
    done
    ln -s ../d0 arch/.levels/d16/back
    art arch/.levels/d16/x.md X xenon
    ln -s .levels/d0 arch/entry
}
# cpu: the processor time of this shell's children so far, in milliseconds
cpu() {
    times | tail -n 1 | awk '{
        t = 0
        for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
        printf "%d\n", t * 1000 }'
}
case_loop() {
    c0=$(cpu)
    w0=$(date +%s)
    idx "added 1, updated 0, unchanged 0, removed 0, failed 0" arch
    c1=$(cpu)
    w1=$(date +%s)
    [ $((c1 - c0)) -lt 1000 ] || fail "$how: the walk took $((c1 - c0)) ms of processor time"
    [ $((w1 - w0)) -lt 10 ] || fail "$how: the walk took $((w1 - w0)) s"
    [ ! -s err ] || fail "$how: stderr: $(cat err)"
    [ "$(doccount)" = 1 ] && [ "$(tf xenon)" = 1 ] || fail "$how: $(doccount) documents"
}

run_case outside
run_case inside
run_case loop
[ -z "$failed" ] || fail "cases:$failed"
echo ok
