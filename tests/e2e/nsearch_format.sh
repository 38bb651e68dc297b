#!/bin/sh
# nsearch_format.sh: --format FMT prints one line per result from a template
# like git log --format (issue #18): every sequence gives the same value as
# --json; %n and %% and plain text as written; an unknown sequence or a
# lone % is exit 2 with a message naming it; control characters in values
# (a file name with ESC and a newline) are written \xHH; no results: exit 1,
# no output; not with --json, --batch or --facets.
. "$NS_TOP/tests/e2e/nsearch_common"
ESC=$(printf '\033')
NL='
'
printf -- '---\ntitle: Zyzzyva hostile name\ndate: 2021-03-04\nlang: en\nvendors: [OpenAI, Google]\n---\nZyzzyva body.\n' \
    > "$tmp/corpus/en/z${ESC}[2J${NL}x.md"
index

# every field against --json, over several results (with and without url)
q=gpt  # not "openai": a vendor named in the words also finds the hostile file of that vendor
ns --json -n 20 $q | jq -r '.results[] |
    "\(.rank)|\(.id)|\(.title)|\(.date)|\(.month)|\(.url // "")|\(.vendors | join(","))|\(.lang)|\(.path)"' \
    > "$tmp/want"
[ "$(wc -l < "$tmp/want")" -ge 5 ] || fail "'$q' finds fewer than 5 articles"
ns --format '%r|%i|%t|%d|%m|%u|%v|%l|%p' -n 20 $q > "$tmp/got" || fail "--format exit $?"
cmp -s "$tmp/want" "$tmp/got" || fail "--format differs from --json: $(diff "$tmp/want" "$tmp/got" | head -n 5)"
# the documented example; an article without url gives an empty %u
ns --format '%d %t %u' -n 3 $q | head -n 1 | grep -Eq '^20[0-9]{2}-[01][0-9]-[0-3][0-9] .+ https?://' ||
    fail "'%d %t %u': $(ns --format '%d %t %u' -n 1 $q)"
[ "$(ns --format '[%u]' zyzzyva)" = "[]" ] || fail "no url: $(ns --format '[%u]' zyzzyva)"

# %s is the JSON score, as printed there
want=$(ns --json -n 3 $q | grep -o '"score":[^,]*' | sed 's/"score"://')
got=$(ns --format '%s' -n 3 $q)
[ "$want" = "$got" ] || fail "%s: [$got] vs JSON [$want]"

# %n, %%, text as written, and a UTF-8 template
got=$(ns --format 'ид %i%n100%% %l' -n 2 $q)
[ "$(printf '%s\n' "$got" | wc -l)" = 4 ] || fail "%n: $got"
printf '%s\n' "$got" | sed -n 2p | grep -Eqx '100% (en|ru)' || fail "%%: $got"
printf '%s\n' "$got" | sed -n 1p | grep -q '^ид ' || fail "text: $got"

# control characters of a value are escaped, and the line stays one line
ns --format '%p|%v|%t' zyzzyva > "$tmp/out" || fail "zyzzyva: exit $?"
[ "$(wc -l < "$tmp/out")" = 1 ] || fail "a newline in a path split the line: $(od -c "$tmp/out" | head)"
grep -q "$ESC" "$tmp/out" && fail "a raw ESC reached the output"
grep -qF '/z\x1b[2J\x0ax.md|OpenAI,Google|Zyzzyva hostile name' "$tmp/out" || fail "escaped: $(cat "$tmp/out")"

# nothing found: exit 1, nothing printed
expect_status 1 ns --format '%t' qwzxnothingmatches
[ ! -s "$tmp/out" ] || fail "output without results: $(cat "$tmp/out")"

# bad formats and combinations: exit 2, one message naming the problem
expect_status 2 ns --format '%d %q' $q
grep -qF "unknown sequence '%q'" "$tmp/err" || fail "%q: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "%q: output"
expect_status 2 ns --format 'done 100%' $q
grep -qF "lone '%'" "$tmp/err" || fail "lone %: $(cat "$tmp/err")"
expect_status 2 ns --format '%я' $q
grep -qF "unknown sequence '%я'" "$tmp/err" || fail "%я: $(cat "$tmp/err")"
expect_status 2 ns --format "%${ESC}" $q
grep -qF "unknown sequence '%\\x1b'" "$tmp/err" || fail "%ESC: $(cat "$tmp/err")"
grep -q "$ESC" "$tmp/err" && fail "a raw ESC in the message"
for other in --json --batch --facets; do
    expect_status 2 ns --format '%t' $other $q
    grep -qF -- "--format cannot go with $other" "$tmp/err" || fail "$other: $(cat "$tmp/err")"
done
expect_status 2 ns --form '%t' $q
grep -qF "unknown option '--form'" "$tmp/err" || fail "--form: $(cat "$tmp/err")"
echo ok
