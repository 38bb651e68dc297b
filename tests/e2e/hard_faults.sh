#!/bin/sh
# hard_faults.sh: I/O faults around a committed database. Disk full (a 2 MB
# tmpfs), a read-only file system, a truncated or corrupted database file, a
# database that is not one: nindex and nsearch exit non-zero with a message on
# stderr and never die by a signal; nsearch exits 2; what was committed before
# still passes xapian-check and is searchable. Needs root (mount).
. "$(dirname "$0")/hard_common"
mounts=
hard_cleanup_extra() { for m in $mounts; do umount -l "$m" 2> /dev/null || true; done; }
[ "$(id -u)" = 0 ] || fail "needs root to mount a tmpfs"

cp -R "$NS_TOP/corpus" "$tmp/corpus"
"$nindex" --db "$tmp/base" "$tmp/corpus" > /dev/null || fail "indexing the corpus"
base_count=$(doccount "$tmp/base")
idterms "$tmp/base" > "$tmp/base.ids"
gen "$tmp/big" 4000 full

# searchable DB WHAT: xapian-check passes and nsearch finds all committed articles
searchable() {
    [ "${3:-}" = nocheck ] ||
        xapian-check "$1" > "$tmp/check" 2>&1 || fail "$2: xapian-check: $(tail -n 5 "$tmp/check")"
    idterms "$1" > "$tmp/ids"
    lost=$(comm -23 "$tmp/base.ids" "$tmp/ids" | head -n 3)
    [ -z "$lost" ] || fail "$2: committed articles lost: $lost"
    t=$("$nsearch" --db "$1" --json -n 0 'month:2020-01..2021-12' | jq -r .total) || fail "$2: nsearch failed"
    [ "$t" = "$(doccount "$1")" ] || fail "$2: nsearch finds $t of $(doccount "$1")"
}

# refused WHAT STATUS...: $rc is one of STATUS, stderr says something, no signal
refused() {
    what=$1; shift
    signalled $rc && fail "$what: killed by a signal (exit $rc): $(cat "$tmp/err")"
    ok=
    for s in "$@"; do [ "$rc" = "$s" ] && ok=1; done
    [ -n "$ok" ] || fail "$what: exit $rc, expected $*: $(cat "$tmp/err")"
    [ -s "$tmp/err" ] || fail "$what: exit $rc without a message"
    ! grep -qi 'sanitizer\|runtime error\|terminate called\|Aborted' "$tmp/err" ||
        fail "$what: $(head -n 3 "$tmp/err")"
}

# ---- disk full: a 2 MB tmpfs that holds the corpus database but not 4000 more articles
mkdir -p "$tmp/full"
mount -t tmpfs -o size=2m tmpfs "$tmp/full" || fail "cannot mount a tmpfs"
mounts="$tmp/full"
cp -R "$tmp/base" "$tmp/full/db"
# (under ASan: libxapian's own occasional leak on a failed block write is not
# ours; lsan-libxapian-enospc.supp says why and how narrowly it is matched)
run_rc "$tmp/out" "$tmp/err" \
    env LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$NS_TOP/tests/e2e/lsan-libxapian-enospc.supp" \
    "$nindex" --db "$tmp/full/db" --batch 200 "$tmp/big"
refused "disk full" 1 2
grep -qi 'space\|full\|write' "$tmp/err" || fail "disk full: unclear message: $(head -n 3 "$tmp/err")"
searchable "$tmp/full/db" "disk full"
# space again: the next run completes the set
umount "$tmp/full"; mounts=
mount -t tmpfs -o size=64m tmpfs "$tmp/full"; mounts="$tmp/full"
cp -R "$tmp/base" "$tmp/full/db"
run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$tmp/full/db" "$tmp/big"
[ $rc = 0 ] || fail "with space: exit $rc: $(cat "$tmp/err")"
umount "$tmp/full"; mounts=

# ---- read-only file system (chmod does not stop root: a read-only tmpfs)
mkdir -p "$tmp/ro"
mount -t tmpfs -o size=8m tmpfs "$tmp/ro"; mounts="$tmp/ro"
cp -R "$tmp/base" "$tmp/ro/db"
mount -o remount,ro "$tmp/ro"
run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$tmp/ro/db" "$tmp/big"
refused "read-only" 2
run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$tmp/ro/newdb" "$tmp/corpus"
refused "read-only, new database" 2
# xapian-check opens the files read-write: search now, check after a remount
searchable "$tmp/ro/db" "read-only" nocheck
mount -o remount,rw "$tmp/ro"
searchable "$tmp/ro/db" "read-only"
umount "$tmp/ro"; mounts=

