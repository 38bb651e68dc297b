#!/bin/sh
# --sort date is newest first; paging with --offset has no overlap and no gap;
# ranks count over the whole list (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
ns --json -n 100 --sort date gpt3 | jq -r '.results[].date' > "$tmp/dates"
[ "$(wc -l < "$tmp/dates")" -gt 5 ] || fail "too few results to test sorting"
sort -r "$tmp/dates" | cmp -s - "$tmp/dates" || fail "--sort date is not newest first"
# relevance: scores never increase down the list; equal scores newest first
ns --json -n 100 gpt3 | jq -e '[.results[].score] as $s | [range(1; $s|length) | $s[.-1] >= $s[.]] | all' \
    > /dev/null || fail "relevance order"
ns --json -n 100 lang:ru | jq -r '.results[].date' > "$tmp/d2"
sort -r "$tmp/d2" | cmp -s - "$tmp/d2" || fail "equal scores are not newest first"
expect_status 2 ns --sort size gpt3

for sort in relevance date; do
    ns --json -n 1000 --sort $sort transformer | jq -r '.results[] | "\(.rank) \(.id)"' > "$tmp/all"
    n=$(wc -l < "$tmp/all")
    [ "$n" -gt 7 ] || fail "too few results to page"
    : > "$tmp/pages"
    off=0
    while [ $off -lt $((n + 3)) ]; do
        ns --json -n 3 --offset $off --sort $sort transformer > "$tmp/page"
        jq -e --argjson o $off '.offset == $o and .limit == 3' "$tmp/page" > /dev/null || fail "offset/limit"
        jq -r '.results[] | "\(.rank) \(.id)"' "$tmp/page" >> "$tmp/pages"
        off=$((off + 3))
    done
    cmp -s "$tmp/all" "$tmp/pages" || { diff "$tmp/all" "$tmp/pages" >&2; fail "pages differ ($sort)"; }
done
# past the end: total still known, no results, exit 0 (there are matches)
ns --json --offset 1000 transformer | jq -e '.total > 0 and (.results | length) == 0' > /dev/null ||
    fail "offset past the end"
head -n 1 "$tmp/all" | grep -q '^1 ' || fail "rank does not start at 1"
ns --json -n 1 --offset 10 transformer | jq -e '.results[0].rank == 11' > /dev/null || fail "rank 11"
expect_status 2 ns -n -1 gpt
expect_status 2 ns --offset x gpt
echo ok
