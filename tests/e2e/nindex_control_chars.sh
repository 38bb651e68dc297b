#!/bin/sh
# nindex_control_chars.sh: control characters never reach a terminal or a
# facet (issue #13, finding 5).
# - A front-matter value with a control character other than TAB/CR/LF, in
#   any field, single value or list item, refuses the file with one line
#   naming the field, the value escaped (\x1b).
# - TAB/CR/LF inside a value become a space: vendors: "Multi\nMzzfake" is the
#   vendor "Multi Mzzfake", and no month facet "zzfake" appears.
# - File names with control characters are indexed (the id has them as %XX),
#   and every message quoting such a name is escaped.
# - nsearch's text output shows a body's escape sequences harmlessly, and its
#   error messages escape the query and paths they quote.
# In a new database (bulk) and again over it (incremental).
. "$NS_TOP/tests/e2e/nindex_common"
fail() { echo "FAIL: $*"; [ -f "$tmp/err" ] && od -c "$tmp/err" | head -n 40 | sed 's/^/  stderr: /'; exit 1; }
c=$tmp/c
mkdir -p "$c"
ESC=$(printf '\033')
BEL=$(printf '\007')
NL='
'
# no control byte but newline, no DEL, no C1 (UTF-8 c2 80..c2 9f) in file $1
clean() {
    od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' | awk '
        prev == "c2" && $1 ~ /^[89]/ { bad = 1 }
        $1 ~ /^([01][0-9a-f]|7f)$/ && $1 != "0a" { bad = 1 }
        { prev = $1 }
        END { exit bad }'
}
# art FILE FRONT-MATTER BODY: FRONT-MATTER is a printf format ("\\e" for
# YAML's escape \e, "\n" for a line end), BODY is written as it is.
art() {
    printf -- "---\ntitle: T\ndate: 2020-10-05\n$2---\n%s\n" "$3" > "$1"
}

# Good articles with hostile file names
art "$c/title${ESC}]0;pwned${BEL}.md" "" "A zebra in the title's file."
art "$c/clear${ESC}[2J${NL}line.md" "" "A zebra in a cleared screen."
# A bad file with a hostile name
printf 'no front matter\n' > "$c/bad${ESC}[2J.md"
# A control character in each field, single value and list item
printf -- '---\ntitle: "Evil\\e]0;pwned\\a"\ndate: 2020-10-05\n---\nx\n' > "$c/f-title.md"
printf -- '---\ntitle: T\ndate: "2020-10-05\\e[2J"\n---\nx\n' > "$c/f-date.md"
art "$c/f-lang.md" 'lang: "\\e[2J"\n' x
art "$c/f-id.md" 'id: "x\\e[2J"\n' x
art "$c/f-url.md" 'url: "https://x.org/\\x9b2J"\n' x
art "$c/f-vendor.md" 'vendors: "Google\\e[31m"\n' x
art "$c/f-vendors.md" 'vendors: [OpenAI, "\\x7fGoogle"]\n' x
art "$c/f-tag.md" 'tags: "a\\0b"\n' x
art "$c/f-tags.md" 'tags: [ok, "a\\eb"]\n' x
# Line breaks become a space, single value or list item alike
art "$c/multi.md" 'vendors: "Multi\\nMzzfake"\n' "Body of multi."
art "$c/multi-list.md" 'vendors: ["Multi\\nMzzfake", "Hugging\\nFace"]\ntags: ["a\\tb"]\n' "Body of the list."
# A body with escape sequences (they are text: separators, never terms)
art "$c/body.md" "" "Zebra ${ESC}[2J${ESC}]0;pwned${BEL} crossing ${ESC}[31mred."

