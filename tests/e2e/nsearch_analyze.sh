#!/bin/sh
# --analyze prints each token and its terms, without a database (nsearch, issue 4).
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$(echo 'Переводы нейросетей GPT-3 STYLEGAN2 ёлка йогурт' |
      "$NS_BUILD/nsearch" --db /nonexistent/db --analyze)
for t in перевод нейросет gpt3 stylegan2 елк йогурт; do
    printf '%s\n' "$out" | cut -f2 | tr ' ' '\n' | grep -qx "$t" || fail "no term $t in: $out"
done
[ "$(printf '%s\n' "$out" | wc -l)" -eq 6 ] || fail "not one line per token: $out"
printf '%s\n' "$out" | head -1 | grep -q "^Переводы	перевод$" || fail "first line: $out"
# a stopword has an empty term list
[ "$(echo 'the' | "$NS_BUILD/nsearch" --analyze)" = "the	" ] || fail "stopword line"
echo ok
