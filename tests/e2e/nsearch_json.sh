#!/bin/sh
# --json has the contract's shape and escapes hostile titles (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
title='<script>alert("x")</script> \ "q"'
cat > "$tmp/corpus/en/hostile.md" <<'MD'
---
title: '<script>alert("x")</script> \ "q"'
date: 2020-10-02
lang: en
vendors: [OpenAI]
---

Zyzzyva is a `<b>hostile</b>` & "quoted" word, in a paragraph
with	tabs and newlines.
MD
index
ns --json zyzzyva > "$tmp/out"
[ "$(wc -l < "$tmp/out")" -eq 1 ] || fail "JSON is not one line"
jq -e . "$tmp/out" > /dev/null || fail "JSON does not parse"
got=$(jq -r '.results[0].title' "$tmp/out")
[ "$got" = "$title" ] || fail "title did not round-trip: $got"
grep -q '</script>' "$tmp/out" && fail "a raw </script> in the JSON"
jq -e '.results[0].snippet_html | test("<mark>Zyzzyva</mark>") and test("&lt;b&gt;hostile&lt;/b&gt; &amp; &quot;quoted&quot;")' \
    "$tmp/out" > /dev/null || fail "snippet_html: $(jq -r '.results[0].snippet_html' "$tmp/out")"
jq -e '.results[0].snippet | test("<b>hostile</b> & \"quoted\" word, in a paragraph with tabs")' "$tmp/out" \
    > /dev/null || fail "snippet: $(jq -r '.results[0].snippet' "$tmp/out")"
# every field, with its type
jq -e '
  (keys | sort) == (["expansions","facets","facets_disjunctive","intents","layout","limit","offset",
                     "query","relaxed","results","showing_suggestion","suggestion","total",
                     "total_all_words","total_articles"] | sort) and .total_articles == .total and
  .facets_disjunctive == {"vendor": false, "month": false} and .layout == false and
  .showing_suggestion == false and
  (.query | type) == "string" and (.total | type) == "number" and
  (.facets.vendor | type) == "object" and (.facets.month | type) == "object" and
  .facets.lang == {"en": 1} and
  (.results[0] | keys | sort) == (["also","date","id","lang","month","partial","path","rank","score",
                                  "snippet","snippet_html","title","url","vendors"]) and
  .results[0].also == [] and
  .results[0].partial == false and .total_all_words == .total and .results[0].rank == 1 and .results[0].id == "en/hostile" and .results[0].date == "2020-10-02" and
  .results[0].month == "2020-10" and .results[0].lang == "en" and
  (.results[0].vendors | index("OpenAI")) != null and .results[0].url == null and
  (.results[0].score | type) == "number" and (.results[0].path | type) == "string" and
  .suggestion == null and .intents == {}' "$tmp/out" > /dev/null || fail "JSON shape: $(cat "$tmp/out")"
# url is a string when the article has one
ns --json m2m-100 | jq -e '.results[0].url | startswith("https://")' > /dev/null || fail "url"
# no results: still one object, exit 1
expect_status 1 ns --json qqqxxxzzz
jq -e '.total == 0 and .results == [] and .facets.vendor == {}' "$tmp/out" > /dev/null ||
    fail "empty JSON: $(cat "$tmp/out")"
# a hostile query is echoed back escaped
expect_status 1 ns --json 'qqqq"\</zzzzq>'
jq -e '.query == "qqqq\"\\</zzzzq>"' "$tmp/out" > /dev/null || fail "query echo: $(cat "$tmp/out")"
echo ok
