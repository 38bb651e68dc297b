#!/bin/sh
# --batch: one JSON object per line, in order; bad lines give errors and the
# batch goes on; exit 2 if any line failed, else 0 (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
printf '%s\n' 'gpt3' 'month:2020-13' 'перевод lang:ru' '' 'qqqqzzzz' 'lang:xx' 'vendor:сбер' \
    > "$tmp/in"
set +e
ns --batch < "$tmp/in" > "$tmp/out" 2> "$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "batch with bad lines exited $rc"
[ "$(wc -l < "$tmp/out")" -eq 7 ] || fail "not one line per query: $(cat "$tmp/out")"
jq -s -e 'length == 7' "$tmp/out" > /dev/null || fail "lines are not JSON"
jq -r '.query' "$tmp/out" > "$tmp/queries"
cmp -s "$tmp/in" "$tmp/queries" || fail "answers are not in query order"
jq -r 'if .error then "error" else (.total > 0 | tostring) end' "$tmp/out" | tr '\n' ' ' > "$tmp/kinds"
[ "$(cat "$tmp/kinds")" = "true error true false false error true " ] || fail "kinds: $(cat "$tmp/kinds")"
sed -n 2p "$tmp/out" | jq -e '.error == "month '"'"'2020-13'"'"' is not a valid YYYY-MM" and (keys == ["error","query"])' \
    > /dev/null || fail "error line: $(sed -n 2p "$tmp/out")"
# each answer equals the --json answer for the same query, plus the time it took
sed -n 3p "$tmp/out" | jq -e '(.took_ms | type) == "number" and .took_ms >= 0' > /dev/null \
    || fail "no took_ms: $(sed -n 3p "$tmp/out" | cut -c1-200)"
sed -n 3p "$tmp/out" | jq -c 'del(.took_ms)' > "$tmp/b3"
ns --json 'перевод lang:ru' | jq -c . > "$tmp/j3" || fail "json"
cmp -s "$tmp/b3" "$tmp/j3" || fail "batch and --json differ"
# all good lines: exit 0, even when one finds nothing
printf 'gpt3\nqqqqzzzz\n' | ns --batch > "$tmp/out" || fail "good batch exited non-zero"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "good batch lines"
# a long line (200 KB) and a line without a final newline
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "word%d ", i; printf "\n" }' > "$tmp/long"
printf 'gpt3' >> "$tmp/long"
set +e
ns --batch < "$tmp/long" > "$tmp/out"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a 20,000-word line is not an error (exit $rc)"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "long batch lines"
sed -n 1p "$tmp/out" | jq -e '.error | test("more than 1000 terms")' > /dev/null \
    || fail "long line error: $(sed -n 1p "$tmp/out" | cut -c1-200)"
sed -n 2p "$tmp/out" | jq -e '.query == "gpt3" and .total > 0' > /dev/null || fail "unterminated line"
# limit applies to every line
printf 'lang:ru\n' | ns --batch -n 2 | jq -e '(.results | length) == 2' > /dev/null || fail "batch -n"
echo ok
