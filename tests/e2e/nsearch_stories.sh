#!/bin/sh
# nsearch_stories.sh: a story told in both languages (the same url, or
# translation_of) is one result with --stories, in the query's language when
# both tellings match, the other under "also"; totals count stories and
# total_articles the articles; facets count articles. The link holds whichever
# telling nindex sees first, incremental or bulk, and after either is deleted
# or edited; a bad translation_of is refused with its reason.
. "$NS_TOP/tests/e2e/nsearch_common"

# story QUERY: "id lang also-ids" of each result with --stories
story() { ns --json --stories -n 100 "$@" | jq -r '.results[] | "\(.id) \(.lang) \([.also[].id] | join(","))"'; }
line_of() { story "$1" | grep "^$2 " || true; }

en=gpt3-microsoft-license
ru=ru/2020-09-microsoft-gpt3-exclusive-license

# the bundled pair by translation_of (the Russian telling has no url)
grep -q "^translation_of: $en" "$tmp/corpus/$ru.md" || fail "the corpus pair is missing"
[ "$(line_of 'microsoft license gpt-3' $en)" = "$en en $ru" ] || fail "English query: $(story 'microsoft license gpt-3')"
[ "$(line_of 'лицензия gpt-3 майкрософт' $ru)" = "$ru ru $en" ] ||
    fail "Russian query: $(story 'лицензия gpt-3 майкрософт')"
story 'microsoft license gpt-3' | grep -q "^$ru " && fail "the Russian telling is listed too"
# a pair by url: the same story
[ "$(line_of 'GPT-3 175 billion' en/2020-05-openai-gpt3-paper)" = \
  "en/2020-05-openai-gpt3-paper en ru/2020-05-openai-gpt3-paper" ] || fail "url pair: $(story 'GPT-3 175 billion')"
# the text output names the other telling under the shown one
ns --stories -n 100 'microsoft license gpt-3' | grep -q "^    also (ru): $ru\$" ||
    fail "text output: $(ns --stories 'microsoft license gpt-3')"
# without --stories every article is listed, and "also" is empty
[ "$(ns --json -n 100 gpt-3 | jq '[.results[].also | length] | add')" = 0 ] || fail "also without --stories"

# totals: stories; total_articles and the language counts: articles
j=$(ns --json --stories --facets -n 100 gpt-3)
plain=$(total gpt-3)
[ "$(echo "$j" | jq .total_articles)" = "$plain" ] || fail "total_articles $(echo "$j" | jq .total_articles), want $plain"
[ "$(echo "$j" | jq '[.facets.lang[]] | add')" = "$plain" ] || fail "language counts do not add up to the articles"
folded=$(echo "$j" | jq '[.results[].also | length] | add')
[ "$(echo "$j" | jq .total)" = $((plain - folded)) ] || fail "total $(echo "$j" | jq .total), want $plain - $folded"
[ "$(echo "$j" | jq '.results | length')" = "$(echo "$j" | jq .total)" ] || fail "the page and the total differ"
# paging counts stories: page 2 holds what follows page 1, nothing twice
p1=$(ns --json --stories -n 5 gpt-3 | jq -r '.results[].id')
p2=$(ns --json --stories -n 5 --offset 5 gpt-3 | jq -r '.results[].id')
all=$(ns --json --stories -n 10 gpt-3 | jq -r '.results[].id')
[ "$(printf '%s\n%s\n' "$p1" "$p2" | sed '/^$/d')" = "$all" ] || fail "pages: [$p1] [$p2] vs [$all]"
# a filter to one language: no story has two tellings there
[ "$(ns --json --stories --lang ru -n 0 gpt-3 | jq .total)" = "$(total --lang ru gpt-3)" ] || fail "--lang ru"

# incremental, the translation first, then its original; then deletions
mkdir -p "$tmp/inc/ru" "$tmp/inc/en"
idb=$tmp/incdb
enf=$tmp/inc/en/2020-09-microsoft-gpt3-exclusive-license.md
ruf=$tmp/inc/$ru.md
ix() { "$NS_BUILD/nindex" --db "$idb" "$tmp/inc" > "$tmp/ix.out" 2>&1 || fail "nindex: $(cat "$tmp/ix.out")"; }
# st: "total/total_articles id+also,... ..." for gpt-3
st() { "$NS_BUILD/nsearch" --db "$idb" --json --stories -n 10 gpt-3 |
       jq -r '"\(.total)/\(.total_articles)" + ([.results[] | " " + .id + "+" + ([.also[].id] | join(","))] | add // "")'; }
cp "$tmp/corpus/$ru.md" "$ruf"
ix
[ "$(st)" = "1/1 $ru+" ] || fail "the translation alone: $(st)"
cp "$tmp/corpus/en/2020-09-microsoft-gpt3-exclusive-license.md" "$enf"
ix
[ "$(st)" = "1/2 $en+$ru" ] || fail "the original after the translation: $(st)"
# the original deleted: the translation stands alone again
rm "$enf"
ix
[ "$(st)" = "1/1 $ru+" ] || fail "after deleting the original: $(st)"
# back, then the translation deleted
cp "$tmp/corpus/en/2020-09-microsoft-gpt3-exclusive-license.md" "$enf"
ix
[ "$(st)" = "1/2 $en+$ru" ] || fail "relinked: $(st)"
rm "$ruf"
ix
[ "$(st)" = "1/1 $en+" ] || fail "after deleting the translation: $(st)"
# translation_of taken out by an edit: two stories
sed '/^translation_of:/d' "$tmp/corpus/$ru.md" > "$ruf"
ix
[ "$(st | cut -d' ' -f1)" = "2/2" ] || fail "after removing translation_of: $(st)"
# put back: one; and a bulk build (--rebuild) links them too
cp "$tmp/corpus/$ru.md" "$ruf"
ix
[ "$(st)" = "1/2 $en+$ru" ] || fail "translation_of put back: $(st)"
"$NS_BUILD/nindex" --rebuild --db "$idb" "$tmp/inc" > "$tmp/ix.out" 2>&1 || fail "rebuild: $(cat "$tmp/ix.out")"
[ "$(st)" = "1/2 $en+$ru" ] || fail "bulk: $(st)"
# a third article with the original's url, added later: the same story
sed 's/^id: .*/id: copy/' "$enf" > "$tmp/inc/en/copy.md"
ix
[ "$(st | cut -d' ' -f1)" = "1/3" ] || fail "same url: $(st)"
rm "$tmp/inc/en/copy.md"
ix
[ "$(st)" = "1/2 $en+$ru" ] || fail "the copy deleted: $(st)"

# a bad translation_of: the file is refused with the reason
printf -- '---\ntitle: Self\ndate: 2020-01-01\nid: self\ntranslation_of: self\n---\nText.\n' > "$tmp/inc/self.md"
printf -- '---\ntitle: Bad\ndate: 2020-01-01\ntranslation_of: [a, b]\n---\nText.\n' > "$tmp/inc/bad.md"
set +e; "$NS_BUILD/nindex" --db "$idb" "$tmp/inc" > "$tmp/ix.out" 2>&1; set -e
grep -q "self.md: translation_of names the article itself" "$tmp/ix.out" || fail "self: $(cat "$tmp/ix.out")"
grep -q "bad.md: translation_of: expected a single value" "$tmp/ix.out" || fail "list: $(cat "$tmp/ix.out")"
echo "PASS nsearch_stories"
