#!/bin/sh
# Exclusion (-word, -"phrase") and OR (nsearch, issue 4).
# A vendor's name alone is also read as a vendor intent (issue 14), which
# finds the vendor's articles that do not write the name; quoted, it is only
# the word, as the operands of OR are; --no-cross keeps translation English.
. "$NS_TOP/tests/e2e/nsearch_common"
ids '"google"' > "$tmp/g"
ids '"yandex"' > "$tmp/y"
[ -s "$tmp/g" ] && [ -s "$tmp/y" ] || fail "google or yandex finds nothing"
sort -u "$tmp/g" "$tmp/y" > "$tmp/union"
ids google OR yandex > "$tmp/or"
cmp -s "$tmp/union" "$tmp/or" || fail "google OR yandex is not the union"
comm -23 "$tmp/g" "$tmp/y" > "$tmp/minus"
ids '"google"' -yandex > "$tmp/not"
cmp -s "$tmp/minus" "$tmp/not" || fail "google -yandex is not the difference"
[ -s "$tmp/not" ] || fail "google -yandex is empty"
# OR binds the clauses around it: a b OR c = a AND (b OR c)
ids --no-cross translation > "$tmp/t"
ids --no-cross translation google OR yandex > "$tmp/tor"
comm -12 "$tmp/t" "$tmp/or" > "$tmp/expect"
cmp -s "$tmp/expect" "$tmp/tor" || fail "translation google OR yandex is wrong"
# an excluded phrase
ids --no-cross translation > "$tmp/t"
ids --no-cross '"machine translation"' > "$tmp/p"
comm -23 "$tmp/t" "$tmp/p" > "$tmp/expect"
ids --no-cross translation -'"machine translation"' > "$tmp/got"
cmp -s "$tmp/expect" "$tmp/got" || fail "-\"machine translation\" is wrong"
echo ok
