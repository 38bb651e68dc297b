#!/bin/sh
# A phrase matches only where its words are adjacent (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
and=$(ids machine translation)
phrase=$(ids '"machine translation"')
# Nvidia Maxine has both words, apart: the AND query finds it, the phrase not
echo "$and" | grep -qx en/2020-10-nvidia-maxine-video-platform || fail "AND misses maxine"
echo "$phrase" | grep -qx en/2020-10-nvidia-maxine-video-platform && fail "phrase finds maxine"
echo "$phrase" | grep -qx en/2020-10-facebook-m2m-100 || fail "phrase misses m2m-100"
# every phrase match is an AND match
[ -z "$(printf '%s\n' "$phrase" | grep -vxF "$and")" ] || fail "phrase finds what AND does not"
# stopwords inside a phrase keep their positions: "state of the art" as written
printf -- '---\ntitle: Phrase test\ndate: 2020-10-01\nlang: en\n---\n\nThis is the state of the art now.\n' \
    > "$tmp/corpus/en/phrase-a.md"
printf -- '---\ntitle: Phrase test two\ndate: 2020-10-01\nlang: en\n---\n\nThe art state is poor.\n' \
    > "$tmp/corpus/en/phrase-b.md"
index
p=$(ids '"state of the art"')
echo "$p" | grep -qx en/phrase-a || fail "'state of the art' misses its text"
echo "$p" | grep -qx en/phrase-b && fail "'state of the art' matches 'art state'"
echo ok