# ---- damaged databases: nindex refuses (2), nsearch exits 2, both with a message
damage() { # NAME: a copy of the base database, damaged
    d=$tmp/dmg-$1
    rm -rf "$d"; cp -R "$tmp/base" "$d"
    case $1 in
        trunc-postlist) truncate -s 8192 "$d/postlist.glass" ;;
        trunc-iam) truncate -s 10 "$d/iamglass" ;;
        empty-iam) : > "$d/iamglass" ;;
        garbage-iam) head -c 120 /dev/urandom > "$d/iamglass" ;;
        no-postlist) rm "$d/postlist.glass" ;;
        no-docdata) rm "$d/docdata.glass" ;;
        zero-termlist) s=$(stat -c %s "$d/termlist.glass"); head -c "$s" /dev/zero > "$d/termlist.glass" ;;
        not-a-db) rm -rf "$d"; mkdir -p "$d"; echo hello > "$d/iamglass" ;;
        a-file) rm -rf "$d"; echo hello > "$d" ;;
    esac
    echo "$d"
}
for kind in trunc-postlist trunc-iam empty-iam garbage-iam no-postlist no-docdata zero-termlist not-a-db a-file; do
    d=$(damage $kind)
    run_rc "$tmp/out" "$tmp/err" "$nsearch" --db "$d" openai
    refused "nsearch on $kind" 2
    run_rc "$tmp/out" "$tmp/err" "$nsearch" --db "$d" --json 'month:2020-01..2021-12'
    refused "nsearch --json on $kind" 2
    d=$(damage $kind)
    run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$d" "$tmp/corpus"
    if { [ $kind = no-postlist ] || [ $kind = not-a-db ]; } && [ $rc = 0 ]; then
        # Xapian's create-or-open takes a directory without postlist.glass for
        # no database and creates one there, so nindex adds every article again:
        # accepted when the result is whole and consistent
        searchable "$d" "nindex on $kind"
        [ "$(doccount "$d")" = "$base_count" ] || fail "nindex on $kind: $(doccount "$d") documents"
        continue
    fi
    if [ $kind = no-docdata ] && [ $rc = 0 ]; then
        # docdata.glass is lazily created in glass: without it Xapian sees a
        # valid database whose documents have no data, and an incremental run
        # finds every file unchanged. nsearch refuses it (above); --rebuild repairs.
        run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$d" --rebuild "$tmp/corpus"
        [ $rc = 0 ] || fail "nindex --rebuild on $kind: exit $rc: $(cat "$tmp/err")"
        searchable "$d" "nindex --rebuild on $kind"
        run_rc "$tmp/out" "$tmp/err" "$nsearch" --db "$d" openai
        [ $rc = 0 ] || fail "nsearch after --rebuild on $kind: exit $rc"
        continue
    fi
    refused "nindex on $kind" 1 2
done

# ---- random damage in the middle of the data: detected or not, never a crash
i=0
for f in postlist position termlist docdata; do
    for off in 1 3 5; do
        i=$((i + 1))
        d=$tmp/dmg-rand; rm -rf "$d"; cp -R "$tmp/base" "$d"
        s=$(stat -c %s "$d/$f.glass")
        head -c 512 /dev/urandom | dd of="$d/$f.glass" bs=1 seek=$((s * off / 7)) conv=notrunc 2> /dev/null
        for q in openai 'month:2020-01..2021-12' '"language model"' 'trans*'; do
            run_rc "$tmp/out" "$tmp/err" "$nsearch" --db "$d" --json --facets "$q"
            signalled $rc && fail "nsearch '$q' on random damage in $f: signal (exit $rc)"
            [ $rc -le 2 ] || fail "nsearch '$q' on random damage in $f: exit $rc"
            [ $rc != 2 ] || [ -s "$tmp/err" ] || fail "nsearch '$q' on $f damage: exit 2 without a message"
        done
        run_rc "$tmp/out" "$tmp/err" "$nindex" --db "$d" "$tmp/corpus"
        signalled $rc && fail "nindex on random damage in $f: signal (exit $rc): $(cat "$tmp/err")"
        [ $rc -le 2 ] || fail "nindex on random damage in $f: exit $rc"
    done
done
echo "ok: disk full, read-only, 9 kinds of damage, $i random damages"
