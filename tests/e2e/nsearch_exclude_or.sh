#!/bin/sh
# Exclusion (-word, -"phrase") and OR (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
ids google > "$tmp/g"
ids yandex > "$tmp/y"
[ -s "$tmp/g" ] && [ -s "$tmp/y" ] || fail "google or yandex finds nothing"
sort -u "$tmp/g" "$tmp/y" > "$tmp/union"
ids google OR yandex > "$tmp/or"
cmp -s "$tmp/union" "$tmp/or" || fail "google OR yandex is not the union"
comm -23 "$tmp/g" "$tmp/y" > "$tmp/minus"
ids google -yandex > "$tmp/not"
cmp -s "$tmp/minus" "$tmp/not" || fail "google -yandex is not the difference"
[ -s "$tmp/not" ] || fail "google -yandex is empty"
# OR binds the clauses around it: a b OR c = a AND (b OR c)
ids translation > "$tmp/t"
ids translation google OR yandex > "$tmp/tor"
comm -12 "$tmp/t" "$tmp/or" > "$tmp/expect"
cmp -s "$tmp/expect" "$tmp/tor" || fail "translation google OR yandex is wrong"
# an excluded phrase
ids translation > "$tmp/t"
ids '"machine translation"' > "$tmp/p"
comm -23 "$tmp/t" "$tmp/p" > "$tmp/expect"
ids translation -'"machine translation"' > "$tmp/got"
cmp -s "$tmp/expect" "$tmp/got" || fail "-\"machine translation\" is wrong"
echo ok