cat > "$tmp/want" <<EOF
$c/bad\x1b[2J.md: no front matter (the file must start with a '---' line)
$c/f-title.md: title: control character U+001B in 'Evil\x1b]0;pwned\x07'
$c/f-date.md: date: control character U+001B in '2020-10-05\x1b[2J'
$c/f-lang.md: lang: control character U+001B in '\x1b[2J'
$c/f-id.md: id: control character U+001B in 'x\x1b[2J'
$c/f-url.md: url: control character U+009B in 'https://x.org/\xc2\x9b2J'
$c/f-vendor.md: vendors: control character U+001B in 'Google\x1b[31m'
$c/f-vendors.md: vendors: control character U+007F in '\x7fGoogle'
$c/f-tag.md: tags: control character U+0000 in 'a\x00b'
$c/f-tags.md: tags: control character U+001B in 'a\x1bb'
$c/multi-list.md: warning: unknown vendor 'Multi Mzzfake' (kept as written)
$c/multi.md: warning: unknown vendor 'Multi Mzzfake' (kept as written)
EOF
sort "$tmp/want" > "$tmp/want.sorted"

for run in bulk incremental; do
    run_nindex "$c"
    [ $rc = 1 ] || fail "$run: exit $rc, want 1"
    clean "$tmp/err" || fail "$run: a raw control character on stderr"
    if [ $run = bulk ]; then
        [ "$(tail -n 1 "$tmp/out")" = "added 5, updated 0, unchanged 0, removed 0, failed 10" ] ||
            fail "$run: summary $(tail -n 1 "$tmp/out")"
        sort "$tmp/err" | diff "$tmp/want.sorted" - || fail "$run: stderr differs (above)"
    else
        # the bad files fail again, the good ones (hostile names too) are unchanged
        [ "$(tail -n 1 "$tmp/out")" = "added 0, updated 0, unchanged 5, removed 0, failed 10" ] ||
            fail "$run: summary $(tail -n 1 "$tmp/out")"
        grep -v warning "$tmp/want.sorted" | diff - "$(sort "$tmp/err" > "$tmp/err.sorted"; echo "$tmp/err.sorted")" ||
            fail "$run: stderr differs (above)"
    fi
    # hostile file names are indexed under escaped ids
    [ "$(tf "Qtitle%1B]0;pwned%07")" = 1 ] || fail "$run: the OSC-named file is not indexed"
    [ "$(tf "Qclear%1B[2J%0Aline")" = 1 ] || fail "$run: the ESC/newline-named file is not indexed"
done

# no bogus facet: one month, and the vendors as written, each on its own
"$nsearch" --db "$db" --json --facets lang:en > "$tmp/json" || fail "nsearch --json exit $?"
[ "$(jq -c '.facets.month' "$tmp/json")" = '{"2020-10":5}' ] ||
    fail "month facets: $(jq -c '.facets.month' "$tmp/json")"
[ "$(jq -c '.facets.vendor' "$tmp/json")" = '{"Multi Mzzfake":2,"Hugging Face":1}' ] ||
    fail "vendor facets: $(jq -c '.facets.vendor' "$tmp/json")"
[ "$(tf "XVmulti mzzfake")" = 2 ] || fail "vendor term"
[ "$(tf "XMzzfake")" = "" ] || fail "a month term zzfake"
[ "$(tf XM2020-10)" = 5 ] || fail "month term"

# nsearch's text output: the body's and the paths' escape sequences are not passed on
"$nsearch" --db "$db" --facets zebra > "$tmp/text" || fail "nsearch exit $?"
clean "$tmp/text" || { od -c "$tmp/text" | head -n 30; fail "nsearch printed a raw control character"; }
grep -q 'Zebra' "$tmp/text" || fail "nsearch: no snippet"
[ "$(grep -c '^ *[0-9]*\. ' "$tmp/text")" = 3 ] || fail "nsearch: want 3 results"

# nsearch's error messages quote the query and the database path escaped
set +e
"$nsearch" --db "$db" "month:2020-13${ESC}[2J" 2> "$tmp/err"
rc=$?
set -e
[ $rc = 2 ] || fail "bad month: exit $rc"
clean "$tmp/err" || fail "nsearch printed a raw control character in an error"
[ "$(cat "$tmp/err")" = "nsearch: month '2020-13\x1b[2J' is not a valid YYYY-MM" ] ||
    fail "bad month message: $(cat "$tmp/err")"
set +e
"$nsearch" --db "$tmp/no${ESC}]0;x${BEL}db" gpt 2> "$tmp/err"
rc=$?
set -e
[ $rc = 2 ] || fail "missing database: exit $rc"
clean "$tmp/err" || fail "nsearch printed a raw control character for a database path"
grep -qF "no\x1b]0;x\x07db" "$tmp/err" || fail "missing database message: $(cat "$tmp/err")"
# nindex's option errors quote the value escaped too
for opt in "--batch=1${ESC}[2J" "--jobs=2${ESC}]0;x${BEL}" "--db${ESC}[2J"; do
    set +e
    "$nindex" "$opt" "$c" > /dev/null 2> "$tmp/err"
    rc=$?
    set -e
    [ $rc = 2 ] || fail "nindex $opt: exit $rc"
    clean "$tmp/err" || { od -c "$tmp/err" | head; fail "nindex printed a raw control character for $opt"; }
done
echo ok
