#!/bin/sh
# Filters vendor:, month:, lang: inline and as options; month ranges;
# same-kind filters OR'd, different kinds AND'd (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
c="$tmp/corpus"
# count_files REGEX: files whose front matter has a line matching REGEX
count_files() {
    n=0
    for f in "$c"/*/*.md; do
        if awk 'NR==1 && $0!="---" {exit 1} NR>1 && $0=="---" {exit 1} NR>1 {print}' "$f" |
            grep -qE "$1"; then n=$((n + 1)); fi
    done
    echo $n
}

# lang
n=$(count_files '^lang: *"?ru')
[ "$n" -gt 0 ] || fail "no Russian files"
[ "$(total lang:ru)" -eq "$n" ] || fail "lang:ru: $(total lang:ru), files: $n"
[ "$(total --lang ru)" -eq "$n" ] || fail "--lang ru differs"
[ "$(total --lang en)" -eq "$(count_files '^lang: *"?en')" ] || fail "--lang en differs"
ns --json -n 100 lang:ru | jq -e '[.results[].lang == "ru"] | all' > /dev/null || fail "lang:ru gives en"

# month, and a month range
n10=$(count_files '^date: *"?2020-10-')
n09=$(count_files '^date: *"?2020-09-')
[ "$(total month:2020-10)" -eq "$n10" ] || fail "month:2020-10: $(total month:2020-10), files $n10"
[ "$(total --month 2020-10)" -eq "$n10" ] || fail "--month 2020-10 differs"
[ "$(total month:2020-09..2020-10)" -eq $((n09 + n10)) ] || fail "month:2020-09..2020-10"
[ "$(total --month 2020-09..2020-10)" -eq $((n09 + n10)) ] || fail "--month 2020-09..2020-10"
[ "$(total month:2020-09 month:2020-10)" -eq $((n09 + n10)) ] || fail "two months are not OR'd"
all=$(count_files '^date:')
[ "$(total month:1990-01..2100-12)" -eq "$all" ] || fail "a wide range is not everything"
ns --json -n 100 month:2020-09..2020-10 | jq -e '[.results[].month | . == "2020-09" or . == "2020-10"] | all' \
    > /dev/null || fail "range gives other months"

# vendor: through the vendor table, any alias, any case
ids vendor:сбер > "$tmp/a"
[ -s "$tmp/a" ] || fail "vendor:сбер finds nothing"
ids vendor:Sberbank > "$tmp/b"
ids --vendor Сбербанк > "$tmp/c"
cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a" "$tmp/c" || fail "Sberbank aliases differ"
ns --json -n 100 vendor:сбер | jq -e '[.results[].vendors | index("Sberbank") != null] | all' \
    > /dev/null || fail "vendor:сбер gives other vendors"
ids 'vendor:"Hugging Face"' > "$tmp/h"
[ -s "$tmp/h" ] || fail 'vendor:"Hugging Face" finds nothing'
# two vendors: OR; vendor and lang: AND
ids vendor:google > "$tmp/g"
ids --vendor yandex > "$tmp/y"
sort -u "$tmp/g" "$tmp/y" > "$tmp/gy"
ids --vendor google --vendor yandex > "$tmp/got"
cmp -s "$tmp/gy" "$tmp/got" || fail "--vendor google --vendor yandex is not the union"
ids vendor:google vendor:yandex > "$tmp/got"
cmp -s "$tmp/gy" "$tmp/got" || fail "vendor:google vendor:yandex is not the union"
ids lang:ru > "$tmp/ru"
comm -12 "$tmp/g" "$tmp/ru" > "$tmp/gru"
ids vendor:google --lang ru > "$tmp/got"
cmp -s "$tmp/gru" "$tmp/got" || fail "vendor:google --lang ru is not the intersection"
# a filter with words
ids transformer > "$tmp/t"
comm -12 "$tmp/t" "$tmp/ru" > "$tmp/tru"
ids transformer lang:ru > "$tmp/got"
cmp -s "$tmp/tru" "$tmp/got" || fail "transformer lang:ru"
# an unknown vendor is no error: no results
expect_status 1 ns vendor:NoSuchVendor
# bad values are errors
expect_status 2 ns month:2020-13
grep -q "month '2020-13' is not a valid YYYY-MM" "$tmp/err" || fail "month message"
expect_status 2 ns --month 2020-13 gpt
expect_status 2 ns lang:xx
expect_status 2 ns --lang de gpt
echo ok
