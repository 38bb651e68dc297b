#!/bin/sh
# nindex_hostile.sh: one hostile article cannot stall or exhaust nindex
# (issue #13, finding 4). Each shape the audit measured (YAML nested 200,000
# levels: 96 s; a vendors: list of 50,000 names: 16.5 s; an 8 MB body of
# "a1a1...": 8.7 s and 1 GB) and the other caps (billion laughs, a long list,
# huge front matter, an over-size file, an over-long word, too much text, too
# many distinct terms) is indexed among good articles, in a new database
# (bulk mode, 2 threads) and in an existing one (incremental): the run costs
# under a second of CPU (2 s in the sanitizer build) more than the good
# articles alone (measured: 400 ms at most, most of it reading and parsing
# 8 MB of Markdown), every good article
# is indexed, and the hostile one costs exactly one stderr line, its path and
# the cap. Then all of them at once in one bulk run.
. "$NS_TOP/tests/e2e/nindex_common"
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && head -c 2000 "$tmp/err" | sed 's/^/  stderr: /'; exit 1; }

# $cpu: CPU time (user + system) of this shell's finished children, in ms:
# not stretched by a busy machine as wall time is. (`times` must run in this
# shell, not in a $(...) subshell.)
cpu_now() {
    times > "$tmp/times"
    cpu=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
                         printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$tmp/times")
}
budget=1000
case $NS_BUILD in *asan*) budget=2000 ;; esac

good=$tmp/good
mkdir -p "$good"
for n in 1 2 3; do
    printf -- '---\ntitle: Good article %s\ndate: 2020-10-0%s\nvendors: [OpenAI]\n---\n' $n $n \
        > "$good/good$n.md"
    printf 'The zebra%s of a real article, with GPT-3 and a [link](https://x.org).\n' $n \
        >> "$good/good$n.md"
done

# ---- the hostile shapes: NAME, then the line nindex must print for it ----
h=$tmp/hostile
mkdir -p "$h"
fm_start() { printf -- '---\ntitle: Hostile\ndate: 2020-10-05\n'; }
{ fm_start; printf 'x: '; yes '[' | head -n 200000 | tr -d '\n'
  yes ']' | head -n 200000 | tr -d '\n'; printf '\n---\nbody\n'; } > "$h/deep-400k.md"
{ fm_start; printf 'x: '; yes '[' | head -n 30000 | tr -d '\n'
  yes ']' | head -n 30000 | tr -d '\n'; printf '\n---\nbody\n'; } > "$h/deep-60k.md"
{ fm_start; awk 'BEGIN { printf "vendors: ["; for (i = 0; i < 50000; i++) printf "%sV%d", i ? ", " : "", i
                     print "]" }'; printf -- '---\nbody\n'; } > "$h/vendors-50000.md"
{ fm_start; awk 'BEGIN { printf "vendors: ["; for (i = 0; i < 10000; i++) printf "%s%x", i ? ", " : "", i
                     print "]" }'; printf -- '---\nbody\n'; } > "$h/vendors-10000.md"
{ fm_start; printf 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
  awk 'BEGIN { for (i = 1; i < 9; i++) { printf "l%d: &l%d [", i, i
                   for (k = 0; k < 9; k++) printf "%s*l%d", k ? ", " : "", i - 1
                   print "]" } }'
  printf 'tags: *l8\n---\nbody\n'; } > "$h/billion-laughs.md"
{ fm_start; printf 'summary: '; yes x | head -n 1000000 | tr -d '\n'
  printf '\n---\nbody\n'; } > "$h/front-matter-1m.md"
{ fm_start; printf -- '---\n'; yes a1 | head -n 4000000 | tr -d '\n'; echo; } > "$h/a1-8m.md"
{ fm_start; printf -- '---\n'; yes a1 | head -n 1000000 | tr -d '\n'; echo; } > "$h/a1-2m.md"
{ fm_start; printf -- '---\nsome words\n\n'; yes x | head -n 70000 | tr -d '\n'
  echo; } > "$h/long-word.md"
{ fm_start; printf -- '---\n'; yes 'words and more words in a paragraph' | head -n 90000
  } > "$h/text-3m.md"
{ fm_start; printf -- '---\n'
  awk 'BEGIN { srand(1); for (i = 0; i < 60000; i++) { w = ""; n = 5 + int(rand() * 5)
                   for (k = 0; k < n; k++) w = w sprintf("%c", 97 + int(rand() * 26))
                   printf "%s%s", w, i % 100 == 99 ? "\n\n" : " " } }'; } > "$h/random-words.md"
{ fm_start; printf -- '---\n'; yes 'a body of real words' | head -n 900000; } \
    > "$h/file-17m.md"

