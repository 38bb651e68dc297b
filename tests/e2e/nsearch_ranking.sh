#!/bin/sh
# Issue 14: the page filled with articles having most of the words, intents
# read from the words, cross-lingual expansion, stopword-only questions.
. "$NS_TOP/tests/e2e/nsearch_common"

# ---- page fill -----------------------------------------------------------
# "sky replacement": one article has both words; others have one of them.
ns --json -n 10 sky replacement > "$tmp/fill"
jq -e '.total_all_words == 1 and .total > 1 and .relaxed == false and
       .results[0].id == "ru/2020-10-skyar-sky-replacement" and .results[0].partial == false and
       ([.results[1:][] | .partial] | all) and (.results | length) == ([.total, 10] | min)' \
    "$tmp/fill" > /dev/null || fail "page fill: $(jq -c '[.total, .total_all_words, [.results[] | [.id, .partial]]]' "$tmp/fill")"
# every partial article has one of the words but not both (independently:
# each word alone, without expansion, finds it)
ids --no-cross sky > "$tmp/sky"
ids --no-cross replacement > "$tmp/repl"
ns --json -n 10 --no-cross sky replacement | jq -r '.results[] | select(.partial) | .id' > "$tmp/part"
[ -s "$tmp/part" ] || fail "no partial results"
while read -r id; do
    a=0; b=0
    grep -qx "$id" "$tmp/sky" && a=1
    grep -qx "$id" "$tmp/repl" && b=1
    [ $((a + b)) -eq 1 ] || fail "partial $id has $((a + b)) of the 2 words"
done < "$tmp/part"
# paging through the filled list gives the same list
ns --json -n 4 sky replacement | jq -r '.results[].id' > "$tmp/p1"
ns --json -n 4 --offset 4 sky replacement | jq -r '.results[].id' >> "$tmp/p1"
ns --json -n 8 sky replacement | jq -r '.results[].id' > "$tmp/p2"
cmp -s "$tmp/p1" "$tmp/p2" || fail "pages of a filled list differ from one long page"
# the CLI marks partial results and says how many have every word
ns -n 3 sky replacement > "$tmp/text"
grep -q 'results for "sky replacement": 1 with every word, [0-9]* with some (marked ~)' "$tmp/text" ||
    fail "CLI header: $(head -n 1 "$tmp/text")"
grep -q '^  1\. ' "$tmp/text" && grep -q '^  2\.~' "$tmp/text" || fail "CLI marks: $(cat "$tmp/text")"
# and the web page
QUERY_STRING='q=sky+replacement' GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET NSEARCH_DB=$db \
    SCRIPT_NAME=/s "$NS_BUILD/nsearch.cgi" > "$tmp/page"
grep -q '(1 with every word)' "$tmp/page" || fail "web count has no every-word figure"
grep -q 'class="partial">has some of the words' "$tmp/page" || fail "web page marks no partial hit"
# a page already full of articles with every word is not filled
ns --json -n 2 openai | jq -e '.total == .total_all_words and ([.results[].partial] | any | not)' \
    > /dev/null || fail "one word filled"

# ---- intents -------------------------------------------------------------
# a month in words, in either language: that month's articles first
nmonth=$(total month:2020-12)
[ "$nmonth" -gt 0 ] || fail "no article of 2020-12"
for q in 'December 2020' 'в декабре 2020' 'декабрь 2020'; do
    ns --json -n "$nmonth" "$q" > "$tmp/m"
    jq -e --argjson n "$nmonth" '.intents == {"month": "2020-12"} and (.results | length) == $n and
           ([.results[].month == "2020-12"] | all)' "$tmp/m" > /dev/null ||
        fail "month intent of '$q': $(jq -c '[.intents, [.results[].month]]' "$tmp/m")"
done
ns --json -n 1 '2020' | jq -e '.intents == {"year": "2020"}' > /dev/null || fail "year intent"
# a vendor in free text, inflected: its articles first, the others not filtered out
ns --json -n 100 --no-cross сбера нейросеть > "$tmp/v"
jq -e '.intents.vendor == "Sberbank" and (.results[0].vendors | index("Sberbank")) != null and
       ([.results[] | select(.vendors | index("Sberbank") | not)] | length) > 0' "$tmp/v" \
    > /dev/null || fail "vendor intent: $(jq -c '[.intents, [.results[] | .vendors]]' "$tmp/v")"
# explicit filters still filter
ns --json -n 100 'December 2020 month:2020-11' | jq -e '[.results[].month == "2020-11"] | all' \
    > /dev/null || fail "month: filter with a month intent"
