#!/bin/sh
# docs_snippets.sh: docs/web.md shows each web server configuration of deploy/
# whole, under a heading that names its file (### ...: `deploy/NAME`); the shown
# text and the file the tests run must be the same, and no snippet may be left
# out of the page.
# run-once
set -eu
: "${NS_TOP:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Split the page: each block after a heading naming deploy/NAME goes to $tmp/NAME.
awk -v out="$tmp" '
    /^#+ .*`deploy\/[^`]*`/ { match($0, /`deploy\/[^`]*`/); name = substr($0, RSTART + 8, RLENGTH - 9); next }
    /^```/ { if (inblock) { inblock = 0; if (file) close(file); file = ""; name = "" }
             else { inblock = 1; if (name != "") { file = out "/" name; printf "" > file } }
             next }
    inblock && file != "" { print > file }
' "$NS_TOP/docs/web.md"

n=0
for f in "$NS_TOP"/deploy/*.conf; do
    name=$(basename "$f")
    [ "$name" = nsearch.conf ] && continue      # the units' settings, docs/deploy.md
    [ -f "$tmp/$name" ] || fail "docs/web.md does not show deploy/$name"
    if ! cmp -s "$f" "$tmp/$name"; then
        diff -u "$f" "$tmp/$name" | head -n 20
        fail "docs/web.md's deploy/$name differs from the file (above)"
    fi
    n=$((n + 1))
done
for shown in "$tmp"/*; do
    [ -f "$NS_TOP/deploy/$(basename "$shown")" ] ||
        fail "docs/web.md shows deploy/$(basename "$shown"), which does not exist"
done
[ $n -ge 7 ] || fail "only $n snippets compared"
echo "ok ($n snippets)"
