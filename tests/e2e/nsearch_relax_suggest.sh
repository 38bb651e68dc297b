#!/bin/sh
# When no article has every word, the ones with any are shown and the output
# says so; misspelt words get a suggestion (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
expect_status 0 ns --json alphafold stylegan2
jq -e '.relaxed == true and .total > 0' "$tmp/out" > /dev/null || fail "not relaxed: $(cat "$tmp/out")"
ids alphafold > "$tmp/a"
ids stylegan2 > "$tmp/b"
sort -u "$tmp/a" "$tmp/b" > "$tmp/ab"
listed alphafold stylegan2 > "$tmp/got"
cmp -s "$tmp/ab" "$tmp/got" || fail "relaxed set is not the union"
expect_status 0 ns alphafold stylegan2
grep -q 'No article has all the words' "$tmp/out" || fail "text does not say it relaxed"
# exclusions and filters still apply when relaxed
ids alphafold stylegan2 lang:ru > "$tmp/got"
ns --json -n 100 alphafold stylegan2 lang:ru | jq -e '[.results[].lang == "ru"] | all' > /dev/null ||
    fail "relaxed ignores lang"
ns --json alphafold | jq -e '.relaxed == false' > /dev/null || fail "one word relaxed"
# a suggestion for a misspelt word
expect_status 1 ns --json transformr
jq -e '.suggestion == "transformer"' "$tmp/out" > /dev/null || fail "suggestion: $(cat "$tmp/out")"
# nothing matched: the suggestion's results are shown, saying so (and the
# exit status still says the query as typed found nothing)
jq -e '.showing_suggestion == true and .layout == false and .total > 0' "$tmp/out" > /dev/null ||
    fail "suggestion's results not shown: $(cat "$tmp/out")"
expect_status 1 ns transformr
grep -q 'No results for "transformr"' "$tmp/out" && grep -q 'results for "transformer" instead' "$tmp/out" ||
    fail "text suggestion: $(cat "$tmp/out")"
ns --json gpt3 | jq -e '.suggestion == null' > /dev/null || fail "suggestion for a good query"
echo ok
