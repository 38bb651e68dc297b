#!/bin/sh
# Russian inflections find each other; ё and е match (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
same_ids перевод переводы
same_ids перевод перевода
same_ids Перевода ПЕРЕВОДЫ
same_ids обучённая обученная
same_ids обучённая обученную
# the stem also matches in other inflections in snippets: some mark is there
ns --json перевода | jq -e '[.results[].snippet_html | test("<mark>")] | all' > /dev/null ||
    fail "snippets of перевода have no marks"
echo ok