cat > "$tmp/want" <<EOF
deep-400k.md	front matter is 400036 bytes; front matter over 64 KiB is refused
deep-60k.md	front matter nested deeper than 32 levels
vendors-50000.md	front matter is 388932 bytes; front matter over 64 KiB is refused
vendors-10000.md	vendors: more than 100 names
billion-laughs.md	front matter has more than 64 YAML anchors and aliases
front-matter-1m.md	front matter is 1000042 bytes; front matter over 64 KiB is refused
a1-8m.md	the text to index is 8000000 bytes after Markdown; over 2 MiB is refused
a1-2m.md	a word of more than 1024 parts: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1...'
long-word.md	a word longer than 65536 bytes: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'
text-3m.md	the text to index is 3239999 bytes after Markdown; over 2 MiB is refused
random-words.md	more than 20000 distinct terms (words and parts of words)
file-17m.md	file is 18900040 bytes; articles over 16 MiB are refused
EOF

tf() { xapian-delve -t "$1" "$2" | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p'; }
check_good() { # DB
    for n in 1 2 3; do
        [ "$(tf "Qgood$n" "$1")" = 1 ] || fail "good$n not indexed"
    done
}

# run LABEL DIR ARGS...: nindex over DIR (and ARGS), at most 60 s; sets $rc and $cost (CPU ms)
run() {
    label=$1 dir=$2
    shift 2
    cpu_now
    before=$cpu
    set +e
    timeout -s KILL 60 "$nindex" "$@" "$dir" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    set -e
    cpu_now
    cost=$((cpu - before))
    [ $rc -ne 137 ] || fail "$label: still running after 60 s"
}

# The good files alone: a new database (bulk) and one run over an indexed one
c=$tmp/c
mkdir -p "$c"
cp "$good"/*.md "$c/"
run "bulk baseline" "$c" --db "$tmp/db0" --jobs 2
[ $rc = 0 ] || fail "good files: exit $rc"
base_bulk=$cost
run "incremental baseline" "$c" --db "$tmp/db0"
[ $rc = 0 ] || fail "good files again: exit $rc"
base_incremental=$cost

while IFS='	' read -r name msg; do
    ln "$h/$name" "$c/$name"
    for mode in bulk incremental; do
        rm -rf "$tmp/db"
        if [ $mode = bulk ]; then
            run "$name/$mode" "$c" --db "$tmp/db" --jobs 2
            base=$base_bulk added=3
        else
            cp -R "$tmp/db0" "$tmp/db"
            run "$name/$mode" "$c" --db "$tmp/db"
            base=$base_incremental added=0
        fi
        [ $rc = 1 ] || fail "$name/$mode: exit $rc, want 1"
        [ "$(wc -l < "$tmp/err")" = 1 ] || fail "$name/$mode: want one stderr line"
        [ "$(cat "$tmp/err")" = "$c/$name: $msg" ] ||
            fail "$name/$mode: stderr '$(cat "$tmp/err")', want '$c/$name: $msg'"
        [ "$(tail -n 1 "$tmp/out")" = "added $added, updated 0, unchanged $((3 - added)), removed 0, failed 1" ] ||
            fail "$name/$mode: summary $(tail -n 1 "$tmp/out")"
        check_good "$tmp/db"
        [ $((cost - base)) -lt $budget ] ||
            fail "$name/$mode: ${cost} ms of CPU, ${base} ms without it (budget $budget ms)"
        echo "$name/$mode: $((cost - base)) ms of CPU over the good files' $base ms"
    done
    rm "$c/$name"
done < "$tmp/want"

# Bulk mode runs several at once: all of them, with the good ones, 2 threads.
rm -rf "$tmp/db"
ln "$h"/*.md "$c/"
n=$(wc -l < "$tmp/want")
run "all at once" "$c" --db "$tmp/db" --jobs 2
[ $rc = 1 ] || fail "all at once: exit $rc"
[ "$(tail -n 1 "$tmp/out")" = "added 3, updated 0, unchanged 0, removed 0, failed $n" ] ||
    fail "all at once: summary $(tail -n 1 "$tmp/out")"
[ "$(wc -l < "$tmp/err")" = "$n" ] || fail "all at once: want $n stderr lines"
while IFS='	' read -r name msg; do
    grep -qxF "$c/$name: $msg" "$tmp/err" || fail "all at once: no line for $name"
done < "$tmp/want"
check_good "$tmp/db"
[ "$cost" -lt $((n * budget)) ] || fail "all at once: ${cost} ms of CPU"
xapian-check "$tmp/db" > /dev/null || fail "xapian-check"
echo "all at once: $cost ms of CPU"
echo ok
