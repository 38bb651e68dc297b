#!/bin/sh
# Facet counts are exact and equal counts made from the corpus files (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
for lang in ru en; do
    # months of the articles in this language, counted from the front matter
    for f in "$tmp"/corpus/*/*.md; do
        awk 'NR==1 && $0!="---" {exit} NR>1 && $0=="---" {exit} NR>1 {print}' "$f" > "$tmp/fm"
        grep -qE "^lang: *\"?$lang" "$tmp/fm" || continue
        sed -n 's/^date: *"\{0,1\}\([0-9]\{4\}-[0-9][0-9]\).*/\1/p' "$tmp/fm"
    done | sort | uniq -c | awk '{print $2, $1}' | sort > "$tmp/want"
    [ -s "$tmp/want" ] || fail "no $lang files"
    # a page of 1 result still counts over all matches
    ns --json -n 1 "lang:$lang" > "$tmp/json"
    jq -r '.facets.month | to_entries[] | "\(.key) \(.value)"' "$tmp/json" | sort > "$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" || { diff "$tmp/want" "$tmp/got" >&2; fail "month facets of lang:$lang"; }
    jq -e '(.facets.month | [.[]] | add) == .total' "$tmp/json" > /dev/null || fail "months do not add up"
    # months newest first
    jq -r '.facets.month | keys_unsorted[]' "$tmp/json" > "$tmp/order"
    sort -r "$tmp/order" | cmp -s - "$tmp/order" || fail "months are not newest first"
done
# vendor facet counts equal the totals of the vendor filters
ns --json -n 0 transformer > "$tmp/json"
jq -r '.facets.vendor | to_entries[] | "\(.key)\t\(.value)"' "$tmp/json" > "$tmp/vend"
[ -s "$tmp/vend" ] || fail "no vendor facets for transformer"
while IFS="$(printf '\t')" read -r name count; do
    n=$(total transformer "vendor:\"$name\"")
    [ "$n" -eq "$count" ] || fail "vendor $name: facet $count, filter $n"
done < "$tmp/vend"
# the text output lists them with --facets
ns --facets transformer > "$tmp/text"
grep -q '^Vendors:' "$tmp/text" && grep -q '^Months:' "$tmp/text" || fail "--facets prints no counts"
echo ok
