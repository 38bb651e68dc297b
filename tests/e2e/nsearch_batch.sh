#!/bin/sh
# --batch: one JSON object per line, in order; bad lines give errors and the
# batch goes on; exit 2 if any line failed, else 0 (nsearch, issue 4); lines
# over 128 KiB or with a NUL byte are errors too (issue 13).
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
# a line over the 128 KiB cap (200 KB) is an error line echoing its start, and
# the batch goes on to a line without a final newline (issue 13)
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "word%d ", i; printf "\n" }' > "$tmp/long"
printf 'gpt3' >> "$tmp/long"
set +e
ns --batch < "$tmp/long" > "$tmp/out"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a 200 KB line is not an error (exit $rc)"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "long batch lines"
sed -n 1p "$tmp/out" | jq -e '(.error | test("longer than 131072 bytes")) and
    (.query | startswith("word0 word1 word2") and endswith("…") and length < 300)' > /dev/null \
    || fail "long line error: $(sed -n 1p "$tmp/out" | cut -c1-200)"
sed -n 2p "$tmp/out" | jq -e '.query == "gpt3" and .total > 0' > /dev/null || fail "unterminated line"
# exactly 131072 bytes is a query (128 words of 1023 bytes, under the
# 65536-byte word cap); "\r\n" ends a line of that length too
awk 'BEGIN { for (i = 0; i < 128; i++) { if (i) printf " "; for (j = 0; j < 1023; j++) printf "q" }
             printf "q\r\n" }' | ns --batch > "$tmp/out" ||
    fail "a 131072-byte line is refused"
jq -e '.error == null and (.query | length) == 131072' "$tmp/out" > /dev/null || fail "131072-byte line"
# a 120 MB line is refused without being held in memory: the batch runs
# under a 100 MB address-space limit (the old code read the whole line and
# ran out of memory); not under ASan, which reserves terabytes of address
# space. The line is a sparse file's zeros: quick to write and to read.
if ! ldd "$NS_BUILD/nsearch" 2>/dev/null | grep -q libasan; then
    truncate -s 120000000 "$tmp/huge"
    printf '\ngpt3\n' >> "$tmp/huge"
    ( ulimit -v 100000
      "$NS_BUILD/nsearch" --db "$db" --batch --jobs 1 < "$tmp/huge" > "$tmp/out" 2> "$tmp/err" ) ||
        true
    rm -f "$tmp/huge"
    [ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "120 MB line: $(cut -c1-100 "$tmp/out") $(cat "$tmp/err")"
    sed -n 1p "$tmp/out" | jq -e '.error | test("longer than")' > /dev/null || fail "120 MB line error"
    sed -n 2p "$tmp/out" | jq -e '.total > 0' > /dev/null || fail "line after the 120 MB line"
fi
# a NUL byte: the line is an error, echoed whole (the NUL escaped), as it was
# searched (not at all); before, the echo stopped at the NUL (issue 13)
printf 'gpt\000model\ngpt3\n' > "$tmp/in"
set +e
ns --batch < "$tmp/in" > "$tmp/out"
rc=$?
set -e
[ $rc -eq 2 ] || fail "a line with NUL is not an error (exit $rc)"
sed -n 1p "$tmp/out" | jq -e '.query == "gpt\u0000model" and (.error | test("NUL"))' > /dev/null ||
    fail "NUL line: $(sed -n 1p "$tmp/out")"
sed -n 2p "$tmp/out" | jq -e '.total > 0' > /dev/null || fail "line after the NUL line"
# limit applies to every line
printf 'lang:ru\n' | ns --batch -n 2 | jq -e '(.results | length) == 2' > /dev/null || fail "batch -n"
echo ok
