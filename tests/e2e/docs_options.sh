#!/bin/sh
# docs_options.sh: the options the programs accept and the options the docs
# describe are the same, so the docs cannot drift from the code. For nindex
# and nsearch, every option --help prints (short and long names; "--", which
# ends the options, aside) must be:
# - an item of the OPTIONS section of man/PROG.1 (a .TP tag),
# - a row of the options table under "### PROG options" in docs/interface.md,
# - offered by both completion files: completions/nsearch.bash
#   (_PROG_opts) and completions/_nsearch (PROG's _arguments specs);
# and each of those four lists names nothing --help does not print. Then
# every --option written anywhere in README.md, man/*.1, docs/interface.md
# and docs/web.md is an option of nindex or nsearch, except the refused
# abbreviations the docs show on purpose (--vend, --reb). (docs/deploy.md is
# left out: it names other programs' options, systemctl --now, adduser
# --system.)
# run-once
set -eu
: "${NS_BUILD:?}" "${NS_TOP:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-docopts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# opts: option names (-n, --limit) found in stdin, one a line, sorted, unique
opts() { grep -oE '(^|[^A-Za-z0-9_-])--?[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | LC_ALL=C sort -u; }

# same PROG WHERE FILE: FILE lists exactly the options of PROG --help
same() {
    [ -s "$3" ] || { bad "$1: no options found in $2"; return 0; }
    LC_ALL=C comm -23 "$tmp/help.$1" "$3" > "$tmp/missing"
    LC_ALL=C comm -13 "$tmp/help.$1" "$3" > "$tmp/extra"
    while read -r o; do bad "$1 $o: in --help, not in $2"; done < "$tmp/missing"
    while read -r o; do bad "$1 $o: in $2, not in --help"; done < "$tmp/extra"
}

for prog in nindex nsearch; do
    # --help: the lines of the options block that start with an option
    "$NS_BUILD/$prog" --help | awk '/^[Oo]ptions:/ { on = 1; next } on && /^$/ { on = 0 } on' |
        grep -oE '^ +-[a-z0-9-]*(, --?[a-z0-9-]+)?' | tr ',' '\n' | tr -d ' ' |
        grep -vx -- '--' | LC_ALL=C sort -u > "$tmp/help.$prog"
    [ "$(wc -l < "$tmp/help.$prog")" -ge 6 ] || { bad "$prog --help: no options found"; continue; }

    # man/PROG.1: the tag line after each .TP of the OPTIONS section
    sed 's/\\-/-/g; s/\\f[BIRP]//g' "$NS_TOP/man/$prog.1" |
        awk '/^\.SH / { on = ($0 ~ /^\.SH OPTIONS/) } on && tag { print; tag = 0 } on && /^\.TP/ { tag = 1 }' |
        opts | grep -vx -- '--' > "$tmp/man.$prog" || true
    same $prog "man/$prog.1 (OPTIONS, .TP items)" "$tmp/man.$prog"

    # docs/interface.md: the first cell of each table row under "### PROG options"
    awk -v h="### $prog options" '/^#/ { on = ($0 == h) } on && /^\| *`/' "$NS_TOP/docs/interface.md" |
        cut -d'|' -f2 | opts | grep -vx -- '--' > "$tmp/iface.$prog" || true
    same $prog "docs/interface.md (### $prog options)" "$tmp/iface.$prog"

    # completions/nsearch.bash: _PROG_opts='...' (may span lines)
    awk -v v="_${prog}_opts=" -v q="'" '
        index($0, v q) == 1 { on = 1; $0 = substr($0, length(v q) + 1) }
        on { if ((i = index($0, q))) { print substr($0, 1, i - 1); on = 0 } else print }' \
        "$NS_TOP/completions/nsearch.bash" | opts | grep -vx -- '--' > "$tmp/bash.$prog" || true
    same $prog "completions/nsearch.bash (_${prog}_opts)" "$tmp/bash.$prog"

    # completions/_nsearch: the option specs of PROG's _arguments call
    awk -v want="$prog" '
        /^if \[\[ \$service == nindex \]\]/ { part = "nindex" }
        /^fi$/ && part == "nindex" { part = "nsearch"; next }
        part == want' "$NS_TOP/completions/_nsearch" |
        grep -oE "([{,]|^ *'(\([^)]*\))?\*?)--?[a-z][a-z0-9-]*" | sed -E "s/^.*[{,'*)]//" |
        LC_ALL=C sort -u > "$tmp/zsh.$prog" || true
    same $prog "completions/_nsearch" "$tmp/zsh.$prog"
done

# Every --option the docs write is one of the programs'.
LC_ALL=C sort -u "$tmp/help.nindex" "$tmp/help.nsearch" > "$tmp/known"
printf '%s\n' --vend --reb >> "$tmp/known"     # shown as refused abbreviations
LC_ALL=C sort -u -o "$tmp/known" "$tmp/known"
for f in README.md man/nindex.1 man/nsearch.1 docs/interface.md docs/web.md; do
    [ -f "$NS_TOP/$f" ] || { bad "$f does not exist"; continue; }
    sed 's/\\-/-/g; s/\\f[BIRP]//g' "$NS_TOP/$f" | grep -oE '(^|[^A-Za-z0-9_-])--[a-z][a-z0-9-]*' |
        sed 's/^[^-]*//' | LC_ALL=C sort -u > "$tmp/named"
    LC_ALL=C comm -23 "$tmp/named" "$tmp/known" > "$tmp/unknown"
    while read -r o; do bad "$f names $o, which neither nindex nor nsearch accepts"; done < "$tmp/unknown"
done

[ "$fails" -eq 0 ] || { echo "$fails problems"; exit 1; }
echo "ok: the options of nindex ($(wc -l < "$tmp/help.nindex")) and nsearch ($(wc -l < "$tmp/help.nsearch")) agree with the man pages, docs/interface.md and both completions"
