#!/bin/sh
# Exit statuses 0, 1, 2 with clear messages; --help, --version, NSEARCH_DB
# (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
expect_status 0 ns gpt3
grep -q '^[0-9]* results\{0,1\} for "gpt3"' "$tmp/out" || fail "no header: $(head -1 "$tmp/out")"
expect_status 1 ns qqqqzzzz
grep -q 'No results' "$tmp/out" || fail "no 'No results'"
# only stopwords or punctuation: not an error, no results
expect_status 1 ns the of and
expect_status 1 ns '!!!'
expect_status 1 ns и в на
# errors
expect_status 2 ns month:2020-13
[ "$(cat "$tmp/err")" = "nsearch: month '2020-13' is not a valid YYYY-MM" ] || fail "message: $(cat "$tmp/err")"
expect_status 2 "$NS_BUILD/nsearch" --db "$tmp/missing" gpt3
grep -q "nsearch: no database at '$tmp/missing'" "$tmp/err" || fail "missing db message: $(cat "$tmp/err")"
grep -q "nindex --db $tmp/missing" "$tmp/err" || fail "missing db message names no nindex"
# a directory that is not a database is not reported as missing (exit 2, says so)
mkdir "$tmp/notadb"
expect_status 2 "$NS_BUILD/nsearch" --db "$tmp/notadb" gpt3
grep -q "is not a readable Xapian database" "$tmp/err" || fail "not-a-database message: $(cat "$tmp/err")"
# nindex refuses such a folder, so the message must not send the user to --rebuild
grep -q -- "--rebuild" "$tmp/err" && fail "the damaged-database message names --rebuild, which nindex refuses: $(cat "$tmp/err")"
expect_status 2 ns --no-such-option gpt3
grep -q 'no-such-option' "$tmp/err" || fail "bad option message"
expect_status 2 ns --limit
expect_status 2 ns --bm25 1.2 gpt3
expect_status 2 ns --bm25 1.2,1.5 gpt3
expect_status 0 ns --bm25 2.0,0.5 gpt3
expect_status 2 ns
# the database from the environment, and from --db first
NSEARCH_DB=$db expect_status 0 "$NS_BUILD/nsearch" gpt3
NSEARCH_DB=$tmp/missing expect_status 0 "$NS_BUILD/nsearch" --db "$db" gpt3
# a word starting with - is an exclusion, not an option; -- ends options
expect_status 0 ns gpt3 -openai
expect_status 0 ns -- -openai gpt3
# option names are exact, and a value that looks like an option is refused
# (issue 13: getopt took --vend for --vendor, and --json as its value)
expect_status 2 ns --vend --json gpt
[ "$(cat "$tmp/err")" = "nsearch: unknown option '--vend' (did you mean --vendor?); see nsearch --help" ] ||
    fail "abbreviation: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "abbreviation searched: $(cat "$tmp/out")"
expect_status 2 ns --d "$tmp/missing" gpt
grep -qF "unknown option '--d' (did you mean --db?)" "$tmp/err" || fail "--d: $(cat "$tmp/err")"
expect_status 2 ns --vendor --json gpt
grep -qF "option '--vendor' needs a value, and '--json' looks like an option (write --vendor=--json" \
    "$tmp/err" || fail "--vendor --json: $(cat "$tmp/err")"
expect_status 2 ns -n -5 gpt
grep -qF "option '-n' needs a value, and '-5' looks like an option" "$tmp/err" || fail "-n -5"
expect_status 2 ns --json=yes gpt
grep -qF "option '--json' takes no value" "$tmp/err" || fail "--json=yes: $(cat "$tmp/err")"
expect_status 2 ns --facet gpt
grep -qF "did you mean --facets?" "$tmp/err" || fail "--facet: $(cat "$tmp/err")"
# --opt=value takes any value; the words may come before, between and after options
expect_status 1 ns --vendor=--json gpt
expect_status 0 ns gpt --json -n 1
[ "$(jq '.results | length' "$tmp/out")" = 1 ] || fail "words before options"
expect_status 0 ns --limit=2 --json gpt
[ "$(jq '.results | length' "$tmp/out")" = 2 ] || fail "--limit=2"
expect_status 0 ns -n2 --json gpt
[ "$(jq '.results | length' "$tmp/out")" = 2 ] || fail "-n2"
# -nasa is the word nasa excluded, not -n with the value "asa"
expect_status 0 ns gpt -nasa
# help and version
expect_status 0 ns --help
for w in vendor: month: lang: OR prefix '"snippet_html"' 'Exit status' NSEARCH_DB NO_COLOR --batch; do
    grep -q -- "$w" "$tmp/out" || fail "--help does not mention $w"
done
expect_status 0 ns --version
grep -q '^nsearch [0-9]' "$tmp/out" || fail "--version: $(cat "$tmp/out")"
# no colour when not on a terminal
ns gpt3 | grep -q "$(printf '\033')" && fail "escape codes in piped output"
echo ok
