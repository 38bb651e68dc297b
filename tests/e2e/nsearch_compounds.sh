#!/bin/sh
# GPT-3, gpt3 and "GPT 3" find the same articles (nsearch, issue 4).
. "$NS_TOP/tests/e2e/nsearch_common"
same_ids GPT-3 gpt3
same_ids GPT-3 '"GPT 3"'
same_ids 'GPT‑3' Gpt3
same_ids M2M-100 m2m100
# at least as many as the files that spell it one of these ways
# (as whole words: ruGPT-3 and GPT-3.5 are other compounds)
n=$(grep -lEi '(^|[^[:alnum:]_.-])gpt[- ]?3([^[:alnum:].]|$)' "$tmp"/corpus/*/*.md | wc -l)
[ "$n" -gt 3 ] || fail "the corpus names GPT-3 in only $n files"
[ "$(total gpt3)" -ge "$n" ] || fail "gpt3 finds fewer than the $n files naming it"
echo ok