ns --json -n 100 'сбера vendor:Yandex' | jq -e '[.results[] | .vendors | index("Yandex") != null] | all' \
    > /dev/null || fail "vendor: filter with a vendor intent"
ns --json -n 1 'сбера' --intent-weight 0 | jq -e '.intents == {}' > /dev/null ||
    fail "--intent-weight 0 still reads intents"

# ---- cross-lingual -------------------------------------------------------
# English -> Russian: the sign-language story is told only in Russian
ns --json -n 30 'sign language' > "$tmp/x"
jq -e '.expansions == [{"words": "sign language", "with": ["язык жестов", "жестовый язык"]}]' \
    "$tmp/x" > /dev/null || fail "expansions: $(jq -c .expansions "$tmp/x")"
ru_at=$(jq '[.results[].id] | index("ru/2020-10-google-sign-language-detection")' "$tmp/x")
[ "$ru_at" != null ] || fail "sign language does not find the Russian-only article"
jq -e --argjson k "$ru_at" '$k > 0 and ([.results[:$k][] | .lang == "en"] | all)' "$tmp/x" \
    > /dev/null || fail "the Russian article is not after the English ones"
# the English articles keep their order from the search without expansion
jq -r --argjson k "$ru_at" '.results[:$k][] | .id' "$tmp/x" > "$tmp/own"
ns --json -n "$ru_at" --no-cross 'sign language' | jq -r '.results[].id' > "$tmp/plain"
cmp -s "$tmp/own" "$tmp/plain" || fail "own-language order changed: $(paste -d' ' "$tmp/own" "$tmp/plain")"
ns --json -n 100 --no-cross 'sign language' > "$tmp/nx"
jq -e '.expansions == [] and ([.results[].id] | index("ru/2020-10-google-sign-language-detection")) == null' \
    "$tmp/nx" > /dev/null || fail "--no-cross still expands"
# Russian -> English: the Tencent face story is told only in English
ns --json -n 30 видеозвонки > "$tmp/x"
jq -e '.expansions[0].words == "видеозвонки" and (.expansions[0].with | index("video call")) != null' \
    "$tmp/x" > /dev/null || fail "expansions: $(jq -c .expansions "$tmp/x")"
en_at=$(jq '[.results[].id] | index("en/2020-10-tencent-hifi-3d-face")' "$tmp/x")
[ "$en_at" != null ] || fail "видеозвонки does not find the English-only article"
first_en=$(jq '[.results[].lang] | index("en")' "$tmp/x")
jq -r --argjson k "$first_en" '.results[:$k][] | .id' "$tmp/x" > "$tmp/own"
ns --json -n 100 --no-cross видеозвонки > "$tmp/nx"
jq -r '.results[].id' "$tmp/nx" > "$tmp/plain"
cmp -s "$tmp/own" "$tmp/plain" || fail "Russian articles are not first, in their order: $(cat "$tmp/own")"
jq -e '([.results[].lang == "ru"] | all)' "$tmp/nx" > /dev/null || fail "--no-cross found English"
# the web: cross=0 turns it off, a bad value is refused
for qs in 'q=%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D0%B7%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8&format=json&cross=0'; do
    QUERY_STRING=$qs GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET NSEARCH_DB=$db SCRIPT_NAME=/s \
        "$NS_BUILD/nsearch.cgi" | sed '1,/^\r\{0,1\}$/d' > "$tmp/wj"
    jq -e '.expansions == [] and ([.results[].lang == "ru"] | all)' "$tmp/wj" > /dev/null ||
        fail "web cross=0: $(head -c 300 "$tmp/wj")"
done
QUERY_STRING='q=x&cross=2' GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET NSEARCH_DB=$db \
    SCRIPT_NAME=/s "$NS_BUILD/nsearch.cgi" > "$tmp/bad"
grep -q 'Cross “2” must be 0 or 1' "$tmp/bad" || fail "web accepts cross=2"
expect_status 2 ns --cross-weight -1 x
expect_status 2 ns --intent-weight abc x

# ---- stopwords and question words ----------------------------------------
# a question keeps its content words; one of only stopwords is no error
ns --json 'how does machine translation work' | jq -e '.total > 0' > /dev/null ||
    fail "a question found nothing"
ns --json 'как работает машинный перевод' | jq -e '.total > 0' > /dev/null ||
    fail "a Russian question found nothing"
for q in how which 'как' 'где' 'что' 'what is it' 'что где когда'; do
    expect_status 1 ns --json "$q"
    jq -e '.total == 0 and .error == null' "$tmp/out" > /dev/null || fail "stopwords '$q': $(cat "$tmp/out")"
done
echo ok
