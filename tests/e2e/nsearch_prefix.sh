#!/bin/sh
# prefix* expands over stems (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
printf -- '---\ntitle: Prefix test\ndate: 2020-10-01\nlang: en\n---\n\nRules of transliteration.\n' \
    > "$tmp/corpus/en/prefix-test.md"
index
ids 'transl*' > "$tmp/p"
ids --no-cross translation > "$tmp/a"
ids --no-cross translate > "$tmp/b"
ids --no-cross translators > "$tmp/c"
sort -u "$tmp/a" "$tmp/b" "$tmp/c" > "$tmp/words"
[ -s "$tmp/words" ] || fail "no article says translation"
[ -z "$(comm -13 "$tmp/p" "$tmp/words")" ] || fail "transl* misses articles of its words"
# and words none of them is: transliteration
grep -qx en/prefix-test "$tmp/p" || fail "transl* misses transliteration"
grep -qx en/prefix-test "$tmp/a" && fail "translation finds transliteration"
# the word's stem is used, so translation* reaches "translate" too
ids 'translation*' > "$tmp/q"
[ -z "$(comm -13 "$tmp/q" "$tmp/b")" ] || fail "translation* misses translate"
# Russian, any case
ids 'Перевод*' > "$tmp/r"
ids --no-cross перевод > "$tmp/s"
[ -s "$tmp/s" ] || fail "перевод finds nothing"
[ -z "$(comm -13 "$tmp/r" "$tmp/s")" ] || fail "Перевод* misses перевод"
expect_status 2 ns 'a*'
grep -q "prefix 'a\*' is too short" "$tmp/err" || fail "no message for a*"
echo ok
